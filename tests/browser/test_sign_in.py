"""Sign-in, password pages and « Mon espace » in Chromium: axe-core, phone, no JavaScript."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from chantiers.models import MeetingStatus
from tests.accounts.helpers import PASSWORD, make_account
from tests.factories import ChantierFactory, MeetingFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(page, live_server, email, password=PASSWORD):
    page.goto(live_server.url + "/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_sign_in_page_is_accessible(page, live_server, assert_accessible):
    response = page.goto(live_server.url + "/compte/connexion/")
    assert response.status == 200
    expect(page.locator("h1")).to_have_text("Connexion")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_accessible(page)


def test_a_failed_sign_in_is_accessible_and_focuses_the_error(
    page, live_server, assert_accessible, csp_violations
):
    make_account("elu", email="elue@example.org")
    sign_in(page, live_server, "elue@example.org", "faux")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Adresse électronique ou mot de passe incorrect")
    assert summary.evaluate("el => el === document.activeElement")
    assert page.get_by_label("Adresse électronique").input_value() == "elue@example.org"
    assert_accessible(page)
    csp_violations.assert_none()


def test_empty_fields_are_named_and_linked(page, live_server, assert_accessible):
    page.goto(live_server.url + "/compte/connexion/")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name=re.compile("^Adresse électronique")).click()
    assert page.evaluate("document.activeElement.id") == "id_username"
    assert page.get_by_label("Adresse électronique").get_attribute("aria-invalid") == "true"
    assert_accessible(page)


def test_signing_in_without_javascript_leads_to_my_space(nojs_page, live_server):
    # (axe-core needs JavaScript: the same pages are checked with it on below.)
    make_account("elu", email="elue@example.org", full_name="Anne Élue")
    sign_in(nojs_page, live_server, "elue@example.org")
    nojs_page.wait_for_url(live_server.url + "/compte/")
    expect(nojs_page.locator("h1")).to_have_text("Mon espace")
    expect(nojs_page.get_by_role("heading", name="Documents réservés et rapports")).to_be_visible()
    nojs_page.get_by_role("button", name="Se déconnecter").click()
    nojs_page.wait_for_url(live_server.url + "/")
    assert "Vous êtes déconnecté·e" in nojs_page.content()


def test_my_space_for_an_elu_is_accessible(page, live_server, assert_accessible):
    make_account("elu", email="elue@example.org")
    sign_in(page, live_server, "elue@example.org")
    expect(page.get_by_role("heading", name="Documents réservés et rapports")).to_be_visible()
    assert_accessible(page)


def test_my_space_for_the_team_is_accessible(page, live_server, assert_accessible, csp_violations):
    user = make_account("equipe", email="equipe@example.org")
    chantier = ChantierFactory(title="Dessine-moi ton agriculture !")
    TeamMemberFactory(user=user).coordinated_chantiers.add(chantier)
    MeetingFactory(chantier=chantier, title="Soirée de l'écosystème")
    MeetingFactory(
        chantier=chantier,
        title="Soirée passée",
        starts_at=timezone.now() - timedelta(days=5),
        status=MeetingStatus.HELD,
    )
    sign_in(page, live_server, "equipe@example.org")
    expect(page.get_by_role("link", name="Ouvrir l'administration")).to_be_visible()
    expect(page.get_by_role("link", name="Écrire le compte rendu : Soirée passée")).to_be_visible()
    assert_accessible(page)
    csp_violations.assert_none()


@pytest.mark.parametrize("path", ["/compte/connexion/", "/compte/mot-de-passe-oublie/"])
def test_account_pages_fit_a_phone_screen(phone_page, live_server, path):
    phone_page.goto(live_server.url + path)
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a 360 px screen"


def test_my_space_fits_a_phone_screen(phone_page, live_server):
    user = make_account("equipe", email="equipe@example.org")
    chantier = ChantierFactory(title="Mobilisation de l'épargne locale pour financer des projets")
    TeamMemberFactory(user=user).coordinated_chantiers.add(chantier)
    MeetingFactory(chantier=chantier, title="Soirée de l'écosystème", place_name="Médiathèque")
    sign_in(phone_page, live_server, "equipe@example.org")
    phone_page.wait_for_url(live_server.url + "/compte/")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_password_reset_pages_are_accessible(page, live_server, assert_accessible, csp_violations):
    user = make_account("elu", email="elue@example.org")
    page.goto(live_server.url + "/compte/connexion/")
    page.get_by_role("link", name=re.compile("Mot de passe oublié")).click()
    assert_accessible(page)
    page.get_by_label("Adresse électronique").fill("elue@example.org")
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.locator("h1")).to_have_text("Vérifiez votre messagerie")
    assert_accessible(page)

    link = re.search(r"https?://\S+/compte/mot-de-passe-oublie/\S+/", mail.outbox[0].body)
    page.goto(link.group(0))
    expect(page.locator("h1")).to_have_text("Choisir votre mot de passe")
    assert_accessible(page)
    page.get_by_label(re.compile("^Nouveau mot de passe")).fill("court")
    page.get_by_label("Confirmez le nouveau mot de passe").fill("court")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    new_password = "une-phrase-de-passe-2026"
    page.get_by_label(re.compile("^Nouveau mot de passe")).fill(new_password)
    page.get_by_label("Confirmez le nouveau mot de passe").fill(new_password)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.locator("h1")).to_have_text("Mot de passe enregistré")
    assert_accessible(page)
    user.refresh_from_db()
    assert user.check_password(new_password)

    page.goto(link.group(0))
    expect(page.locator("h1")).to_have_text("Ce lien ne fonctionne plus")
    assert_accessible(page)
    csp_violations.assert_none()


# The lockout page is answered with 429 on purpose; Chromium logs the status.
@pytest.mark.allow_console_errors(r"status of 429 \(Too Many Requests\)")
def test_the_lockout_page_is_accessible(page, live_server, assert_accessible):
    make_account("elu", email="elue@example.org")
    for _ in range(5):
        sign_in(page, live_server, "elue@example.org", "faux")
    expect(page.locator("h1")).to_have_text("Connexion suspendue")
    expect(page.get_by_role("alert")).to_contain_text("Après 5 essais infructueux")
    assert_accessible(page)


def test_password_change_page_is_accessible(page, live_server, assert_accessible):
    make_account("elu", email="elue@example.org")
    sign_in(page, live_server, "elue@example.org")
    page.get_by_role("link", name="Changer de mot de passe").click()
    expect(page.locator("h1")).to_have_text("Changer de mot de passe")
    assert_accessible(page)
