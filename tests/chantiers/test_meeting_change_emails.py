"""A meeting changed in the admin reaches the people who plan to come: its registrants (with
a seat or waiting, not those who cancelled) and the followers of its chantier, each once,
with what changed old and new side by side and, for those with a seat, the updated .ics
(read by ical.js, Thunderbird's parser). Nothing for the agenda's text alone, nothing for
a meeting over. Reminders carry the accessibility of the place and the video link."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from chantiers import services
from chantiers.meeting_changes import FieldChange
from chantiers.models import AttendanceMode, Meeting, MeetingStatus, Rhythm, Subscription
from chantiers.services.meeting_notices import tell_registrants
from core.models import OutboxEmail
from tests.chantiers.admin_helpers import meeting_change_data
from tests.chantiers.factories import OpenIntersessionFactory, RegistrationFactory
from tests.chantiers.test_meeting_feeds import ICAL_JS
from tests.checkers import run_node
from tests.factories import ChantierFactory
from tests.mail import deliver

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NBSP = "\u00a0"
OLD_WHEN = f"mardi 11{NBSP}mars 2031, 18{NBSP}h{NBSP}30{NBSP}– 21{NBSP}h"
SEATED, ALSO_FOLLOWS, WAITING = "anne@example.org", "Paul@Example.org", "lea@example.org"
FOLLOWER, WEEKLY = "suit@example.org", "hebdo@example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.PORTAL = {**settings.PORTAL, "SITE_URL": "http://testserver"}


def _follower(email, chantiers, *, rhythm=Rhythm.IMMEDIATE, **fields):
    subscription = Subscription.objects.create(
        email=email, rhythm=rhythm, confirmed_at=timezone.now(), **fields
    )
    subscription.chantiers.set(chantiers)
    return subscription


@pytest.fixture
def evening():
    """An evening of « Agriculture », two seats taken, one person waiting, one who
    cancelled; followers of its chantier (one of them registered too), and others."""
    chantier = ChantierFactory(title="Dessine-moi ton agriculture !", slug="agriculture")
    starts_at = datetime(2031, 3, 11, 18, 30, tzinfo=PARIS)
    meeting = OpenIntersessionFactory(
        chantier=chantier,
        title="Intersession de mars",
        slug="mars",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2, minutes=30),
        capacity=2,
    )
    RegistrationFactory(meeting=meeting, name="Anne", email=SEATED)
    RegistrationFactory(meeting=meeting, name="Paul", email=ALSO_FOLLOWS)
    RegistrationFactory(meeting=meeting, name="Léa", email=WAITING, status="attente")
    RegistrationFactory(meeting=meeting, email="parti@example.org", cancelled_at=timezone.now())
    _follower(FOLLOWER, [chantier])
    _follower("paul@example.org", [chantier])  # the same person as a registrant
    _follower("parti@example.org", [chantier], wants_meetings=False)
    _follower(WEEKLY, [chantier], rhythm=Rhythm.WEEKLY)
    _follower("ailleurs@example.org", [ChantierFactory(slug="mobilite")])
    return meeting


def _change(admin_client, meeting, **fields):
    response = admin_client.post(
        f"/admin/chantiers/intersession/{meeting.pk}/change/",
        meeting_change_data(meeting, **fields),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting.refresh_from_db()
    deliver()
    return {message.to[0]: message for message in mail.outbox}


def _ics(message):
    [(filename, content, mimetype)] = message.attachments
    assert mimetype.startswith("text/calendar")
    return filename, content


def _read(meeting, content):
    return run_node(ICAL_JS, json.dumps({"f": content}))["f"][meeting.uid]


def test_a_new_time_and_place_reach_registrants_and_followers_once_each(admin_client, evening):
    sent = _change(
        admin_client,
        evening,
        starts_at_1="17:00",
        place_name="Foyer rural",
        place_commune="Cajarc",
    )
    # Those registered, seated or waiting, and the followers « à chaque nouveauté »:
    # not the one who cancelled, not the weekly follower (Monday's digest), not the
    # follower of another chantier; the registrant who also follows gets one email.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([SEATED, ALSO_FOLLOWS, WAITING, FOLLOWER])
    assert evening.sequence == 1
    new_when = f"mardi 11{NBSP}mars 2031, 17{NBSP}h{NBSP}– 21{NBSP}h"
    side_by_side = (
        f"Date et heure :\navant : {OLD_WHEN}\ndésormais : {new_when}\n\n"
        "Lieu :\navant : Salle des fêtes, Figeac\ndésormais : Foyer rural, Cajarc\n"
    )
    for address in (SEATED, ALSO_FOLLOWS, WAITING, FOLLOWER):
        assert side_by_side in sent[address].body, address
    anne = sent[SEATED]
    assert anne.subject == "Réunion modifiée : Intersession de mars"
    assert anne.body.startswith(
        "Bonjour Anne,\n\nLa réunion à laquelle vous êtes inscrit·e change :\n"
    )
    assert "La réunion désormais :\n" + new_when + "\nFoyer rural, Cajarc\n" in anne.body
    assert "Annulez votre inscription pour libérer votre place" in anne.body
    assert "List-Unsubscribe" not in anne.extra_headers  # not a list: their registration
    filename, content = _ics(anne)
    assert filename == "mars.ics"
    read = _read(evening, content)
    assert (read["sequence"], read["status"]) == (1, "CONFIRMED")
    assert read["location"] == "Foyer rural, Cajarc"
    assert read["lastModified"].startswith(
        evening.updated_at.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%S")
    )
    # Waiting: told, but no event for a calendar (no seat yet).
    lea = sent[WAITING]
    assert "pour laquelle vous êtes sur la liste d'attente change" in lea.body
    assert lea.attachments == []
    # The follower: the news, its unsubscribe headers, no .ics.
    news = sent[FOLLOWER]
    assert news.subject == "Réunion modifiée : Intersession de mars"
    assert news.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Ce qui change :" in news.body and news.attachments == []


def test_a_cancelled_meeting_carries_status_cancelled_and_no_cancel_link(admin_client, evening):
    sent = _change(admin_client, evening, status=MeetingStatus.CANCELLED)
    assert sorted(sent) == sorted([SEATED, ALSO_FOLLOWS, WAITING, FOLLOWER])
    anne = sent[SEATED]
    assert anne.subject == "Réunion annulée : Intersession de mars"
    assert "La réunion à laquelle vous êtes inscrit·e est annulée :" in anne.body
    assert "Statut :\navant : Prévue\ndésormais : Annulée\n" in anne.body
    assert "marque la réunion comme annulée" in anne.body
    assert "libérer votre place" not in anne.body  # nothing left to cancel
    read = _read(evening, _ics(anne)[1])
    assert (read["sequence"], read["status"]) == (1, "CANCELLED")
    assert read["summary"] == "Annulée : Intersession de mars"
    assert sent[FOLLOWER].subject == "Réunion annulée : Intersession de mars"


def test_a_postponed_meeting_links_its_new_date(admin_client, evening):
    later = OpenIntersessionFactory(
        chantier=evening.chantier,
        slug="mars-bis",
        starts_at=evening.starts_at + timedelta(weeks=2),
        ends_at=evening.ends_at + timedelta(weeks=2),
    )
    sent = _change(
        admin_client, evening, status=MeetingStatus.POSTPONED, rescheduled_to=str(later.pk)
    )
    anne = sent[SEATED]
    assert anne.subject == "Réunion reportée : Intersession de mars"
    new_date = f"mardi 25{NBSP}mars 2031, 18{NBSP}h{NBSP}30{NBSP}– 21{NBSP}h"
    assert f"Nouvelle date :\navant : Non annoncée\ndésormais : {new_date}\n" in anne.body
    assert "La réunion à sa nouvelle date :\nhttp://testserver/agenda/mars-bis/" in anne.body
    read = _read(evening, _ics(anne)[1])
    assert (read["sequence"], read["status"]) == (1, "TENTATIVE")
    assert f"Cette réunion est reportée au {new_date}." in read["description"]
    assert f"désormais : {new_date}" in sent[FOLLOWER].body
    assert "La réunion à sa nouvelle date :\nhttp://testserver/agenda/mars-bis/" in (
        sent[FOLLOWER].body
    )


def test_the_agenda_text_alone_or_a_save_unchanged_tells_no_one(admin_client, evening):
    _change(admin_client, evening, agenda="- Accueil\n- Un autre atelier")
    _change(admin_client, evening)
    assert mail.outbox == []
    assert evening.sequence == 0


def test_a_change_to_a_meeting_over_or_marked_held_tells_no_one(admin_client, evening):
    over = datetime(2020, 3, 10, 18, 30, tzinfo=PARIS)
    Meeting.objects.filter(pk=evening.pk).update(starts_at=over, ends_at=over + timedelta(hours=2))
    evening.refresh_from_db()
    _change(admin_client, evening, place_name="Foyer rural", participants_count="12")
    _change(admin_client, evening, status=MeetingStatus.HELD)
    assert evening.sequence == 2  # the calendars are still told
    assert OutboxEmail.objects.count() == 0
    assert mail.outbox == []


def test_the_video_link_goes_to_those_with_a_seat_only(admin_client, evening):
    sent = _change(
        admin_client,
        evening,
        attendance_mode=AttendanceMode.MIXED,
        video_url="https://visio.example.org/mars",
    )
    link = "https://visio.example.org/mars"
    assert f"Lien de la visioconférence :\navant : Aucun\ndésormais : {link}" in sent[SEATED].body
    assert "Participation :\navant : Sur place\ndésormais : Sur place et en ligne" in (
        sent[WAITING].body
    )
    assert link not in sent[WAITING].body
    assert link not in sent[FOLLOWER].body
    assert "désormais : Sur place et en ligne" in sent[FOLLOWER].body
    assert link in _read(evening, _ics(sent[SEATED])[1])["description"]


def test_each_version_is_told_once_per_registration(admin_client, evening):
    _change(admin_client, evening, place_name="Foyer rural")
    _change(admin_client, evening, place_name="Maison des associations")
    assert [m.subject for m in mail.outbox if m.to == [SEATED]] == [
        "Réunion modifiée : Intersession de mars"
    ] * 2
    keys = set(OutboxEmail.objects.filter(recipient=SEATED).values_list("key", flat=True))
    registration = evening.registrations.get(email=SEATED)
    assert keys == {f"registration:{registration.pk}:change:{n}" for n in (1, 2)}
    # Told again for the same version (a retry, a double call): nothing more.
    again = FieldChange("lieu", "Lieu", "Foyer rural", evening.place)
    tell_registrants(meeting=evening, changes=[again])
    assert deliver().sent == 0


def test_a_reminder_carries_the_accessibility_and_the_video_link(evening):
    Meeting.objects.filter(pk=evening.pk).update(
        attendance_mode=AttendanceMode.MIXED,
        video_url="https://visio.example.org/mars",
        step_free_access=True,
        hearing_loop=False,
        accessibility_notes="Stationnement réservé devant la salle.",
    )
    in_window = evening.starts_at - timedelta(hours=24)
    assert services.queue_reminders(now=in_window) == 2
    deliver(now=in_window)
    sent = {message.to[0]: message for message in mail.outbox}
    assert sorted(sent) == sorted([SEATED, ALSO_FOLLOWS])  # seated only
    body = sent[SEATED].body
    assert sent[SEATED].subject == "Rappel : Intersession de mars"
    assert "Participation : sur place et en ligne\n" in body
    assert "Lien de la visioconférence : https://visio.example.org/mars\n" in body
    assert (
        "Accessibilité du lieu :\n"
        f"- Accès de plain-pied{NBSP}: oui\n"
        f"- Boucle magnétique{NBSP}: non\n"
        "- Stationnement réservé devant la salle.\n"
    ) in body
    read = _read(evening, _ics(sent[SEATED])[1])
    assert "https://visio.example.org/mars" in read["description"]
    assert "Accès de plain-pied" in read["description"]
