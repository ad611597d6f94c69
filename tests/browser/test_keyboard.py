"""The resident's journeys with the keyboard only (Tab, Shift+Tab, Enter, Space, arrows; no
click), in Chromium: filter the chantiers, open one, the search, the agenda's pages and
filters (the join form and « Je participe »: test_keyboard_participation.py). After each
htmx swap and while a slow answer is awaited (the test holds it back), focus is where the
person expects, visibly; the live regions say the settled result once; the title follows
the content; axe-core at each step. Then the same journeys with JavaScript off."""

import re

import pytest
from playwright.sync_api import expect

from chantiers import demo, territoire
from tests.browser.keyboard import (
    SlowServer,
    focus_is_visible,
    htmx_requests,
    live_texts,
    record_live_region,
    tab_to,
)
from tests.chantiers.participation import _empty_cache  # noqa: F401
from tests.factories import ChantierFactory, MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)


# --- Content ----------------------------------------------------------------------------------


@pytest.fixture
def real_content():
    territoire.load()  # the real chantiers of FACTS.md


@pytest.fixture
def demo_content():
    demo.load()


@pytest.fixture
def meetings_to_search():
    """25 meetings and a chantier with one word in common: two kinds, two pages of meetings."""
    chantier = ChantierFactory(title="Haies et bocage", slug="bocage")
    for number in range(25):
        MeetingFactory(title=f"Atelier bocage {number}", chantier=chantier)
    return chantier


# --- Search -------------------------------------------------------------------------------


def test_enter_during_a_live_search_shows_the_results_without_an_error(
    page, live_server, real_content
):
    # Enter while the live search's request is on its way used to abort it: htmx logs
    # an abort as an error (the console is checked after every browser test).
    slow = SlowServer(page, re.compile(r"/recherche/\?"))
    page.goto(live_server.url + "/")
    box = page.get_by_role("searchbox", name="Rechercher sur le site")
    tab_to(page, box)
    record_live_region(page, "#annonce")
    page.keyboard.type("epar", delay=30)
    slow.wait_for_request()
    page.keyboard.type("gne", delay=30)
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    # During the wait: nothing swapped yet, the box keeps focus and what was typed.
    assert page.url == live_server.url + "/"
    expect(box).to_be_focused()
    expect(box).to_have_value("epargne")
    slow.release()
    page.wait_for_url(re.compile(r"/recherche/\?q=epargne$"))
    expect(
        page.locator("#search-results").get_by_role("link", name=re.compile("épargne"))
    ).to_be_visible()
    expect(box).to_be_focused()
    # The answer for « epar » arrived first but the box had moved on: it was left out, so
    # only the settled result was read out, and Back goes where the person came from.
    expect(page.locator("#annonce")).to_have_text("1 résultat pour «\u00a0epargne\u00a0».")
    assert live_texts(page, "#annonce") == ["1 résultat pour «\u00a0epargne\u00a0»."]
    page.go_back()
    page.wait_for_url(live_server.url + "/")


