"""On PostgreSQL, the search of each kind whose table grows reads its GIN index
(core.search_index) instead of computing the words of every row: the indexed expression
must stay identical to the searched one."""

import pytest
from django.db import connection

from core import search

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's full-text index"),
]

INDEXES = {
    "chantiers": "chantier_search_idx",
    "reunions": "meeting_search_idx",
    "acteurs": "actor_search_idx",
    "documents": "document_search_idx",
}


@pytest.mark.parametrize(("kind", "index"), INDEXES.items())
def test_the_search_of_a_growing_table_reads_its_index(kind, index, django_user_model):
    # A team member: every document, no filter on visibility for the planner to prefer.
    staff = django_user_model(email="equipe@example.org", is_staff=True)
    queryset = search._matching(search.get_kind(kind), staff, ["epargne", "loc"])
    sql, params = queryset[:5].query.sql_with_params()
    with connection.cursor() as cursor:
        # The tables of a test are nearly empty: read in full, they would cost less.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Bitmap Index Scan on {index}" in plan, plan


def test_every_index_exists_once():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [list(INDEXES.values())]
        )
        assert sorted(row[0] for row in cursor.fetchall()) == sorted(INDEXES.values())
