from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from chantiers.models import Intersession, Meeting, MeetingKind, Session
from chantiers.models.meeting_queries import LONGEST_MEETING
from tests.factories import ChantierFactory, MeetingFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_an_intersession_without_chantier_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        MeetingFactory(kind=MeetingKind.INTERSESSION, chantier=None)


def test_a_session_needs_no_chantier():
    session = SessionFactory()
    assert session.chantier is None


def test_proxies_split_sessions_and_intersessions():
    SessionFactory()
    MeetingFactory()
    assert Session.objects.count() == 1
    assert Intersession.objects.count() == 1
    created = Intersession.objects.create(
        title="Soirée",
        slug="soiree",
        chantier=ChantierFactory(),
        starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    assert created.kind == MeetingKind.INTERSESSION


def test_upcoming_and_past():
    now = timezone.now()
    past = MeetingFactory(
        starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=3, hours=-2)
    )
    soon = MeetingFactory(
        starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=2)
    )
    later = MeetingFactory(
        starts_at=now + timedelta(days=9), ends_at=now + timedelta(days=9, hours=2)
    )
    assert list(Meeting.objects.upcoming()) == [soon, later]
    assert list(Meeting.objects.past()) == [past]


def test_a_meeting_under_way_is_upcoming_until_its_end_however_long_it_lasts():
    now = timezone.now()
    longest = MeetingFactory(starts_at=now - LONGEST_MEETING, ends_at=now + timedelta(hours=1))
    evening = MeetingFactory(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1))
    over = MeetingFactory(starts_at=now - timedelta(days=20), ends_at=now - timedelta(days=19))
    assert list(Meeting.objects.upcoming(now)) == [longest, evening]
    assert list(Meeting.objects.past(now)) == [over]
    assert list(Meeting.objects.past(now + timedelta(hours=2))) == [evening, longest, over]


def test_a_meeting_lasts_at_most_fourteen_days():
    now = timezone.now()
    meeting = MeetingFactory.build(
        chantier=ChantierFactory(), starts_at=now, ends_at=now + LONGEST_MEETING
    )
    meeting.full_clean()
    meeting.ends_at += timedelta(minutes=1)
    with pytest.raises(ValidationError) as refused:
        meeting.full_clean()
    assert refused.value.message_dict == {
        "ends_at": ["Une réunion dure au plus 14 jours : au-delà, créez-en plusieurs."]
    }


def test_edits_through_the_proxies_are_kept_in_the_history_outside_the_admin_too():
    # Commands and the shell save Sessions and Intersessions too; the history is on Meeting.
    session = Session.objects.get(pk=SessionFactory().pk)
    session.title = "Session renommée"
    session.save()
    intersession = Intersession.objects.get(pk=MeetingFactory().pk)
    intersession_pk = intersession.pk
    intersession.delete()
    assert Meeting.history.filter(id=session.pk).latest().title == "Session renommée"
    assert Meeting.history.filter(id=session.pk).latest().history_type == "~"
    assert Meeting.history.filter(id=intersession_pk).latest().history_type == "-"
