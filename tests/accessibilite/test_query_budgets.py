"""Every page, fragment and file of the accessibility app reads a bounded number of
queries, the same with a small audit as with a large one."""

import pytest

from accessibilite.conformity import Status
from accessibilite.models import AccessibilityReport, Audit, Criterion
from core.abuse import HONEYPOT_FIELD
from core.models import FormPostCount
from tests.accessibilite.factories import audit_with_pages, record
from tests.accounts.helpers import make_account

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
REPORT = {"email": "lou@example.org", "message": "Un PDF illisible.", HONEYPOT_FIELD: ""}


def audit_of(rgaa, pages):
    Audit.objects.all().delete()
    audit = audit_with_pages(rgaa, pages=pages)
    record(audit, {"*": Status.CONFORMING, "1.1": Status.FAILING})
    from accessibilite import services

    services.publish(audit=audit)
    return audit


def measure(client, requests, django_assert_max_num_queries):
    counts = {}
    for name, (method, path, data, headers, budget) in requests.items():
        FormPostCount.objects.all().delete()  # each post the first of its rate-limit window
        with django_assert_max_num_queries(budget) as captured:
            response = getattr(client, method)(path, data, headers=headers or {})
        assert response.status_code in (200, 302), (name, response.status_code)
        counts[name] = len(captured)
    return counts


def public_requests():
    return {
        # the statement, the plans (2), the documents left to do and under a derogation,
        # the failures, the pages, the environments, the demo notice, the footer's
        "declaration": ("get", "/accessibilite/", None, None, 10),
        "report form": ("get", "/accessibilite/signaler/", None, None, 2),
        # Each post counted for the rate limit (core.abuse): two statements for the first
        # of a window.
        "report, errors": ("post", "/accessibilite/signaler/", {"email": "x"}, HTMX, 2),
        "report, sent": ("post", "/accessibilite/signaler/", REPORT, HTMX, 6),
        "report, thanks": ("get", "/accessibilite/signaler/merci/", None, None, 2),
        # the audit, its pages, the criteria with their counts, the results
        "grid.csv": ("get", "/accessibilite/grille.csv", None, None, 5),
        "grid.json": ("get", "/accessibilite/grille.json", None, None, 5),
        "grid.schema.json": ("get", "/accessibilite/grille.schema.json", None, None, 5),
    }


def admin_requests(audit):
    page = audit.pages.first()
    first = Criterion.objects.of_version(audit.version).first()
    base = f"/admin/accessibilite/audit/{audit.pk}/"
    # The admin's own (session, user, permissions) come first in each count.
    return {
        "audit list": ("get", "/admin/accessibilite/audit/", None, None, 12),
        "grid": ("get", f"{base}grille/", None, None, 10),
        "screen": ("get", f"{base}grille/{page.pk}/1/", None, None, 14),
        "save (htmx)": (
            "post",
            f"{base}grille/{page.pk}/critere/{first.pk}/",
            {f"c{first.pk}-status": "C"},
            HTMX,
            22,
        ),
        "glossary": (
            "get",
            f"/admin/accessibilite/audit/glossaire/{audit.version_id}/",
            None,
            None,
            6,
        ),
        "reports": ("get", "/admin/accessibilite/accessibilityreport/", None, None, 9),
    }


def test_public_pages_and_files_do_not_grow_with_the_audit(
    client, rgaa, django_assert_max_num_queries
):
    audit_of(rgaa, pages=1)
    small = measure(client, public_requests(), django_assert_max_num_queries)
    audit_of(rgaa, pages=8)
    large = measure(client, public_requests(), django_assert_max_num_queries)
    assert large == small


def test_admin_screens_do_not_grow_with_the_audit(client, rgaa, django_assert_max_num_queries):
    client.force_login(make_account("equipe"))
    AccessibilityReport.objects.create(email="a@example.org", message="m")
    small = measure(client, admin_requests(audit_of(rgaa, pages=1)), django_assert_max_num_queries)
    for index in range(20):
        AccessibilityReport.objects.create(email=f"{index}@example.org", message="m")
    large = measure(client, admin_requests(audit_of(rgaa, pages=8)), django_assert_max_num_queries)
    assert large == small
