"""What changed in a meeting (old and new, in French), and the calendar SEQUENCE that the
admin raises at each change of date, place or status."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from chantiers.meeting_changes import meeting_changes, record_meeting_edit
from chantiers.models import Meeting, MeetingStatus, Registration, RegistrationStatus
from tests.chantiers.admin_helpers import meeting_change_data
from tests.chantiers.factories import RegistrationFactory
from tests.factories import MeetingFactory
from tests.mail import deliver

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def _copy(meeting):
    return Meeting.objects.select_related("rescheduled_to").get(pk=meeting.pk)


@pytest.fixture
def evening():
    starts_at = timezone.make_aware(timezone.datetime(2031, 3, 11, 18, 30))
    return MeetingFactory(
        title="Intersession de mars",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2, minutes=30),
        place_name="Salle des fêtes",
        place_commune="Figeac",
    )


def test_no_change_no_subject(evening):
    after = _copy(evening)
    after.agenda = "Un autre ordre du jour"  # not what calendars must be told
    assert meeting_changes(evening, after) == []


def test_date_place_and_status_changes_side_by_side(evening):
    after = _copy(evening)
    after.starts_at += timedelta(days=7, hours=-1)
    after.ends_at += timedelta(days=7)
    after.place_name, after.place_commune = "Foyer rural", "Cajarc"
    after.status = MeetingStatus.CANCELLED
    changes = [(c.field, c.label, c.old, c.new) for c in meeting_changes(evening, after)]
    assert changes == [
        ("statut", "Statut", "Prévue", "Annulée"),
        (
            "date",
            "Date et heure",
            f"mardi 11{NBSP}mars 2031, 18{NBSP}h{NBSP}30{NBSP}– 21{NBSP}h",
            f"mardi 18{NBSP}mars 2031, 17{NBSP}h{NBSP}30{NBSP}– 21{NBSP}h",
        ),
        ("lieu", "Lieu", "Salle des fêtes, Figeac", "Foyer rural, Cajarc"),
    ]


def test_postponed_to_a_new_date_and_online(evening):
    new_date = MeetingFactory(
        starts_at=evening.starts_at + timedelta(weeks=2),
        ends_at=evening.ends_at + timedelta(weeks=2),
    )
    after = _copy(evening)
    after.status, after.rescheduled_to = MeetingStatus.POSTPONED, new_date
    after.attendance_mode, after.video_url = "sur_place_et_en_ligne", "https://visio.example.org/a"
    changes = {c.field: (c.old, c.new) for c in meeting_changes(evening, after)}
    assert changes == {
        "statut": ("Prévue", "Reportée"),
        "participation": ("Sur place", "Sur place et en ligne"),
        "visio": ("Aucun", "https://visio.example.org/a"),
        "nouvelle_date": (
            "Non annoncée",
            f"mardi 25{NBSP}mars 2031, 18{NBSP}h{NBSP}30{NBSP}– 21{NBSP}h",
        ),
    }


def test_record_meeting_edit_raises_the_sequence_only_for_what_calendars_show(evening):
    assert record_meeting_edit(meeting=evening, before=None) == []
    assert evening.sequence == 0
    after = _copy(evening)
    after.agenda = "Autre chose"
    assert record_meeting_edit(meeting=after, before=evening) == []
    assert after.sequence == 0
    after.place_commune = "Gramat"
    [change] = record_meeting_edit(meeting=after, before=evening)
    assert change.field == "lieu" and after.sequence == 1


# ---- Through the admin ----


def _round_meeting(**fields):
    """A meeting at 18:00 in ten days, as the admin's form writes it back.

    A fixed hour, so that moving its start to 17:00 keeps it before its end whatever
    the hour the test runs at.
    """
    day = timezone.localtime() + timedelta(days=10)
    starts_at = day.replace(hour=18, minute=0, second=0, microsecond=0)
    return MeetingFactory(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), **fields)


def _text(response):
    return response.content.decode().replace("&#x27;", "'")


def _change_url(meeting):
    return f"/admin/chantiers/intersession/{meeting.pk}/change/"


def test_the_admin_raises_the_sequence_on_a_change_of_date_place_or_status(admin_client):
    meeting = _round_meeting()
    last_modified = meeting.updated_at
    data = meeting_change_data(meeting, agenda="Nouvel ordre du jour")
    assert admin_client.post(_change_url(meeting), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.sequence == 0 and meeting.updated_at > last_modified
    for change in (
        {"place_commune": "Souillac"},
        {"starts_at_1": "17:00"},
        {"status": MeetingStatus.CANCELLED},
    ):
        before = meeting.sequence
        response = admin_client.post(_change_url(meeting), meeting_change_data(meeting, **change))
        assert response.status_code == 302, response.context["adminform"].form.errors
        meeting.refresh_from_db()
        assert meeting.sequence == before + 1, change
    assert meeting.sequence == 3


def test_a_new_date_is_given_only_to_a_postponed_meeting(admin_client):
    meeting = _round_meeting()
    later = MeetingFactory(starts_at=meeting.starts_at + timedelta(weeks=2))
    response = admin_client.post(
        _change_url(meeting), meeting_change_data(meeting, rescheduled_to=str(later.pk))
    )
    assert response.status_code == 200
    assert "Une nouvelle date ne se donne qu'à une réunion reportée" in _text(response)
    response = admin_client.post(
        _change_url(meeting),
        meeting_change_data(meeting, rescheduled_to=str(later.pk), status="reportee"),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.rescheduled_to == later and meeting.sequence == 1


def test_a_video_link_needs_an_online_meeting(admin_client):
    meeting = _round_meeting()
    data = meeting_change_data(meeting, video_url="https://visio.example.org/x")
    response = admin_client.post(_change_url(meeting), data)
    assert response.status_code == 200
    assert "Un lien de visioconférence ne sert qu'à une réunion en ligne" in _text(response)
    data["attendance_mode"] = "en_ligne"
    assert admin_client.post(_change_url(meeting), data).status_code == 302


def test_the_accessibility_fields_say_non_renseigne_by_default(admin_client):
    html = admin_client.get("/admin/chantiers/intersession/add/").content.decode()
    select = html.split('name="step_free_access"')[1].split("</select>")[0]
    assert '<option value="unknown" selected>Non renseigné</option>' in select
    assert '<option value="true">Oui</option>' in select


def test_more_seats_in_the_admin_move_the_waiting_list_up(admin_client):
    meeting = _round_meeting(registration_open=True, capacity=1)
    RegistrationFactory(meeting=meeting)
    first = RegistrationFactory(meeting=meeting, status=RegistrationStatus.WAITING)
    second = RegistrationFactory(meeting=meeting, status=RegistrationStatus.WAITING)
    data = meeting_change_data(meeting, registration_open="on", capacity="2")
    assert admin_client.post(_change_url(meeting), data).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.is_waiting and first.promoted_at is not None
    assert second.is_waiting
    deliver()
    [email] = mail.outbox
    assert email.to == [first.email]
    assert email.subject == f"Une place s'est libérée : {meeting.title}"
    assert Registration.objects.seated().filter(meeting=meeting).count() == 2
