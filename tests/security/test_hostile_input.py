"""Hostile input: a charset that is no text encoding, error pages of every kind (with the
site's security headers), one mailbox written many ways, line separators in one-line
fields."""

import pytest
from django.test import Client

from chantiers.models import Registration, Subscription
from core.addresses import HIDDEN_OR_VARIANT, mailbox
from tests.chantiers.factories import OpenIntersessionFactory
from tests.chantiers.participation import _empty_cache, html_of, join_data  # noqa: F401
from tests.factories import ChantierFactory

pytestmark = pytest.mark.django_db


def assert_site_headers(response):
    policy = response.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy or "default-src 'none'" in policy, policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


# ---- Charsets (through the WSGI application: tests/security/test_charsets.py) ----


@pytest.mark.parametrize("charset", ["rot13", "base64", "klingon"])
def test_the_middleware_refuses_a_charset_that_is_no_text_encoding(charset):
    """What the test client reaches (no query string: Django builds the request)."""
    response = Client(raise_request_exception=False).generic(
        "POST", "/suivre/", b"a=b", content_type=f"text/plain; charset={charset}"
    )
    assert response.status_code == 400
    assert_site_headers(response)


# ---- Every error page carries the policy and the frame header ----


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = "tests.security.error_urls"


def test_every_error_page_carries_the_site_headers(error_urls):
    client = Client(raise_request_exception=False)
    pages = {
        "400 (hôte inconnu)": client.get("/", HTTP_HOST="inconnu.example"),
        "403": client.get("/essai/refus/"),
        "403 (CSRF)": Client(enforce_csrf_checks=True).post("/suivre/", {"email": "a@b.fr"}),
        "404": client.get("/page-qui-n-existe-pas/"),
        "500": client.get("/essai/panne/"),
    }
    for name, response in pages.items():
        assert response.status_code == int(name[:3]), name
        assert_site_headers(response)


# ---- One mailbox, one way of writing it ----


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Anne@EXÄMPLE.fr", "Anne@xn--exmple-cua.fr"),
        ("anne@exämple.fr", "anne@xn--exmple-cua.fr"),
        ("anne@xn--exmple-cua.fr", "anne@xn--exmple-cua.fr"),
        ("anne@exa\u0308mple.fr", "anne@xn--exmple-cua.fr"),  # decomposed ä
        ("anne@example\u3002fr", "anne@example.fr"),  # ideographic full stop
    ],
)
def test_a_domain_is_stored_in_its_one_idna_form(typed, stored):
    assert mailbox(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "anne@exa\u200bmple.fr",  # zero-width space
        "anne@exam\u00adple.fr",  # soft hyphen
        "anne@\uff45xample.fr",  # fullwidth e
        "anne@example.fr\u200e",  # left-to-right mark
        "an\u2060ne@example.fr",  # word joiner
    ],
)
def test_an_invisible_character_or_a_letter_variant_is_refused(client, typed):
    ChantierFactory(slug="agriculture")
    response = client.post(
        "/suivre/",
        {
            "email": typed,
            "all_chantiers": "on",
            "kinds": ["meetings"],
            "rhythm": "hebdo",
            "site_internet": "",
        },
    )
    assert response.status_code == 200
    assert HIDDEN_OR_VARIANT.replace("'", "&#x27;") in html_of(response)
    assert not Subscription.objects.exists()


def test_one_mailbox_is_one_subscription(client):
    for typed in ("anne@EXÄMPLE.fr", "anne@exämple.fr", "ANNE@xn--exmple-cua.fr"):
        client.post(
            "/suivre/",
            {
                "email": typed,
                "all_chantiers": "on",
                "kinds": ["meetings"],
                "rhythm": "hebdo",
                "site_internet": "",
            },
        )
    assert list(Subscription.objects.values_list("email", flat=True)) == ["anne@xn--exmple-cua.fr"]


def test_one_mailbox_is_one_seat(client):
    meeting = OpenIntersessionFactory(capacity=5)
    for typed in ("louis@EXÄMPLE.fr", "Louis@exämple.fr", "louis@xn--exmple-cua.fr"):
        response = client.post(
            f"{meeting.get_absolute_url()}inscription/",
            {"name": "Louis", "email": typed, "consent": "on", "site_internet": ""},
        )
        assert response.status_code == 302
    assert Registration.objects.count() == 1


# ---- One-line fields ----


@pytest.mark.parametrize(
    "separator", ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\x1e", "\r", "\t"]
)
@pytest.mark.parametrize("field", ["name", "commune"])
def test_one_line_fields_refuse_every_line_and_paragraph_separator(client, field, separator):
    ChantierFactory(slug="agriculture")
    response = client.post("/nous-rejoindre/", join_data(**{field: f"Marie{separator}Dupont"}))
    assert response.status_code == 200
    assert "Écrivez-le sur une seule ligne." in html_of(response)
