"""No page breaks the Content Security Policy in a real browser, the admin included."""

import pytest
from django.contrib.auth.models import Group, Permission

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    ("/", 200),
    ("/mentions-legales/", 200),
    ("/accessibilite/", 200),
    ("/confidentialite/", 200),
    ("/nous-rejoindre/", 200),
    # Answered with 404 on purpose: Chromium logs the status in the console.
    pytest.param(
        "/page-qui-n-existe-pas/",
        404,
        marks=pytest.mark.allow_console_errors(r"status of 404 \(Not Found\)"),
    ),
    # The admin signs people in on the portal's own page (issue 4).
    ("/compte/connexion/", 200),
]


@pytest.mark.parametrize(("path", "status"), PAGES)
def test_page_triggers_no_csp_violation(page, live_server, csp_violations, path, status):
    response = page.goto(live_server.url + path)
    assert response.status == status
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    # htmx loaded and kept to the policy: no eval, no injected indicator styles.
    if path != "/admin/login/":
        assert page.evaluate("typeof htmx") == "object"
        assert page.evaluate("htmx.config.allowEval") is False
        assert page.evaluate("htmx.config.includeIndicatorStyles") is False
        assert page.locator("style").count() == 0
    csp_violations.assert_none()


# Chromium reports the refused inline script in the console too.
@pytest.mark.allow_console_errors(r"Content Security Policy")
def test_the_recorder_sees_a_violation(page, live_server, csp_violations):
    # The fixture must not pass because it sees nothing: an inline script is refused.
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => { const s = document.createElement("script");
        s.textContent = "window.__ran = true"; document.body.append(s); }"""
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran") is None
    assert csp_violations
    assert any(event["directive"].startswith("script-src") for event in csp_violations.events)


# Chromium reports the refused inline style in the console too.
@pytest.mark.allow_console_errors(r"Content Security Policy")
def test_recorder_watches_a_second_page_and_survives_navigation(
    phone_page, live_server, csp_violations
):
    csp_violations.watch(phone_page)
    phone_page.goto(live_server.url + "/")
    phone_page.get_by_role("link", name="Mentions légales").first.click()
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.url.endswith("/mentions-legales/")
    phone_page.evaluate(
        """() => { const d = document.createElement("div");
        d.setAttribute("style", "color: red"); document.body.append(d); }"""
    )
    phone_page.wait_for_function("window.__cspViolations.length > 0")
    assert len(csp_violations.events) == 1


def test_admin_works_under_the_policy(page, live_server, csp_violations, django_user_model):
    django_user_model.objects.create_superuser(email="admin@example.org", password="s3cret-pass!")
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Adresse électronique").fill("admin@example.org")
    page.get_by_label("Mot de passe").fill("s3cret-pass!")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server.url + "/admin/")
    assert page.locator("h1").inner_text() == "Tenir la démarche à jour"

    # A change form with a JavaScript widget (two-list selector of permissions).
    page.goto(live_server.url + "/admin/auth/group/add/")
    page.get_by_label("Nom").fill("Relecteurs")
    page.locator("#id_permissions_input").press_sequentially("groupe")
    page.get_by_text("Choisir toutes les valeurs").click()
    assert page.locator("#id_permissions_to option").count() > 0
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_url("**/admin/auth/group/")
    assert page.locator("#result_list").get_by_role("link", name="Relecteurs").is_visible()
    # The widget's scripts did their job: only the filtered permissions were chosen.
    chosen = Group.objects.get(name="Relecteurs").permissions.all()
    assert 0 < len(chosen) < Permission.objects.count()
    assert all("groupe" in str(permission).lower() for permission in chosen)

    # The navigation sidebar toggle and the theme switch are scripts too.
    page.locator("#toggle-nav-sidebar").click()
    page.locator(".theme-toggle").first.click()
    page.wait_for_load_state("networkidle")
    csp_violations.assert_none()


def test_axe_runs_under_the_policy_without_a_violation(
    page, live_server, csp_violations, assert_accessible
):
    # Other tests combine both fixtures: axe-core's injection must not count as a violation.
    page.goto(live_server.url + "/")
    assert_accessible(page)
    csp_violations.assert_none()
