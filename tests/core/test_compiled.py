"""compiled_rows runs a queryset compiled once per shape with new values, and gives the
rows the queryset itself gives."""

from datetime import timedelta

import pytest
from django.db.models import Prefetch, Value
from django.utils import timezone

from chantiers.models import Chantier, Meeting
from core import compiled
from core.compiled import compiled_rows
from tests.factories import ChantierFactory, MeetingFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _by_chantier_since(pk, since):
    return (
        Meeting.objects.select_related("chantier")
        .filter(chantier=pk, starts_at__gte=since)
        .with_seats_taken()
        .order_by("starts_at")
    )


def test_rows_are_those_of_the_queryset_for_each_new_value(django_assert_num_queries):
    first, second = ChantierFactory(), ChantierFactory()
    now = timezone.now()
    meetings = [
        MeetingFactory(chantier=chantier, starts_at=now + timedelta(days=days))
        for chantier in (first, second)
        for days in (-3, 2, 5)
    ]
    builds = []

    def build(pk, since):
        builds.append((pk, since))
        return _by_chantier_since(pk, since)

    for chantier, since in [(first, now), (second, now), (second, now - timedelta(days=9))]:
        with django_assert_num_queries(1):
            rows = compiled_rows("test: by chantier since", build, chantier.pk, since)
        assert rows == list(_by_chantier_since(chantier.pk, since))
        assert rows and all(row.chantier == chantier for row in rows)
        assert all(row.seats_taken == 0 for row in rows)
    assert len(rows) == 3 and set(rows) <= set(meetings)
    # Built twice (two sets of stand-ins) for the first call, never again.
    assert len(builds) == 2
    assert all(pk < 0 for pk, _ in builds)


def test_strings_are_put_in_as_parameters():
    ChantierFactory(title="Épargne", slug="epargne")
    ChantierFactory(title="Mobilités", slug="mobilites")
    for slug in ("epargne", "mobilites", "nowhere", "a'b%"):
        rows = compiled_rows("test: by slug", lambda s: Chantier.objects.filter(slug=s), slug)
        assert [c.slug for c in rows] == ([slug] if slug in ("epargne", "mobilites") else [])


def test_a_value_the_query_does_not_use_is_refused():
    with pytest.raises(ValueError, match="not in the query's parameters"):
        compiled_rows("test: unused", lambda pk: Chantier.objects.all(), 1)


def test_a_value_written_in_the_sql_text_is_refused():
    # A slice's bounds are written in the SQL (LIMIT), not passed as parameters.
    with pytest.raises(ValueError):
        compiled_rows("test: slice", lambda n: Chantier.objects.filter(pk__gt=n)[:-n], 3)


def test_the_shapes_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(compiled, "MAX_SHAPES", 2)
    monkeypatch.setattr(compiled, "_shapes", type(compiled._shapes)())
    for index in range(4):
        compiled_rows(("test: bounded", index), lambda pk: Chantier.objects.filter(pk=pk), 1)
    assert len(compiled._shapes) == 2


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
        rows = compiled_rows("test: past", _past, pk, moment)
        expected = list(_past(pk, moment))
        assert [m.pk for m in rows] == [m.pk for m in expected]
        assert [m.seats_taken for m in rows] == [m.seats_taken for m in expected]


def test_a_slug_with_hyphens_or_quotes_is_put_in_whole():
    ChantierFactory(slug="epargne-locale", title="Épargne")
    by_slug = lambda slug: Chantier.objects.filter(slug=slug)  # noqa: E731
    found = compiled_rows("test: slug", by_slug, "epargne-locale")
    assert [c.title for c in found] == ["Épargne"]
    assert compiled_rows("test: slug", by_slug, "l'autre%") == []
    assert compiled_rows("test: slug", by_slug, "épargne-locale") == []


def test_a_day_is_put_in_as_a_date():
    from chantiers.models import Action
    from tests.chantiers.factories import ActionFactory

    today = timezone.localdate()
    ActionFactory(title="Tôt", planned_end_on=today - timedelta(days=10))
    ActionFactory(title="Tard", planned_end_on=today - timedelta(days=2))
    late = lambda day: Action.objects.late(day).order_by("title")  # noqa: E731
    for day in (today, today - timedelta(days=5), today - timedelta(days=30)):
        rows = compiled_rows("test: late", late, day)
        assert [a.title for a in rows] == [a.title for a in late(day)]
    assert [a.title for a in compiled_rows("test: late", late, today)] == ["Tard", "Tôt"]


def test_a_boolean_has_no_stand_in():
    with pytest.raises(TypeError):
        compiled_rows("test: bool", lambda b: Chantier.objects.filter(is_demo=b), True)


