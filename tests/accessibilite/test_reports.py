"""« Signaler un problème d'accessibilité »: the form (linked from the declaration and the
footer), the team's email and the acknowledgment through the outbox, the protection of
public forms, the admin's list of reports by age, and their retention."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accessibilite.models import AccessibilityReport
from core.models import OutboxEmail
from tests.accounts.helpers import make_account
from tests.mail import deliver

pytestmark = pytest.mark.django_db

URL = "/accessibilite/signaler/"
HTMX = {"HX-Request": "true"}


def report_data(**overrides):
    data = {
        "name": "Lou Delmas",
        "email": "lou@example.org",
        "page": "/documents/",
        "message": "Le diagnostic en PDF ne se lit pas avec mon lecteur d'écran.",
        "site_internet": "",
    }
    data.update(overrides)
    return data


def html_of(response):
    return response.content.decode().replace("&#x27;", "'").replace("&nbsp;", "\u00a0")


def test_the_form_is_linked_from_the_declaration_and_every_footer(client):
    assert f'href="{URL}"' in html_of(client.get("/accessibilite/"))
    assert f'href="{URL}?page=/agenda/"' in html_of(client.get("/agenda/"))
    html = html_of(client.get(f"{URL}?page=/agenda/"))
    assert "<h1>Signaler un problème d'accessibilité</h1>" in html
    assert re.search(r'<input type="text" name="page"[^>]*value="/agenda/"', html)
    assert 'name="site_internet"' in html and 'data-hx-post="/accessibilite/signaler/"' in html
    assert '<a href="/confidentialite/#signalements">' in html


def test_the_report_emails_link_to_the_site_address_even_in_development(client, settings):
    # As every email of the portal (core.seo.site_address): never a bare path.
    settings.PORTAL = {**settings.PORTAL, "SITE_URL": ""}
    client.post(URL, report_data())
    deliver()
    team, person = sorted(mail.outbox, key=lambda message: message.to[0])
    assert "http://127.0.0.1:8000/admin/accessibilite/accessibilityreport/" in team.body
    assert "http://127.0.0.1:8000/accessibilite/#voies-de-recours" in person.body


def test_a_report_reaches_the_team_and_the_person_gets_an_acknowledgment(client, settings):
    settings.PORTAL = {**settings.PORTAL, "SITE_URL": "https://projet.petr-fqvd.fr"}
    response = client.post(URL, report_data())
    assert response.status_code == 302 and response["Location"] == "/accessibilite/signaler/merci/"
    report = AccessibilityReport.objects.get()
    assert report.email == "lou@example.org" and report.page == "/documents/"
    assert OutboxEmail.objects.count() == 2
    deliver()
    team, person = sorted(mail.outbox, key=lambda message: message.to[0])
    assert team.to == ["developpement@petr-fqvd.fr"] and person.to == ["lou@example.org"]
    assert team.reply_to == ["lou@example.org"]
    assert "Le diagnostic en PDF ne se lit pas" in team.body
    assert (
        f"https://projet.petr-fqvd.fr/admin/accessibilite/accessibilityreport/{report.pk}/change/"
        in team.body
    )
    assert person.subject == "Votre signalement d'un problème d'accessibilité"
    assert "Nous avons bien reçu" in person.body
    assert "https://projet.petr-fqvd.fr/accessibilite/#voies-de-recours" in person.body
    # The acknowledgment quotes nothing that was typed: the address may not be the sender's.
    assert "diagnostic" not in person.body and "Lou" not in person.body
    assert person.extra_headers["Auto-Submitted"] == "auto-generated"
    assert person.alternatives and "<html" in person.alternatives[0][0]
    html = html_of(client.get(response["Location"]))
    assert "<h1>Merci, votre signalement est envoyé</h1>" in html


def test_the_team_address_is_a_setting(client, settings):
    settings.PORTAL = {**settings.PORTAL, "ACCESSIBILITY_REPORT_EMAIL": "a11y@example.org"}
    client.post(URL, report_data())
    assert OutboxEmail.objects.filter(recipient="a11y@example.org").exists()


def test_with_htmx_the_thanks_replace_the_form(client):
    html = html_of(client.post(URL, report_data(), headers=HTMX))
    assert "<html" not in html
    assert "Merci\u00a0! Votre signalement est envoyé." in html
    assert AccessibilityReport.objects.count() == 1


@pytest.mark.parametrize("htmx", [False, True])
def test_errors_are_named_and_nothing_is_stored(client, htmx):
    response = client.post(
        URL, report_data(email="pas-une-adresse", message=""), headers=HTMX if htmx else {}
    )
    html = html_of(response)
    assert response.status_code == 200
    assert "2 erreurs empêchent l'envoi" in html
    email_error = "Adresse électronique\u00a0: Indiquez une adresse électronique valide"
    assert f'<a href="#signaler-email">{email_error}' in html
    assert (
        '<a href="#signaler-message">Problème rencontré\u00a0: Décrivez le problème rencontré.</a>'
        in html
    )
    assert 'value="pas-une-adresse"' in html
    assert not AccessibilityReport.objects.exists() and not OutboxEmail.objects.exists()


def test_the_answer_is_the_same_whatever_the_address(client):
    """Nothing tells whether an address already wrote."""
    first = client.post(URL, report_data())
    again = client.post(URL, report_data())
    other = client.post(URL, report_data(email="autre@example.org"))
    assert first.status_code == again.status_code == other.status_code == 302
    assert first["Location"] == again["Location"] == other["Location"]
    assert first.content == again.content == other.content


def test_the_honeypot_refuses_the_post_and_keeps_what_was_typed(client):
    response = client.post(URL, report_data(site_internet="http://spam.example"))
    assert response.status_code == 400
    html = html_of(response)
    assert "Envoi refusé" in html and "Le diagnostic en PDF ne se lit pas" in html
    assert not AccessibilityReport.objects.exists() and not OutboxEmail.objects.exists()


def test_the_rate_limit_answers_429_and_stores_nothing(client, settings):
    settings.PORTAL_FORM_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(URL, report_data()).status_code == 302
    response = client.post(URL, report_data())
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.PORTAL_FORM_RATE_WINDOW_SECONDS)
    assert "Trop d'envois" in html_of(response)
    assert AccessibilityReport.objects.count() == 2


def test_the_admin_lists_reports_by_age_and_marks_those_unanswered_after_7_days(client):
    now = timezone.now()
    late = AccessibilityReport.objects.create(
        email="a@example.org", message="Vieux", created_at=now - timedelta(days=9)
    )
    recent = AccessibilityReport.objects.create(
        email="b@example.org", message="Récent", created_at=now - timedelta(days=2)
    )
    AccessibilityReport.objects.create(
        email="c@example.org",
        message="Répondu",
        created_at=now - timedelta(days=20),
        answered_at=now - timedelta(days=15),
    )
    client.force_login(make_account("equipe"))
    html = html_of(client.get("/admin/accessibilite/accessibilityreport/"))
    assert html.count("EN RETARD : sans réponse depuis plus de 7 jours") == 1
    assert "9\u00a0jours" in html and "en attente" in html and "répondu le" in html
    html = html_of(client.get("/admin/accessibilite/accessibilityreport/?reponse=retard"))
    assert "a@example.org" in html and "b@example.org" not in html
    client.post(
        "/admin/accessibilite/accessibilityreport/",
        {"action": "mark_answered", "_selected_action": [late.pk, recent.pk]},
    )
    assert not AccessibilityReport.objects.unanswered().exists()


def test_reports_are_anonymised_after_the_retention_period(settings):
    now = timezone.now()
    old = AccessibilityReport.objects.create(
        name="Lou",
        email="lou@example.org",
        page="/documents/",
        message="Ancien",
        created_at=now - timedelta(days=800),
        answered_at=now - timedelta(days=790),
    )
    kept = AccessibilityReport.objects.create(
        email="kept@example.org",
        message="Récent",
        created_at=now - timedelta(days=800),
        answered_at=now - timedelta(days=10),
    )
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "Signalements d'accessibilité anonymisés : 1" in out.getvalue()
    old.refresh_from_db()
    assert (old.name, old.email, old.page, old.message) == ("", "", "", "")
    assert old.created_at and old.answered_at and old.anonymised_at
    kept.refresh_from_db()
    assert kept.email == "kept@example.org"


def test_the_privacy_page_says_who_sees_reports_and_for_how_long(client):
    html = html_of(client.get("/confidentialite/"))
    row = re.search(r'<tr id="signalements">(.*?)</tr>', html, re.S).group(1)
    assert "l'équipe du projet de territoire, qui est seule à le voir" in row
    assert "24 mois après la dernière activité du signalement" in row
