"""PDFs uploaded through the admin are read on upload, and the admin says in plain French
whether they are tagged, in which language, with which title, with text or scanned."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from diagnostic.models import Document
from tests.diagnostic.factories import DocumentFactory, odt_bytes
from tests.diagnostic.pdfs import scanned_pdf, tagged_pdf, text_pdf
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def form_data(slug, **fields):
    return {
        "title": f"Document {slug}",
        "slug": slug,
        "kind": "etude",
        "summary": "",
        "visibility": "elus",  # not news for followers: nothing else is written
        "published_on": "",
        "cover_alt": "",
        "accessible_url": "",
        "derogation": "",
        "derogation_reason": "",
        **fields,
    }


def upload(client, slug, data, name=None, **fields):
    """Add a document through the admin's add form, as the team does."""
    upload = SimpleUploadedFile(name or f"{slug}.pdf", data, content_type="application/pdf")
    response = client.post(
        "/admin/diagnostic/document/add/", form_data(slug, file=upload, **fields)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Document.objects.get(slug=slug)


def read_only_lines(client, document):
    """The change form's read-only rows as « label : value », the way a person reads them."""
    page = client.get(f"/admin/diagnostic/document/{document.pk}/change/").content.decode()
    rows = re.findall(r"<label>([^<]*)</label>\s*<div class=\"readonly\">(.*?)</div>", page, re.S)
    return {
        html.unescape(label).rstrip(" :\xa0"): " ".join(html.unescape(value).split())
        for label, value in rows
    }


def test_a_tagged_and_an_untagged_pdf_are_told_apart_on_upload(admin_client):
    tagged = upload(admin_client, "balise", tagged_pdf())
    untagged = upload(admin_client, "non-balise", text_pdf())

    assert tagged.is_tagged and tagged.pdf_checked_at is not None
    assert not untagged.is_tagged and untagged.pdf_checked_at is not None
    # Stored as uploaded: the page count beside the analysis.
    assert tagged.file_format == "pdf" and tagged.page_count == 1

    lines = read_only_lines(admin_client, tagged)
    assert lines["PDF balisé"] == "oui"
    assert lines["Langue du document"] == "fr-FR"
    assert lines["Titre"] == "« Diagnostic socio-économique »"
    assert lines["Texte"] == "oui"

    lines = read_only_lines(admin_client, untagged)
    assert lines["PDF balisé"].startswith("non – ")
    assert lines["Langue du document"].startswith("absente")
    assert lines["Titre"] == "absent"
    assert lines["Texte"] == "oui"


def test_a_scanned_pdf_is_recognised_as_such(admin_client):
    scan = upload(admin_client, "scan", scanned_pdf(pages=2))
    assert scan.pdf_has_text is False
    assert read_only_lines(admin_client, scan)["Texte"] == (
        "aucun – probablement un document scanné"
    )


def test_a_title_the_viewer_does_not_show_is_said_so(admin_client):
    document = upload(admin_client, "titre-cache", tagged_pdf(display_title=False))
    assert read_only_lines(admin_client, document)["Titre"] == (
        "« Diagnostic socio-économique » (mais le lecteur de PDF affiche le nom du fichier "
        "à sa place)"
    )


def test_half_tagging_is_explained(admin_client):
    document = upload(admin_client, "moitie", text_pdf(tagged=True, marked=False))
    assert read_only_lines(admin_client, document)["PDF balisé"] == (
        "en partie : il a un arbre de structure, mais son contenu n'est pas marqué"
    )


def test_other_formats_and_locked_pdfs_are_explained_instead(admin_client):
    odt = upload(admin_client, "texte", odt_bytes(), name="texte.odt")
    assert odt.pdf_checked_at is None
    lines = read_only_lines(admin_client, odt)
    assert "PDF balisé" not in lines
    assert lines["Analyse du fichier"].startswith(
        "Seuls les PDF sont lus : vérifiez ce fichier ODT"
    )

    locked = upload(admin_client, "verrouille", text_pdf(password="secret"))
    assert locked.pdf_checked_at is not None and locked.pdf_has_text is None
    assert read_only_lines(admin_client, locked)["Analyse du fichier"] == (
        "Ce PDF n'a pas pu être lu : il est protégé par un mot de passe, ou endommagé."
    )


def test_replacing_the_file_reads_the_new_one(admin_client):
    document = upload(admin_client, "remplace", text_pdf())
    assert not document.is_tagged
    response = admin_client.post(
        f"/admin/diagnostic/document/{document.pk}/change/",
        form_data("remplace", file=SimpleUploadedFile("v2.pdf", tagged_pdf())),
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_tagged and document.pdf_language == "fr-FR"
    # A change that leaves the file alone does not read it again.
    checked_at = document.pdf_checked_at
    admin_client.post(
        f"/admin/diagnostic/document/{document.pk}/change/", form_data("remplace", title="Autre")
    )
    document.refresh_from_db()
    assert document.title == "Autre" and document.pdf_checked_at == checked_at
    # Removed, nothing is left of the analysis.
    admin_client.post(
        f"/admin/diagnostic/document/{document.pk}/change/",
        form_data("remplace", **{"file-clear": "on"}),
    )
    document.refresh_from_db()
    assert not document.file and document.pdf_checked_at is None and document.pdf_title == ""


def test_the_list_has_a_column_and_a_filter(admin_client):
    upload(admin_client, "balise", tagged_pdf())
    upload(admin_client, "non-balise", text_pdf())
    upload(admin_client, "scan", scanned_pdf())
    DocumentFactory(slug="avec-version", title="Avec version", accessible_url="/diagnostic/")
    page = admin_client.get("/admin/diagnostic/document/").content.decode()
    assert '<td class="field-accessibility_display">PDF balisé</td>' in page
    assert '<td class="field-accessibility_display">PDF non balisé</td>' in page
    assert '<td class="field-accessibility_display">PDF sans texte (scanné ?)</td>' in page
    assert '<td class="field-accessibility_display">version accessible</td>' in page

    def listed(query):
        page = admin_client.get(f"/admin/diagnostic/document/?{query}").content.decode()
        return set(
            re.findall(r"/admin/diagnostic/document/\d+/change/[^>]*>Document ([\w-]+)<", page)
        )

    assert listed("accessibilite=non-balise") == {"non-balise", "scan"}
    assert listed("accessibilite=sans-texte") == {"scan"}
    assert listed("accessibilite=a-traiter") == {"balise", "non-balise", "scan"}