def test_a_compiled_prefetch_gives_what_prefetch_related_gives(django_assert_num_queries):
    from chantiers.models import EcosystemMembership
    from core.compiled import compiled_prefetch
    from tests.factories import MembershipFactory

    chantiers = [ChantierFactory(), ChantierFactory(), ChantierFactory()]
    for chantier, count in zip(chantiers, (2, 0, 3), strict=True):
        for _ in range(count):
            MembershipFactory(chantier=chantier)

    def build(*pks):
        return EcosystemMembership.objects.filter(chantier__in=pks).order_by("-pk")

    for listed in (chantiers, chantiers[1:], chantiers):
        rows = list(Chantier.objects.filter(pk__in=[c.pk for c in listed]).order_by("pk"))
        with django_assert_num_queries(1):
            compiled_prefetch("test: memberships", rows, "memberships", build)
        expected = Chantier.objects.filter(pk__in=[c.pk for c in listed]).order_by("pk")
        expected = expected.prefetch_related(
            Prefetch("memberships", queryset=EcosystemMembership.objects.order_by("-pk"))
        )
        with django_assert_num_queries(0):
            found = [list(row.memberships.all()) for row in rows]
            assert all(m.chantier is row for row, ms in zip(rows, found, strict=True) for m in ms)
        assert found == [list(row.memberships.all()) for row in expected]
        assert [len(f) for f in found] == [len(list(c.memberships.all())) for c in listed]


def test_a_compiled_prefetch_is_for_the_reverse_of_a_foreign_key_only():
    from core.compiled import compiled_prefetch

    meetings = [MeetingFactory()]
    with pytest.raises(TypeError, match="not the reverse of a foreign key"):
        compiled_prefetch("test: forward", meetings, "chantier", Chantier.objects.filter)
    compiled_prefetch("test: none", [], "memberships", Chantier.objects.filter)  # nothing to do


def test_a_builders_prefetch_of_a_reverse_foreign_key_is_compiled_with_it(
    django_assert_num_queries,
):
    from chantiers.models import EcosystemMembership
    from tests.factories import MembershipFactory

    first, second = ChantierFactory(), ChantierFactory()
    for chantier, count in ((first, 2), (second, 1)):
        for _ in range(count):
            MembershipFactory(chantier=chantier)
    meeting = SessionFactory(chantier=None)
    meeting.chantiers.add(first)

    def build(pk):
        return (
            Chantier.objects.filter(pk__gte=pk)
            .order_by("pk")
            .prefetch_related(
                Prefetch("memberships", queryset=EcosystemMembership.objects.order_by("-pk")),
                "sessions",  # a many-to-many: Django's own prefetch
            )
        )

    for pk in (first.pk, second.pk):
        with django_assert_num_queries(3):
            rows = compiled_rows("test: prefetching", build, pk)
        with django_assert_num_queries(0):
            found = [(list(r.memberships.all()), list(r.sessions.all())) for r in rows]
        assert found == [(list(r.memberships.all()), list(r.sessions.all())) for r in build(pk)]
    # The prefetch of the memberships has a shape of its own, under the builder's key;
    # the sessions' (a many-to-many) has none.
    prefetched = [
        key[2][0]
        for key in compiled._shapes
        if isinstance(key[2], tuple) and isinstance(key[2][0], tuple) and len(key[2][0]) == 3
    ]
    names = {name for parent, _, name in prefetched if parent[2] == "test: prefetching"}
    assert names == {"memberships"}


def test_a_prefetch_holding_a_value_of_the_builder_is_refused():
    from chantiers.models import EcosystemMembership

    def build(pk, since):
        above = EcosystemMembership.objects.filter(pk__gt=since).order_by("pk")
        # `since` is in the main query too (every value must be), as an annotation.
        return (
            Chantier.objects.filter(pk=pk)
            .annotate(since=Value(since))
            .prefetch_related(Prefetch("memberships", above))
        )

    # It would be run with the stand-ins of the values: refused when the shape is built.
    with pytest.raises(ValueError, match="prefetch's queryset holds a value"):
        compiled_rows("test: prefetch with a value", build, ChantierFactory().pk, 0)


def test_compiled_object_or_404_gives_the_row_or_a_404_with_its_message():
    from django.http import Http404

    from core.compiled import compiled_object_or_404

    chantier = ChantierFactory(slug="vergers")

    def build(slug):
        return Chantier.objects.filter(slug=slug)

    assert compiled_object_or_404("test: one", build, "vergers", message="Non.") == chantier
    with pytest.raises(Http404, match="Aucun chantier ici."):
        compiled_object_or_404("test: one", build, "nulle-part", message="Aucun chantier ici.")
