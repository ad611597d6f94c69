"""The declaration, the report form and the grid's screens pass the W3C Nu HTML checker:
pages, their htmx fragments (inside a minimal document) and their states."""

import pytest
from django.test import Client

from accessibilite.models import AccessibilityPlan, Criterion, PlanKind
from core.abuse import HONEYPOT_FIELD
from tests.accessibilite.factories import published_audit
from tests.accounts.helpers import make_account
from tests.checkers import vnu_messages
from tests.petr_portal.test_html_validity import Pages, checked_file

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def render(folder):
    pages = Pages(folder)
    visitor = Client()
    pages.add("déclaration sans audit", visitor.get("/accessibilite/"))
    pages.add("signaler", visitor.get("/accessibilite/signaler/?page=/agenda/"))
    errors = {"email": "x", "message": "", HONEYPOT_FIELD: ""}
    pages.add("signaler, erreurs", visitor.post("/accessibilite/signaler/", errors))
    pages.add(
        "signaler, erreurs (htmx)",
        visitor.post("/accessibilite/signaler/", errors, headers=HTMX),
        fragment="body",
    )
    robot = {"email": "a@example.org", "message": "m", HONEYPOT_FIELD: "x"}
    pages.add("signaler, robot", visitor.post("/accessibilite/signaler/", robot), status=400)
    sent = {"email": "a@example.org", "message": "Un PDF illisible.", HONEYPOT_FIELD: ""}
    pages.add(
        "signaler, envoyé (htmx)",
        visitor.post("/accessibilite/signaler/", sent, headers=HTMX),
        fragment="body",
    )
    pages.add("signaler, merci", visitor.get("/accessibilite/signaler/merci/"))

    audit = published_audit(pages=3)
    audit.pages.update(url="/")
    AccessibilityPlan.objects.create(
        kind=PlanKind.SCHEMA,
        title="Schéma",
        starts_on="2025-01-01",
        ends_on="2027-12-31",
        url="https://exemple.invalid/schema.pdf",
    )
    pages.add("déclaration avec audit", visitor.get("/accessibilite/"))

    team = Client()
    team.force_login(make_account("equipe"))
    base = f"/admin/accessibilite/audit/{audit.pk}/"
    page = audit.pages.first()
    pages.add("grille", team.get(f"{base}grille/"))
    for theme in (1, 4, 11):
        pages.add(f"écran, thématique {theme}", team.get(f"{base}grille/{page.pk}/{theme}/"))
    first = Criterion.objects.of_version(audit.version).first()
    save = f"{base}grille/{page.pk}/critere/{first.pk}/"
    pages.add(
        "enregistré (htmx)",
        team.post(save, {f"c{first.pk}-status": "NC"}, headers=HTMX),
        fragment="body",
    )
    pages.add(
        "refusé (htmx)",
        team.post(save, {f"c{first.pk}-status": "XX"}, headers=HTMX),
        fragment="body",
    )
    pages.add("refusé", team.post(save, {f"c{first.pk}-status": "XX"}))
    pages.add("glossaire", team.get(f"/admin/accessibilite/audit/glossaire/{audit.version_id}/"))
    return pages


def test_the_declaration_the_form_and_the_grid_pass_the_nu_checker(tmp_path):
    pages = render(tmp_path)
    errors = vnu_messages(list(pages.files))
    report = "\n".join(
        f"{pages.files.get(checked_file(m['url']), m['url'])}, ligne {m.get('lastLine')} : "
        f"{m['message']}\n    {m.get('extract', '').strip()}"
        for m in errors
    )
    assert not errors, f"{len(errors)} erreurs du validateur Nu :\n{report}"
