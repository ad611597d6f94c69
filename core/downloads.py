"""Hand out a stored file as a download, the same way on every kind of setup.

    return protected_file_response(document.file, "Rapport final.pdf", "application/pdf")

The view decides who may download (and counts); this helper only delivers:
- local MEDIA_ROOT, PORTAL_X_ACCEL_REDIRECT_PREFIX set: an empty response whose
  X-Accel-Redirect header tells nginx to send the file from its `internal` location
  (docs/deploiement.md), so no gunicorn worker is held while the file goes out;
- local MEDIA_ROOT otherwise: Django streams the file (FileResponse);
- object storage: a redirect to a signed URL that expires (DJANGO_S3_URL_EXPIRE), with
  the file name and type set by the storage's response headers.
Always as an attachment with the French file name (RFC 6266) and `nosniff`, so an
uploaded file is never rendered inline as a page of the site.
"""

import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.utils import validate_file_name
from django.http import FileResponse, HttpResponse, HttpResponseRedirect

FALLBACK_TYPE = "application/octet-stream"

_ASCII_PUNCTUATION = str.maketrans({"–": "-", "—": "-", "’": "'", "«": "", "»": "", "\u00a0": " "})


def content_disposition(filename, disposition="attachment"):
    """attachment; filename="ASCII fallback"; filename*=UTF-8''percent-encoded (RFC 6266).

    Browsers use the UTF-8 name (« Diagnostic socio-économique.pdf »); the plain one is
    for old clients. Quotes, backslashes and control characters never reach the header.
    `disposition="inline"` for a file the browser may open itself (a calendar feed).
    """
    filename = "".join(" " if unicodedata.category(c) == "Cc" else c for c in filename)
    folded = unicodedata.normalize("NFKD", filename.translate(_ASCII_PUNCTUATION))
    ascii_name = folded.encode("ascii", "ignore").decode("ascii")
    ascii_name = " ".join(ascii_name.replace("\\", "_").replace('"', "_").split()) or "document"
    encoded = quote(filename, safe="")
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"


def protected_file_response(field_file, filename, content_type=None):
    """The file as an attachment (see the module docstring).

    Raises FileNotFoundError (an OSError) when a local file is missing: the view answers 404.
    """
    content_type = content_type or FALLBACK_TYPE
    disposition = content_disposition(filename)
    storage = field_file.storage
    prefix = settings.PORTAL_X_ACCEL_REDIRECT_PREFIX
    if isinstance(storage, FileSystemStorage):
        if prefix:
            # nginx would follow "../" out of its internal location: never hand it such a
            # name (SuspiciousFileOperation, a 400). Django's own path checks do it below.
            validate_file_name(field_file.name, allow_relative_path=True)
            response = HttpResponse(content_type=content_type)
            response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(field_file.name)
            response["Content-Disposition"] = disposition
        else:
            response = FileResponse(field_file.open("rb"), content_type=content_type)
            response["Content-Disposition"] = disposition
    else:
        url = storage.url(
            field_file.name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
            },
        )
        response = HttpResponseRedirect(url)
    response["X-Content-Type-Options"] = "nosniff"
    # A reserved document must not stay in a shared cache on the way.
    response["Cache-Control"] = "private, no-store"
    return response
