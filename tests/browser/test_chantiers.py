"""The chantiers in Chromium: htmx filtering without reload, the same without JavaScript,
« voir plus », axe-core on every page, a 360 px screen, and a resident's whole journey."""

import re

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from chantiers import demo
from chantiers.models import Chantier, Meeting

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def content():
    demo.load()  # loads the real content first, then the demo on top


def mark_document(page):
    """A marker that only survives if the document is never reloaded."""
    page.evaluate("window.__sameDocument = 'oui'")


def same_document(page):
    return page.evaluate("window.__sameDocument") == "oui"


def test_filtering_chantiers_swaps_the_list_and_pushes_the_url(page, live_server, content):
    page.goto(live_server.url + "/chantiers/")
    expect(page.locator(".chantier-card")).to_have_count(5)
    mark_document(page)
    page.locator("#id_etat").focus()
    page.select_option("#id_etat", "a_preciser")
    page.wait_for_url(re.compile(r"/chantiers/\?etat=a_preciser$"))
    expect(page.locator(".chantier-card")).to_have_count(2)
    expect(page.locator("#chantier-count")).to_have_text("2 chantiers dans cet état")
    expect(page.locator("#chantier-count")).to_have_attribute("role", "status")
    assert same_document(page)
    # The select keeps focus: a keyboard user can go on choosing.
    assert page.locator("#id_etat").evaluate("el => el === document.activeElement")
    page.get_by_role("button", name="Filtrer").click()  # the button goes through htmx too
    page.select_option("#id_etat", "en_action")
    page.wait_for_url(re.compile(r"etat=en_action$"))
    expect(page.locator(".chantier-card")).to_have_count(3)
    assert same_document(page)
    # Back shows the previous list in a whole page, never a bare fragment.
    page.go_back()
    page.wait_for_url(re.compile(r"etat=a_preciser$"))
    expect(page.locator(".chantier-card")).to_have_count(2)
    expect(page.locator("h1")).to_have_text("Les chantiers")


def test_a_shared_filter_url_opens_filtered(page, live_server, content):
    page.goto(live_server.url + "/chantiers/?etat=en_action")
    expect(page.locator(".chantier-card")).to_have_count(3)
    expect(page.locator("#id_etat")).to_have_value("en_action")


def test_filtering_chantiers_without_javascript(nojs_page, live_server, content):
    nojs_page.goto(live_server.url + "/chantiers/")
    nojs_page.select_option("#id_etat", "a_preciser")
    with nojs_page.expect_navigation():
        nojs_page.get_by_role("button", name="Filtrer").click()
    assert nojs_page.url.endswith("/chantiers/?etat=a_preciser")
    expect(nojs_page.locator(".chantier-card")).to_have_count(2)
    expect(nojs_page.locator("#chantier-count")).to_have_text("2 chantiers dans cet état")


def test_voir_plus_appends_past_meetings_and_moves_focus(page, live_server, content):
    chantier = Chantier.objects.get(slug="epargne-locale")
    page.goto(live_server.url + chantier.get_absolute_url())
    items = page.locator("#passees-liste .meeting-item")
    expect(items).to_have_count(5)
    mark_document(page)
    page.get_by_role("link", name="Voir plus de réunions passées").click()
    expect(items).to_have_count(10)
    assert same_document(page)
    expect(page.locator("#passee-6")).to_be_focused()
    page.get_by_role("link", name="Voir plus de réunions passées").click()
    expect(items).to_have_count(11)
    expect(page.get_by_role("link", name="Voir plus de réunions passées")).to_have_count(0)


def test_voir_plus_without_javascript(nojs_page, live_server, content):
    chantier = Chantier.objects.get(slug="epargne-locale")
    nojs_page.goto(live_server.url + chantier.get_absolute_url())
    with nojs_page.expect_navigation():
        nojs_page.get_by_role("link", name="Voir plus de réunions passées").click()
    assert nojs_page.url.endswith("?passees=2#passee-6")
    expect(nojs_page.locator("#passees-liste .meeting-item")).to_have_count(10)


def _pages():
    held = Meeting.objects.filter(attachments__isnull=False).first()
    return [
        "/",
        "/chantiers/",
        "/chantiers/?etat=a_preciser",
        *(c.get_absolute_url() for c in Chantier.objects.all()),
        "/equipe/",
        held.get_absolute_url(),
        Meeting.objects.upcoming().sessions().first().get_absolute_url(),
    ]


def test_every_page_is_axe_clean_with_one_h1(page, live_server, assert_accessible, content):
    for path in _pages():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert page.locator("html").get_attribute("lang") == "fr"
        assert_accessible(page)


def test_pages_are_axe_clean_with_real_content_only(page, live_server, assert_accessible):
    from chantiers import territoire

    territoire.load()
    for path in ("/", "/chantiers/", "/chantiers/chantier-4/", "/equipe/"):
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_swapped_content_is_axe_clean(page, live_server, assert_accessible, content):
    page.goto(live_server.url + "/chantiers/")
    page.select_option("#id_etat", "en_action")
    page.wait_for_url(re.compile(r"etat=en_action$"))
    expect(page.locator(".chantier-card")).to_have_count(3)
    assert_accessible(page)
    page.goto(live_server.url + "/chantiers/epargne-locale/")
    page.get_by_role("link", name="Voir plus de réunions passées").click()
    expect(page.locator("#passees-liste .meeting-item")).to_have_count(10)
    assert_accessible(page)


def test_pages_fit_a_phone_screen(phone_page, live_server, content):
    for path in _pages():
        phone_page.goto(live_server.url + path)
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a 360 px screen"


def test_a_resident_goes_from_home_to_a_chantier_its_ecosystem_and_next_intersession(
    page, live_server, content
):
    page.goto(live_server.url + "/")
    page.locator(".home-chantiers").get_by_role("link", name="Dessine-moi ton agriculture").click()
    page.wait_for_url(re.compile(r"/chantiers/dessine-moi-ton-agriculture/$"))
    page.get_by_role("link", name="L'écosystème").click()
    expect(page.locator("#ecosysteme")).to_be_in_viewport()
    expect(page.locator("#ecosysteme .member-list li").first).to_be_visible()
    next_intersession = page.locator("#prochaines .meeting-item").filter(has_text="Intersession")
    next_intersession.first.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/agenda/[\w-]+/$"))
    expect(page.locator("h1")).to_contain_text("Intersession")
    expect(page.get_by_role("link", name="Voir le chantier")).to_have_attribute(
        "href", "/chantiers/dessine-moi-ton-agriculture/"
    )
    add = page.get_by_role("link", name=re.compile("Ajouter à mon agenda"))
    href = add.get_attribute("href")
    assert href.endswith("/evenement.ics")
    response = page.request.get(live_server.url + href)
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.body()).walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["URL"]) == page.url
