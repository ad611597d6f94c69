"""Every admin page the project team opens passes axe-core: the index, and for each model
the « Équipe projet » role sees (and « Administration », which sees every model), its list,
the change page and the history of one object, and the add page."""

import re

import pytest
from playwright.sync_api import expect

from accessibilite.models import AccessibilityPlan, AccessibilityReport, PlanKind
from chantiers import demo, demo_progress
from chantiers.models import Meeting, MeetingKind
from tests.accessibilite.factories import published_audit
from tests.accounts.helpers import make_account
from tests.browser.test_admin_team import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def admin_pages(page, live_server):
    """(what, URL) of every list, one change page and the add page of each model the
    signed-in person may open, read from the admin index as they see it."""
    page.goto(live_server.url + "/admin/")
    models = page.locator("#content-main .module tr[class^='model-']")
    rows = []
    for row in models.all():
        add = row.locator("a.addlink")
        rows.append(
            (
                row.locator("th a").inner_text(),
                row.locator("th a").get_attribute("href"),
                add.get_attribute("href") if add.count() else None,
            )
        )
    pages = []
    for name, list_url, add_url in rows:
        pages.append((f"liste « {name} »", list_url))
        page.goto(live_server.url + list_url)
        first = page.locator("#result_list tbody tr:first-child a[href*='/change/']").first
        if first.count():
            change_url = first.get_attribute("href")
            pages.append((f"modification « {name} »", change_url))
            pages.append((f"historique « {name} »", change_url.replace("/change/", "/history/")))
        if add_url:
            pages.append((f"ajout « {name} »", add_url))
    pages.append(("mot de passe", "/admin/password_change/"))
    return pages


def accessibility_pages():
    """An audit with its grid, a report and a schéma, so that their admin pages have a
    change page to walk; and the grid's own screens, which the index does not list."""
    audit = published_audit(pages=2)
    AccessibilityReport.objects.create(email="lou@example.org", message="Un PDF illisible.")
    AccessibilityPlan.objects.create(
        kind=PlanKind.SCHEMA,
        title="Schéma",
        starts_on="2026-01-01",
        ends_on="2028-12-31",
        url="https://exemple.invalid/schema.pdf",
    )
    base = f"/admin/accessibilite/audit/{audit.pk}/"
    page = audit.pages.first()
    return [
        ("grille de l'audit", f"{base}grille/"),
        ("écran de la grille", f"{base}grille/{page.pk}/1/"),
        ("écran de la grille, formulaires", f"{base}grille/{page.pk}/11/"),
        ("glossaire du RGAA", f"/admin/accessibilite/audit/glossaire/{audit.version_id}/"),
    ]


# axe-core, reading the stylesheets of the admin's password page, asks for the
# `@import url('widgets.css')` of Django's forms.css against the page's address instead of
# the stylesheet's (no such request without axe; the page itself loads every style).
@pytest.mark.allow_console_errors(r"/admin/password_change/widgets\.css")
@pytest.mark.parametrize("role", ["equipe", "admin"])
def test_every_admin_page_of_the_role_is_axe_clean(page, live_server, assert_accessible, role):
    demo.load()
    demo_progress.load()
    grid_pages = accessibility_pages()
    signed_in(page, live_server, make_account(role))
    page.goto(live_server.url + "/admin/")
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)
    pages = admin_pages(page, live_server) + grid_pages
    what = {what for what, _ in pages}
    # The pages the team works on are all walked (not silently skipped).
    assert {
        "liste « Intersessions »",
        "modification « Intersessions »",
        "ajout « Intersessions »",
        "ajout « Sessions »",
        "modification « Actions »",
        "historique « Actions »",
        "ajout « Points d'étape »",
        "modification « Audits RGAA »",
        "ajout « Audits RGAA »",
        "modification « Signalements d'accessibilité »",
        "modification « Schémas et plans d'accessibilité »",
        "liste « Versions du RGAA »",
    } <= what, what
    failures = []
    for what, url in pages:
        page.goto(live_server.url + url)
        try:
            assert_accessible(page)
        except AssertionError as error:
            failures.append(f"{what}: {error}")
    assert not failures, "\n\n".join(failures)


def test_added_rows_and_chosen_autocomplete_values_stay_named(page, live_server, assert_accessible):
    demo.load()
    signed_in(page, live_server, make_account("equipe"))
    meeting = Meeting.objects.filter(kind=MeetingKind.INTERSESSION).first()
    page.goto(live_server.url + f"/admin/chantiers/intersession/{meeting.pk}/change/")
    page.locator("#attachments-group .add-row a").click()
    added = page.locator("#attachments-group tr.dynamic-attachments input[name$='-title']")
    expect(added.last).to_have_attribute("aria-label", re.compile(r"^Titre \(pièce jointe"))
    assert_accessible(page)

    # The chantier box is named after its label, before and after a choice.
    page.goto(live_server.url + "/admin/chantiers/intersession/add/")
    box = page.locator(".field-chantier .select2-selection")
    expect(box).to_have_accessible_name(re.compile(r"^Chantier"))
    box.focus()
    page.keyboard.press("Enter")
    expect(box).to_have_attribute("aria-controls", "select2-id_chantier-results")
    expect(page.locator(".select2-container--open .select2-search__field")).to_have_accessible_name(
        re.compile(r"^Chantier")
    )
    page.locator(".select2-results__option[aria-selected]").first.wait_for()
    page.keyboard.press("Enter")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_accessible_name(re.compile(r"^Chantier\s*:?\s*\S+"))
    assert_accessible(page)


def test_the_notice_of_email_stuck_is_axe_clean(page, live_server, assert_accessible):
    from datetime import timedelta

    from django.utils import timezone

    from core import outbox
    from core.models import OutboxEmail

    outbox.queue(
        outbox.Email(recipient="p@example.org", key="k", kind="essai", subject="Essai", text="t"),
        now=timezone.now() - timedelta(hours=2),
    )
    OutboxEmail.objects.update(
        attempts=2, claimed_at=timezone.now(), failure="Le serveur de messagerie est injoignable."
    )
    signed_in(page, live_server, make_account("equipe"))
    for url in ("/admin/", "/admin/core/outboxemail/"):
        page.goto(live_server.url + url)
        expect(page.locator(".outbox-status")).to_contain_text("Le serveur de messagerie")
        assert_accessible(page)
