"""The participation journeys with the keyboard only, in Chromium: the join form and
« Je participe », while a slow answer is awaited (the test holds it back), then « Je
participe » with JavaScript off. Focus is where the person expects, visibly; the live
regions say the settled result once; axe-core at each step. The other journeys are in
test_keyboard.py."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.keyboard import (
    SlowServer,
    focus_is_visible,
    in_viewport,
    tab_to,
)
from tests.chantiers.participation import _empty_cache  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


# --- Participation ------------------------------------------------------------------------


def test_join_form_by_keyboard_with_a_slow_answer(page, live_server, assert_accessible, chantiers):
    slow = SlowServer(page, re.compile(r"/nous-rejoindre/$"))
    page.goto(live_server.url + "/nous-rejoindre/")
    button = page.get_by_role("button", name="Envoyer ma demande")
    tab_to(page, button)
    page.keyboard.press("Enter")
    slow.wait_for_request()
    # While it is sent: focus stays on the button, which says it is busy; a second Enter
    # sends nothing more; Tab goes on from the button, Shift+Tab comes back to it.
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-disabled", "true")
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    page.wait_for_timeout(300)
    assert len(slow.requests) == 1
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("link", name="vos données personnelles")).to_be_focused()
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    slow.release()

    # The errors: focus on the first field, its label, its error and the summary in view.
    name = page.locator("#rejoindre-name")
    expect(name).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Erreur – Nous rejoindre – "))
    for part in (
        page.locator(".error-summary"),
        page.locator("label[for=rejoindre-name]"),
        page.locator("#rejoindre-name_error"),
        name,
    ):
        assert in_viewport(part), part
    # The radio group's error is read on each radio, as on the other fields.
    radios = page.locator("input[name=participation]")
    expect(radios).to_have_count(4)
    for index in range(4):
        expect(radios.nth(index)).to_have_attribute(
            "aria-describedby", "rejoindre-participation_error"
        )
    expect(page.locator("#rejoindre-participation_error")).to_contain_text(
        "Choisissez une façon de participer."
    )
    assert_accessible(page)
    # A link of the summary shows its field with the field's error, not only the box.
    to_consent = page.get_by_role("link", name=re.compile("^Consentement"))
    tab_to(page, to_consent, key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#rejoindre-consent")).to_be_focused()
    assert in_viewport(page.locator("#rejoindre-consent_error"))
    tab_to(page, name, key="Shift+Tab")

    page.keyboard.type("Camille Martin")
    page.keyboard.press("Tab")
    expect(page.locator("#rejoindre-email")).to_be_focused()
    page.keyboard.type("camille.martin@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("Figeac")
    tab_to(page, radios)  # the group is entered on the radio last visited
    page.keyboard.press("Space")
    expect(page.locator("input[name=participation]:checked")).to_have_count(1)
    consent = page.locator("#rejoindre-consent")
    tab_to(page, consent)
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    tab_to(page, button)
    page.keyboard.press("Enter")
    confirmation = page.locator(".confirmation__title")
    expect(confirmation).to_be_focused()
    assert focus_is_visible(confirmation)
    expect(page).to_have_title(re.compile(r"^Nous rejoindre – "))
    assert_accessible(page)


def test_je_participe_by_keyboard_with_a_slow_answer(page, live_server, assert_accessible, meeting):
    slow = SlowServer(page, re.compile(r"/inscription/$"))
    page.goto(live_server.url + meeting.get_absolute_url())
    box = page.locator("#inscription")
    button = box.get_by_role("button", name=re.compile("Je participe"))
    tab_to(page, button)
    page.keyboard.press("Enter")
    slow.wait_for_request()
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-disabled", "true")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert len(slow.requests) == 1
    slow.release()

    name = page.locator(f"#inscription-{meeting.pk}-name")
    expect(name).to_be_focused()
    expect(box.locator(".error-summary")).to_contain_text("3 erreurs")
    expect(page).to_have_title(re.compile(r"^Erreur – Intersession – agriculture"))
    assert in_viewport(box.locator(".error-summary")) and in_viewport(name)
    assert_accessible(page)

    page.keyboard.type("Louis Bernard")
    page.keyboard.press("Tab")
    page.keyboard.type("louis.bernard@example.org")
    consent = page.locator(f"#inscription-{meeting.pk}-consent")
    tab_to(page, consent)
    page.keyboard.press("Space")
    tab_to(page, button)
    page.keyboard.press("Enter")
    confirmation = box.locator(".confirmation__title")
    expect(confirmation).to_have_text("C'est noté : vérifiez vos courriels.")
    expect(confirmation).to_be_focused()
    assert focus_is_visible(confirmation)
    expect(page).to_have_title(re.compile(r"^Intersession – agriculture"))
    assert_accessible(page)


def test_je_participe_by_keyboard_without_javascript(nojs_page, live_server, meeting):
    page = nojs_page
    page.goto(live_server.url + meeting.get_absolute_url())
    button = page.get_by_role("button", name=re.compile("Je participe"))
    tab_to(page, page.get_by_label("Nom et prénom"))
    page.keyboard.type("Louis Bernard")
    page.keyboard.press("Tab")
    page.keyboard.type("louis.bernard@example.org")
    tab_to(page, page.get_by_label(re.compile("J'accepte que le PETR")))
    page.keyboard.press("Space")
    tab_to(page, button)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Vérifiez vos courriels")
