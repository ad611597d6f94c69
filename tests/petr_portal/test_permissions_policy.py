"""Permissions-Policy: every response denies the browser features the portal never uses,
pages, htmx fragments, downloads, feeds and errors alike."""

import pytest

from tests.diagnostic.factories import DocumentFactory
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

# The powerful features a browser could grant a page: none is used by the portal.
NEVER_USED = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "serial",
    "usb",
    "xr-spatial-tracking",
]


def policy(response):
    """{feature: allowlist} from the header (RFC 8941 dictionary of inner lists)."""
    header = response["Permissions-Policy"]
    parsed = {}
    for member in header.split(","):
        name, _, allowlist = member.strip().partition("=")
        assert allowlist.startswith("(") and allowlist.endswith(")"), member
        parsed[name] = allowlist[1:-1].split()
    return parsed


def assert_denies_everything(response):
    features = policy(response)
    for feature in NEVER_USED:
        assert features.get(feature) == [], feature
    # Nothing is granted, not even to the site itself.
    assert {name: allowed for name, allowed in features.items() if allowed} == {}


def test_an_html_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert_denies_everything(response)


def test_an_htmx_fragment(client):
    MeetingFactory()
    response = client.get("/agenda/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert_denies_everything(response)


def test_a_download(client, settings):
    settings.PORTAL_X_ACCEL_REDIRECT_PREFIX = ""
    document = DocumentFactory(slug="etude")
    response = client.get("/documents/etude/telecharger/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert document.file.name
    assert_denies_everything(response)


@pytest.mark.parametrize(
    ("path", "status"),
    [("/agenda.ics", 200), ("/flux.atom", 200), ("/robots.txt", 200), ("/nulle-part/", 404)],
)
def test_feeds_plain_files_and_errors(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert_denies_everything(response)


def test_a_head_request_and_a_redirect(client):
    assert_denies_everything(client.head("/"))
    response = client.get("/agenda")  # APPEND_SLASH
    assert response.status_code == 301
    assert_denies_everything(response)


def test_a_static_file(client, settings):
    # whitenoise answers before the views; in tests it serves from the finders.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = client.get("/static/js/portal.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert_denies_everything(response)
