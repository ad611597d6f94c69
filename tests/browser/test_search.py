"""Search and open data in Chromium: the header's box lists results as the person types,
without a reload; the same with JavaScript off; axe-core; no CSP violation; 360 px."""

import csv
import io
import json
import re

import pytest
from frictionless import validate
from playwright.sync_api import expect

from chantiers import territoire

pytestmark = pytest.mark.django_db(transaction=True)

EPARGNE = "Mobilisation de l'épargne locale pour financer des projets locaux"


@pytest.fixture
def content():
    territoire.load()  # the real chantiers of FACTS.md


def mark_document(page):
    page.evaluate("window.__sameDocument = 'oui'")


def same_document(page):
    return page.evaluate("window.__sameDocument") == "oui"


def test_typing_in_the_header_lists_the_chantier_without_reload(
    page, live_server, content, csp_violations
):
    page.goto(live_server.url + "/chantiers/")
    mark_document(page)
    box = page.get_by_role("searchbox", name="Rechercher sur le site")
    box.press_sequentially("epargne", delay=40)
    page.wait_for_url(re.compile(r"/recherche/\?q=epargne$"))
    result = page.locator("#search-results").get_by_role("link", name=EPARGNE)
    expect(result).to_be_visible()
    expect(result).to_have_attribute("href", "/chantiers/epargne-locale/")
    expect(result.locator("mark")).to_have_text("épargne")
    assert same_document(page)
    # The box keeps focus so the person can go on typing; the count is announced.
    expect(box).to_be_focused()
    expect(page.locator("#annonce")).to_have_text("1 résultat pour «\u00a0epargne\u00a0».")
    expect(page).to_have_title(re.compile(r"^Recherche «\u00a0epargne\u00a0» – 1 résultat – "))
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text("Rechercher sur le site")
    # The menu no longer marks « Chantiers » as the current page.
    expect(page.locator("#menu [aria-current]")).to_have_count(0)
    # Typing on: the page's own box now shows the same query.
    box.press_sequentially(" locale", delay=40)
    page.wait_for_url(re.compile(r"q=epargne\+locale$"))
    expect(page.locator("#recherche-q")).to_have_value("epargne locale")
    expect(result).to_be_visible()
    assert same_document(page)
    # Back returns to the chantiers, as a whole page.
    page.go_back()
    page.wait_for_url(re.compile(r"/chantiers/$"))
    expect(page.locator("h1")).to_have_text("Les chantiers")
    csp_violations.assert_none()


def test_typing_in_the_search_page_box_swaps_the_results_only(
    page, live_server, content, csp_violations
):
    page.goto(live_server.url + "/recherche/")
    mark_document(page)
    box = page.locator("#recherche-q")
    box.click()
    box.press_sequentially("ÉPARGNE", delay=40)
    page.wait_for_url(re.compile(r"/recherche/\?q=%C3%89PARGNE$"))
    expect(page.locator("#search-results").get_by_role("link", name=EPARGNE)).to_be_visible()
    expect(box).to_be_focused()
    assert same_document(page)
    # Emptying the box (the search input's clear) goes back to the invitation.
    box.fill("")
    box.dispatch_event("search")
    expect(page.locator(".search-results__count")).to_contain_text("Saisissez un ou plusieurs")
    csp_violations.assert_none()


def test_searching_without_javascript(nojs_page, live_server, content):
    nojs_page.goto(live_server.url + "/agenda/")
    nojs_page.get_by_role("searchbox", name="Rechercher sur le site").fill("epargne")
    with nojs_page.expect_navigation():
        nojs_page.keyboard.press("Enter")
    assert nojs_page.url.endswith("/recherche/?q=epargne")
    link = nojs_page.get_by_role("link", name=EPARGNE)
    expect(link).to_be_visible()
    with nojs_page.expect_navigation():
        link.click()
    assert nojs_page.url.endswith("/chantiers/epargne-locale/")
    # The page's own form works the same.
    nojs_page.goto(live_server.url + "/recherche/")
    nojs_page.locator("#recherche-q").fill("Vinadie")
    with nojs_page.expect_navigation():
        nojs_page.get_by_role("button", name="Rechercher", exact=True).last.click()
    expect(
        nojs_page.get_by_role("link", name="Stages territoire avec le lycée de La Vinadie")
    ).to_be_visible()


def test_search_page_is_accessible(page, live_server, content, assert_accessible):
    page.goto(live_server.url + "/recherche/")
    assert_accessible(page)
    page.goto(live_server.url + "/recherche/?q=epargne")
    expect(page.locator("mark").first).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + "/recherche/?q=introuvable")
    assert_accessible(page)
    # After a live swap from the header, too.
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Rechercher sur le site").press_sequentially("lycee")
    page.wait_for_url(re.compile(r"q=lycee$"))
    expect(page.locator("#search-results mark").first).to_be_visible()
    assert_accessible(page)


def test_open_data_page_is_accessible_and_its_files_parse(
    page, live_server, content, assert_accessible, csp_violations
):
    page.goto(live_server.url + "/donnees/")
    expect(page.locator("h1")).to_have_text("Données ouvertes")
    page.locator("#jeu-chantiers summary").click()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV – les chantiers").click()
    path = download_info.value.path()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert EPARGNE in {row["intitule"] for row in rows} and len(rows) == 5
    response = page.request.get(live_server.url + "/donnees/reunions.json")
    assert response.ok and json.loads(response.body())["lignes"] == []
    # The package and every file it names, read from the running server by frictionless.
    page.get_by_role("link", name="datapackage.json").click()
    assert page.url == live_server.url + "/donnees/datapackage.json"
    report = validate(page.url)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    # (frictionless leaves the row count out of an empty file's stats)
    rows = {task.name: task.stats.get("rows", 0) for task in report.tasks}
    assert rows == {
        "chantiers": 5,
        "reunions": 0,
        "actions": 0,
        "points-etape": 0,
        "documents": 0,
        "diagnostic": 0,
        "indicateurs": 0,
    }
    csp_violations.assert_none()


def test_header_on_a_phone(phone_page, live_server, content, csp_violations):
    csp_violations.watch(phone_page)
    phone_page.goto(live_server.url + "/")
    box = phone_page.get_by_role("searchbox", name="Rechercher sur le site")
    button = phone_page.locator(".site-search__button")
    expect(box).to_be_visible()
    # Nothing overflows the 360 px screen; box and button are big enough to touch.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    box_size, button_size = box.bounding_box(), button.bounding_box()
    assert box_size["width"] >= 200 and box_size["height"] >= 44
    assert button_size["width"] >= 44 and button_size["height"] >= 44
    assert box_size["x"] + box_size["width"] <= button_size["x"] + 1  # side by side
    box.press_sequentially("epargne", delay=40)
    phone_page.wait_for_url(re.compile(r"q=epargne$"))
    expect(phone_page.get_by_role("link", name=EPARGNE)).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    csp_violations.assert_none()


def test_feed_and_sitemap_are_served_as_xml(page, live_server, content):
    for path, kind in [("/flux.atom", "application/atom+xml"), ("/sitemap.xml", "application/xml")]:
        response = page.request.get(live_server.url + path)
        assert response.ok and response.headers["content-type"].startswith(kind)
        assert response.body().startswith(b"<?xml")
    text = page.request.get(live_server.url + "/robots.txt").text()
    assert "Sitemap: " + live_server.url + "/sitemap.xml" in io.StringIO(text).read()
