"""The whole-page cache of anonymous public pages (core.cache)."""

import os
import shutil
import subprocess
import tempfile
import time

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse

from core.cache import bump_content_version, content_version
from core.models import ContentVersion

pytestmark = pytest.mark.django_db


def contact_shown(client, path="/", **extra):
    html = client.get(path, **extra).content.decode()
    for email in ("developpement@petr-fqvd.fr", "nouveau@petr-fqvd.fr"):
        if email in html:
            return email
    raise AssertionError("no contact e-mail on the page")


def change_contact(settings):
    settings.PORTAL = {**settings.PORTAL, "CONTACT_EMAIL": "nouveau@petr-fqvd.fr"}


def test_home_is_served_from_the_cache_until_the_content_version_is_bumped(client, page_cache):
    assert contact_shown(client) == "developpement@petr-fqvd.fr"
    change_contact(page_cache)
    # Still the cached page: the change has not been announced.
    assert contact_shown(client) == "developpement@petr-fqvd.fr"
    bump_content_version()
    assert contact_shown(client) == "nouveau@petr-fqvd.fr"


def test_cached_home_costs_one_query_and_carries_no_csrf_token(
    client, page_cache, django_assert_num_queries
):
    first = client.get("/")
    # The content version, shared by every process, is the one query of a cached page.
    with django_assert_num_queries(1) as queries:
        second = client.get("/")
    assert "portal_content_version" in queries.captured_queries[0]["sql"]
    assert second.content == first.content
    assert "X-CSRFToken" not in second.content.decode()
    assert "csrftoken" not in second.cookies
    assert "default-src 'self'" in second["Content-Security-Policy"]


@pytest.mark.urls("tests.petr_portal.cache_urls")
def test_a_cached_page_costs_one_trip_to_the_cache(client, page_cache, monkeypatch):
    client.get("/t/fragment/")
    trips = []

    def counted(name):
        real = getattr(cache, name)
        return lambda *args: trips.append(name) or real(*args)

    for name in ("get", "get_many"):
        monkeypatch.setattr(cache, name, counted(name))
    assert client.get("/t/fragment/").content.startswith(b"page")
    assert trips == ["get_many"]


def test_without_page_cache_the_home_keeps_its_csrf_header(client, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    assert 'data-hx-headers=\'{"X-CSRFToken": "' in client.get("/").content.decode()


def test_signed_in_visitors_are_never_served_from_the_cache(client, page_cache, user):
    contact_shown(client)
    change_contact(page_cache)
    client.force_login(user)
    assert contact_shown(client) == "nouveau@petr-fqvd.fr"
    client.logout()
    assert contact_shown(client) == "developpement@petr-fqvd.fr"


def test_a_visitor_with_a_pending_message_sees_a_fresh_page(rf, client, page_cache):
    contact_shown(client)
    change_contact(page_cache)
    # Put a message in the visitor's cookie, as a redirect after a form would.
    storage = CookieStorage(rf.get("/"))
    storage.add(messages.SUCCESS, "Votre demande est enregistrée.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value
    html = client.get("/").content.decode()
    assert "Votre demande est enregistrée." in html
    assert "nouveau@petr-fqvd.fr" in html


def test_unknown_query_parameters_bypass_the_cache(client, page_cache):
    contact_shown(client)
    change_contact(page_cache)
    assert contact_shown(client, "/?utm_source=lettre") == "nouveau@petr-fqvd.fr"
    assert contact_shown(client) == "developpement@petr-fqvd.fr"


@pytest.mark.urls("tests.petr_portal.cache_urls")
def test_page_and_htmx_fragment_are_cached_apart_and_allowed_filters_too(client, page_cache):
    page = client.get("/t/fragment/").content
    fragment = client.get("/t/fragment/", headers={"HX-Request": "true"}).content
    assert page.startswith(b"page") and fragment.startswith(b"fragment")
    assert client.get("/t/fragment/").content == page
    assert client.get("/t/fragment/", headers={"HX-Request": "true"}).content == fragment
    filtered = client.get("/t/fragment/?statut=action").content
    assert filtered.endswith(b"statut=action") and filtered != page
    assert client.get("/t/fragment/?statut=action").content == filtered


@pytest.mark.urls("tests.petr_portal.cache_urls")
def test_a_page_that_uses_a_csrf_token_is_not_cached(client, page_cache):
    assert client.get("/t/formulaire/").content != client.get("/t/formulaire/").content


@pytest.mark.urls("tests.petr_portal.cache_urls")
def test_errors_are_not_cached_and_template_responses_are(client, page_cache):
    assert client.get("/t/absent/").content != client.get("/t/absent/").content
    first = client.get("/t/differe/")
    assert first.status_code == 200
    assert client.get("/t/differe/").content == first.content


@pytest.mark.urls("tests.petr_portal.cache_urls")
def test_post_and_head_are_never_stored(client, page_cache):
    client.head("/t/fragment/")
    first = client.get("/t/fragment/").content
    assert client.get("/t/fragment/").content == first
    assert client.post("/t/fragment/").content != first


def test_a_failing_cache_backend_still_serves_the_page(client, page_cache, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("Redis ne répond pas")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "get_many", broken)
    monkeypatch.setattr(cache, "set_many", broken)
    response = client.get("/")
    assert response.status_code == 200
    assert "<h1" in response.content.decode()
    assert settings.PORTAL["SHORT_NAME"] in response.content.decode()


def test_content_version_is_created_once_and_bumps_to_a_new_value(page_cache):
    ContentVersion.objects.all().delete()
    first = content_version()
    assert ContentVersion.objects.get().token == first
    assert content_version() == first
    bump_content_version()
    assert content_version() != first
    # The row gone (a `flush`), a new one is made: never the old version again.
    ContentVersion.objects.all().delete()
    assert content_version() not in (first, None)


def test_bump_accepts_signal_arguments(page_cache):
    before = content_version()
    bump_content_version(sender=object, instance=None, created=True)
    assert content_version() != before


@pytest.fixture
def redis_cache(settings):
    """A throwaway redis-server on a Unix socket, as the default cache."""
    binary = shutil.which("redis-server")
    if not binary:
        if os.environ.get("PORTAL_REQUIRE_REDIS") == "1":
            pytest.fail("PORTAL_REQUIRE_REDIS=1 but redis-server is not installed")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    folder = tempfile.mkdtemp(prefix="redis-", dir="/tmp")
    socket = os.path.join(folder, "redis.sock")
    server = subprocess.Popen(
        [binary, "--port", "0", "--unixsocket", socket, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if os.path.exists(socket):
                break
            time.sleep(0.05)
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"unix://{socket}",
            }
        }
        settings.PORTAL_PAGE_CACHE_SECONDS = 600
        yield socket
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def test_home_cache_works_with_redis(client, redis_cache, settings, django_assert_num_queries):
    from django.core.cache import caches

    assert type(caches["default"]).__name__ == "RedisCache"
    assert contact_shown(client) == "developpement@petr-fqvd.fr"
    change_contact(settings)
    with django_assert_num_queries(1):
        assert contact_shown(client) == "developpement@petr-fqvd.fr"
    bump_content_version()
    assert contact_shown(client) == "nouveau@petr-fqvd.fr"
