"""A request in a charset that is no text encoding (rot13, base64, hex...) or no encoding
at all is a 400 with the site's headers, on every URL, with or without a query string or
a body: through the WSGI application gunicorn serves, since Django would fail while
building such a request, before any middleware."""

import io
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from petr_portal.wsgi import application

pytestmark = pytest.mark.django_db


def call(method, path, query="", body=b"", content_type=""):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "HTTP_HOST": "localhost",
        "SERVER_NAME": "localhost",
    }
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    # As Django's test client does: the test's transaction stays open across the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = application(environ, start_response)
        try:
            answer["body"] = b"".join(response).decode()
        finally:
            response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer


@pytest.mark.parametrize("charset", ["rot13", "base64", "hex", "zlib", "quopri", "klingon"])
@pytest.mark.parametrize(
    ("method", "path", "query", "content_type"),
    [
        ("POST", "/suivre/", "", "application/x-www-form-urlencoded"),
        ("POST", "/nous-rejoindre/", "chantier=x", "multipart/form-data; boundary=x"),
        ("GET", "/agenda/", "type=session", "text/plain"),
        ("GET", "/recherche/", "q=chantier", "text/plain"),
    ],
)
def test_a_charset_that_is_no_text_encoding_is_a_400_with_the_site_headers(
    method, path, query, content_type, charset
):
    answer = call(method, path, query, b"a=b", f"{content_type}; charset={charset}")
    assert answer["status"] == 400
    headers = answer["headers"]
    assert "default-src" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert "Permissions-Policy" in headers
    assert "<html" in answer["body"] and 'lang="fr"' in answer["body"]


def test_a_text_charset_goes_through(settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    answer = call("GET", "/robots.txt", "a=1", b"", "text/plain; charset=latin-1")
    assert answer["status"] == 200
