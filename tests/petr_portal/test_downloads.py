"""core.downloads: a stored file handed out as a download on every setup."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile, FileField
from storages.backends.s3 import S3Storage

from core.downloads import protected_file_response

NAME = "Rapport final – démo.pdf"


class Holder:
    """Stands for a model instance: FieldFile only needs the field and a storage."""


def stored_file(storage, content=b"%PDF-1.4 rapport"):
    field = FileField(storage=storage)
    field.name = "fichier"
    name = storage.save("documents/rapport-3f2a.pdf", ContentFile(content))
    return FieldFile(Holder(), field, name)


@pytest.fixture
def local_file(settings, tmp_path):
    settings.PORTAL_X_ACCEL_REDIRECT_PREFIX = ""
    return stored_file(FileSystemStorage(location=tmp_path / "media"))


def test_local_file_is_streamed_as_an_attachment(local_file):
    response = protected_file_response(local_file, NAME, "application/pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 rapport"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == "16"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=UTF-8''Rapport%20final%20%E2%80%93%20d%C3%A9mo.pdf"
        in (response["Content-Disposition"])
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    response.file_to_stream.close()


def test_unknown_type_is_never_guessed_as_html(local_file):
    response = protected_file_response(local_file, "page.html")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    response.file_to_stream.close()


def test_nginx_sends_the_file_when_x_accel_redirect_is_on(local_file, settings):
    settings.PORTAL_X_ACCEL_REDIRECT_PREFIX = "/media-protege/"
    response = protected_file_response(local_file, NAME, "application/pdf")
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == "/media-protege/documents/rapport-3f2a.pdf"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")


def test_object_storage_redirects_to_a_signed_url(settings):

    storage = S3Storage(
        bucket_name="petr-medias",
        endpoint_url="https://s3.example",
        access_key="cle",
        secret_key="secret",
        region_name="fr-par",
        querystring_expire=300,
    )
    field = FileField(storage=storage)
    field.name = "fichier"
    # Signing is computed locally: no request leaves the machine.
    field_file = FieldFile(Holder(), field, "documents/rapport-3f2a.pdf")
    response = protected_file_response(field_file, NAME, "application/pdf")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://")
    assert "documents/rapport-3f2a.pdf" in location
    assert "response-content-disposition=attachment" in location
    assert "X-Amz-Expires=300" in location
