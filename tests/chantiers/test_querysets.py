"""Querysets with the démarche's verbs."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from chantiers.models import Chantier, Meeting, MeetingStatus
from tests.factories import ChantierFactory, MeetingFactory, MembershipFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_for_chantier_has_its_intersessions_and_sessions_once_each():
    chantier, other = ChantierFactory(), ChantierFactory()
    own = MeetingFactory(chantier=chantier)
    MeetingFactory(chantier=other)
    session = SessionFactory()
    session.chantiers.add(chantier, other)
    unrelated = SessionFactory()
    unrelated.chantiers.add(other)
    found = list(Meeting.objects.for_chantier(chantier))
    assert sorted(m.pk for m in found) == sorted([own.pk, session.pk])
    assert Meeting.objects.for_chantier(chantier).count() == 2


def test_not_cancelled_and_upcoming_past_split_at_the_end_of_a_meeting():
    now = timezone.now()
    running = MeetingFactory(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1))
    cancelled = MeetingFactory(status=MeetingStatus.CANCELLED)
    assert running in Meeting.objects.upcoming()  # still going on: not past yet
    assert cancelled not in Meeting.objects.not_cancelled()


def test_in_year_uses_paris_time():
    new_year_eve = MeetingFactory(  # 23:30 UTC on 31 December is already 2020 in Paris
        starts_at=datetime(2019, 12, 31, 23, 30, tzinfo=UTC),
        ends_at=datetime(2020, 1, 1, 1, tzinfo=UTC),
    )
    assert list(Meeting.objects.in_year(2020)) == [new_year_eve]
    assert not Meeting.objects.in_year(2019).exists()


def test_as_cards_gives_actor_count_and_next_meeting():
    now = timezone.now()
    chantier, quiet = ChantierFactory(), ChantierFactory()
    MembershipFactory(chantier=chantier)
    MembershipFactory(chantier=chantier)
    MeetingFactory(
        chantier=chantier, starts_at=now + timedelta(days=2), status=MeetingStatus.CANCELLED
    )
    nearest = MeetingFactory(chantier=chantier, starts_at=now + timedelta(days=3))
    MeetingFactory(chantier=chantier, starts_at=now + timedelta(days=9))
    MeetingFactory(
        chantier=chantier, starts_at=now - timedelta(days=9), ends_at=now - timedelta(days=8)
    )
    cards = {c.pk: c for c in Chantier.objects.in_order().as_cards()}
    assert cards[chantier.pk].actor_count == 2
    assert cards[chantier.pk].next_meeting == nearest
    assert cards[quiet.pk].actor_count == 0 and cards[quiet.pk].next_meeting is None


@pytest.mark.parametrize("session_first", [True, False])
def test_as_cards_takes_the_earlier_of_the_next_intersession_and_the_next_session(
    session_first,
):
    now = timezone.now()
    chantier = ChantierFactory()
    intersession = MeetingFactory(
        chantier=chantier, starts_at=now + timedelta(days=5 if session_first else 2)
    )
    session = SessionFactory(starts_at=now + timedelta(days=2 if session_first else 5))
    session.chantiers.add(chantier)
    cancelled = SessionFactory(starts_at=now + timedelta(days=1), status=MeetingStatus.CANCELLED)
    cancelled.chantiers.add(chantier)
    [card] = Chantier.objects.as_cards()
    assert card.next_meeting == (session if session_first else intersession)
