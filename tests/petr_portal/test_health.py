"""/sante/ tells a load balancer whether this server can serve pages, and monitoring how
long the oldest email not sent yet has waited."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from core.models import OutboxEmail, OutboxStatus

pytestmark = pytest.mark.django_db


def test_health_answers_200_when_the_database_answers(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/sante/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "statut": "ok",
        "base_de_donnees": "ok",
        "courriels_en_attente_depuis_secondes": 0,
    }
    assert len(response.content) < 120


def test_health_reports_how_long_the_oldest_email_has_waited(client, django_assert_num_queries):
    now = timezone.now()
    for minutes, status in ((3, OutboxStatus.SENDING), (95, OutboxStatus.PENDING)):
        OutboxEmail.objects.create(
            recipient=f"p{minutes}@example.org",
            key="k",
            subject="s",
            status=status,
            created_at=now - timedelta(minutes=minutes),
        )
    # Sent or failed long ago: not waiting.
    OutboxEmail.objects.create(
        recipient="old@example.org",
        key="k",
        subject="s",
        status=OutboxStatus.SENT,
        created_at=now - timedelta(days=3),
    )
    with django_assert_num_queries(1):
        response = client.get("/sante/")
    # Stuck emails do not make this server unfit for visitors: still 200.
    assert response.status_code == 200
    waited = response.json()["courriels_en_attente_depuis_secondes"]
    assert 95 * 60 <= waited < 95 * 60 + 30


def test_health_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken(self, sql, params=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["statut"] == "indisponible"


def test_health_is_never_cached_and_sets_no_cookie(client):
    response = client.get("/sante/")
    cache_control = response["Cache-Control"]
    for word in ("no-cache", "no-store", "must-revalidate", "private", "max-age=0"):
        assert word in cache_control
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_health_accepts_head_and_refuses_post(client):
    assert client.head("/sante/").status_code == 200
    assert client.post("/sante/").status_code == 405


def test_health_is_not_redirected_to_https(client, settings):
    # A load balancer probes each server over plain HTTP.
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/sante/").status_code == 200
    assert client.get("/").status_code == 301
