"""Path traversal and odd names on downloads and file URLs: nothing outside the documents."""

import pytest
from django.core.files.base import ContentFile

from diagnostic.models import Document
from tests.diagnostic.factories import DocumentFactory
from tests.security.checks import assert_sane

pytestmark = pytest.mark.django_db

TRAVERSALS = [
    "/documents/..%2f..%2fetc%2fpasswd/telecharger/",
    "/documents/..%2F..%2F..%2Fetc%2Fpasswd/telecharger/",
    "/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd/telecharger/",
    "/documents/%252e%252e%252fetc%252fpasswd/telecharger/",
    "/documents/..%5c..%5cwindows%5cwin.ini/telecharger/",
    "/documents/../../etc/passwd/telecharger/",
    "/documents/....//....//etc/passwd/telecharger/",
    "/documents/%00/telecharger/",
    "/documents/diagnostic-public%00.pdf/telecharger/",
    "/documents/diagnostic-public/telecharger/../../../../etc/passwd",
    "/documents/diagnostic-public/telecharger/%2e%2e/%2e%2e/settings.py",
    "/documents/%C3%A9t%C3%A9/telecharger/",
    "/documents/%ff%fe/telecharger/",
    "/documents/" + "a" * 5000 + "/telecharger/",
    "/documents/etc/passwd/telecharger/",
    "/media/../petr_portal/settings.py",
    "/media/..%2fpetr_portal%2fsettings.py",
    "/media/documents/",
    "/static/../manage.py",
    "/static/..%2fmanage.py",
    "/static/%2e%2e/petr_portal/settings.py",
]


@pytest.fixture
def public_document(db):
    return DocumentFactory(title="Diagnostic public", slug="diagnostic-public")


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_never_reaches_a_file(client, public_document, path, unchanged_database):
    with unchanged_database():
        response = client.get(path)
    assert_sane(response, path)
    assert response.status_code in (400, 404), (path, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for secret in (b"root:", b"SECRET_KEY", b"%PDF", b"import "):
        assert secret not in body, path


def test_a_stored_name_with_dot_dot_is_never_served(client, settings, tmp_path):
    # Only the admin sets file names (through uploads); even a bad row must not escape.
    document = DocumentFactory(slug="echappe")
    Document.objects.filter(pk=document.pk).update(file="../../../../etc/passwd")
    response = client.get("/documents/echappe/telecharger/")
    assert response.status_code in (400, 404)
    settings.PORTAL_X_ACCEL_REDIRECT_PREFIX = "/media-protege/"
    response = client.get("/documents/echappe/telecharger/")
    assert response.status_code in (400, 404)
    assert "X-Accel-Redirect" not in response


def test_html_uploaded_under_another_name_is_never_served_inline(client):
    document = DocumentFactory(slug="page")
    # A file whose stored content is HTML, as if it had slipped past the upload checks.
    name = document.file.storage.save("documents/page.pdf", ContentFile(b"<html><script>x"))
    Document.objects.filter(pk=document.pk).update(file=name, file_format="")
    response = client.get("/documents/page/telecharger/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_a_download_with_x_accel_redirect_carries_no_body(client, settings, public_document):
    settings.PORTAL_X_ACCEL_REDIRECT_PREFIX = "/media-protege/"
    response = client.get("/documents/diagnostic-public/telecharger/")
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"].startswith("/media-protege/documents/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
