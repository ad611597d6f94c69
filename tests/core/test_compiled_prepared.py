"""On PostgreSQL, each compiled shape is a prepared statement of the connection: the
database parses and plans it once, the page runs EXECUTE with its values."""

from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.db.models import Func, TextField, Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chantiers.models import Chantier, Meeting, PointEtape
from core.compiled import compiled_rows
from tests.chantiers.factories import PointEtapeFactory
from tests.factories import ChantierFactory, MeetingFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's PREPARE"),
]


def _prepared():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements")
        return dict(cursor.fetchall())


def _meetings(pk, since, words):
    return (
        Meeting.objects.select_related("chantier")
        .filter(chantier=pk, starts_at__gte=since, title__icontains=words)
        .order_by("starts_at")
    )


def test_a_shape_runs_as_execute_of_a_statement_prepared_once(django_assert_num_queries):
    chantier = ChantierFactory()
    now = timezone.now()
    for days, title in [(-2, "Verger ancien"), (3, "Verger"), (9, "Visite"), (12, "Verger d'été")]:
        MeetingFactory(chantier=chantier, title=title, starts_at=now + timedelta(days=days))
    for since, words in [(now, "verger"), (now - timedelta(days=5), "verger"), (now, "visite")]:
        # The PREPARE goes through the driver: the page's query count stays the same.
        with django_assert_num_queries(1), CaptureQueriesContext(connection) as queries:
            rows = compiled_rows("test: prepared", _meetings, chantier.pk, since, words)
        assert queries[0]["sql"].startswith("EXECUTE compiled_")
        assert rows == list(_meetings(chantier.pk, since, words))
        assert rows and rows[0].chantier == chantier
    name = queries[0]["sql"].split()[1].split("(")[0]
    assert 'FROM "chantiers_meeting"' in _prepared()[name]


def test_dates_numbers_and_texts_keep_their_meaning_once_prepared():
    old, new = date(2025, 1, 10), date(2026, 6, 1)
    for day in (old, new):
        PointEtapeFactory(date=day, title=f"Point du {day:%d/%m}")

    def build(since, title, pk):
        return PointEtape.objects.filter(date__gte=since, title=title, pk__gt=pk)

    for since, title, pk, expected in [
        (old, "Point du 01/06", 0, 1),
        (new, "Point du 01/06", 0, 1),
        (old, "Point du 10/01", 0, 1),
        (new, "Point du 10/01", 0, 0),
        (old, "100 % l'été", 0, 0),
        (old, "Point du 01/06", 10**12, 0),
    ]:
        rows = compiled_rows("test: typed values", build, since, title, pk)
        assert rows == list(build(since, title, pk)) and len(rows) == expected


def test_a_shape_postgresql_will_not_prepare_runs_as_plain_sql_in_the_same_transaction():
    ChantierFactory(slug="un")

    def build(slug):
        # pg_typeof($n) cannot tell the type of a parameter: PREPARE refuses it.
        return Chantier.objects.filter(slug=slug).annotate(
            kind=Func(Value("texte"), function="pg_typeof", output_field=TextField())
        )

    assert connection.in_atomic_block  # the test's transaction goes on after the refusal
    with CaptureQueriesContext(connection) as queries:
        rows = compiled_rows("test: not prepared", build, "un")
    assert [row.slug for row in rows] == ["un"]
    assert not queries[0]["sql"].startswith("EXECUTE")
    assert Chantier.objects.filter(slug="un").exists()


def test_a_new_connection_prepares_again():
    ChantierFactory(slug="deux")

    def build(slug):
        return Chantier.objects.filter(slug=slug)

    with CaptureQueriesContext(connection) as queries:
        assert [c.slug for c in compiled_rows("test: reconnect", build, "deux")] == ["deux"]
    name = queries[0]["sql"].split()[1].split("(")[0]
    wrapper = connections["default"]
    raw = wrapper.connection
    assert wrapper._compiled_statements[0] is raw
    assert wrapper._compiled_statements[1][name] is True
    # As CONN_MAX_AGE does: the driver's connection is replaced, its statements go with it.
    with connection.cursor() as cursor:
        cursor.execute(f"DEALLOCATE {name}")
    wrapper._compiled_statements = (object(), {name: True})
    assert [c.slug for c in compiled_rows("test: reconnect", build, "deux")] == ["deux"]
    assert wrapper._compiled_statements[0] is raw and name in _prepared()


def test_connections_closed_after_each_request_run_plain_sql(monkeypatch):
    # CONN_MAX_AGE 0, as PgBouncer in transaction mode asks: no statement to lose.
    ChantierFactory(slug="trois")
    monkeypatch.setitem(connections["default"].settings_dict, "CONN_MAX_AGE", 0)
    with CaptureQueriesContext(connection) as queries:
        rows = compiled_rows("test: not kept", lambda s: Chantier.objects.filter(slug=s), "trois")
    assert [c.slug for c in rows] == ["trois"]
    assert queries[0]["sql"].startswith("SELECT")
