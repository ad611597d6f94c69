"""Site search, the engine: folding, accents and case, word forms, ranking, odd queries.
Runs on SQLite and, with DATABASE_URL, on PostgreSQL (full-text search with
french_unaccent). The page and its groups: test_search_page.py."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from core import search_text
from tests.factories import (
    ActorFactory,
    ChantierFactory,
    MeetingFactory,
)
from tests.petr_portal.search_helpers import (  # noqa: F401 (a fixture)
    EPARGNE,
    _fast_password_hasher,
    run,
    titles,
)

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------
# Words and folding (no database)


@pytest.mark.django_db(False)
@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Épargne", "epargne"),
        ("ÉPARGNE LOCALE", "epargne locale"),
        ("Cœur", "coeur"),
        ("Lycée de La Vinadie", "lycee de la vinadie"),
        ("Straße", "strasse"),
    ],
)
def test_fold_removes_accents_and_case(text, folded):
    assert search_text.fold(text) == folded


@pytest.mark.django_db(False)
@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("L'Épargne", ["epargne"]),
        ("  épargne   épargne locale ", ["epargne", "locale"]),
        ("%", []),
        ("_", []),
        ("%_%", []),
        ("\"'`", []),
        ("<script>alert(1)</script>", ["script", "alert"]),
        ("a b c", []),
        ("2022", ["2022"]),
        ("x" * 5000, ["x" * search_text.MAX_QUERY_LENGTH]),
        (" ".join(f"mot{i}" for i in range(40)), [f"mot{i}" for i in range(search_text.MAX_WORDS)]),
    ],
)
def test_query_words_keep_letters_and_digits_only(query, words):
    assert search_text.query_words(query) == words


@pytest.mark.django_db(False)
def test_highlighting_escapes_everything_but_our_marks():
    html = search_text.mark_words("<script>alert('épargne')</script> & Épargnes", ["epargne"])
    assert html == (
        "&lt;script&gt;alert('<mark>épargne</mark>')&lt;/script&gt; &amp; <mark>Épargnes</mark>"
    )
    start, end = search_text.MARK_START, search_text.MARK_END
    marked = search_text.marked_html(f"<b>x</b> {start}<i>y</i>{end} z")
    assert marked == "&lt;b&gt;x&lt;/b&gt; <mark>&lt;i&gt;y&lt;/i&gt;</mark> z"
    # A stray marker (typed by someone) never leaves an unbalanced tag.
    assert search_text.marked_html(f"a {end} b {start}") == "a  b "


@pytest.mark.django_db(False)
def test_excerpt_is_plain_text_around_the_first_hit():
    source = "Intro **en gras**.\n\n" + " ".join(f"mot{i}" for i in range(60)) + " épargne fin."
    text = str(search_text.excerpt(source, ["epargne"]))
    assert text.startswith("… ") and "<mark>épargne</mark>" in text
    assert "**" not in text
    assert search_text.excerpt("- Premier point\n- Second point", ["point"]) == (
        "Premier <mark>point</mark> · Second <mark>point</mark>"
    )


# ---------------------------------------------------------------------------
# Accents, case, word forms


def test_accents_and_case_do_not_matter():
    ChantierFactory(title=EPARGNE, slug="epargne-locale")
    ChantierFactory(title="Dessine-moi ton agriculture", slug="agriculture")
    for query in ["epargne", "EPARGNE", "Épargne", "ÉPARGNE", "épârgne", "epar", "Epargne locale"]:
        assert titles(run(query), "chantiers") == [EPARGNE], query
    results = run("épargne")
    hit = results.groups[0].hits[0]
    assert "<mark>épargne</mark>" in str(hit.title_html)
    assert hit.url == "/chantiers/epargne-locale/"


def test_text_with_accents_is_found_without_them_and_the_reverse():
    ChantierFactory(title="Stages territoire avec le lycee", slug="lycee")
    assert titles(run("lycée"), "chantiers") == ["Stages territoire avec le lycee"]
    ActorFactory(name="Coopérative des Élèves", commune="Saint-Céré")
    assert titles(run("eleves saint cere"), "acteurs") == ["Coopérative des Élèves"]


def test_every_word_must_be_found():
    ChantierFactory(title=EPARGNE, slug="epargne-locale")
    ChantierFactory(title="Épargne des ménages", slug="menages")
    assert titles(run("épargne locale"), "chantiers") == [EPARGNE]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming is PostgreSQL's full-text search"
)
def test_postgresql_matches_word_forms():
    ChantierFactory(title=EPARGNE, slug="epargne-locale")
    # « locaux » and « locale » share their stem; « financement » finds « financer ».
    assert titles(run("projet local"), "chantiers") == [EPARGNE]
    assert titles(run("financement"), "chantiers") == [EPARGNE]


# ---------------------------------------------------------------------------
# Ranking


def test_a_title_match_ranks_before_a_body_match():
    now = timezone.now()
    # The body match is newer: by date alone it would come first.
    MeetingFactory(
        title="Intersession de mars",
        slug="mars",
        agenda="- Point sur l'épargne locale\n- Épargne et territoire",
        minutes="L'épargne, encore l'épargne, toujours l'épargne.",
        starts_at=now + timedelta(days=30),
    )
    MeetingFactory(
        title="Intersession épargne",
        slug="titre",
        agenda="- Accueil",
        starts_at=now + timedelta(days=2),
    )
    assert titles(run("epargne"), "reunions") == ["Intersession épargne", "Intersession de mars"]
    ChantierFactory(title="Agriculture", slug="agri", description="Avec l'épargne des habitants.")
    ChantierFactory(title="L'épargne au service du territoire", slug="epargne", order=99)
    assert titles(run("epargne"), "chantiers") == [
        "L'épargne au service du territoire",
        "Agriculture",
    ]


def test_body_matches_show_a_highlighted_excerpt():
    MeetingFactory(
        title="Intersession de mars",
        slug="mars",
        agenda="- Accueil\n- Point sur **l'épargne** locale <script>alert(1)</script>",
    )
    hit = run("epargne").groups[0].hits[0]
    excerpt = str(hit.excerpt_html)
    # Both engines split « l'épargne » at the apostrophe and mark the word alone.
    assert "l'<mark>épargne</mark> locale" in excerpt
    # Escaped on SQLite; on PostgreSQL ts_headline drops tags from excerpts altogether.
    assert "<script>" not in excerpt and "alert(1)</" not in excerpt
    assert "**" not in excerpt


# ---------------------------------------------------------------------------
# Odd queries


@pytest.mark.parametrize(
    "query",
    ["", " ", "%", "_", "%%", "__", "'", '"', "''", "\\", "<script>", "a", "%_'\"\\;--", "ÿ" * 300],
)
def test_odd_queries_are_safe(client, query):
    ChantierFactory(title="Chantier 100 % local_test", slug="odd")
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html.split("<main", 1)[1]
    # Nothing matches « % » or « _ » as a wildcard.
    assert 'href="/chantiers/odd/"' not in html


def test_a_query_of_punctuation_finds_nothing_and_says_so(client):
    ChantierFactory(title="Chantier", slug="c")
    html = client.get("/recherche/", {"q": "%_%"}).content.decode()
    assert "Saisissez au moins deux lettres ou chiffres." in html


def test_script_in_the_query_is_escaped_everywhere(client):
    ChantierFactory(title="Le script du territoire", slug="script")
    html = client.get("/recherche/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    html = client.get("/recherche/", {"q": "<script>"}).content.decode()
    assert "<script>" not in html.split("<main", 1)[1]
    assert "pour «&nbsp;<strong>&lt;script&gt;</strong>&nbsp;»" in html
    assert "Le <mark>script</mark> du territoire" in html


def test_a_very_long_query_is_cut(client):
    response = client.get("/recherche/", {"q": "épargne " * 2000})
    assert response.status_code == 200
    assert response.context["query"] == ("épargne " * 2000)[: search_text.MAX_QUERY_LENGTH].strip()


def test_unknown_type_and_odd_pages_fall_back(client):
    MeetingFactory(title="Réunion à Figeac", slug="r")
    for params in [
        {"q": "figeac", "type": "inconnu"},
        {"q": "figeac", "type": "reunions", "page": "abc"},
        {"q": "figeac", "type": "reunions", "page": "-3"},
        {"q": "figeac", "type": "reunions", "page": "999999999999"},
    ]:
        response = client.get("/recherche/", params)
        assert response.status_code == 200, params
        assert 'href="/agenda/r/"' in response.content.decode(), params
