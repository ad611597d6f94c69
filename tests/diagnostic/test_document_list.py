"""/documents/: what each person sees, filters (htmx and plain GET), feed, Mon espace include."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from diagnostic.models import Document, DocumentKind, Visibility
from tests.diagnostic.budget import ANONYMOUS_BUDGET, SIGNED_IN_BUDGET, assert_constant_queries
from tests.diagnostic.factories import DocumentFactory, elu
from tests.factories import ChantierFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents():
    chantier = ChantierFactory(title="Dessine-moi ton agriculture !", slug="agriculture")
    return {
        "public": DocumentFactory(title="Étude publique", kind=DocumentKind.STUDY),
        "chantier": DocumentFactory(
            title="Compte rendu du chantier", kind=DocumentKind.MINUTES, chantier=chantier
        ),
        "reserved": DocumentFactory(
            title="Note confidentielle aux élus",
            slug="note-confidentielle",
            kind=DocumentKind.OTHER,
            visibility=Visibility.RESERVED,
        ),
        "pending": DocumentFactory(
            title="Rapport final de la démarche",
            kind=DocumentKind.FINAL_REPORT,
            file="",
            published_on=None,
        ),
        "chantier_obj": chantier,
    }


def test_visitors_see_public_documents_and_no_trace_of_reserved_ones(client, documents):
    response = client.get("/documents/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Étude publique" in html
    assert "Compte rendu du chantier" in html
    assert "Note confidentielle" not in html
    assert "note-confidentielle" not in html
    assert "Réservé aux élus" not in html
    assert "3 documents" in html


def test_a_resident_sees_the_same_as_a_visitor(client, user, documents):
    client.force_login(user)
    html = client.get("/documents/").content.decode()
    assert "Note confidentielle" not in html
    assert "3 documents" in html


@pytest.mark.parametrize("who", ["elu", "staff"])
def test_elus_and_staff_see_reserved_documents_labelled(client, documents, who):
    client.force_login(elu() if who == "elu" else UserFactory(is_staff=True))
    html = client.get("/documents/").content.decode()
    assert "Note confidentielle aux élus" in html
    assert "Réservé aux élus" in html
    assert "4 documents" in html


def test_each_document_shows_format_and_link_or_that_the_file_is_to_come(client, documents):
    html = client.get("/documents/").content.decode()
    public = documents["public"]
    assert f'href="/documents/{public.slug}/telecharger/"' in html
    assert public.human_format in html
    assert "2\xa0pages" in html
    assert "Le fichier n'est pas encore disponible" in html
    assert "Date de publication&nbsp;: à préciser" in html
    assert "1 mars 2024" in html


def test_filter_by_kind_with_a_plain_get(client, documents):
    response = client.get("/documents/", {"type": DocumentKind.MINUTES})
    html = response.content.decode()
    assert "Compte rendu du chantier" in html
    assert "Étude publique" not in html
    assert "<html" in html
    assert response["Vary"].count("HX-Request") == 1


def test_filter_by_chantier(client, documents):
    html = client.get("/documents/", {"chantier": "agriculture"}).content.decode()
    assert "Compte rendu du chantier" in html
    assert "Étude publique" not in html
    assert "1 document" in html


def test_htmx_gets_only_the_results_fragment(client, documents):
    response = client.get(
        "/documents/", {"type": DocumentKind.STUDY}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<section id="resultats"')
    assert "Étude publique" in html
    assert "Compte rendu du chantier" not in html
    assert "HX-Request" in response["Vary"]


def test_unknown_filters_are_ignored_with_a_french_message(client, documents):
    html = client.get("/documents/", {"type": "pirate", "chantier": "inconnu"}).content.decode()
    assert "Ce type de document n&#x27;existe pas : filtre ignoré." in html
    assert "Ce chantier n&#x27;existe pas : filtre ignoré." in html
    assert "3 documents" in html


def test_reserved_documents_do_not_leak_through_filters(client, documents):
    html = client.get("/documents/", {"type": DocumentKind.OTHER}).content.decode()
    assert "Aucun document" in html
    assert "Note confidentielle" not in html


def test_the_form_works_without_javascript(client, documents):
    html = client.get("/documents/").content.decode()
    assert 'action="/documents/"' in html
    assert 'method="get"' in html
    assert 'data-hx-get="/documents/"' in html
    assert 'data-hx-push-url="true"' in html
    assert "style=" not in html


def test_pagination_keeps_the_filters(client):
    for index in range(23):
        DocumentFactory(kind=DocumentKind.STUDY, published_on=date(2024, 1, 1 + index))
    html = client.get("/documents/", {"type": DocumentKind.STUDY}).content.decode()
    assert "23 documents" in html
    assert "Page 1 sur 2" in html
    assert "?type=etude&amp;page=2" in html


@pytest.mark.parametrize("who", ["anonymous", "elu"])
@pytest.mark.parametrize("htmx", [False, True])
def test_query_budget_does_not_grow_with_documents(client, who, htmx):
    if who == "elu":
        client.force_login(elu())
    chantier = ChantierFactory(slug="agriculture")
    for index in range(3):
        DocumentFactory(chantier=chantier if index % 2 else None)

    def add_rows():
        for index in range(20):
            DocumentFactory(
                chantier=chantier if index % 2 else ChantierFactory(),
                visibility=Visibility.RESERVED if index % 3 else Visibility.PUBLIC,
                # Their « Version accessible » links cost no query.
                accessible_url="/diagnostic/" if index % 4 else "",
            )

    budget = ANONYMOUS_BUDGET if who == "anonymous" else SIGNED_IN_BUDGET
    headers = {"HX-Request": "true"} if htmx else {}
    assert_constant_queries(
        client, "/documents/?chantier=agriculture", add_rows, budget + 1, headers=headers
    )


def test_atom_feed_lists_new_public_documents_and_is_valid_xml(client, documents):
    response = client.get("/documents/flux.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    titles = [entry.find("a:title", ns).text for entry in root.findall("a:entry", ns)]
    assert "Étude publique" in titles
    assert "Note confidentielle aux élus" not in titles
    # Announced without a file: nothing to download yet, so not in the feed.
    assert "Rapport final de la démarche" not in titles
    for entry in root.findall("a:entry", ns):
        assert entry.find("a:id", ns).text.startswith("tag:")
        assert entry.find("a:updated", ns) is not None
        link = entry.find("a:link", ns).get("href")
        assert link.endswith("/telecharger/")


def test_feed_query_budget(client):
    DocumentFactory(chantier=ChantierFactory())

    def add_rows():
        for _ in range(10):
            DocumentFactory(chantier=ChantierFactory())

    assert assert_constant_queries(client, "/documents/flux.atom", add_rows, 1) == 1


def test_the_list_advertises_its_feed(client):
    html = client.get("/documents/").content.decode()
    assert 'type="application/atom+xml"' in html
    assert 'href="/documents/flux.atom"' in html


def test_for_elected_officials_gives_reserved_documents_and_every_report(documents):
    public_diagnostic = DocumentFactory(title="Diagnostic", kind=DocumentKind.DIAGNOSTIC)
    titles = {d.title for d in Document.objects.for_elected_officials()}
    assert titles == {
        "Note confidentielle aux élus",
        "Rapport final de la démarche",
        public_diagnostic.title,
    }


def test_elu_documents_include_renders_them_with_download_links(documents):
    person = elu()
    request = RequestFactory().get("/compte/")
    request.user = person
    html = render_to_string(
        "diagnostic/includes/elu_documents.html",
        {"documents": Document.objects.for_elected_officials()},
        request=request,
    )
    assert "Documents réservés et rapports" in html
    assert "Note confidentielle aux élus" in html
    assert 'href="/documents/note-confidentielle/telecharger/"' in html
    assert "Rapport final de la démarche" in html
    assert "pas encore disponible" in html
    assert "Étude publique" not in html


def test_chantier_page_lists_its_documents_by_person(client, documents):
    chantier = documents["chantier_obj"]
    DocumentFactory(title="Réservé du chantier", chantier=chantier, visibility=Visibility.RESERVED)
    anonymous = client.get(chantier.get_absolute_url()).content.decode()
    assert "Compte rendu du chantier" in anonymous
    assert "Étude publique" not in anonymous
    assert "Réservé du chantier" not in anonymous
    client.force_login(elu())
    for_elu = client.get(chantier.get_absolute_url()).content.decode()
    assert "Réservé du chantier" in for_elu
    assert "Compte rendu du chantier" in for_elu


def test_chantier_reverse_relation_is_documents(documents):
    chantier = documents["chantier_obj"]
    assert [d.title for d in chantier.documents.all()] == ["Compte rendu du chantier"]
    assert list(chantier.documents.public()) == [documents["chantier"]]
