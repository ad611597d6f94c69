"""A report pinned by the admin as a document (« Rapport d'activité 2025 »): its PDF is
written once and stays as it was, while the live report follows the data."""

import io
import sys

import pytest
from pypdf import PdfReader

from diagnostic.models import Document, DocumentKind, PinnedReport, ReportPdf, Visibility
from diagnostic.report.pins import report_pdf_bytes
from diagnostic.report.sections import build_report
from tests.accounts.helpers import make_account
from tests.diagnostic.report_content import MARCH, NOW, TODAY, build_month
from tests.factories import ChantierFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/diagnostic/pinnedreport/add/"


@pytest.fixture
def administration(client):
    client.force_login(make_account("admin", email="admin@example.org"))
    return client


def pdf_text(data):
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )


def pin(client, title="Rapport d'activité de mars 2025"):
    return client.post(ADD, {"title": title, "starts_on": "2025-03-01", "ends_on": "2025-03-31"})


def test_pinning_writes_the_report_into_a_public_document(administration):
    rows = build_month()
    response = pin(administration)
    assert response.status_code == 302
    pinned = PinnedReport.objects.select_related("document").get()
    document = pinned.document
    assert (pinned.starts_on, pinned.ends_on) == (MARCH.starts_on, MARCH.ends_on)
    assert document.title == "Rapport d'activité de mars 2025"
    assert document.kind == DocumentKind.ACTIVITY_REPORT
    assert document.visibility == Visibility.PUBLIC
    assert document.file_format == "pdf" and document.page_count >= 3
    # Read on upload as every document is: tagged, in French, titled.
    assert document.pdf_structure_tree and document.pdf_language == "fr"
    assert document.pdf_title.startswith("Rapport d'avancement du 1er")
    with document.file.open("rb") as stored:
        text = pdf_text(stored.read())
    assert rows["epargne"].title in text and "31 mars 2025" in text
    # Listed with the documents, downloadable by anyone.
    assert document.title in administration.get("/documents/").content.decode().replace(
        "&#x27;", "'"
    )


def test_the_pinned_report_stays_as_it_was_while_the_live_one_follows(administration):
    build_month()
    pin(administration)
    document = Document.objects.get(kind=DocumentKind.ACTIVITY_REPORT)
    with document.file.open("rb") as stored:
        before = stored.read()
    ChantierFactory(title="Un chantier ouvert en avril")
    live = build_report(MARCH, today=TODAY, now=NOW)
    assert "Un chantier ouvert en avril" in [s.chantier.title for s in live.chantiers]
    document.refresh_from_db()
    with document.file.open("rb") as stored:
        assert stored.read() == before
    assert "Un chantier ouvert en avril" not in pdf_text(before)
    # Its page is to read, not to change.
    page = administration.get(f"/admin/diagnostic/pinnedreport/{document.pinned_report.pk}/change/")
    assert page.status_code == 200
    assert 'name="starts_on"' not in page.content.decode()


def test_a_pdf_the_worker_built_already_is_copied(administration):
    build_month()
    from diagnostic.report import builds

    row = builds.request_pdf(MARCH)
    builds.build(row.pk)
    row.refresh_from_db()
    with row.file.open("rb") as stored:
        assert report_pdf_bytes(MARCH) == stored.read()
    assert ReportPdf.objects.count() == 1


def test_two_pins_of_the_same_title_get_their_own_address(administration):
    ChantierFactory()
    pin(administration, "Rapport d'activité")
    pin(administration, "Rapport d'activité")
    assert sorted(Document.objects.values_list("slug", flat=True)) == [
        "rapport-d-activite",
        "rapport-d-activite-2",
    ]


def test_without_weasyprint_the_admin_says_why_and_pins_nothing(administration, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    response = pin(administration)
    assert response.status_code == 200
    assert "il lui manque WeasyPrint" in response.content.decode()
    assert not PinnedReport.objects.exists() and not Document.objects.exists()


def test_the_admin_lists_the_pdfs_built_to_read_only(administration):
    from diagnostic.models import ReportPdf

    row = ReportPdf.objects.create(
        starts_on=MARCH.starts_on, ends_on=MARCH.ends_on, content_version="v1", error="Pango"
    )
    listed = administration.get("/admin/diagnostic/reportpdf/").content.decode()
    assert "Rapport du 01/03/2025 au 31/03/2025" in listed
    assert administration.get("/admin/diagnostic/reportpdf/add/").status_code == 403
    page = administration.get(f"/admin/diagnostic/reportpdf/{row.pk}/change/").content.decode()
    assert "Pango" in page and 'name="error"' not in page
