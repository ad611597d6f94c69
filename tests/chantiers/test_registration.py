"""« Je participe »: registering to an intersession open to the public, on its page and on
its chantier's page, with and without htmx; seats, full and closed meetings; the
confirmation email with its .ics; the honeypot and the rate limit (the cancel link and
the chantier page: test_registration_pages.py)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from icalendar import Calendar

from chantiers.models import MeetingStatus, Registration, RegistrationStatus
from tests.chantiers.factories import RegistrationFactory
from tests.chantiers.participation import (  # noqa: F401
    HTMX,
    _empty_cache,
    html_of,
    registration_data,
)
from tests.chantiers.participation import (
    post_registration as post,
)
from tests.factories import MeetingFactory, SessionFactory
from tests.mail import deliver

pytestmark = pytest.mark.django_db


# ---- The box on the meeting page ----


def test_open_meeting_page_offers_je_participe_with_seats_left(client, meeting):
    RegistrationFactory(meeting=meeting)
    html = html_of(client.get(meeting.get_absolute_url()))
    assert '<h2 id="je-participe-titre">Je participe</h2>' in html
    assert "Il reste <strong>2 places</strong> sur 3." in html
    assert 'action="/agenda/printemps/inscription/#je-participe"' in html
    assert 'data-hx-post="/agenda/printemps/inscription/"' in html
    consent = re.search(r'<input type="checkbox" name="consent"[^>]*>', html).group(0)
    assert "checked" not in consent
    assert '<a href="/confidentialite/">' in html
    assert 'name="site_internet"' in html
    assert 'Je participe<span class="visually-hidden"> à « Intersession de printemps »' in html


def test_meeting_without_limit_says_entree_libre(client, meeting):
    meeting.capacity = None
    meeting.save()
    RegistrationFactory.create_batch(5, meeting=meeting)
    html = html_of(client.get(meeting.get_absolute_url()))
    assert "Entrée libre, sur inscription." in html
    assert "<form" in html.split('<h2 id="je-participe-titre">')[1]


def test_meeting_not_open_to_the_public_has_no_registration(client):
    meeting = MeetingFactory()
    html = html_of(client.get(meeting.get_absolute_url()))
    assert "Je participe" not in html
    assert post(client, meeting).status_code == 404
    assert Registration.objects.count() == 0


def test_only_an_intersession_can_be_opened_to_the_public():
    session = SessionFactory.build(registration_open=True)
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "Seule une intersession peut être ouverte au public" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(registration_open=True)


def test_full_meeting_says_so_and_offers_the_waiting_list(client, meeting):
    RegistrationFactory.create_batch(3, meeting=meeting)
    RegistrationFactory(meeting=meeting, cancelled_at=timezone.now())  # frees its seat
    RegistrationFactory(meeting=meeting, status=RegistrationStatus.WAITING)
    html = html_of(client.get(meeting.get_absolute_url()))
    section = html.split('<h2 id="je-participe-titre">')[1].split("</section>")[0]
    assert (
        "Cette intersession est complète : toutes les places (3) sont prises. "
        "1 personne attend déjà une place." in section
    )
    assert "Inscrivez-vous sur la liste d'attente" in section
    assert 'action="/agenda/printemps/inscription/#je-participe"' in section
    assert (
        "M'inscrire sur la liste d'attente"
        '<span class="visually-hidden"> de « Intersession de printemps »' in section
    )
    assert "Je participe<span" not in section


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"starts_at": -1}, "la réunion a commencé"),
        ({"status": MeetingStatus.CANCELLED}, "la réunion est annulée"),
        ({"status": MeetingStatus.POSTPONED}, "la réunion est reportée"),
        ({"starts_at": -30}, ""),
    ],
    ids=["commencee", "annulee", "reportee", "passee"],
)
def test_registration_closes_when_the_meeting_starts_or_is_called_off(
    client, meeting, change, reason
):
    if "starts_at" in change:
        meeting.starts_at = timezone.now() + timedelta(hours=change["starts_at"])
        meeting.ends_at = (
            meeting.starts_at + timedelta(hours=2)
            if change["starts_at"] == -1
            else (meeting.starts_at + timedelta(hours=1))
        )
    else:
        meeting.status = change["status"]
    meeting.save()
    html = html_of(client.get(meeting.get_absolute_url()))
    assert "Les inscriptions sont closes" in html
    if reason:
        assert f"Les inscriptions sont closes : {reason}." in html
    for htmx in (False, True):
        response = post(client, meeting, htmx=htmx)
        assert response.status_code == 200
        assert "Votre inscription n'a pas été enregistrée : Les inscriptions sont closes" in (
            html_of(response)
        )
    assert Registration.objects.count() == 0
    deliver()
    assert mail.outbox == []


def test_closing_is_exactly_at_the_start(meeting):
    now = meeting.starts_at
    assert meeting.registration_state(seats_taken=0, now=now - timedelta(seconds=1)) == "ouverte"
    assert meeting.registration_state(seats_taken=0, now=now) == "close"
    assert meeting.registration_state(seats_taken=3, now=now - timedelta(seconds=1)) == "complete"


# ---- Posting « Je participe » ----


def test_registration_without_javascript_stores_mails_and_redirects(client, meeting):
    response = post(client, meeting)
    assert response.status_code == 302
    assert response["Location"] == "/agenda/printemps/inscription/merci/"
    registration = Registration.objects.get()
    assert (registration.name, registration.email) == ("Louis Bernard", "louis.bernard@example.org")
    assert registration.meeting == meeting
    assert registration.consented_at is not None and registration.cancelled_at is None
    assert len(registration.cancel_token) >= 32
    done = html_of(client.get(response["Location"]))
    assert "<h1>Vérifiez vos courriels</h1>" in done
    assert "Il reste" not in done


def test_registration_with_htmx_swaps_in_the_answer(client, meeting):
    response = post(client, meeting, htmx=True)
    html = html_of(response)
    assert response.status_code == 200
    assert "<html" not in html and "<h2" not in html
    assert "C'est noté : vérifiez vos courriels." in html
    assert "data-swap-focus" in html
    assert "HX-Request" in response["Vary"]
    assert Registration.objects.count() == 1


@pytest.mark.parametrize("htmx", [False, True], ids=["sans-js", "htmx"])
def test_the_answer_is_the_same_for_a_new_a_registered_and_a_waiting_address(client, meeting, htmx):
    """A known address gets the page a new one gets: no other redirect, no position, no
    seat count that would not drop. Only its email says where it stands."""
    RegistrationFactory(meeting=meeting, email="deja@example.org")
    RegistrationFactory.create_batch(2, meeting=meeting)
    RegistrationFactory(
        meeting=meeting, email="attend@example.org", status=RegistrationStatus.WAITING
    )
    answers = []
    for address in ("deja@example.org", "attend@example.org", "nouvelle@example.org"):
        response = post(client, meeting, htmx=htmx, email=address)
        if htmx:
            answers.append((response.status_code, html_of(response)))
        else:
            answers.append((response.status_code, response["Location"]))
    assert answers[0] == answers[1] == answers[2]
    page = answers[0][1] if htmx else html_of(client.get(answers[0][1]))
    assert "vérifiez vos courriels" in page.lower()
    assert "position" not in page and "Il reste" not in page
    assert Registration.objects.count() == 5  # the newcomer only, on the waiting list
    deliver()
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert "Votre adresse était déjà inscrite" in by_address["deja@example.org"]
    assert "déjà sur la liste d'attente" in by_address["attend@example.org"]
    assert "vous êtes en position 1" in by_address["attend@example.org"]
    assert "en position 2" in by_address["nouvelle@example.org"]


def test_a_known_address_gets_one_confirmation_a_day_however_often_it_is_posted(
    client, meeting, settings
):
    settings.PORTAL_FORM_RATE_LIMIT = 0
    for _ in range(30):
        post(client, meeting, email="louis.bernard@example.org")
    deliver()
    assert [m.to for m in mail.outbox] == [["louis.bernard@example.org"]]
    assert mail.outbox[0].subject == "Inscription confirmée : Intersession de printemps"
    # The next day, one more: where it stands, again.
    from chantiers import services

    tomorrow = timezone.now() + timedelta(days=1)
    services.register(meeting.pk, name="Louis", email="louis.bernard@example.org", now=tomorrow)
    deliver()
    assert len(mail.outbox) == 2
    assert "Votre adresse était déjà inscrite" in mail.outbox[1].body


@pytest.mark.parametrize("htmx", [False, True], ids=["sans-js", "htmx"])
def test_a_post_to_a_full_meeting_goes_on_the_waiting_list(client, meeting, htmx):
    RegistrationFactory.create_batch(3, meeting=meeting)
    RegistrationFactory(meeting=meeting, status=RegistrationStatus.WAITING)
    response = post(client, meeting, htmx=htmx)
    registration = Registration.objects.get(email="louis.bernard@example.org")
    assert registration.status == RegistrationStatus.WAITING
    assert Registration.objects.seated().count() == 3
    if htmx:
        html = html_of(response)
        assert "C'est noté : vérifiez vos courriels." in html
        assert "data-swap-focus" in html
    else:
        assert response.status_code == 302
        assert response["Location"] == "/agenda/printemps/inscription/merci/"
        html = html_of(client.get(response["Location"]))
        assert "<h1>Vérifiez vos courriels</h1>" in html
        assert "evenement.ics" not in html.split("<h1>")[1]
    deliver()
    [email] = mail.outbox
    assert email.subject == "Liste d'attente : Intersession de printemps"
    assert "vous êtes sur la liste d'attente, en position 2." in email.body
    assert "Quittez la liste d'attente :" in email.body
    assert registration.get_cancel_url() in email.body
    assert email.attachments == []  # no seat yet: no event to add


def test_the_confirmation_email_has_the_meeting_the_cancel_link_and_the_ics(
    client, meeting, settings
):
    settings.PORTAL = {**settings.PORTAL, "SITE_URL": "https://projet.example.fr"}
    post(client, meeting)
    registration = Registration.objects.get()
    deliver()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["louis.bernard@example.org"]
    assert email.subject == "Inscription confirmée : Intersession de printemps"
    assert email.reply_to == ["developpement@petr-fqvd.fr"]
    assert "Bonjour Louis Bernard," in email.body
    assert "Chantier : Dessine-moi ton agriculture !" in email.body
    assert "Salle des fêtes, Figeac" in email.body
    assert "https://projet.example.fr/agenda/printemps/" in email.body
    cancel_url = (
        f"https://projet.example.fr/agenda/printemps/desinscription/{registration.cancel_token}/"
    )
    assert cancel_url in email.body
    [(filename, content, mimetype)] = email.attachments
    assert filename == "printemps.ics"
    assert mimetype == "text/calendar"
    calendar = Calendar.from_ical(content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    message = email.message()
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_params() == [("text/calendar", ""), ("charset", "utf-8")]
    assert 'filename="printemps.ics"' in part["Content-Disposition"]
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Intersession de printemps"
    assert str(event["UID"]) == meeting.uid
    assert event.decoded("DTSTART") == meeting.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") == meeting.ends_at.replace(microsecond=0)
    assert str(event["LOCATION"]) == "Salle des fêtes, Figeac"
    assert str(event["URL"]) == "https://projet.example.fr/agenda/printemps/"
    assert calendar.walk("VTIMEZONE"), "the time zone travels with the event"


def test_the_same_address_gets_no_second_seat(client, meeting):
    post(client, meeting)
    response = post(client, meeting, htmx=True, email="Louis.Bernard@Example.org", name="Louis")
    assert "vérifiez vos courriels" in html_of(response)
    assert Registration.objects.count() == 1
    deliver()
    assert [m.to for m in mail.outbox] == [["louis.bernard@example.org"]]


INVALID = [
    ("name", {"name": ""}, "Indiquez votre nom et votre prénom."),
    ("name", {"name": "Louis\r\nBernard"}, "Écrivez-le sur une seule ligne."),
    ("email", {"email": ""}, "Indiquez votre adresse électronique."),
    ("email", {"email": "louis@@example"}, "Indiquez une adresse électronique valide"),
    ("consent", {"consent": None}, "enregistrer votre inscription."),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["sans-js", "htmx"])
@pytest.mark.parametrize(("field", "change", "message"), INVALID)
def test_each_invalid_field_is_shown_beside_it(client, meeting, field, change, message, htmx):
    response = post(client, meeting, htmx=htmx, **change)
    html = html_of(response)
    assert response.status_code == 200
    assert Registration.objects.count() == 0
    deliver()
    assert mail.outbox == []
    field_id = f"inscription-{meeting.pk}-{field}"
    assert f'<p class="field-error" id="{field_id}_error">' in html
    assert message in html.split(f'id="{field_id}_error">')[1].split("</p>")[0]
    tag = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in tag and "data-swap-focus" in tag
    assert f"{field_id}_error" in re.search(r'aria-describedby="([^"]*)"', tag).group(1)
    assert f'href="#{field_id}"' in html.split('class="error-summary" role="alert"')[1]
    assert html.count('aria-invalid="true"') == 1
    if htmx:
        assert "<html" not in html
    else:
        assert "<title>Erreur – Intersession de printemps" in html
        assert html.count("<h1") == 1
    # What was typed is still there.
    if field != "email":
        assert 'value="louis.bernard@example.org"' in html


@pytest.mark.parametrize("htmx", [False, True], ids=["sans-js", "htmx"])
def test_honeypot_refuses_the_registration(client, meeting, htmx):
    response = post(client, meeting, htmx=htmx, site_internet="x")
    assert response.status_code == 400
    html = html_of(response)
    assert "Envoi refusé" in html and 'value="Louis Bernard"' in html
    assert Registration.objects.count() == 0
    deliver()
    assert mail.outbox == []


@pytest.mark.parametrize("htmx", [False, True], ids=["sans-js", "htmx"])
def test_rate_limit_refuses_with_429(client, meeting, settings, htmx):
    settings.PORTAL_FORM_RATE_LIMIT = 1
    settings.PORTAL_FORM_RATE_WINDOW_SECONDS = 600
    post(client, meeting, htmx=htmx)
    response = post(client, meeting, htmx=htmx, email="autre@example.org")
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    html = html_of(response)
    assert "Trop d'envois" in html and "Réessayez dans 10 minutes" in html
    assert 'value="autre@example.org"' in html
    assert Registration.objects.count() == 1
    deliver()
    assert len(mail.outbox) == 1


def test_get_on_the_registration_address_goes_back_to_the_meeting(client, meeting):
    response = client.get(meeting.get_register_url())
    assert response.status_code == 302
    assert response["Location"] == "/agenda/printemps/#je-participe"
