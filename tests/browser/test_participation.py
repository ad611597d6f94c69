"""Participation in Chromium: « Nous rejoindre » and « Je participe » with errors then
corrected, inline with htmx and the same with JavaScript off; focus on the first error,
axe-core after each swap, no CSP violation, a 360 px phone (screenshots)."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from chantiers.models import Chantier, JoinRequest, Registration, Subscription
from tests.chantiers.participation import _empty_cache  # noqa: F401
from tests.mail import deliver

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("PORTAL_SCREENSHOTS_DIR", "/tmp/shots-6"))


def mark_document(page):
    page.evaluate("window.__sameDocument = 'oui'")


def same_document(page):
    return page.evaluate("window.__sameDocument") == "oui"


def focused_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_join_errors_then_corrected_inline(
    page, live_server, assert_accessible, csp_violations, chantiers
):
    page.goto(live_server.url + "/nous-rejoindre/?chantier=agriculture")
    assert_accessible(page)
    expect(page.get_by_label("Dessine-moi ton agriculture !")).to_be_checked()
    expect(page.get_by_label(re.compile("J'accepte que le PETR"))).not_to_be_checked()
    mark_document(page)

    page.get_by_role("button", name="Envoyer ma demande").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("5 erreurs empêchent l'envoi")
    expect(summary).to_have_attribute("role", "alert")
    expect(page.locator("#rejoindre-name")).to_be_focused()
    expect(page.locator("#rejoindre-name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#rejoindre-name_error")).to_have_text(
        re.compile("Indiquez votre nom et votre prénom.")
    )
    # The preselected chantier is still ticked after the swap.
    expect(page.get_by_label("Dessine-moi ton agriculture !")).to_be_checked()
    assert same_document(page)
    assert_accessible(page)

    page.locator("#rejoindre-name").fill("Camille Martin")
    page.locator("#rejoindre-email").fill("camille@")
    page.locator("#rejoindre-commune").fill("Figeac")
    page.get_by_label("Rejoindre l'écosystème et venir aux intersessions").check()
    page.get_by_label(re.compile("J'accepte que le PETR")).check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(summary).to_contain_text("Une erreur empêche l'envoi")
    expect(page.locator("#rejoindre-email")).to_be_focused()
    expect(page.locator("#rejoindre-name")).to_have_value("Camille Martin")
    expect(page.locator("#rejoindre-name")).not_to_have_attribute("aria-invalid", "true")
    # The error summary links to the field.
    page.locator(".error-summary a").click()
    expect(page.locator("#rejoindre-email")).to_be_focused()
    assert_accessible(page)

    page.locator("#rejoindre-email").fill("camille.martin@example.org")
    page.get_by_role("button", name="Envoyer ma demande").click()
    confirmation = page.locator(".confirmation__title")
    expect(confirmation).to_have_text("Merci ! Votre demande est envoyée.")
    expect(confirmation).to_be_focused()
    assert same_document(page)
    assert_accessible(page)
    join_request = JoinRequest.objects.get()
    assert [c.slug for c in join_request.chantiers.all()] == ["agriculture"]
    deliver()
    assert len(mail.outbox) == 1
    csp_violations.assert_none()


def test_join_without_javascript_keeps_what_was_typed_then_redirects(
    nojs_page, live_server, chantiers
):
    page = nojs_page
    page.goto(live_server.url + "/nous-rejoindre/")
    page.locator("#rejoindre-name").fill("Camille Martin")
    page.locator("#rejoindre-email").fill("pas-une-adresse")
    page.locator("#rejoindre-message").fill("Une idée pour les stages.")
    page.get_by_label("Mobilisation de l'épargne locale").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page).to_have_title(re.compile("^Erreur – Nous rejoindre"))
    expect(page.locator(".error-summary")).to_contain_text("4 erreurs")
    expect(page.locator("#rejoindre-email_error")).to_contain_text("adresse électronique valide")
    expect(page.locator("#rejoindre-name")).to_have_value("Camille Martin")
    expect(page.locator("#rejoindre-email")).to_have_value("pas-une-adresse")
    expect(page.locator("#rejoindre-message")).to_have_value("Une idée pour les stages.")
    expect(page.get_by_label("Mobilisation de l'épargne locale")).to_be_checked()

    page.locator("#rejoindre-email").fill("camille.martin@example.org")
    page.locator("#rejoindre-commune").fill("Figeac")
    page.get_by_label("Être tenu·e au courant de l'avancement").check()
    page.get_by_label(re.compile("J'accepte que le PETR")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer ma demande").click()
    # « Être tenu·e au courant » also asks for the chantiers' news, confirmed by email.
    assert page.url == live_server.url + "/nous-rejoindre/merci/?abonnement=1"
    expect(page.locator("h1")).to_have_text("Merci, votre demande est envoyée")
    expect(page.locator(".confirmation")).to_contain_text("confirme votre abonnement")
    assert JoinRequest.objects.get().message == "Une idée pour les stages."
    assert not Subscription.objects.get(email="camille.martin@example.org").is_confirmed


def test_join_from_a_chantier_page_inline(page, live_server, assert_accessible, chantiers):
    page.goto(live_server.url + chantiers[0].get_absolute_url())
    form = page.locator("#rejoindre-formulaire")
    expect(form.get_by_label("Mobilisation de l'épargne locale")).to_be_checked()
    mark_document(page)
    form.locator("#rejoindre-name").fill("Anne")
    form.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.locator("#rejoindre-email")).to_be_focused()
    assert_accessible(page)
    form.locator("#rejoindre-email").fill("anne@example.org")
    form.locator("#rejoindre-commune").fill("Cajarc")
    form.get_by_label("Autre chose (précisez dans le message)").check()
    form.get_by_label(re.compile("J'accepte que le PETR")).check()
    form.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.locator(".confirmation__title")).to_be_focused()
    assert same_document(page)
    assert page.url.endswith(chantiers[0].get_absolute_url())
    assert [c.slug for c in JoinRequest.objects.get().chantiers.all()] == ["epargne-locale"]
    assert_accessible(page)


def test_je_participe_errors_then_the_last_seat_inline(
    page, live_server, assert_accessible, csp_violations, meeting
):
    page.goto(live_server.url + meeting.get_absolute_url())
    box = page.locator("#inscription")
    expect(box.locator(".seats")).to_contain_text("Il reste 1 place sur 2.")
    assert_accessible(page)
    mark_document(page)

    name = page.locator(f"#inscription-{meeting.pk}-name")
    email = page.locator(f"#inscription-{meeting.pk}-email")
    name.fill("Louis Bernard")
    email.fill("louis")
    box.get_by_role("button", name=re.compile("Je participe")).click()
    expect(box.locator(".error-summary")).to_contain_text("2 erreurs")
    expect(email).to_be_focused()
    expect(name).to_have_value("Louis Bernard")
    assert_accessible(page)

    email.fill("louis.bernard@example.org")
    box.get_by_label(re.compile("J'accepte que le PETR")).check()
    box.get_by_role("button", name=re.compile("Je participe")).click()
    confirmation = box.locator(".confirmation__title")
    expect(confirmation).to_have_text("C'est noté : vérifiez vos courriels.")
    expect(confirmation).to_be_focused()
    # The same answer for every address: no seat count that would tell a known one.
    expect(box.locator(".seats")).to_have_count(0)
    assert same_document(page)
    assert_accessible(page)
    assert Registration.objects.active().count() == 2
    deliver()
    [email_sent] = mail.outbox
    assert email_sent.attachments[0][0] == "intersession.ics"

    page.reload()
    expect(page.locator("#inscription")).to_contain_text("Cette intersession est complète")
    assert_accessible(page)
    csp_violations.assert_none()


def test_forms_of_a_page_served_from_the_cache_post_with_this_visitors_token(
    browser, page, nojs_page, live_server, settings, chantiers
):
    # With the page cache on (production), someone else's visit fills the cache; this
    # visitor's copy carries their own CSRF token, with htmx and without JavaScript.
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    url = live_server.url + chantiers[0].get_absolute_url()
    other = browser.new_context()
    other.new_page().goto(url)
    other.close()
    # A write that sends no signal leaves the cached page as it was: proof it is served.
    Chantier.objects.filter(pk=chantiers[0].pk).update(summary="Changé en douce")
    for visitor, name in ((page, "Anne"), (nojs_page, "Basile")):
        visitor.goto(url)
        expect(visitor.get_by_text("Changé en douce")).to_have_count(0)
        form = visitor.locator("#rejoindre-formulaire")
        form.locator("#rejoindre-name").fill(name)
        form.locator("#rejoindre-email").fill(f"{name.lower()}@example.org")
        form.locator("#rejoindre-commune").fill("Cajarc")
        form.get_by_label("Autre chose (précisez dans le message)").check()
        form.get_by_label(re.compile("J'accepte que le PETR")).check()
        form.get_by_role("button", name="Envoyer ma demande").click()
        # Inline with htmx, or the thanks page without JavaScript.
        thanks = visitor.locator(".confirmation__title, h1").filter(has_text=re.compile("Merci"))
        expect(thanks).to_be_visible()
    assert sorted(JoinRequest.objects.values_list("name", flat=True)) == ["Anne", "Basile"]


def test_je_participe_from_the_chantier_page(page, live_server, assert_accessible, meeting):
    page.goto(live_server.url + meeting.chantier.get_absolute_url())
    box = page.locator("#inscription")
    expect(box.locator(".seats")).to_contain_text("Il reste 1 place sur 2.")
    mark_document(page)
    box.get_by_label("Nom et prénom").fill("Louis Bernard")
    box.get_by_label("Adresse électronique").fill("louis@example.org")
    box.get_by_label(re.compile("J'accepte que le PETR")).check()
    box.get_by_role("button", name=re.compile("Je participe")).click()
    expect(box.locator(".confirmation__title")).to_be_focused()
    assert same_document(page)
    assert_accessible(page)


def test_je_participe_without_javascript(nojs_page, live_server, meeting):
    page = nojs_page
    page.goto(live_server.url + meeting.get_absolute_url())
    page.get_by_label("Nom et prénom").fill("Louis Bernard")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Je participe")).click()
    expect(page).to_have_title(re.compile("^Erreur – Intersession – agriculture"))
    assert page.url.endswith("/agenda/intersession/inscription/#je-participe")
    expect(page.locator(".error-summary")).to_contain_text("2 erreurs")
    expect(page.get_by_label("Nom et prénom")).to_have_value("Louis Bernard")
    page.get_by_label("Adresse électronique").fill("louis@example.org")
    page.get_by_label(re.compile("J'accepte que le PETR")).check()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Je participe")).click()
    # (the browser keeps the #je-participe of the form's action across the redirect)
    assert page.url.split("#")[0] == live_server.url + "/agenda/intersession/inscription/merci/"
    expect(page.locator("h1")).to_have_text("Vérifiez vos courriels")

    registration = Registration.objects.get(email="louis@example.org")
    page.goto(live_server.url + registration.get_cancel_url())
    with page.expect_navigation():
        page.get_by_role("button", name="Annuler mon inscription").click()
    expect(page.locator("h1")).to_have_text("Inscription annulée")
    registration.refresh_from_db()
    assert registration.cancelled_at is not None


# The post is refused with 429 on purpose; Chromium logs the status.
@pytest.mark.allow_console_errors(r"status of 429 \(Too Many Requests\)")
def test_too_many_posts_show_the_french_refusal_inline(
    page, live_server, assert_accessible, csp_violations, chantiers, settings
):
    settings.PORTAL_FORM_RATE_LIMIT = 1
    page.goto(live_server.url + "/nous-rejoindre/")
    mark_document(page)
    button = page.get_by_role("button", name="Envoyer ma demande")
    button.click()
    expect(page.locator("#rejoindre-name")).to_be_focused()
    page.locator("#rejoindre-name").fill("Camille")
    button.click()
    refusal = page.locator(".error-summary")
    expect(refusal).to_contain_text("Trop d'envois")
    expect(refusal).to_be_focused()
    expect(page.locator("#rejoindre-name")).to_have_value("Camille")
    assert same_document(page)
    assert_accessible(page)
    csp_violations.assert_none()
    assert JoinRequest.objects.count() == 0


def test_cancel_page_is_accessible(page, live_server, assert_accessible, meeting):
    registration = Registration.objects.get()
    page.goto(live_server.url + registration.get_cancel_url())
    expect(page.locator("h1")).to_have_text("Annuler mon inscription")
    assert_accessible(page)


def test_on_a_phone(phone_page, live_server, assert_accessible, csp_violations, meeting):
    csp_violations.watch(phone_page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone_page.goto(live_server.url + "/nous-rejoindre/")
    phone_page.locator("#rejoindre-email").fill("camille@")
    phone_page.get_by_role("button", name="Envoyer ma demande").click()
    expect(phone_page.locator("#rejoindre-name")).to_be_focused()
    phone_page.locator("#rejoindre-formulaire").screenshot(path=SHOTS / "join-errors-360.png")
    phone_page.screenshot(path=SHOTS / "join-errors-360-page.png", full_page=True)
    for path in (
        "/nous-rejoindre/",
        meeting.get_absolute_url(),
        meeting.chantier.get_absolute_url(),
    ):
        if path != "/nous-rejoindre/":
            phone_page.goto(live_server.url + path)
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    phone_page.goto(live_server.url + meeting.get_absolute_url())
    phone_page.locator("#je-participe").scroll_into_view_if_needed()
    phone_page.screenshot(path=SHOTS / "meeting-je-participe-360-page.png", full_page=True)
    phone_page.locator("#je-participe").screenshot(path=SHOTS / "meeting-je-participe-360.png")
    assert_accessible(phone_page)
    csp_violations.assert_none()
