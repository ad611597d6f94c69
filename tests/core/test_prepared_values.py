"""run_prepared_values: a query compiled once per shape gives, with each new id, moment or
slug, the rows the queryset built for them gives; what it cannot put in is refused."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from chantiers.models import Chantier, Meeting
from core import prepared_values
from core.prepared_values import run_prepared_values
from tests.factories import ChantierFactory, MeetingFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_shapes(monkeypatch):
    monkeypatch.setattr(prepared_values, "_shapes", prepared_values.OrderedDict())


def _past(pk, moment):
    return Meeting.objects.for_chantier(pk).past(moment).with_seats_taken()[:3]


def test_each_id_and_moment_gets_the_rows_of_its_own_query():
    now = timezone.now()
    first, second = ChantierFactory(), ChantierFactory()
    for days in (3, 10, 20, 40):
        MeetingFactory(chantier=first, starts_at=now - timedelta(days=days))
    MeetingFactory(chantier=second, starts_at=now - timedelta(days=5))
    session = SessionFactory(starts_at=now - timedelta(days=7))
    session.chantiers.add(second)
    for pk, moment in [
        (first.pk, now),
        (second.pk, now),
        (first.pk, now - timedelta(days=15)),
        (second.pk, now - timedelta(days=6)),
    ]:
        rows = run_prepared_values("past", _past, [pk, moment])
        expected = list(_past(pk, moment))
        assert [m.pk for m in rows] == [m.pk for m in expected]
        assert [m.seats_taken for m in rows] == [m.seats_taken for m in expected]
    assert len(prepared_values._shapes) == 1  # compiled once


def test_a_slug_is_put_in_whole():
    ChantierFactory(slug="epargne-locale", title="Épargne")
    by_slug = lambda slug: Chantier.objects.filter(slug=slug)  # noqa: E731
    assert [c.title for c in run_prepared_values("slug", by_slug, ["epargne-locale"])] == [
        "Épargne"
    ]
    assert run_prepared_values("slug", by_slug, ["l'autre%"]) == []
    assert run_prepared_values("slug", by_slug, ["épargne-locale"]) == []


def test_values_a_lookup_transforms_or_that_have_no_stand_in_are_refused():
    with pytest.raises(ValueError):
        run_prepared_values("in", lambda t: Chantier.objects.filter(title__icontains=t), ["a"])
    with pytest.raises(TypeError):
        run_prepared_values("naive", _past, [1, datetime(2024, 1, 1)])  # noqa: DTZ001
    with pytest.raises(TypeError):
        run_prepared_values("bool", lambda b: Chantier.objects.filter(is_demo=b), [True])


def test_a_day_is_put_in_as_a_date():
    from chantiers.models import Action
    from tests.chantiers.factories import ActionFactory

    today = timezone.localdate()
    ActionFactory(title="Tôt", planned_end_on=today - timedelta(days=10))
    ActionFactory(title="Tard", planned_end_on=today - timedelta(days=2))
    late = lambda day: Action.objects.late(day).order_by("title")  # noqa: E731
    for day in (today, today - timedelta(days=5), today - timedelta(days=30)):
        rows = run_prepared_values("late", late, [day])
        assert [a.title for a in rows] == [a.title for a in late(day)]
    assert [a.title for a in run_prepared_values("late", late, [today])] == ["Tard", "Tôt"]
