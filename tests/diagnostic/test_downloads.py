"""/documents/<slug>/telecharger/: headers, counting, access by role, nothing else reachable."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.downloads import content_disposition
from diagnostic.models import Document, Visibility
from tests.diagnostic.factories import DocumentFactory, elu, xlsx_bytes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(document):
    return f"/documents/{document.slug}/telecharger/"


def body(response):
    return b"".join(response.streaming_content)


def test_a_public_pdf_downloads_with_its_french_name(client):
    document = DocumentFactory(title="Diagnostic socio-économique – synthèse")
    response = client.get(url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(document.file.size)
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="Diagnostic socio-economique - synthese.pdf"' in disposition
    expected = quote("Diagnostic socio-économique – synthèse.pdf", safe="")
    assert f"filename*=UTF-8''{expected}" in disposition
    data = body(response)
    assert data.startswith(b"%PDF-")
    assert len(data) == document.file.size


def test_other_formats_get_their_own_content_type(client):
    from django.core.files.base import ContentFile

    document = DocumentFactory(title="Tableau", file=ContentFile(xlsx_bytes(), name="t.xlsx"))
    response = client.get(url(document))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "filename*=UTF-8''Tableau.xlsx" in response["Content-Disposition"]


def test_content_disposition_keeps_quotes_and_slashes_out():
    header = content_disposition('Rapport "final" ; v2.pdf')
    assert 'filename="Rapport _final_ ; v2.pdf"' in header
    assert "filename*=UTF-8''Rapport%20%22final%22%20%3B%20v2.pdf" in header


def test_the_download_filename_never_carries_a_path():
    document = Document(title="../../etc/passwd", file_format="pdf")
    assert "/" not in document.download_filename
    assert document.download_filename == "etc passwd.pdf"


def test_downloads_are_counted_for_visitors_and_elus_but_not_for_staff(client):
    document = DocumentFactory()
    client.get(url(document))
    client.get(url(document))
    document.refresh_from_db()
    assert document.downloads == 2

    client.force_login(elu())
    client.get(url(document))
    document.refresh_from_db()
    assert document.downloads == 3

    client.force_login(UserFactory(is_staff=True))
    client.get(url(document))
    document.refresh_from_db()
    assert document.downloads == 3


def test_the_count_is_an_atomic_increment(client):
    document = DocumentFactory()
    with CaptureQueriesContext(connection) as queries:
        client.get(url(document))
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert '"downloads" = ("diagnostic_document"."downloads" + 1)' in updates[0]


def test_a_reserved_document_sends_anonymous_visitors_to_sign_in(client):
    document = DocumentFactory(visibility=Visibility.RESERVED)
    response = client.get(url(document))
    assert response.status_code == 302
    assert (
        response["Location"] == f"/compte/connexion/?next=/documents/{document.slug}/telecharger/"
    )
    document.refresh_from_db()
    assert document.downloads == 0


def test_a_reserved_document_is_forbidden_to_a_resident(client, user):
    document = DocumentFactory(visibility=Visibility.RESERVED)
    client.force_login(user)
    response = client.get(url(document))
    assert response.status_code == 403
    html = response.content.decode()
    assert "réservé aux élus" in html
    assert "%PDF" not in html
    document.refresh_from_db()
    assert document.downloads == 0


@pytest.mark.parametrize("who", ["elu", "staff"])
def test_a_reserved_document_downloads_for_elus_and_staff(client, who):
    document = DocumentFactory(visibility=Visibility.RESERVED)
    client.force_login(elu() if who == "elu" else UserFactory(is_staff=True))
    response = client.get(url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert body(response).startswith(b"%PDF-")


def test_an_inactive_elu_gets_nothing(client):
    document = DocumentFactory(visibility=Visibility.RESERVED)
    person = elu()
    client.force_login(person)
    person.is_active = False
    person.save()
    response = client.get(url(document))
    # A deactivated account is signed out: sent to the sign-in page, nothing handed out.
    assert response.status_code == 302
    assert response["Location"] == f"/compte/connexion/?next={url(document)}"
    document.refresh_from_db()
    assert document.downloads == 0


def test_an_unknown_slug_is_404(client):
    assert client.get("/documents/n-existe-pas/telecharger/").status_code == 404


def test_a_document_without_file_says_so(client):
    document = DocumentFactory(file="")
    response = client.get(url(document))
    assert response.status_code == 404
    assert "pas encore été déposé" in response.content.decode().replace("&#x27;", "'")


def test_a_missing_file_on_disk_is_404_not_500(client):
    document = DocumentFactory()
    document.file.storage.delete(document.file.name)
    assert client.get(url(document)).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/documents/../settings.py/telecharger/",
        "/documents/..%2F..%2Fpetr_portal%2Fsettings.py/telecharger/",
        "/documents/%2e%2e/telecharger/",
        "/documents/document-1/../../manage.py",
        "/documents/document-1/telecharger/../../../manage.py",
        "/documents/essai.pdf/telecharger/",
        "/documents/%00/telecharger/",
    ],
)
def test_nothing_in_the_url_reaches_another_file(client, path):
    DocumentFactory(slug="document-1")
    response = client.get(path)
    assert response.status_code == 404
    assert b"SECRET_KEY" not in response.content
    assert b"%PDF" not in response.content


def test_query_strings_cannot_pick_another_file(client):
    public = DocumentFactory()
    reserved = DocumentFactory(visibility=Visibility.RESERVED)
    response = client.get(url(public), {"file": reserved.file.name, "slug": reserved.slug})
    assert body(response) == public.file.open("rb").read()


def test_only_get_is_allowed(client):
    document = DocumentFactory()
    assert client.post(url(document)).status_code == 405
