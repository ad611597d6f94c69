"""Forged htmx headers, other HTTP methods and forms sent without their CSRF token."""

import pytest
from django.test import Client

from tests.security.checks import assert_sane
from tests.security.routes import public_urls

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
# Header values as a WSGI server hands them to Django: latin-1 strings.
FORGED_HEADERS = {
    "htmx-everywhere": {"HX-Request": "true"},
    "htmx-false": {"HX-Request": "false"},
    "htmx-garbage": {"HX-Request": "tru\"e'<>"},
    "target-script": {"HX-Request": "true", "HX-Target": SCRIPT * 50},
    "target-utf8-bytes": {"HX-Request": "true", "HX-Target": "é\u202e".encode().decode("latin-1")},
    "target-huge": {"HX-Request": "true", "HX-Target": "#" + "x" * 8000},
    "current-url-js": {"HX-Request": "true", "HX-Current-URL": "javascript:alert(1)"},
    "trigger": {"HX-Request": "true", "HX-Trigger": SCRIPT, "HX-Trigger-Name": "\x7f" * 100},
    "boosted": {"HX-Request": "true", "HX-Boosted": "true"},
    "history-restore": {"HX-Request": "true", "HX-History-Restore-Request": "true"},
    "prompt": {"HX-Request": "true", "HX-Prompt": SCRIPT},
}


@pytest.mark.parametrize("kind", sorted(FORGED_HEADERS))
def test_forged_htmx_headers_on_every_public_url(client, sample_content, kind, unchanged_database):
    headers = FORGED_HEADERS[kind]
    with unchanged_database():
        for url in public_urls(sample_content).values():
            for query in ("", "?page=2&passees=2&etat=en_action"):
                response = client.get(url + query, headers=headers)
                assert_sane(response, url + query)
                if not response.streaming:
                    assert SCRIPT.encode() not in response.content, url


def test_a_fragment_request_is_never_answered_with_a_cached_page_or_the_reverse(
    client, sample_content, settings
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    for url in ("/chantiers/", "/agenda/", "/documents/"):
        page = client.get(url)
        fragment = client.get(url, headers={"HX-Request": "true"})
        assert b"<html" in page.content and b"<html" not in fragment.content
        # A forged value is not htmx: django-htmx only believes "true".
        assert b"<html" in client.get(url, headers={"HX-Request": "yes"}).content


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_without_a_csrf_token_get_the_french_403_page(
    sample_content, method, unchanged_database
):
    client = Client(enforce_csrf_checks=True)
    urls = [*public_urls(sample_content).values(), "/admin/login/", "/admin/"]
    # The one-click unsubscribe address takes mail clients' POSTs without a cookie (RFC
    # 8058): its signed token is the key (tests/chantiers/test_following.py).
    urls = [url for url in urls if not url.startswith("/suivre/desabonnement/")]
    with unchanged_database():
        for url in urls:
            response = (
                getattr(client, method)(url, data={"x": "1"})
                if method == "post"
                else (
                    getattr(client, method)(
                        url, data="x=1", content_type="application/x-www-form-urlencoded"
                    )
                )
            )
            assert_sane(response, url)
            assert response.status_code == 403, (method, url, response.status_code)
            html = response.content.decode()
            assert "Le formulaire n'a pas pu être envoyé" in html
            assert 'lang="fr"' in html


def test_the_csrf_page_hands_out_a_fresh_token(sample_content):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "a@b.fr", "password": "x"})
    assert response.status_code == 403
    assert "csrftoken" in response.cookies


def test_a_post_with_a_token_on_a_read_only_page_changes_nothing(
    client, sample_content, unchanged_database
):
    with unchanged_database():
        for url in public_urls(sample_content).values():
            response = client.post(url, {"x": "1"})  # the test client skips CSRF checks
            assert_sane(response, url)
            # 405 from @require_safe; Django's syndication feeds answer any method; the
            # forms answer 200 with their errors, 400 (honeypot) or 404 (registration to
            # a meeting that is not open).
            assert response.status_code in (200, 302, 400, 404, 405), (url, response.status_code)


@pytest.mark.parametrize("method", ["options", "head", "trace"])
def test_other_methods_never_break_a_page(client, sample_content, method, unchanged_database):
    with unchanged_database():
        for url in public_urls(sample_content).values():
            response = client.generic(method.upper(), url)
            assert_sane(response, url)
