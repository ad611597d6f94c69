"""/documents/ in Chromium: filters with and without JavaScript, an élu downloads a report."""

import re

import pytest
from playwright.sync_api import expect

from diagnostic import demo, territoire
from diagnostic.models import DocumentKind, Visibility
from tests.browser.diagnostic_helpers import horizontal_overflow, sign_in
from tests.diagnostic.factories import DocumentFactory, elu
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def documents():
    territoire.load()
    return {
        "study": DocumentFactory(
            title="Étude sur la forêt", kind=DocumentKind.STUDY, accessible_url="/diagnostic/"
        ),
        "minutes": DocumentFactory(title="Compte rendu de session", kind=DocumentKind.MINUTES),
        "report": DocumentFactory(
            title="Rapport final réservé – version élus",
            slug="rapport-reserve",
            kind=DocumentKind.FINAL_REPORT,
            visibility=Visibility.RESERVED,
        ),
    }


def test_documents_page_is_accessible(page, live_server, assert_accessible, documents):
    response = page.goto(live_server.url + "/documents/")
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert page.get_by_text("Le fichier n'est pas encore disponible").first.is_visible()
    assert page.get_by_text("Rapport final réservé").count() == 0
    # Named after its document for a screen reader, who hears the links out of context.
    accessible = page.get_by_role(
        "link", name=re.compile(r"^Version accessible de «\s*Étude sur la forêt\s*»$")
    )
    expect(accessible).to_have_attribute("href", "/diagnostic/")
    assert page.get_by_role("link", name=re.compile("^Version accessible")).count() == 1
    assert_accessible(page)


def test_documents_page_for_an_elu_is_accessible(page, live_server, assert_accessible, documents):
    sign_in(page, live_server, elu())
    page.goto(live_server.url + "/documents/")
    assert page.get_by_text("Réservé aux élus", exact=True).first.is_visible()
    assert_accessible(page)


def test_filter_with_htmx_swaps_the_results_and_keeps_the_url(page, live_server, documents):
    page.goto(live_server.url + "/documents/")
    page.evaluate("window.__marker = 'same page'")
    page.get_by_label("Type de document").select_option(DocumentKind.MINUTES)
    page.wait_for_url("**/documents/?type=compte_rendu*")
    results = page.locator("#resultats")
    results.get_by_role("heading", name="Compte rendu de session").wait_for()
    assert results.get_by_role("heading", name="Étude sur la forêt").count() == 0
    assert page.evaluate("window.__marker") == "same page"  # no full reload
    assert page.locator("#resultats-titre").inner_text().startswith("1 document")


def test_filter_without_javascript(nojs_page, live_server, documents):
    nojs_page.goto(live_server.url + "/documents/")
    nojs_page.get_by_label("Type de document").select_option(DocumentKind.STUDY)
    nojs_page.get_by_role("button", name="Filtrer").click()
    nojs_page.wait_for_url("**/documents/?type=etude*")
    assert nojs_page.get_by_role("heading", name="Étude sur la forêt").is_visible()
    assert nojs_page.get_by_role("heading", name="Compte rendu de session").count() == 0


def test_an_elu_signs_in_and_downloads_a_reserved_report(page, live_server, documents):
    sign_in(page, live_server, elu(email="elue@example.org"))
    page.goto(live_server.url + "/documents/")
    item = page.locator("#document-rapport-reserve")
    assert item.get_by_text("Réservé aux élus").is_visible()
    with page.expect_download() as download_info:
        item.get_by_role("link", name="Télécharger").click()
    download = download_info.value
    assert download.suggested_filename == "Rapport final réservé – version élus.pdf"
    with open(download.path(), "rb") as received:
        assert received.read(5) == b"%PDF-"
    documents["report"].refresh_from_db()
    assert documents["report"].downloads == 1


def test_a_visitor_following_a_reserved_link_is_sent_to_sign_in(page, live_server, documents):
    response = page.goto(live_server.url + "/documents/rapport-reserve/telecharger/")
    # The sign-in page belongs to the accounts work: here we only check where we land.
    assert "/compte/connexion/?next=/documents/rapport-reserve/telecharger/" in response.url


# The page is answered with 403 on purpose; Chromium logs the status.
@pytest.mark.allow_console_errors(r"status of 403 \(Forbidden\)")
def test_a_resident_gets_a_french_403(page, live_server, assert_accessible, documents):
    sign_in(page, live_server, UserFactory())
    response = page.goto(live_server.url + "/documents/rapport-reserve/telecharger/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "Document réservé aux élus"
    assert_accessible(page)


def test_documents_fit_a_phone_screen(phone_page, live_server):
    territoire.load()
    demo.load()
    phone_page.goto(live_server.url + "/documents/")
    assert horizontal_overflow(phone_page) <= 0


def test_an_elu_signs_in_finds_the_report_in_my_space_and_downloads_it(
    page, live_server, documents
):
    # The whole path of the issue: the real sign-in form, « Mon espace », the download.
    elu(email="elue@example.org")
    page.goto(live_server.url + "/compte/connexion/")
    page.get_by_label("Adresse électronique").fill("elue@example.org")
    page.get_by_label("Mot de passe").fill("mot-de-passe-solide")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server.url + "/compte/")
    item = page.locator("#document-rapport-reserve")
    assert item.get_by_text("Réservé aux élus").is_visible()
    # The link's name carries the format, size and pages the sighted read beside it.
    visible_format = item.locator(".document-item__format").inner_text()
    assert re.fullmatch(r"PDF, [\d,]+\s(octets|ko|Mo), \d+\spages?", visible_format), visible_format
    link = item.get_by_role("link", name="Télécharger")
    expect(link).to_have_accessible_name(re.compile(rf"\({re.escape(visible_format)}\)$"))
    with page.expect_download() as download_info:
        item.get_by_role("link", name="Télécharger").click()
    download = download_info.value
    assert download.suggested_filename == "Rapport final réservé – version élus.pdf"
    with open(download.path(), "rb") as received:
        assert received.read(5) == b"%PDF-"
    documents["report"].refresh_from_db()
    assert documents["report"].downloads == 1
