"""The Content Security Policy header, and pages that keep to it."""

import json
import re

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    ("/", 200),
    ("/mentions-legales/", 200),
    ("/accessibilite/", 200),
    ("/confidentialite/", 200),
    ("/page-qui-n-existe-pas/", 404),
    # The admin signs people in on the portal's own page (issue 4).
    ("/compte/connexion/", 200),
]


def policy(response):
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize(("path", "status"), PAGES)
def test_every_page_carries_the_strict_policy(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


@pytest.mark.parametrize(("path", "status"), PAGES)
def test_pages_have_no_inline_script_style_attribute_or_hx_on(client, path, status):
    html = client.get(path).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        # JSON data islands (schema.org's JSON-LD too) are not executed; every executed
        # script comes from a file.
        assert "src=" in tag or re.search(r'type="application/(ld\+)?json"', tag), tag
    assert not re.search(r"\sstyle\s*=", html)
    assert "<style" not in html
    assert not re.search(r"\shx-on", html)
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert "javascript:" not in html and '"js:' not in html


def test_htmx_is_configured_for_the_policy(client):
    html = client.get("/").content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html).group(1)
    values = json.loads(config)
    assert values["allowEval"] is False
    assert values["includeIndicatorStyles"] is False
    assert values["allowScriptTags"] is False


def test_security_headers_on_pages(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_admin_alone_may_use_style_attributes_and_keeps_strict_scripts(admin_client):
    admin = policy(admin_client.get("/admin/chantiers/chantier/"))
    assert admin["style-src"] == ["'self'", "'unsafe-inline'"]
    assert admin["script-src"] == ["'self'"]
    # A public page seen by the same signed-in person keeps the strict policy.
    assert policy(admin_client.get("/chantiers/"))["style-src"] == ["'self'"]
