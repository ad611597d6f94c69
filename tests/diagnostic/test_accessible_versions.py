"""A document's accessible version (a file or a page) or its derogation: the rules the
admin checks, the public link, the download, the list the declaration reads."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command

from diagnostic import services
from diagnostic.models import Derogation, Document, Visibility
from tests.diagnostic.factories import DocumentFactory, elu, odt_bytes
from tests.diagnostic.pdfs import tagged_pdf, text_pdf
from tests.factories import ChantierFactory

pytestmark = pytest.mark.django_db


def errors_of(document):
    with pytest.raises(ValidationError) as caught:
        document.full_clean()
    return caught.value.message_dict


def test_a_derogation_and_a_version_together_are_refused():
    document = DocumentFactory.build(
        accessible_url="/diagnostic/",
        derogation=Derogation.DISPROPORTIONATE_BURDEN,
        derogation_reason="Trois cents pages de tableaux scannés.",
    )
    assert errors_of(document)["derogation"] == [
        "Une dérogation couvre un document qui n'a pas de version accessible : retirez la "
        "dérogation, ou retirez la version accessible (et la case « le fichier lui-même est "
        "accessible »), selon ce qui est vrai."
    ]
    document.accessible_url = ""
    document.file_is_accessible = True
    assert "derogation" in errors_of(document)


def test_a_derogation_needs_its_reason_and_a_reason_its_derogation():
    document = DocumentFactory.build(derogation=Derogation.NOT_SUBJECT, derogation_reason="  ")
    assert errors_of(document)["derogation_reason"] == [
        "Donnez le motif de la dérogation : la déclaration d'accessibilité le reprend."
    ]
    document = DocumentFactory.build(derogation_reason="Publié avant 2018.")
    assert errors_of(document)["derogation_reason"][0].startswith(
        "Ce motif n'accompagne aucune dérogation"
    )
    document.derogation = Derogation.NOT_SUBJECT
    document.full_clean()


def test_one_accessible_version_only_and_a_real_address():
    document = DocumentFactory.build(accessible_url="/diagnostic/")
    document.accessible_file = ContentFile(odt_bytes(), name="version.odt")
    assert errors_of(document)["accessible_url"][0].startswith("Une seule version accessible")
    for address in ("diagnostic", "//ailleurs.example/page", "javascript:alert(1)", "/a b/"):
        message = errors_of(DocumentFactory.build(accessible_url=address))["accessible_url"]
        assert message[0].startswith("Donnez l'adresse d'une page : elle commence par « / »")
    for address in ("/diagnostic/", "https://www.petr-fqvd.fr/rapport.html"):
        DocumentFactory.build(accessible_url=address).full_clean()


def test_the_lists_link_the_accessible_version_where_there_is_one(client):
    chantier = ChantierFactory()
    DocumentFactory(title="Rapport en page", chantier=chantier, accessible_url="/diagnostic/")
    DocumentFactory(title="Rapport sans version", chantier=chantier)
    for path in ("/documents/", chantier.get_absolute_url()):
        page = client.get(path).content.decode()
        assert page.count(">Version accessible<") == 1, path
        assert (
            '<a href="/diagnostic/">Version accessible<span class="visually-hidden"> de '
            "«&nbsp;Rapport en page&nbsp;»</span></a>"
        ) in page


def test_an_accessible_file_is_stored_and_downloaded_like_the_document(client):
    document = DocumentFactory(title="Étude des circuits courts", slug="circuits")
    document.accessible_file = ContentFile(odt_bytes(), name="n'importe quoi.odt")
    services.save_document(document=document)
    document.refresh_from_db()
    assert document.accessible_file_format == "odt"
    assert document.accessible_file.name.endswith(".odt")
    assert "importe" not in document.accessible_file.name

    page = client.get("/documents/").content.decode()
    assert '<a href="/documents/circuits/version-accessible/" download>Version accessible' in page
    assert '<span class="document-item__format">(ODT)</span>' in page
    response = client.get("/documents/circuits/version-accessible/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == odt_bytes()
    assert "Etude des circuits courts (version accessible).odt" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
    # Without an accessible file there is nothing at that address.
    DocumentFactory(slug="sans-version")
    assert client.get("/documents/sans-version/version-accessible/").status_code == 404


def test_a_reserved_documents_accessible_version_is_reserved_too(client):
    document = DocumentFactory(slug="reserve", visibility=Visibility.RESERVED)
    document.accessible_file = ContentFile(odt_bytes(), name="version.odt")
    services.save_document(document=document)
    response = client.get("/documents/reserve/version-accessible/")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    client.force_login(elu())
    assert client.get("/documents/reserve/version-accessible/").status_code == 200


def test_without_accessible_version_lists_the_public_documents_left_to_do(
    django_assert_num_queries,
):
    chantier = ChantierFactory(title="Dessine-moi ton agriculture !")
    DocumentFactory(title="Zèbre : étude", chantier=chantier)
    DocumentFactory(title="Avant-projet")
    odt = DocumentFactory(title="Compte rendu", file=ContentFile(odt_bytes(), name="cr.odt"))
    # Covered one way or another, or not a document one downloads: not listed.
    DocumentFactory(title="Avec une page", accessible_url="/diagnostic/")
    DocumentFactory(title="Accessible lui-même", file_is_accessible=True)
    DocumentFactory(
        title="Dérogé",
        derogation=Derogation.DISPROPORTIONATE_BURDEN,
        derogation_reason="Archives numérisées de 1200 pages.",
    )
    DocumentFactory(title="Réservé", visibility=Visibility.RESERVED)
    DocumentFactory(title="Fichier à venir", file="")
    DocumentFactory(title="Chiffres", file=ContentFile(b"annee;montant\n2019;12\n", name="c.csv"))

    with django_assert_num_queries(1):
        rows = [
            (document.title, document.format_label, str(document.chantier or ""))
            for document in Document.objects.without_accessible_version()
        ]
    assert rows == [
        ("Avant-projet", "PDF", ""),
        ("Compte rendu", "ODT", ""),
        ("Zèbre : étude", "PDF", "Dessine-moi ton agriculture !"),
    ]
    assert odt.file_format == "odt"
    assert [d.title for d in Document.objects.with_derogation()] == ["Dérogé"]


def test_existing_pdfs_are_read_once_by_the_command():
    stored = DocumentFactory(file=ContentFile(tagged_pdf(), name="ancien.pdf"))
    other = DocumentFactory(file=ContentFile(text_pdf(), name="autre.pdf"))
    DocumentFactory(file=ContentFile(odt_bytes(), name="texte.odt"))
    assert stored.pdf_checked_at is None  # saved without the service, as before
    out = io.StringIO()
    call_command("check_document_accessibility", stdout=out)
    assert out.getvalue().strip() == "PDF analysés : 2"
    stored.refresh_from_db()
    other.refresh_from_db()
    assert stored.is_tagged and stored.pdf_language == "fr-FR"
    assert other.pdf_has_text is True and not other.is_tagged
    # Again: nothing left to read.
    out = io.StringIO()
    call_command("check_document_accessibility", stdout=out)
    assert out.getvalue().strip() == "PDF analysés : 0"
    out = io.StringIO()
    call_command("check_document_accessibility", "--toutes", stdout=out)
    assert out.getvalue().strip() == "PDF analysés : 2"


def test_the_command_skips_a_missing_file():
    document = DocumentFactory()
    document.file.storage.delete(document.file.name)
    out, err = io.StringIO(), io.StringIO()
    call_command("check_document_accessibility", stdout=out, stderr=err)
    assert out.getvalue().strip() == "PDF analysés : 0, introuvables : 1"
    assert f"Fichier introuvable pour « {document} »" in err.getvalue()
