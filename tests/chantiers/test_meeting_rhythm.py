"""The domain's meeting helpers (next date, address) and the demo content that uses them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from chantiers import demo
from chantiers.models import Meeting, next_occurrence, unique_meeting_slug
from tests.factories import MeetingFactory

PARIS = ZoneInfo("Europe/Paris")


def test_next_occurrence_keeps_weekday_and_hour_and_lands_after_now():
    tuesday = datetime(2024, 1, 9, 18, 30, tzinfo=PARIS)
    now = datetime(2024, 3, 1, tzinfo=PARIS)
    following = next_occurrence(tuesday, now=now)
    assert following == datetime(2024, 3, 5, 18, 30, tzinfo=PARIS)
    assert next_occurrence(tuesday, now=tuesday) == tuesday + timedelta(weeks=4)


def test_unique_meeting_slug_numbers_a_taken_address():
    starts = datetime(2024, 3, 5, 18, 30, tzinfo=PARIS)
    base = "intersession-de-l-ecosysteme-2024-03-05"
    assert unique_meeting_slug("Intersession de l'écosystème", starts, taken=set()) == base
    taken = {base, f"{base}-2"}
    assert unique_meeting_slug("Intersession de l'écosystème", starts, taken=taken) == f"{base}-3"


@pytest.mark.django_db
def test_unique_meeting_slug_asks_the_database_by_default():
    MeetingFactory(slug="reunion-publique")
    assert unique_meeting_slug("Réunion publique") == "reunion-publique-2"


@pytest.mark.django_db
def test_demo_intersessions_come_back_every_four_weeks():
    MeetingFactory(slug="intersession-n-1-agriculture")  # a real meeting, left as it is
    demo.load()
    now = timezone.now()
    upcoming = Meeting.objects.intersessions().upcoming(now).filter(is_demo=True)
    assert upcoming.exists()
    for meeting in upcoming:
        previous = (
            Meeting.objects.intersessions()
            .filter(is_demo=True, chantier=meeting.chantier, starts_at__lt=meeting.starts_at)
            .latest("starts_at")
        )
        gap = timezone.localtime(meeting.starts_at) - timezone.localtime(previous.starts_at)
        assert gap.days % 28 == 0
        assert (
            timezone.localtime(meeting.starts_at).time()
            == timezone.localtime(previous.starts_at).time()
        )
    slugs = list(Meeting.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs))
    assert Meeting.objects.filter(slug="intersession-n-1-agriculture", is_demo=False).exists()
