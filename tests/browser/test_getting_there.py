"""Getting there by keyboard: from the top of a chantier page to « Je participe » through
« Sur cette page »; with JavaScript off, a refused registration answered on the chantier
page it was sent from; « Mon espace » from the header."""

import re

import pytest
from playwright.sync_api import expect

from chantiers.models import Registration
from tests.accounts.helpers import make_account
from tests.browser.test_admin_team import signed_in
from tests.chantiers.factories import OpenIntersessionFactory
from tests.chantiers.participation import _empty_cache  # noqa: F401
from tests.factories import ChantierFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def meeting():
    chantier = ChantierFactory(title="Dessine-moi ton agriculture !", slug="agriculture")
    # Enough on the page for the form to sit far below the header.
    MembershipFactory.create_batch(6, chantier=chantier)
    return OpenIntersessionFactory(
        chantier=chantier, title="Intersession – agriculture", slug="intersession", capacity=5
    )


def tab_until(page, matches, limit):
    """Press Tab until `matches(focused element description)`; returns how many Tabs."""
    for count in range(1, limit + 1):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement;"
            " return {id: e.id, text: (e.textContent || '').trim(), tag: e.tagName}; })()"
        )
        if matches(focused):
            return count
    raise AssertionError(f"not reached in {limit} Tabs")


def test_je_participe_is_a_few_tabs_away_through_sur_cette_page(
    page, live_server, assert_accessible, meeting
):
    page.goto(live_server.url + meeting.chantier.get_absolute_url())
    to_link = tab_until(page, lambda e: e["text"] == "Je participe à la prochaine intersession", 20)
    page.keyboard.press("Enter")
    # The jump to the anchor is not always done when Enter returns.
    page.wait_for_url(re.compile(r"#je-participe$"))
    name_id = page.locator("#inscription").get_by_label("Nom et prénom").get_attribute("id")
    to_field = tab_until(page, lambda e: e["id"] == name_id, 3)
    # Tabbing straight down the page takes longer: every link of the header, of the
    # chantier's breadcrumb, table of contents, ecosystem and meetings comes first.
    via_link = to_link + 1 + to_field
    page.goto(live_server.url + meeting.chantier.get_absolute_url())
    straight = tab_until(page, lambda e: e["id"] == name_id, 60)
    # (19: the menu has eight entries since « Avancement » joined it.)
    assert via_link <= 19 and via_link < straight, (via_link, straight)
    page.goto(live_server.url + meeting.chantier.get_absolute_url())
    tab_until(page, lambda e: e["text"] == "Je participe à la prochaine intersession", 20)
    page.keyboard.press("Enter")
    tab_until(page, lambda e: e["id"] == name_id, 3)
    page.keyboard.type("Louis Bernard")
    page.keyboard.press("Tab")
    page.keyboard.type("louis@example.org")
    tab_until(page, lambda e: e["tag"] == "INPUT" and "consent" in e["id"], 3)
    page.keyboard.press("Space")
    tab_until(page, lambda e: e["tag"] == "BUTTON" and e["text"].startswith("Je participe"), 3)
    page.keyboard.press("Enter")
    expect(page.locator("#inscription .confirmation")).to_be_visible()
    assert Registration.objects.filter(email="louis@example.org").exists()
    assert_accessible(page)


def test_without_javascript_errors_come_back_to_the_chantier_page(nojs_page, live_server, meeting):
    page = nojs_page
    page.goto(live_server.url + meeting.chantier.get_absolute_url())
    box = page.locator("#inscription")
    box.get_by_label("Nom et prénom").fill("Louis Bernard")
    with page.expect_navigation():
        box.get_by_label("Nom et prénom").press("Enter")
    expect(page).to_have_title(re.compile("^Erreur – Dessine-moi ton agriculture !"))
    expect(page.locator("h1")).to_have_text("Dessine-moi ton agriculture !")
    expect(box.locator(".error-summary")).to_contain_text("2 erreurs")
    expect(box.get_by_label("Nom et prénom")).to_have_value("Louis Bernard")
    # The browser went to the form's #je-participe: the box is in view, errors first.
    expect(box.locator(".error-summary")).to_be_in_viewport()
    box.get_by_label("Adresse électronique").fill("louis@example.org")
    box.get_by_label(re.compile("J'accepte que le PETR")).check()
    with page.expect_navigation():
        box.get_by_role("button", name=re.compile("Je participe")).click()
    assert page.url.split("#")[0] == live_server.url + "/agenda/intersession/inscription/merci/"
    assert Registration.objects.filter(email="louis@example.org").count() == 1


def test_a_signed_in_person_tabs_to_mon_espace_in_the_header(page, live_server, assert_accessible):
    signed_in(page, live_server, make_account("elu"))
    page.goto(live_server.url + "/")
    # Skip link, site name, search box and button, then the menu (« Avancement » among
    # its eight entries): « Mon espace » closes it.
    tabs = tab_until(page, lambda e: e["text"] == "Mon espace", 15)
    assert tabs <= 13, tabs
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server.url + "/compte/"
    expect(
        page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Mon espace")
    ).to_have_attribute("aria-current", "page")
    assert_accessible(page)