def test_search_by_keyboard(page, live_server, assert_accessible, meetings_to_search):
    slow = SlowServer(page, re.compile(r"/recherche/\?"), holding=False)
    page.goto(live_server.url + "/")
    box = page.get_by_role("searchbox", name="Rechercher sur le site")
    assert tab_to(page, box) <= 3
    skip = page.get_by_role("link", name="Aller aux résultats")
    expect(skip).to_have_count(0)  # hidden until there are results
    record_live_region(page, "#annonce")
    page.keyboard.type("bocage", delay=30)
    page.wait_for_url(re.compile(r"/recherche/\?q=bocage$"))
    expect(box).to_be_focused()
    first_announcement = "26 résultats pour «\u00a0bocage\u00a0»."
    expect(page.locator("#annonce")).to_have_text(first_announcement)
    expect(page).to_have_title(re.compile(r"^Recherche «\u00a0bocage\u00a0» – 26 résultats – "))
    assert_accessible(page)

    # From the box to the results: the button, then « Aller aux résultats ».
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    count = page.locator(".search-results__count")
    expect(count).to_be_focused()
    assert focus_is_visible(count)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#search-results') !== null")

    # One type: the focused link goes away, focus lands on the count, read out anew.
    more = page.get_by_role("link", name="Voir les 25 réunions")
    tab_to(page, more)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"type="))
    expect(count).to_be_focused()
    assert focus_is_visible(count)
    by_type = "25 résultats parmi les réunions pour «\u00a0bocage\u00a0», page 1 sur 2."
    expect(page.locator("#annonce")).to_have_text(by_type)
    assert_accessible(page)

    # Next page, with a slow answer: focus stays on the link while waiting.
    slow.hold()
    next_page = page.get_by_role("link", name="Page suivante")
    tab_to(page, next_page)
    page.keyboard.press("Enter")
    slow.wait_for_request()
    page.wait_for_timeout(200)
    expect(next_page).to_be_focused()
    slow.release()
    page.wait_for_url(re.compile(r"page=2"))
    expect(count).to_be_focused()
    by_page = "25 résultats parmi les réunions pour «\u00a0bocage\u00a0», page 2 sur 2."
    expect(page.locator("#annonce")).to_have_text(by_page)
    expect(page).to_have_title(re.compile(r"\(page 2\)"))
    assert live_texts(page, "#annonce") == [first_announcement, by_type, by_page]
    assert_accessible(page)

    # Back: the results of page 1 again, and the header's box still says what they are for.
    page.go_back()
    page.wait_for_url(re.compile(r"type=[a-z]+$"))
    expect(page.locator(".search-results__count")).to_contain_text("page 1 sur 2")
    expect(box).to_have_value("bocage")
    expect(skip).to_have_count(1)  # not hidden: there are results to jump to


# --- Chantiers ----------------------------------------------------------------------------


def test_filter_the_chantiers_by_keyboard_then_open_one(
    page, live_server, assert_accessible, demo_content
):
    page.goto(live_server.url + "/chantiers/")
    select = page.get_by_label("État")
    tab_to(page, select)
    requests = htmx_requests(page, r"/chantiers/\?")
    record_live_region(page, "#chantier-count")
    # Arrows walk through the states: nothing is sent or announced on the way.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    assert requests == []
    # Enter applies the state chosen, once.
    state = select.input_value()
    assert state
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/chantiers/\?etat={state}$"))
    cards = page.locator(".chantier-card")
    expect(page.locator("#chantier-count")).to_have_text(
        re.compile(rf"^{cards.count()} chantiers? dans cet état$")
    )
    assert len(requests) == 1
    assert live_texts(page, "#chantier-count") == [page.locator("#chantier-count").inner_text()]
    expect(select).to_be_focused()
    assert_accessible(page)

    # Back to every state, then leaving the select applies it.
    page.keyboard.press("Home")
    page.keyboard.press("Tab")
    page.wait_for_url(re.compile(r"/chantiers/$"))
    expect(page.get_by_role("button", name="Filtrer")).to_be_focused()
    expect(cards).to_have_count(5)
    assert len(requests) == 2

    # Open a chantier.
    first = cards.first.get_by_role("link").first
    name = first.inner_text()
    tab_to(page, first)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(name)
    assert_accessible(page)


# --- Agenda -------------------------------------------------------------------------------


