"""Following a chantier in Chromium, with JavaScript and without: from the chantier page to
the form, its errors, the confirmation link, the « gérer » page and the unsubscribe
button; axe-core on each page, no CSP violation; screenshots on a phone and a laptop."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from chantiers.models import Rhythm, Subscription
from tests.chantiers.participation import _empty_cache  # noqa: F401
from tests.mail import deliver

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("PORTAL_SCREENSHOTS_DIR", "/tmp/shots-follow"))
ADDRESS = "anne.roux@example.org"


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def confirmation_link(live_server):
    deliver()
    [email] = [m for m in mail.outbox if m.to == [ADDRESS]]
    path = re.search(r"https?://[^/\s]+(/suivre/confirmer/\S+/)", email.body).group(1)
    return live_server.url + path


def walk(page, live_server, check, name):
    page.goto(live_server.url + "/chantiers/agriculture/")
    page.get_by_role("link", name="Suivre ce chantier par courriel").click()
    expect(page).to_have_url(re.compile(r"/suivre/\?chantier=agriculture$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Suivre les chantiers par courriel")
    expect(page.get_by_label("Dessine-moi ton agriculture !")).to_be_checked()
    expect(page.get_by_label("Mobilisation de l'épargne locale")).not_to_be_checked()
    check(page)
    shoot(page, f"{name}-formulaire")

    page.get_by_label("Dessine-moi ton agriculture !").uncheck()
    page.get_by_role("button", name="Suivre").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("2 erreurs empêchent l'envoi")
    expect(page.locator("#suivre-chantiers_error")).to_contain_text("Cochez au moins un chantier")
    check(page)
    shoot(page, f"{name}-erreurs")

    page.get_by_label("Adresse électronique").fill(ADDRESS)
    page.get_by_label("Dessine-moi ton agriculture !").check()
    page.get_by_label("Les nouveaux documents publics").uncheck()
    page.get_by_label("À chaque nouveauté").check()
    page.get_by_role("button", name="Suivre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre boîte aux lettres")
    check(page)
    subscription = Subscription.objects.get()
    assert not subscription.is_confirmed
    assert subscription.kinds() == ["meetings", "minutes", "progress"]

    page.goto(confirmation_link(live_server))
    page.get_by_role("button", name="Confirmer mon abonnement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Abonnement confirmé")
    check(page)
    shoot(page, f"{name}-confirme")

    page.get_by_role("link", name="gérez votre abonnement maintenant").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gérer mon abonnement")
    page.get_by_label(re.compile("Une fois par semaine")).check()
    page.get_by_role("button", name="Enregistrer mes choix").click()
    expect(page.locator(".confirmation")).to_have_text("Vos choix sont enregistrés.")
    check(page)
    shoot(page, f"{name}-gerer")
    subscription.refresh_from_db()
    assert subscription.rhythm == Rhythm.WEEKLY

    page.get_by_role("button", name="Supprimer mon abonnement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes désabonné·e")
    check(page)
    assert not Subscription.objects.exists()


def test_following_with_javascript(page, live_server, assert_accessible, csp_violations, chantiers):
    walk(page, live_server, assert_accessible, "portable")
    csp_violations.assert_none()


def test_following_without_javascript(
    nojs_page, live_server, assert_accessible_without_js, chantiers
):
    walk(nojs_page, live_server, assert_accessible_without_js, "sans-js")


def test_following_on_a_phone(phone_page, live_server, assert_accessible, chantiers):
    phone_page.goto(live_server.url + "/suivre/")
    assert_accessible(phone_page)
    # Nothing wider than the screen.
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(phone_page, "telephone-formulaire")
    phone_page.goto(live_server.url + "/chantiers/agriculture/")
    expect(phone_page.get_by_role("link", name="Suivre ce chantier par courriel")).to_be_visible()
    shoot(phone_page, "telephone-chantier")
