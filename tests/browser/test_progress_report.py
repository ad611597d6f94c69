"""The rapport d'avancement in Chromium: axe-core on the report and on its PDF's waiting
page, a phone screen, and a PDF asked for while the worker has not built it yet, got
once ready, with JavaScript (htmx asks every two seconds) and without (a link)."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from chantiers.models import Chantier
from diagnostic.report.period import calendar_year
from tests.diagnostic.report_worker import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def content():
    call_command("load_territoire", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    return list(Chantier.objects.in_order())


def hold_polls(page):
    """Let the page load, but keep htmx's requests for the PDF's state waiting in the
    browser until released: the worker then runs alone on the test database (on SQLite
    the live server shares the test's connection). Returns the release function."""
    held, released = [], []

    def route(request_route):
        if released or request_route.request.resource_type == "document":
            request_route.continue_()
        else:
            held.append(request_route)

    page.route(re.compile(r".*/avancement/rapport\.pdf.*"), route)

    def release():
        released.append(True)
        for waiting in held:
            waiting.continue_()

    return release


def pdf_of(download, chantiers):
    data = open(download.path(), "rb").read()  # noqa: SIM115 - read at once
    assert data.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    text = " ".join(text.split())
    # Spaces as the text has them (« agriculture\u00a0! » reads « agriculture ! »).
    assert all(" ".join(chantier.display_title.split()) in text for chantier in chantiers)
    return data


def test_the_report_is_axe_clean_with_one_h1_and_fits_a_phone(
    page, phone_page, live_server, content, assert_accessible
):
    year = calendar_year(2025)
    for path in ("/avancement/rapport/", f"/avancement/rapport/?{year.query}"):
        response = page.goto(live_server.url + path)
        assert response.status == 200
        assert page.locator("h1").count() == 1
        expect(page.locator(".report-chantier h3")).to_have_count(len(content))
        assert_accessible(page)
    page.goto(live_server.url + "/avancement/rapport/?du=2025-12-31&au=2025-01-01")
    expect(page.locator(".error-summary")).to_be_focused()
    assert_accessible(page)
    phone_page.goto(live_server.url + "/avancement/rapport/")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the report scrolls sideways by {overflow}px on a phone"


def test_the_period_is_chosen_with_the_form_and_the_shortcuts(page, live_server, content):
    page.goto(live_server.url + "/avancement/")
    page.get_by_role("link", name="Le rapport des douze derniers mois").click()
    expect(page.locator("h1")).to_contain_text("Rapport d'avancement du projet de territoire")
    page.locator("#id_du").fill("2025-01-01")
    page.locator("#id_au").fill("2025-06-30")
    page.get_by_role("button", name="Afficher le rapport").click()
    expect(page.locator("h1")).to_contain_text("du 1er\u00a0janvier 2025 au 30\u00a0juin 2025")
    page.get_by_role("link", name="L'année 2025").click()
    expect(page.locator("h1")).to_contain_text("au 31\u00a0décembre 2025")


def test_with_javascript_the_pdf_comes_when_ready(page, live_server, content, assert_accessible):
    release = hold_polls(page)
    page.goto(live_server.url + "/avancement/rapport/")
    page.get_by_role("link", name="Télécharger ce rapport en PDF").click()
    state = page.locator("#rapport-pdf-etat")
    expect(state).to_contain_text("En préparation")
    assert page.locator("[data-hx-trigger='every 2s']").count() == 1
    assert_accessible(page)
    run_worker()
    release()
    # htmx asks again, without reloading the page, and offers the file.
    page.evaluate("window.__sameDocument = 'oui'")
    expect(state).to_contain_text("Le PDF est prêt", timeout=15_000)
    assert page.evaluate("window.__sameDocument") == "oui"
    assert page.locator("[data-hx-trigger='every 2s']").count() == 0
    with page.expect_download() as download:
        state.get_by_role("link", name=re.compile("Télécharger le rapport")).click()
    pdf_of(download.value, content)
    assert_accessible(page)


def test_without_javascript_the_link_gets_the_pdf_when_ready(
    nojs_page, live_server, content, assert_accessible_without_js
):
    nojs_page.goto(live_server.url + "/avancement/rapport/")
    nojs_page.get_by_role("link", name="Télécharger ce rapport en PDF").click()
    expect(nojs_page.locator("#rapport-pdf-etat")).to_contain_text("En préparation")
    assert_accessible_without_js(nojs_page)
    check = nojs_page.get_by_role("link", name="Vérifier si le PDF est prêt")
    # Asked again before the worker ran: still being prepared.
    check.click()
    expect(nojs_page.locator("#rapport-pdf-etat")).to_contain_text("En préparation")
    run_worker()
    with nojs_page.expect_download() as download:
        nojs_page.get_by_role("link", name="Vérifier si le PDF est prêt").click()
    pdf_of(download.value, content)
