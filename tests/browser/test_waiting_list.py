"""The waiting list of a full meeting in Chromium, with htmx and with JavaScript off;
axe-core on each state, no CSP violation (the JSON-LD data block included), and the
meeting pages of each state on a phone and a laptop (screenshots)."""

import json
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from chantiers.models import AttendanceMode, MeetingStatus, Registration, RegistrationStatus
from tests.chantiers.participation import _empty_cache  # noqa: F401
from tests.mail import deliver

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("PORTAL_SCREENSHOTS_DIR", "/tmp/shots-meetings"))
WAITING_BUTTON = re.compile("^M'inscrire sur la liste d'attente")


@pytest.fixture
def full_meeting(meeting):
    """The shared intersession, its two seats taken, one person already waiting."""
    from tests.chantiers.factories import RegistrationFactory

    RegistrationFactory(meeting=meeting)
    RegistrationFactory(meeting=meeting, status=RegistrationStatus.WAITING)
    meeting.step_free_access = True
    meeting.place_address = "2 place Carnot"
    meeting.save()
    return meeting


def _fill(box):
    box.get_by_label("Nom et prénom").fill("Louise Attente")
    box.get_by_label("Adresse électronique").fill("louise@example.org")
    box.get_by_label(re.compile("J'accepte que le PETR")).check()


def test_waiting_list_inline_then_promoted(
    page, live_server, assert_accessible, csp_violations, full_meeting
):
    page.goto(live_server.url + full_meeting.get_absolute_url())
    box = page.locator("#inscription")
    expect(box).to_contain_text("1 personne attend déjà une place.")
    expect(box.get_by_role("button", name=re.compile("^Je participe"))).to_have_count(0)
    assert_accessible(page)
    page.evaluate("window.__sameDocument = 'oui'")

    box.get_by_role("button", name=WAITING_BUTTON).click()
    expect(box.locator(".error-summary")).to_contain_text("3 erreurs")
    assert_accessible(page)
    _fill(box)
    box.get_by_role("button", name=WAITING_BUTTON).click()
    confirmation = box.locator(".confirmation__title")
    # The same answer for every address: the email says where one stands.
    expect(confirmation).to_have_text("C'est noté : vérifiez vos courriels.")
    expect(confirmation).to_be_focused()
    assert page.evaluate("window.__sameDocument") == "oui"
    assert_accessible(page)
    louise = Registration.objects.get(email="louise@example.org")
    assert louise.status == RegistrationStatus.WAITING
    deliver()  # the worker sends what the outbox holds
    assert mail.outbox[-1].subject == "Liste d'attente : Intersession – agriculture"
    assert "en position 2" in mail.outbox[-1].body

    # Two people give up their seats: the first waiting, then Louise, get one.
    for registration in Registration.objects.seated().filter(meeting=full_meeting):
        page.goto(live_server.url + registration.get_cancel_url())
        page.get_by_role("button", name="Annuler mon inscription").click()
        expect(page.locator("h1")).to_have_text("Inscription annulée")
    louise.refresh_from_db()
    assert louise.status == RegistrationStatus.CONFIRMED
    deliver()
    assert mail.outbox[-1].to == ["louise@example.org"]
    assert mail.outbox[-1].subject == "Une place s'est libérée : Intersession – agriculture"
    csp_violations.assert_none()


def test_waiting_list_without_javascript(
    nojs_page, live_server, assert_accessible_without_js, full_meeting
):
    page = nojs_page
    page.goto(live_server.url + full_meeting.get_absolute_url())
    assert_accessible_without_js(page)
    box = page.locator("#inscription")
    box.get_by_label("Nom et prénom").fill("Louise Attente")
    with page.expect_navigation():
        box.get_by_role("button", name=WAITING_BUTTON).click()
    expect(page).to_have_title(re.compile("^Erreur – Intersession – agriculture"))
    expect(page.get_by_label("Nom et prénom")).to_have_value("Louise Attente")
    assert_accessible_without_js(page)
    _fill(page.locator("#inscription"))
    with page.expect_navigation():
        page.get_by_role("button", name=WAITING_BUTTON).click()
    assert page.url.split("#")[0] == live_server.url + "/agenda/intersession/inscription/merci/"
    expect(page.locator("h1")).to_have_text("Vérifiez vos courriels")
    assert_accessible_without_js(page)
    louise = Registration.objects.get(email="louise@example.org")
    page.goto(live_server.url + louise.get_cancel_url())
    expect(page.locator("h1")).to_have_text("Quitter la liste d'attente")
    assert_accessible_without_js(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Quitter la liste d'attente").click()
    louise.refresh_from_db()
    assert louise.is_cancelled


def _states(full_meeting):
    """One meeting per state a resident meets, beside the full one."""
    from tests.chantiers.factories import OpenIntersessionFactory

    chantier = full_meeting.chantier
    later = timedelta(weeks=2)
    new_date = OpenIntersessionFactory(
        chantier=chantier,
        title="Intersession – nouvelle date",
        slug="nouvelle-date",
        starts_at=full_meeting.starts_at + later,
        ends_at=full_meeting.ends_at + later,
        attendance_mode=AttendanceMode.MIXED,
        video_url="https://visio.example.org/intersession",
        video_url_public=True,
        hearing_loop=False,
        accessibility_notes="Toilettes adaptées au rez-de-chaussée.",
    )
    postponed = OpenIntersessionFactory(
        chantier=chantier,
        title="Intersession – reportée",
        slug="reportee",
        status=MeetingStatus.POSTPONED,
        rescheduled_to=new_date,
    )
    cancelled = OpenIntersessionFactory(
        chantier=chantier,
        title="Intersession – annulée",
        slug="annulee",
        status=MeetingStatus.CANCELLED,
    )
    return [full_meeting, postponed, new_date, cancelled]


@pytest.mark.parametrize(
    ("width", "height", "name"), [(390, 844, "telephone"), (1280, 900, "portable")]
)
def test_meeting_states_look_right_with_no_csp_violation(
    browser, request, live_server, assert_accessible, full_meeting, width, height, name
):
    from tests.browser.conftest import CspViolations, _new_page

    SHOTS.mkdir(parents=True, exist_ok=True)
    context, page = _new_page(browser, request, viewport={"width": width, "height": height})
    violations = CspViolations()
    violations.watch(page)
    for meeting in _states(full_meeting):
        page.goto(live_server.url + meeting.get_absolute_url())
        page.wait_for_load_state("networkidle")
        # The JSON-LD is in the page, as data the browser keeps but never runs.
        data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
        assert data["@type"] == "Event" and data["name"] == meeting.title
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{meeting.slug} scrolls sideways by {overflow}px"
        assert_accessible(page)
        page.screenshot(path=SHOTS / f"{meeting.slug}-{name}.png", full_page=True)
    violations.assert_none()
    context.close()


def test_the_home_page_json_ld_breaks_no_policy(page, live_server, csp_violations):
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "Organization"
    csp_violations.assert_none()
