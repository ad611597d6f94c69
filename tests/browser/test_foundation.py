"""The skeleton in a real browser: skip link, axe-core, phone width."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/mentions-legales/",
    "/accessibilite/",
    "/accessibilite/signaler/",
    "/confidentialite/",
]


def test_home_skip_link_moves_focus_to_main(page, live_server, assert_accessible):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    assert page.url.endswith("#contenu")
    assert_accessible(page)


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_axe_violation(page, live_server, assert_accessible, path):
    response = page.goto(live_server.url + path)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").count() == 1
    assert_accessible(page)


# The page is answered with 404 on purpose; Chromium logs the status.
@pytest.mark.allow_console_errors(r"status of 404 \(Not Found\)")
def test_404_page_has_no_axe_violation(page, live_server, assert_accessible):
    response = page.goto(live_server.url + "/page-qui-n-existe-pas/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page introuvable"
    assert_accessible(page)


@pytest.mark.parametrize("path", PAGES)
def test_pages_fit_a_phone_screen(phone_page, live_server, path):
    phone_page.goto(live_server.url + path)
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a 360 px screen"


def test_console_errors_are_recorded(page, live_server, request):
    # The recorder behind every browser test: a console error and an uncaught exception
    # are both kept (then cleared here, so that this test passes).
    page.goto(live_server.url + "/")
    page.evaluate("console.error('essai')")
    page.evaluate("setTimeout(() => { throw new Error('boum'); })")
    page.wait_for_timeout(200)
    [recorder] = request.node._console_errors
    assert [error.split(": ", 1)[1] for error in recorder.errors] == ["essai", "boum"]
    recorder.errors.clear()


def test_browsers_asking_for_favicon_ico_get_the_icon(page, live_server):
    # The admin's pages name no icon: browsers ask for /favicon.ico (a 404 logged as a
    # console error before).
    response = page.goto(live_server.url + "/favicon.ico")
    assert response.ok and response.url.endswith(".svg")
    assert response.headers["content-type"].startswith("image/svg+xml")
