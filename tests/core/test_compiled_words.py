"""core.compiled with words inside a longer text (LIKE's '%word%', a tsquery): the search's
queries, compiled once per shape and run again with new words."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Window

from chantiers.models import Chantier
from core import compiled, search
from core.compiled import compiled_rows
from diagnostic.models import Visibility
from tests.diagnostic.factories import DocumentFactory, elu
from tests.factories import ChantierFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_shapes(monkeypatch):
    monkeypatch.setattr(compiled, "_shapes", type(compiled._shapes)())


def _titles(rows):
    return sorted(row.title for row in rows)


def test_the_query_is_built_once_and_each_run_reads_the_database_with_its_words():
    ChantierFactory(title="Épargne locale", slug="epargne")
    ChantierFactory(title="Mobilités douces", slug="mobilites")
    built = []

    def build(word):
        built.append(word)
        return Chantier.objects.filter(title__icontains=word).order_by("title")

    assert _titles(compiled_rows("essai", build, "pargne")) == ["Épargne locale"]
    assert _titles(compiled_rows("essai", build, "douces")) == ["Mobilités douces"]
    assert compiled_rows("essai", build, "rien") == []
    ChantierFactory(title="Douces saisons", slug="saisons")
    assert _titles(compiled_rows("essai", build, "douces")) == [
        "Douces saisons",
        "Mobilités douces",
    ]
    # Built twice (two sets of stand-ins) on the first call, never again.
    assert len(built) == 2 and not {"pargne", "douces", "rien"} & set(built)


def test_another_number_of_words_or_another_key_is_another_shape():
    ChantierFactory(title="Épargne locale", slug="epargne")
    calls = []

    def build(*words):
        calls.append(len(words))
        queryset = Chantier.objects.all()
        for word in words:
            queryset = queryset.filter(title__icontains=word)
        return queryset

    assert len(compiled_rows("a", build, "epargne")) == 0  # accents matter to LIKE
    assert len(compiled_rows("a", build, "pargne", "locale")) == 1
    assert len(compiled_rows("b", build, "locale")) == 1
    assert len(compiled_rows("a", build, "locale", "pargne")) == 1
    assert calls == [1, 1, 2, 2, 1, 1]


@pytest.mark.parametrize("word", ["a%b", "deux mots", "a_b", "l'eau", "", "x\ue002"])
def test_only_letters_and_digits_can_be_put_in(word):
    with pytest.raises(ValueError, match="letters and digits"):
        compiled_rows("essai", lambda w: Chantier.objects.filter(title__contains=w), word)


def test_a_word_written_into_the_sql_text_is_refused():
    def build(word):
        return Chantier.objects.extra(where=[f"title = '{word}'"])  # noqa: S610

    with pytest.raises(ValueError, match="SQL text"):
        compiled_rows("essai", build, "epargne")


def test_a_word_the_builder_leaves_out_is_refused():
    with pytest.raises(ValueError, match="not in the query's parameters"):
        compiled_rows("essai", lambda word: Chantier.objects.all(), "epargne")


def test_each_search_kind_compiles_once_and_finds_what_a_fresh_query_finds(monkeypatch):
    chantier = ChantierFactory(title="Circuits courts", slug="circuits", summary="Vers Figeac.")
    MeetingFactory(title="Intersession à Figeac", slug="m", chantier=chantier)
    MeetingFactory(title="Marché de Cajarc", slug="c", chantier=chantier)
    DocumentFactory(title="Étude sur Cajarc", slug="etude")
    matched = []
    real = search._matching

    def counting(kind, user, words):
        matched.append(kind.key)
        return real(kind, user, words)

    monkeypatch.setattr(search, "_matching", counting)
    anonymous = AnonymousUser()
    for words in (["figeac"], ["cajarc"], ["vers"], ["march"]):
        results = search.search(" ".join(words), anonymous)
        for group in results.groups:
            fresh = real(group.kind, anonymous, words).annotate(total=Window(Count("pk")))
            rows = list(fresh[: search.GROUP_SIZE])
            assert [hit.object.pk for hit in group.hits] == [row.pk for row in rows]
            assert group.total == rows[0].total
    # Each kind built twice (two sets of stand-ins) by the first search, never again.
    assert sorted(matched) == sorted(2 * [kind.key for kind in search.kinds()])
    found = {g.kind.key: len(g.hits) for g in search.search("cajarc", anonymous).groups}
    assert found == {"reunions": 1, "documents": 1}


def test_who_may_see_reserved_documents_is_part_of_the_shape():
    DocumentFactory(title="Rapport public sur Cajarc", slug="public")
    DocumentFactory(
        title="Note réservée sur Cajarc", slug="reserve", visibility=Visibility.RESERVED
    )

    def documents(user):
        for group in search.search("cajarc", user).groups:
            if group.kind.key == "documents":
                return sorted(hit.object.slug for hit in group.hits)
        return []

    assert documents(AnonymousUser()) == ["public"]
    assert documents(elu()) == ["public", "reserve"]
    assert documents(AnonymousUser()) == ["public"]
