"""Where the chantiers stand, in Chromium: /avancement/ filtered through htmx (the address
pushed, the count announced) and with a plain form without JavaScript, axe-core after every
swap, the chantier page's « Où en est-on ? », an action's page, a phone screen."""

import re

import pytest
from playwright.sync_api import expect

from chantiers import demo, demo_progress
from chantiers.models import Action, ActionStatus, Meeting

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def content():
    demo.load()  # the real content first, then the demo on top
    demo_progress.load()


def test_filtering_actions_swaps_the_columns_and_pushes_the_url(
    page, live_server, content, assert_accessible
):
    page.goto(live_server.url + "/avancement/")
    total = Action.objects.count()
    expect(page.locator("#avancement-resultats .action-item")).to_have_count(total)
    page.evaluate("window.__sameDocument = 'oui'")
    page.locator("#id_statut").focus()
    page.select_option("#id_statut", ActionStatus.ABANDONED)
    page.wait_for_url(re.compile(r"/avancement/\?statut=abandonnee$"))
    abandoned = Action.objects.filter(status=ActionStatus.ABANDONED).count()
    expect(page.locator("#avancement-resultats .action-item")).to_have_count(abandoned)
    expect(page.locator("#avancement-compte")).to_have_text(
        f"{abandoned} action « abandonnée »"
        if abandoned == 1
        else f"{abandoned} actions « abandonnée »"
    )
    assert page.evaluate("window.__sameDocument") == "oui"
    assert page.locator("#id_statut").evaluate("el => el === document.activeElement")
    assert_accessible(page)
    page.select_option("#id_statut", "en_retard")
    page.wait_for_url(re.compile(r"statut=en_retard$"))
    late = Action.objects.late().count()
    expect(page.locator("#avancement-resultats .action-item--late")).to_have_count(late)
    expect(page.locator("#avancement-resultats .action-item")).to_have_count(late)
    assert_accessible(page)
    # Back shows a whole page, never a bare fragment.
    page.go_back()
    page.wait_for_url(re.compile(r"statut=abandonnee$"))
    expect(page.locator("h1")).to_have_text("Où en est-on ?")
    expect(page.locator("#avancement-resultats .action-item")).to_have_count(abandoned)


def test_filtering_actions_without_javascript(
    nojs_page, live_server, content, assert_accessible_without_js
):
    nojs_page.goto(live_server.url + "/avancement/")
    nojs_page.select_option("#id_statut", ActionStatus.DONE)
    with nojs_page.expect_navigation():
        nojs_page.get_by_role("button", name="Filtrer").click()
    assert nojs_page.url.endswith("/avancement/?statut=realisee")
    done = Action.objects.filter(status=ActionStatus.DONE).count()
    expect(nojs_page.locator("#avancement-resultats .action-item")).to_have_count(done)
    assert_accessible_without_js(nojs_page)
    # The journal pages with plain links.
    nojs_page.get_by_role("link", name="Points d'étape plus anciens").click()
    assert "page=2" in nojs_page.url
    expect(nojs_page.locator("#journal .journal-entry")).to_have_count(10)
    assert_accessible_without_js(nojs_page)
    # From a chantier's « Où en est-on ? » to an action's journal, without JavaScript.
    nojs_page.goto(live_server.url + "/chantiers/epargne-locale/")
    expect(nojs_page.locator("#avancement progress")).to_be_visible()
    assert_accessible_without_js(nojs_page)
    nojs_page.locator("#actions .action-item__title a").first.click()
    expect(nojs_page.locator("#journal-titre")).to_have_text("Journal de l'action")
    assert_accessible_without_js(nojs_page)


def test_progress_pages_are_axe_clean_with_one_h1(page, live_server, assert_accessible, content):
    action = Action.objects.filter(points__isnull=False).select_related("chantier").first()
    for path in (
        "/",
        "/avancement/",
        "/avancement/?page=2",
        "/avancement/rapport/",
        action.chantier.get_absolute_url(),
        action.get_absolute_url(),
        Meeting.objects.filter(points_etape__isnull=False).first().get_absolute_url(),
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)


def test_the_chantier_page_says_where_it_stands(page, live_server, content):
    page.goto(live_server.url + "/chantiers/epargne-locale/")
    panel = page.locator("#avancement")
    expect(panel.locator("h2")).to_have_text("Où en est-on ?")
    expect(panel.locator(".progress-panel__summary")).to_contain_text("1 action réalisée")
    progress = panel.locator("progress")
    expect(progress).to_have_attribute("max", "100")
    # The number is in the text, not only in the bar.
    label = panel.locator("label[for=avancement-chantier]")
    expect(label).to_contain_text(f"{progress.get_attribute('value')}\u00a0%")
    page.locator("#actions .action-item__title a").first.click()
    expect(page.locator("h1")).to_have_text(re.compile(".+"))
    expect(page.locator("#journal .journal-entry").first).to_be_visible()


def test_progress_pages_fit_a_phone_screen(phone_page, live_server, content):
    action = Action.objects.select_related("chantier").first()
    for path in ("/avancement/", action.get_absolute_url(), "/"):
        phone_page.goto(live_server.url + path)
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
