"""Site search, what it shows (/recherche/): reserved documents, what is searched,
groups and pages, the header box, htmx fragments and history, query budgets. Runs on
SQLite and, with DATABASE_URL, on PostgreSQL."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from chantiers.models import Action, Actor, Chantier, Meeting, MeetingKind, PointEtape
from core import search
from diagnostic.models import Axis, Document, DocumentKind, Indicator, Visibility
from tests.chantiers import dataset
from tests.diagnostic.factories import DocumentFactory, IndicatorFactory, elu
from tests.factories import (
    ActorFactory,
    ChantierFactory,
    MeetingFactory,
    MembershipFactory,
    UserFactory,
)
from tests.petr_portal.search_helpers import (  # noqa: F401 (a fixture)
    EPARGNE,
    HTMX_MAIN,
    HTMX_RESULTS,
    _fast_password_hasher,
    run,
    titles,
)

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------
# Reserved documents


def documents():
    DocumentFactory(title="Rapport public sur l'épargne", slug="public")
    DocumentFactory(
        title="Note réservée sur l'épargne", slug="reserve", visibility=Visibility.RESERVED
    )
    DocumentFactory(
        title="Diagnostic", slug="diag", summary="Épargne des ménages (réservé).",
        visibility=Visibility.RESERVED,
    )  # fmt: skip


def test_reserved_documents_never_appear_to_visitors_or_residents(client):
    documents()
    for user in (AnonymousUser(), UserFactory()):
        assert titles(run("epargne", user), "documents") == ["Rapport public sur l'épargne"]
        assert titles(run("epargne", user, kind="documents"), "documents") == [
            "Rapport public sur l'épargne"
        ]
    html = client.get("/recherche/", {"q": "epargne"}).content.decode()
    assert "Note réservée" not in html and "/documents/reserve/" not in html
    assert "/documents/diag/" not in html
    client.force_login(UserFactory())
    html = client.get("/recherche/", {"q": "réservé"}, headers=HTMX_RESULTS).content.decode()
    assert "Note réservée" not in html and "/documents/diag/" not in html


def test_elected_officials_and_staff_find_reserved_documents(client):
    documents()
    for user in (elu(), UserFactory(is_staff=True)):
        found = titles(run("epargne", user), "documents")
        assert sorted(found) == sorted(
            ["Rapport public sur l'épargne", "Note réservée sur l'épargne", "Diagnostic"]
        )
    client.force_login(elu())
    html = client.get("/recherche/", {"q": "epargne"}).content.decode()
    assert "Réservé aux élus" in html and "/documents/reserve/telecharger/" in html


# ---------------------------------------------------------------------------
# What is searched, groups and pages


def test_every_kind_is_searched_and_grouped_in_order(client):
    chantier = ChantierFactory(title="Circuits courts", slug="circuits", summary="Vers Figeac.")
    MeetingFactory(title="Intersession", slug="m", chantier=chantier, minutes="Bilan à Figeac.")
    actor = ActorFactory(name="Ferme du Causse", commune="Figeac")
    MembershipFactory(actor=actor, chantier=chantier)
    DocumentFactory(title="Étude", slug="etude", summary="Le marché de Figeac.")
    IndicatorFactory(name="Marchés", slug="marches", definition="Les marchés autour de Figeac.")
    results = run("figeac")
    assert [group.kind.key for group in results.groups] == [
        "chantiers",
        "reunions",
        "documents",
        "acteurs",
        "indicateurs",
    ]
    assert results.total == 5
    urls = [hit.url for group in results.groups for hit in group.hits]
    assert urls == [
        "/chantiers/circuits/",
        "/agenda/m/",
        "/documents/etude/telecharger/",
        "/chantiers/circuits/#ecosysteme",
        "/indicateurs/#indicateur-marches",
    ]
    html = client.get("/recherche/", {"q": "figeac"}).content.decode()
    for label in ["Chantiers", "Réunions", "Documents", "Acteurs", "Indicateurs"]:
        assert f'">{label} <span class="meta">(1)</span></h2>' in html
    assert "5 résultats pour «&nbsp;<strong>figeac</strong>&nbsp;»" in html


def test_meeting_agendas_and_minutes_are_searched():
    MeetingFactory(title="Réunion A", slug="a", agenda="- Visite de la coopérative laitière")
    MeetingFactory(title="Réunion B", slug="b", agenda="", minutes="La coopérative a présenté…")
    assert sorted(titles(run("cooperative"), "reunions")) == ["Réunion A", "Réunion B"]


def test_demo_names_of_chantiers_are_searched_and_shown():
    Chantier.objects.create(
        title="Chantier 4", slug="chantier-4", demo_title="Restauration collective"
    )
    assert titles(run("restauration"), "chantiers") == ["Restauration collective"]


def test_a_kind_an_app_registers_is_searched_and_offered_by_the_page(client, monkeypatch):
    # The engine knows no model: what an app registers is searched, grouped in its place
    # and reachable by ?type=, with its own hit template and URL.
    declared = search.Kind(
        "essais",
        "Essais",
        "essai",
        "essais",
        queryset=lambda user: Chantier.objects.filter(slug__startswith="essai"),
        url=lambda row: f"/essais/{row.slug}/",
        hit_template="chantiers/includes/search_hit_chantier.html",
        title=("summary",),
        position=1,
    )
    monkeypatch.setitem(search._KINDS, "essais", declared)
    ChantierFactory(title="Un titre", slug="essai-1", summary="Banc de Figeac")
    assert search.kinds()[0] is declared
    results = run("banc figeac")
    assert [group.kind.key for group in results.groups] == ["essais", "chantiers"]
    html = client.get("/recherche/", {"q": "banc", "type": "essais"}).content.decode()
    assert '<a href="/essais/essai-1/"><mark>Banc</mark> de Figeac</a>' in html
    assert "1 résultat parmi les essais" in html


def test_groups_show_a_few_hits_and_link_to_all_of_their_kind(client):
    chantier = ChantierFactory()
    for i in range(search.GROUP_SIZE + 3):
        MeetingFactory(title=f"Intersession {i}", slug=f"i-{i}", chantier=chantier)
    results = run("intersession")
    group = results.groups[0]
    assert len(group.hits) == search.GROUP_SIZE and group.total == search.GROUP_SIZE + 3
    html = client.get("/recherche/", {"q": "intersession"}).content.decode()
    assert 'href="/recherche/?q=intersession&amp;type=reunions"' in html
    assert "Voir les 8\u00a0réunions" in html


def test_one_kind_is_paginated(client):
    chantier = ChantierFactory()
    start = timezone.now()
    total = search.PAGE_SIZE + 5
    for i in range(total):
        MeetingFactory(
            title=f"Intersession {i}",
            slug=f"i-{i}",
            chantier=chantier,
            starts_at=start - timedelta(days=i),
        )
    first = client.get("/recherche/", {"q": "intersession", "type": "reunions"})
    second = client.get("/recherche/", {"q": "intersession", "type": "reunions", "page": 2})
    first_hits = first.context["results"].groups[0].hits
    second_hits = second.context["results"].groups[0].hits
    assert len(first_hits) == search.PAGE_SIZE and len(second_hits) == 5
    assert {h.object.pk for h in first_hits}.isdisjoint({h.object.pk for h in second_hits})
    html = second.content.decode()
    assert "Page 2 sur 2" in html and "page=1" not in html
    assert 'href="/recherche/?q=intersession&amp;type=reunions"' in html  # previous page
    assert f'start="{search.PAGE_SIZE + 1}"' in html
    # An old link past the end shows the last page.
    late = client.get("/recherche/", {"q": "intersession", "type": "reunions", "page": 9})
    assert late.context["results"].page_number == 2


def test_empty_search_page_invites_to_type(client):
    response = client.get("/recherche/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1 and "Rechercher sur le site" in html
    assert "Saisissez un ou plusieurs mots" in html
    assert '<meta name="robots" content="noindex' not in html
    assert "noindex" in client.get("/recherche/", {"q": "x y"}).content.decode()


def test_no_result_gives_leads(client):
    html = client.get("/recherche/", {"q": "introuvable"}).content.decode()
    assert "Aucun résultat pour «&nbsp;<strong>introuvable</strong>&nbsp;»" in html
    assert "Quelques pistes" in html


# ---------------------------------------------------------------------------
# The header box, htmx and history


def test_every_page_has_the_header_search_box_that_works_without_javascript(client):
    html = client.get("/").content.decode()
    form = re.search(r'<form class="site-search".*?</form>', html, re.S).group()
    assert 'action="/recherche/"' in form and 'method="get"' in form
    assert 'role="search"' in form
    assert 'name="q"' in form and 'for="site-search-q"' in form
    assert 'data-hx-trigger="input changed delay:300ms, search"' in form
    assert 'data-hx-target="#contenu"' in form and 'data-hx-push-url="true"' in form
    assert 'id="annonce"' in html and 'aria-live="polite"' in html


def test_htmx_from_the_page_box_returns_the_results_only(client):
    ChantierFactory(title=EPARGNE, slug="epargne-locale")
    response = client.get(
        "/recherche/",
        {"q": "epargne"},
        headers={
            **HTMX_RESULTS,
            "HX-Trigger": "recherche-q",
            "HX-Current-URL": "http://testserver/recherche/?q=epa",
        },
    )
    html = response.content.decode()
    assert "<html" not in html and "<h1" not in html
    assert "<title>Recherche «\u00a0epargne\u00a0» – 1 résultat – " in html
    assert 'href="/chantiers/epargne-locale/"' in html
    assert (
        '<div id="annonce" data-hx-swap-oob="innerHTML">'
        "1 résultat pour «\u00a0epargne\u00a0».</div>" in (html)
    )
    # Typing on the search page replaces the history entry rather than adding one.
    assert response["HX-Replace-Url"] == "/recherche/?q=epargne"
    assert "HX-Push-Url" not in response
    assert {"HX-Request", "HX-Target"} <= {v.strip() for v in response["Vary"].split(",")}


def test_htmx_from_the_header_returns_the_whole_main_and_pushes_the_url(client):
    ChantierFactory(title=EPARGNE, slug="epargne-locale")
    response = client.get(
        "/recherche/",
        {"q": "epargne"},
        headers={
            **HTMX_MAIN,
            "HX-Trigger": "site-search-q",
            "HX-Current-URL": "http://testserver/chantiers/",
        },
    )
    html = response.content.decode()
    assert "<html" not in html
    assert html.count("<h1>Rechercher sur le site</h1>") == 1
    assert 'id="recherche-q"' in html and 'value="epargne"' in html
    assert 'id="search-results"' in html and 'href="/chantiers/epargne-locale/"' in html
    # The menu is refreshed: no « current » link left from the previous page.
    nav = re.search(r'<nav class="site-nav" id="menu".*?</nav>', html, re.S).group()
    assert 'data-hx-swap-oob="true"' in nav and "aria-current" not in nav
    assert response["HX-Push-Url"] == "/recherche/?q=epargne"


def test_links_inside_results_push_a_new_history_entry(client):
    response = client.get(
        "/recherche/",
        {"q": "x", "type": "reunions", "page": "1"},
        headers={**HTMX_RESULTS, "HX-Current-URL": "http://testserver/recherche/?q=x"},
    )
    assert response["HX-Push-Url"] == "/recherche/?q=x&type=reunions"


def test_search_pages_are_never_cached_for_everyone(client, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    ChantierFactory(title=EPARGNE, slug="epargne-locale")
    assert "epargne-locale" in client.get("/recherche/", {"q": "epargne"}).content.decode()
    Chantier.objects.all().delete()
    assert "epargne-locale" not in client.get("/recherche/", {"q": "epargne"}).content.decode()


# ---------------------------------------------------------------------------
# Query budgets


def _build(chantiers, meetings):
    dataset.build(chantier_count=chantiers, meeting_count=meetings)
    Chantier.objects.update(description="Un chantier suivi depuis Figeac.")
    Actor.objects.update(commune="Figeac")
    Action.objects.update(description="Une action menée à Figeac.")
    PointEtape.objects.update(text="Une réunion à Figeac.")
    axis = Axis.objects.create(key="cooperation", name="Coopération", order=1)
    Document.objects.bulk_create(
        Document(
            title=f"Document {i}",
            slug=f"doc-{i}",
            kind=DocumentKind.STUDY,
            summary="Une étude menée à Figeac.",
            published_on=date(2024, 1, 1),
            visibility=Visibility.RESERVED if i % 2 else Visibility.PUBLIC,
        )
        for i in range(meetings // 10)
    )
    Indicator.objects.bulk_create(
        Indicator(axis=axis, name=f"Indicateur {i}", slug=f"ind-{i}", definition="À Figeac.")
        for i in range(meetings // 10)
    )


def _wipe():
    Document.objects.all().delete()
    Indicator.objects.all().delete()
    Axis.objects.all().delete()
    dataset.wipe()


SEARCHES = [
    # (name, params, headers, budget); whole pages read the footer's accessibility
    # statement (a fragment kept by content version, where fragments are on)
    ("page, every kind found", {"q": "figeac"}, {}, 10),
    ("page, nothing found", {"q": "introuvable"}, {}, 9),
    ("page, empty", {}, {}, 2),
    ("page, one kind, page 2", {"q": "figeac", "type": "reunions", "page": 2}, {}, 3),
    ("page, actors", {"q": "figeac", "type": "acteurs"}, {}, 4),
    ("results fragment", {"q": "figeac"}, HTMX_RESULTS, 8),
    ("main fragment (header box)", {"q": "figeac"}, HTMX_MAIN, 8),
]


def _measure(client, django_assert_max_num_queries):
    counts = {}
    for name, params, headers, budget in SEARCHES:
        with django_assert_max_num_queries(budget) as captured:
            response = client.get("/recherche/", params, headers=headers)
        assert response.status_code == 200, name
        counts[name] = len(captured)
    return counts


def test_search_query_budgets_do_not_grow_with_rows(client, django_assert_max_num_queries):
    _build(5, 60)
    small = _measure(client, django_assert_max_num_queries)
    # 7 kinds + actors' chantiers + demo notice + the footer's accessibility statement
    assert small["page, every kind found"] == 10
    _wipe()
    _build(200, 2000)
    assert Meeting.objects.filter(kind=MeetingKind.INTERSESSION).count() > 1000
    large = _measure(client, django_assert_max_num_queries)
    assert small == large


def test_search_budget_signed_in_as_an_elected_official(client, django_assert_max_num_queries):
    _build(5, 60)
    client.force_login(elu())
    # + session, user, and the Élus group check for reserved documents.
    with django_assert_max_num_queries(13):
        response = client.get("/recherche/", {"q": "figeac"})
    assert "Réservé aux élus" in response.content.decode()
