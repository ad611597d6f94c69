"""One site address: every link of every email is built from PORTAL_SITE_URL, whatever
host name and scheme the request that queued it came through (an internal address of the
admin, plain http), and the weekly digest written later repeats the same address."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from chantiers import following
from chantiers.models import FollowEvent, Rhythm, Subscription
from tests.chantiers.admin_helpers import meeting_data
from tests.chantiers.factories import OpenIntersessionFactory, RegistrationFactory
from tests.mail import deliver
from tests.smtp import html_of, subject, text_of

pytestmark = pytest.mark.django_db

SITE = "https://projet.example.fr"
INTERNAL = "interne.petr.local:8080"
ADDRESSES = re.compile(r"(?:https?|mailto):[^\s<>\"',]+")


def addresses_in(message):
    """Every address an email carries: its text, its HTML and its List-* headers."""
    found = ADDRESSES.findall(text_of(message)) + ADDRESSES.findall(html_of(message))
    for header in ("List-Unsubscribe", "List-Id"):
        found += ADDRESSES.findall(str(message.get(header, "")))
    return [address for address in found if not address.startswith("mailto:")]


@pytest.fixture
def site(settings):
    settings.PORTAL = {**settings.PORTAL, "SITE_URL": SITE}
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "interne.petr.local"]


def test_a_meeting_created_through_another_host_links_only_to_the_site(
    site, team_client, smtp_server, chantier
):
    now = timezone.now()
    for email, rhythm in (
        ("tout-de-suite@example.org", Rhythm.IMMEDIATE),
        ("hebdo@example.org", Rhythm.WEEKLY),
    ):
        Subscription.objects.create(
            email=email, rhythm=rhythm, all_chantiers=True, confirmed_at=now, requested_at=now
        )
    starts = timezone.localtime(now + timedelta(days=12)).replace(hour=18, minute=0)
    response = team_client.post(
        "/admin/chantiers/intersession/add/",
        meeting_data(starts, starts + timedelta(hours=2), chantier=chantier.pk),
        HTTP_HOST=INTERNAL,
    )
    assert response.status_code == 302
    assert deliver().sent == 1
    [news] = smtp_server.received
    assert subject(news) == "Nouvelle réunion : Intersession de l'écosystème"
    links = addresses_in(news)
    assert len(links) >= 4  # the meeting, « gérer », « se désabonner » (text, HTML, header)
    assert all(link.startswith(f"{SITE}/") for link in links), links
    assert str(news["List-Unsubscribe"]).strip().startswith(f"<{SITE}/suivre/desabonnement/")
    assert (
        str(news["List-Id"]).strip()
        == "Nouvelles du projet de territoire <nouvelles.projet.example.fr>"
    )
    # Stored as a path: its address is written with each email.
    assert FollowEvent.objects.get().url.startswith("/agenda/")

    # Monday's digest, written by the periodic command, says the same.
    smtp_server.sink.clear()
    next_monday = timezone.localdate(now) + timedelta(days=7 - timezone.localdate(now).weekday())
    monday = datetime.combine(next_monday, datetime.min.time(), ZoneInfo("Europe/Paris"))
    assert following.queue_weekly_digests(now=monday + timedelta(hours=8)) == 1
    deliver()
    [digest] = smtp_server.received
    links = addresses_in(digest)
    assert links and all(link.startswith(f"{SITE}/") for link in links), links


def test_a_registration_through_another_host_links_only_to_the_site(site, client, smtp_server):
    meeting = OpenIntersessionFactory(slug="printemps")
    response = client.post(
        f"/agenda/{meeting.slug}/inscription/",
        {
            "name": "Louise",
            "email": "louise@example.org",
            "consent": "on",
            "site_internet": "",
        },
        HTTP_HOST=INTERNAL,
    )
    assert response.status_code == 302
    RegistrationFactory(meeting=meeting)
    deliver()
    [confirmation] = smtp_server.received
    links = addresses_in(confirmation)
    assert links and all(link.startswith(f"{SITE}/") for link in links), links
    [calendar] = [
        part for part in confirmation.walk() if part.get_content_type() == "text/calendar"
    ]
    assert f"URL:{SITE}/agenda/printemps/" in calendar.get_content().replace("\r\n ", "")