def test_agenda_pages_and_filters_by_keyboard(page, live_server, assert_accessible, demo_content):
    slow = SlowServer(page, re.compile(r"/agenda/\?"))
    page.goto(live_server.url + "/agenda/")
    expect(page).not_to_have_title(re.compile(r"\(page"))
    next_page = page.get_by_role("link", name="Page suivante")
    tab_to(page, next_page)
    page.keyboard.press("Enter")
    slow.wait_for_request()
    page.wait_for_timeout(200)
    expect(next_page).to_be_focused()  # while the answer is awaited
    slow.release()
    page.wait_for_url(re.compile(r"\?page=2$"))
    heading = page.locator("#passees-titre")
    expect(heading).to_be_focused()
    assert focus_is_visible(heading)
    expect(page).to_have_title(
        re.compile(r"^Agenda des Sessions et des Intersessions \(page 2\) – ")
    )
    expect(page.locator("#agenda-count")).to_contain_text("page 2 sur 2")
    assert_accessible(page)

    previous = page.get_by_role("link", name="Page précédente")
    tab_to(page, previous)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?page=1$"))
    expect(page.locator("#a-venir-titre")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Agenda des Sessions et des Intersessions – "))

    # Back up to the type of meeting; arrows then a pause apply the settled choice once.
    kind = page.get_by_label("Type de réunion")
    tab_to(page, kind, key="Shift+Tab")
    requests = htmx_requests(page, r"/agenda/\?")
    record_live_region(page, "#agenda-count")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert requests == []
    page.wait_for_url(re.compile(r"\?type=intersession$"))
    expect(kind).to_be_focused()
    assert len(requests) == 1
    count = page.locator("#agenda-count")
    expect(count).to_contain_text("réunion")
    assert live_texts(page, "#agenda-count") == [count.inner_text()]
    expect(page.locator("#agenda-results .badge--session")).to_have_count(0)
    assert_accessible(page)


# --- The same journeys with JavaScript off --------------------------------------------------


def test_journeys_by_keyboard_without_javascript(
    nojs_page, live_server, assert_accessible_without_js, demo_content
):
    page = nojs_page
    # Filter the chantiers: choose with the arrows, then the « Filtrer » button.
    page.goto(live_server.url + "/chantiers/")
    select = page.get_by_label("État")
    tab_to(page, select)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    state = select.input_value()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Filtrer")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/chantiers/?etat={state}")
    cards = page.locator(".chantier-card")
    expect(page.locator("#chantier-count")).to_have_text(
        re.compile(rf"^{cards.count()} chantiers? dans cet état$")
    )
    assert_accessible_without_js(page)
    first = cards.first.get_by_role("link").first
    tab_to(page, first)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_count(1)

    # The join form, sent empty then filled.
    page.goto(live_server.url + "/nous-rejoindre/")
    button = page.get_by_role("button", name="Envoyer ma demande")
    tab_to(page, button)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile(r"^Erreur – Nous rejoindre – "))
    expect(page.locator("input[name=participation]").first).to_have_attribute(
        "aria-describedby", "rejoindre-participation_error"
    )
    assert_accessible_without_js(page)
    tab_to(page, page.locator("#rejoindre-name"))
    page.keyboard.type("Camille Martin")
    page.keyboard.press("Tab")
    page.keyboard.type("camille.martin@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("Figeac")
    tab_to(page, page.locator("#rejoindre-participation_0"))
    page.keyboard.press("Space")
    tab_to(page, page.locator("#rejoindre-consent"))
    page.keyboard.press("Space")
    tab_to(page, button)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Merci, votre demande est envoyée")

    # Search from the header, then jump to the results.
    page.goto(live_server.url + "/agenda/")
    box = page.get_by_role("searchbox", name="Rechercher sur le site")
    tab_to(page, box)
    page.keyboard.type("epargne")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/recherche/?q=epargne")
    expect(box).to_have_value("epargne")
    tab_to(page, page.get_by_role("link", name="Aller aux résultats"))
    page.keyboard.press("Enter")
    count = page.locator(".search-results__count")
    expect(count).to_be_focused()
    assert focus_is_visible(count)
    assert_accessible_without_js(page)

    # The agenda's next page.
    page.goto(live_server.url + "/agenda/")
    tab_to(page, page.get_by_role("link", name="Page suivante"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_title(
        re.compile(r"^Agenda des Sessions et des Intersessions \(page 2\) – ")
    )
    assert_accessible_without_js(page)
