"""Uploads are judged by their content: format, size limit, safe names, covers."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from diagnostic import files
from diagnostic.models import Document, DocumentKind
from tests.diagnostic.factories import (
    DocumentFactory,
    docx_bytes,
    odt_bytes,
    pdf_bytes,
    png_bytes,
    xlsx_bytes,
    zip_bytes,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def new_document(name, data, **kwargs):
    document = Document(title="Essai", slug="essai", kind=DocumentKind.STUDY, **kwargs)
    document.file = SimpleUploadedFile(name, data)
    return document


def refusal(name, data):
    with pytest.raises(ValidationError) as caught:
        new_document(name, data).full_clean()
    return " ".join(caught.value.message_dict["file"])


def test_a_renamed_image_is_not_a_pdf():
    message = refusal("rapport.pdf", png_bytes())
    assert "Le contenu du fichier « rapport.pdf » n'est pas un document" in message
    assert "PDF, ODT, DOCX, XLSX ou CSV" in message


def test_a_word_file_renamed_pdf_is_refused_with_what_it_really_is():
    message = refusal("rapport.pdf", docx_bytes())
    assert "porte l'extension .pdf mais son contenu est un document DOCX" in message


def test_a_broken_pdf_is_refused():
    message = refusal("rapport.pdf", b"%PDF-1.7\nceci n'est pas un vrai PDF")
    assert "illisible ou endommagé" in message


def test_an_empty_file_is_refused():
    assert "est vide" in refusal("rapport.pdf", b"")


def test_an_oversized_file_is_refused(settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    data = b"%PDF-1.7\n" + b"0" * (1536 * 1024 - 9)
    message = refusal("gros.pdf", data)
    assert "pèse 1,5\xa0Mo : la limite est de 1\xa0Mo" in message
    # Just under the limit is fine.
    document = new_document("juste.pdf", pdf_bytes(1) + b"\n" * 1000)
    document.full_clean()


def test_the_size_limit_defaults_to_50_mb(settings):
    del settings.DOCUMENT_MAX_UPLOAD_MB
    assert files.max_upload_bytes() == 50 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("texte.odt", odt_bytes(), "odt"),
        ("texte.docx", docx_bytes(), "docx"),
        ("tableau.xlsx", xlsx_bytes(), "xlsx"),
        ("chiffres.csv", "commune;habitants\nSaint-Céré;3500\n".encode(), "csv"),
        ("chiffres.csv", "année,montant\n2019,12\n".encode("cp1252"), "csv"),
        # The name does not decide: a PDF without extension is still a PDF.
        ("sans-extension", pdf_bytes(1), "pdf"),
    ],
)
def test_accepted_formats_are_recognised_by_content(name, data, expected):
    document = new_document(name, data)
    document.full_clean()
    document.save()
    assert document.file_format == expected
    assert document.file.name.endswith("." + files.FORMATS[expected][2])


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("archive.docx", zip_bytes({"readme.txt": "rien"})),
        ("tableur.odt", zip_bytes({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"})),
        ("binaire.csv", b"col1,col2\n\x00\x01\x02"),
        ("page.csv", b"<html><body>pas de separateur</body></html>"),
        ("programme.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
    ],
)
def test_other_contents_are_refused(name, data):
    assert f"Le contenu du fichier « {name} » n'est pas un document PDF, ODT" in refusal(name, data)


def test_a_valid_pdf_is_stored_under_a_generated_name_with_its_page_count():
    document = new_document("../../Mon rapport final (v2).pdf", pdf_bytes(3))
    document.full_clean()
    document.save()
    document.refresh_from_db()
    assert re.fullmatch(r"documents/\d{4}/[0-9a-f]{32}\.pdf", document.file.name)
    assert "rapport" not in document.file.name
    assert document.file_format == "pdf"
    assert document.page_count == 3
    assert document.file_size == document.file.size
    assert document.human_format.startswith("PDF, ")
    assert document.human_format.endswith(", 3\xa0pages")


def test_human_format_reads_like_french():
    document = Document(file="x.pdf", file_format="pdf", file_size=int(2.3 * 1024 * 1024))
    document.page_count = 48
    assert document.human_format == "PDF, 2,3\xa0Mo, 48\xa0pages"
    document.page_count = 1
    assert document.human_format == "PDF, 2,3\xa0Mo, 1\xa0page"
    assert files.human_size(850 * 1024) == "850\xa0ko"
    assert files.human_size(12) == "12\xa0octets"
    assert Document(file="").human_format == ""


def test_a_document_may_wait_for_its_file():
    document = Document(title="Rapport final", slug="rapport", kind=DocumentKind.FINAL_REPORT)
    document.full_clean()
    document.save()
    assert not document.has_file
    assert document.human_format == ""


def test_a_cover_gets_a_thumbnail():
    from PIL import Image

    document = DocumentFactory()
    document.cover = SimpleUploadedFile("couverture.png", png_bytes((1600, 1000)))
    document.full_clean()
    document.save()
    document.refresh_from_db()
    assert re.fullmatch(r"couvertures/[0-9a-f]{32}\.png", document.cover.name)
    assert document.cover_thumbnail.name.startswith("couvertures/miniatures/")
    with Image.open(document.cover_thumbnail.path) as thumbnail:
        assert thumbnail.format == "JPEG"
        assert thumbnail.size == (480, 300)


def test_a_fake_cover_image_is_refused():
    document = DocumentFactory()
    document.cover = SimpleUploadedFile("couverture.png", b"pas une image du tout")
    with pytest.raises(ValidationError) as caught:
        document.full_clean()
    assert "n'est pas une image lisible" in " ".join(caught.value.message_dict["cover"])


def test_stored_files_are_not_inspected_again_on_each_save():
    document = DocumentFactory()
    name = document.file.name
    document.title = "Nouveau titre"
    document.full_clean()
    document.save()
    assert document.file.name == name
    assert document.file_format == "pdf"


@pytest.fixture
def admin_client_fr(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def admin_post(client, upload):
    return client.post(
        "/admin/diagnostic/document/add/",
        {
            "title": "Diagnostic socio-économique",
            "slug": "diagnostic-socio-economique",
            "kind": DocumentKind.DIAGNOSTIC,
            "summary": "",
            "file": upload,
            "visibility": "public",
            "published_on": "2024-03-01",
            "cover_alt": "",
        },
    )


def test_the_admin_refuses_a_renamed_file_in_french(admin_client_fr):
    response = admin_post(admin_client_fr, SimpleUploadedFile("diagnostic.pdf", png_bytes()))
    assert response.status_code == 200
    assert "n&#x27;est pas un document PDF, ODT, DOCX, XLSX ou CSV" in response.content.decode()
    assert not Document.objects.exists()


def test_the_admin_accepts_a_real_pdf(admin_client_fr):
    response = admin_post(admin_client_fr, SimpleUploadedFile("diagnostic.pdf", pdf_bytes(4)))
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.page_count == 4
    assert document.file_format == "pdf"


def test_content_file_without_upload_is_inspected_too():
    document = new_document("x.pdf", b"")
    document.file = ContentFile(pdf_bytes(2), name="x.pdf")
    document.save()
    assert document.page_count == 2
