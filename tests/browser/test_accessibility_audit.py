"""The team records an RGAA audit in the admin by keyboard only (themes the site does not
have set « non applicable » at once, results chosen with the keys C/N and the arrows, what
fails typed in), publishes it, and the declaration and the footer of another page give its
rate and level. The grid's screens and the declaration pass axe-core; without JavaScript a
result is saved with its button."""

import re

import pytest
from playwright.sync_api import expect

from accessibilite.models import AccessibilityReport, Criterion, Result
from tests.accessibilite.factories import audit_with_pages, rgaa_version
from tests.accounts.helpers import make_account
from tests.browser.keyboard import tab_to
from tests.browser.test_admin_team import signed_in

pytestmark = pytest.mark.django_db(transaction=True)

# The themes the portal has, in this test: images and links; the others do not apply.
TESTED = (1, 6)


def criterion(audit, theme, number):
    return Criterion.objects.get(theme__version=audit.version, theme__number=theme, number=number)


def press_on(page, locator, key, *, backwards=False):
    """Move the focus to `locator` with Tab (or Shift+Tab), then press `key`."""
    tab_to(page, locator, key="Shift+Tab" if backwards else "Tab", limit=250)
    page.keyboard.press(key)


def test_an_audit_recorded_by_keyboard_is_published_and_declared(
    page, live_server, assert_accessible, csp_violations
):
    audit = audit_with_pages(rgaa_version(), pages=1)
    sample = audit.pages.get()
    signed_in(page, live_server, make_account("equipe"))
    grid = f"{live_server.url}/admin/accessibilite/audit/{audit.pk}/grille/"
    page.goto(grid)
    assert_accessible(page)

    # Every theme but images and links: « non applicable » on every page at once.
    for theme in range(2, 14):
        if theme in TESTED:
            continue
        button = page.locator(f'form:has(input[name="theme"][value="{theme}"]) button')
        press_on(page, button, "Enter", backwards=theme > 7)
        expect(page.locator(".messagelist")).to_contain_text("passés à « non applicable »")

    # The images of the page: 1.1 fails (and says why), the others conform.
    press_on(page, page.locator(f'a[href$="/grille/{sample.pk}/1/"]'), "Enter")
    expect(page.locator("h1")).to_have_text(f"{sample.name} — 1. Images")
    for number in range(1, 10):
        choice = page.locator(f'#critere-1-{number} input[value="NT"]')
        press_on(page, choice, "n" if number == 1 else "c")
        pk = criterion(audit, 1, number).pk
        expect(page.locator(f"#c{pk}-etat")).to_have_text(
            "Enregistré : Non conforme" if number == 1 else "Enregistré : Conforme"
        )
        if number == 1:
            failure = page.locator(f"#id_c{pk}-failure")
            tab_to(page, failure)
            page.keyboard.type("Le logo n'a pas d'alternative.")
            page.keyboard.press("Tab")  # leaving the field saves it
    expect(page.locator("#grille-etat")).to_have_text(
        "Critère 1.9 : conforme, enregistré. Reste à tester sur cette page : 2 critères."
    )
    # The tests and method of a criterion, opened from the keyboard, pass axe too.
    press_on(page, page.locator("#critere-1-2 summary"), "Enter", backwards=True)
    expect(page.locator("#critere-1-2 details")).to_have_attribute("open", "")
    assert_accessible(page)

    # Links: with the arrows (« non testé » → « non applicable » → « non conforme » →
    # « conforme »), then with the key C.
    press_on(page, page.locator('#grille-themes a:text-matches("^6\\\\. Liens")'), "Enter")
    expect(page.locator("h1")).to_have_text(f"{sample.name} — 6. Liens")
    tab_to(page, page.locator('#critere-6-1 input[value="NT"]'))
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    expect(page.locator(f"#c{criterion(audit, 6, 1).pk}-etat")).to_have_text(
        "Enregistré : Conforme"
    )
    press_on(page, page.locator('#critere-6-2 input[value="NT"]'), "c")
    expect(page.locator("#grille-etat")).to_contain_text(
        "Tous les critères sont testés sur cette page."
    )
    failing = Result.objects.get(page=sample, criterion=criterion(audit, 1, 1))
    assert (failing.status, failing.failure) == ("NC", "Le logo n'a pas d'alternative.")

    # Back to the grid, published.
    press_on(page, page.get_by_role("link", name="Retour à la grille"), "Enter")
    press_on(page, page.get_by_role("button", name="Publier l'audit"), "Enter")
    expect(page.locator(".messagelist")).to_contain_text("L'audit est publié")
    assert_accessible(page)

    # 10 criteria conform (8 images, 2 links) of 11 that apply: 90,91 %.
    page.goto(f"{live_server.url}/accessibilite/")
    expect(page.locator("main")).to_contain_text(
        "Le site du projet de territoire est partiellement conforme avec le référentiel"
    )
    expect(page.locator("main")).to_contain_text("révèle que 90,91 % des critères du RGAA")
    expect(page.locator("main")).to_contain_text("Le logo n'a pas d'alternative.")
    assert_accessible(page)
    page.goto(f"{live_server.url}/agenda/")
    expect(page.locator("footer")).to_contain_text("Accessibilité : partiellement conforme")
    csp_violations.assert_none()


def test_without_javascript_a_result_is_saved_with_its_button(nojs_page, live_server):
    audit = audit_with_pages(rgaa_version(), pages=1)
    sample = audit.pages.get()
    signed_in(nojs_page, live_server, make_account("equipe"))
    nojs_page.goto(f"{live_server.url}/admin/accessibilite/audit/{audit.pk}/grille/{sample.pk}/2/")
    tab_to(nojs_page, nojs_page.locator('#critere-2-1 input[value="NT"]'))
    nojs_page.keyboard.press("ArrowLeft")  # non applicable
    press_on(nojs_page, nojs_page.get_by_role("button", name="Enregistrer le critère 2.1"), "Enter")
    expect(nojs_page.locator(".messagelist")).to_have_text(
        re.compile(r"Critère 2\.1 : « Non applicable » enregistré\.")
    )
    assert nojs_page.url.endswith("#critere-2-1")
    expect(nojs_page.locator("#grille-etat")).to_have_text(
        "Reste à tester sur cette page : 105 critères."
    )


def test_a_visitor_reports_a_problem_by_keyboard_from_any_footer(
    page, live_server, assert_accessible, csp_violations
):
    page.goto(f"{live_server.url}/agenda/")
    press_on(page, page.get_by_role("link", name="Signaler un problème d'accessibilité"), "Enter")
    expect(page.locator("h1")).to_have_text("Signaler un problème d'accessibilité")
    expect(page.locator("#signaler-page")).to_have_value("/agenda/")
    # Sent empty: the errors, announced and linked to their field.
    press_on(page, page.get_by_role("button", name="Envoyer le signalement"), "Enter")
    expect(page.locator(".error-summary")).to_contain_text("2 erreurs empêchent l'envoi")
    assert_accessible(page)
    tab_to(page, page.locator("#signaler-email"))
    page.keyboard.type("lou@example.org")
    tab_to(page, page.locator("#signaler-message"))
    page.keyboard.type("Le calendrier ne se lit pas au lecteur d'écran.")
    press_on(page, page.get_by_role("button", name="Envoyer le signalement"), "Enter")
    expect(page.locator(".confirmation")).to_contain_text("Votre signalement est envoyé")
    assert_accessible(page)
    report = AccessibilityReport.objects.get()
    assert (report.email, report.page) == ("lou@example.org", "/agenda/")
    csp_violations.assert_none()
