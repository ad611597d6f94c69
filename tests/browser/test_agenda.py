"""The agenda in Chromium: htmx filters and pages without reload, the same without
JavaScript, axe-core, a 360 px screen."""

import re

import pytest
from playwright.sync_api import expect

from chantiers import demo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def content():
    demo.load()


def test_filtering_the_agenda_swaps_the_results_and_pushes_the_url(
    page, live_server, assert_accessible, content
):
    page.goto(live_server.url + "/agenda/")
    page.evaluate("window.__sameDocument = 'oui'")
    page.select_option("#id_type", "session")
    page.wait_for_url(re.compile(r"/agenda/\?type=session$"))  # no empty fields
    items = page.locator("#agenda-results .meeting-item")
    expect(items.first).to_be_visible()
    expect(items.filter(has_text="Intersession")).to_have_count(0)
    assert items.count() == items.filter(has=page.locator(".badge--session")).count()
    expect(page.locator("#agenda-count")).to_contain_text("réunions")
    page.select_option("#id_chantier", "chantier-4")
    page.wait_for_url(re.compile(r"\?type=session&chantier=chantier-4$"))
    page.select_option("#id_periode", "a-venir")
    page.wait_for_url(re.compile(r"\?type=session&chantier=chantier-4&periode=a-venir$"))
    expect(page.locator("#agenda-results")).not_to_contain_text("Passées")
    assert page.evaluate("window.__sameDocument") == "oui"
    assert_accessible(page)


def test_agenda_pages_move_focus_to_the_new_results(page, live_server, content):
    page.goto(live_server.url + "/agenda/")
    page.evaluate("window.__sameDocument = 'oui'")
    page.get_by_role("link", name="Page suivante").click()
    page.wait_for_url(re.compile(r"\?page=2$"))
    expect(page.locator("#agenda-count")).to_contain_text("page 2 sur 2")
    expect(page.locator("#passees-titre")).to_be_focused()
    assert page.evaluate("window.__sameDocument") == "oui"
    page.go_back()
    page.wait_for_url(re.compile(r"/agenda/$"))
    expect(page.locator("#a-venir-titre")).to_be_visible()


def test_filtering_the_agenda_without_javascript(nojs_page, live_server, content):
    nojs_page.goto(live_server.url + "/agenda/")
    nojs_page.select_option("#id_type", "intersession")
    nojs_page.select_option("#id_chantier", "epargne-locale")
    with nojs_page.expect_navigation():
        nojs_page.get_by_role("button", name="Filtrer").click()
    assert "type=intersession" in nojs_page.url and "chantier=epargne-locale" in nojs_page.url
    items = nojs_page.locator("#agenda-results .meeting-item")
    expect(items.first).to_be_visible()
    assert items.count() == items.filter(has_text="Mobilisation de l'épargne locale").count()
    expect(nojs_page.locator("#agenda-results .badge--session")).to_have_count(0)
    expect(nojs_page.locator("#id_chantier")).to_have_value("epargne-locale")


def test_agenda_pages_without_javascript(nojs_page, live_server, content):
    nojs_page.goto(live_server.url + "/agenda/")
    with nojs_page.expect_navigation():
        nojs_page.get_by_role("link", name="Page suivante").click()
    assert nojs_page.url.endswith("/agenda/?page=2")
    expect(nojs_page.locator("#agenda-count")).to_contain_text("page 2 sur 2")


def test_agenda_is_axe_clean_and_fits_a_phone(
    page, phone_page, live_server, assert_accessible, content
):
    for path in ("/agenda/", "/agenda/?page=2", "/agenda/?type=session&periode=passees"):
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        phone_page.goto(live_server.url + path)
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"


def test_empty_agenda_is_axe_clean(page, live_server, assert_accessible):
    page.goto(live_server.url + "/agenda/")
    expect(page.locator("#agenda-count")).to_have_text("Aucune réunion")
    assert_accessible(page)
