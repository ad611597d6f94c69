"""On PostgreSQL, the search of each kind whose table grows reads its stored words and
their GIN index (core.search_index) instead of computing the words of every row, and the
stored words are those the kind declares."""

import pytest
from django.db import connection

from core import search

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's full-text index"),
]

INDEXES = {
    "chantiers": "chantier_search_document_idx",
    "reunions": "meeting_search_document_idx",
    "acteurs": "actor_search_document_idx",
    "actions": "action_search_document_idx",
    "points-etape": "pointetape_search_document_idx",
    "documents": "document_search_document_idx",
}


@pytest.mark.parametrize(("kind", "index"), INDEXES.items())
def test_the_search_of_a_growing_table_reads_its_index(kind, index, django_user_model):
    # A team member: every document, no filter on visibility for the planner to prefer.
    staff = django_user_model(email="equipe@example.org", is_staff=True)
    queryset = search._matching(search.get_kind(kind), staff, ["epargne", "loc"])
    with connection.cursor() as cursor:
        # The tables of a test are nearly empty: read in full (or along another index, in
        # its order), they would cost less. A GIN index is only ever read by a bitmap scan.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = queryset[:5].explain()
    assert f"Bitmap Index Scan on {index}" in plan, plan


def test_every_index_exists_once():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [list(INDEXES.values())]
        )
        assert sorted(row[0] for row in cursor.fetchall()) == sorted(INDEXES.values())


def test_the_kinds_that_store_their_words_are_those_with_an_index():
    assert {kind.key for kind in search.kinds() if kind.stored_vector} == set(INDEXES)


@pytest.mark.parametrize("kind", INDEXES)
def test_the_stored_words_are_those_of_the_kinds_fields(kind, django_user_model):
    from django.db.models import F

    from core.search_index import COLUMN, weighted_vector
    from tests.chantiers.factories import PointEtapeFactory
    from tests.diagnostic.factories import DocumentFactory
    from tests.factories import ActorFactory, MeetingFactory

    PointEtapeFactory(title="Épargne locale", text="Une réunion **publique** à Figeac, l'été venu.")
    PointEtapeFactory(title="Sans texte", text="")
    DocumentFactory(title="Étude", summary="Les circuits courts du Ségala.")
    MeetingFactory(
        title="Intersession", place_name="Salle", agenda="1. Bilan", minutes="Vingt présents."
    )
    MeetingFactory(title="Sans lieu", place_name="", place_commune="", agenda="", minutes="")
    ActorFactory(name="Ferme du Causse", organisation="", commune="Cajarc")
    found = search.get_kind(kind)
    rows = found.queryset(django_user_model(is_staff=True)).annotate(
        computed=weighted_vector(found.title, found.summary, found.body),
    )
    table = rows.model._meta.db_table
    rows = rows.extra(select={"stored": f'"{table}"."{COLUMN}"'})  # noqa: S610
    checked = list(rows.values_list("stored", "computed", F("pk")))
    assert checked and all(stored == computed for stored, computed, _ in checked), checked
