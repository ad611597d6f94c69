"""Conditional GET on the pages, feeds and calendars the page cache shares (core.conditional):
ETag and Last-Modified from the content version, 304 Not Modified when the visitor's copy
is current, never when it is not."""

import re
from datetime import timedelta

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from chantiers.models import JoinRequest
from core import conditional
from core.cache import bump_content_version
from core.models import ContentVersion
from tests.chantiers.participation import join_data
from tests.diagnostic.factories import DocumentFactory
from tests.factories import ChantierFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def content():
    chantier = ChantierFactory(title="Dessine-moi ton agriculture !", slug="agriculture")
    meeting = MeetingFactory(chantier=chantier, title="Intersession de printemps")
    DocumentFactory(title="Diagnostic public", slug="diagnostic-public")
    return {"chantier": chantier, "meeting": meeting}


SHARED_PATHS = [
    "/",
    "/chantiers/",
    "/chantiers/?etat=en_action",
    "/chantiers/agriculture/",
    "/agenda/",
    "/agenda/{meeting}/",
    "/nous-rejoindre/",
    "/documents/",
    "/diagnostic/",
    # Feeds, calendars, the sitemap and the open data.
    "/agenda.ics",
    "/chantiers/agriculture/agenda.ics",
    "/agenda/{meeting}/evenement.ics",
    "/agenda.json",
    "/flux.atom",
    "/documents/flux.atom",
    "/sitemap.xml",
    "/robots.txt",
    "/donnees/reunions.csv",
    "/donnees/documents.json",
    "/donnees/datapackage.json",
    "/diagnostic/chiffres.csv",
    "/indicateurs/valeurs.csv",
]


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def token_in(response):
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content)[1].decode()


@pytest.mark.parametrize("path", SHARED_PATHS)
def test_a_current_copy_gets_304_for_one_query(
    client, page_cache, content, path, django_assert_num_queries
):
    path = path.format(meeting=content["meeting"].slug)
    first = client.get(path)
    assert first.status_code == 200
    body(first)
    etag = first["ETag"]
    assert etag.startswith('W/"')
    assert "no-cache" in first["Cache-Control"] or "max-age" in first["Cache-Control"]
    # Only the content version is read: no cache trip, no view.
    with django_assert_num_queries(1):
        again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert "hx-request" in again["Vary"].lower()
    # HEAD answers as GET does.
    assert client.head(path, headers={"If-None-Match": etag}).status_code == 304
    assert client.head(path)["ETag"] == etag


def test_a_content_change_gets_the_new_page_not_304(client, page_cache, content):
    chantier = content["chantier"]
    first = client.get("/chantiers/agriculture/")
    chantier.title = "Un titre tout neuf"
    chantier.save()
    again = client.get("/chantiers/agriculture/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert "Un titre tout neuf" in again.content.decode()
    assert again["ETag"] != first["ETag"]
    # Announced by hand too (a command, a bulk update).
    bump_content_version()
    assert client.get("/", headers={"If-None-Match": again["ETag"]}).status_code == 200


@pytest.mark.parametrize(
    ("path", "other", "headers"),
    [
        ("/agenda/", "/agenda/?type=session", {}),
        ("/agenda/", "/agenda/", HTMX),
        ("/chantiers/", "/chantiers/?etat=en_action", HTMX),
        ("/agenda.ics", "/chantiers/agriculture/agenda.ics", {}),
    ],
)
def test_each_representation_has_its_own_etag(client, page_cache, content, path, other, headers):
    page = client.get(path)
    second = client.get(other, headers=headers)
    assert second["ETag"] != page["ETag"]
    # The page's ETag does not validate the fragment, nor another query string.
    answer = client.get(other, headers={**headers, "If-None-Match": page["ETag"]})
    assert answer.status_code == 200
    assert answer.content == second.content
    current = client.get(other, headers={**headers, "If-None-Match": second["ETag"]})
    assert current.status_code == 304


def test_a_page_with_a_form_is_validated_only_with_the_cookie_its_token_came_from(
    page_cache, content
):
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/chantiers/agriculture/")
    cookie = visitor.cookies["csrftoken"].value
    etag = page["ETag"]
    # The same visitor, the same cookie: the copy's token is still good.
    copy = visitor.get("/chantiers/agriculture/", headers={"If-None-Match": etag})
    assert copy.status_code == 304
    data = join_data(chantiers=["agriculture"], csrfmiddlewaretoken=token_in(page))
    assert visitor.post("/nous-rejoindre/", data).status_code == 302
    assert JoinRequest.objects.count() == 1

    # Someone without that cookie (another browser, or this one after clearing it) never
    # gets a 304 for that copy: they get a page whose token matches their new cookie.
    for other in (Client(enforce_csrf_checks=True), visitor):
        if other is visitor:
            del visitor.cookies["csrftoken"]
        fresh = other.get("/chantiers/agriculture/", headers={"If-None-Match": etag})
        assert fresh.status_code == 200
        assert other.cookies["csrftoken"].value != cookie
        data = join_data(chantiers=["agriculture"], csrfmiddlewaretoken=token_in(fresh))
        assert other.post("/nous-rejoindre/", data).status_code == 302
    # A cookie replaced by another value (sign-in rotates it) does not match either.
    visitor.cookies["csrftoken"] = "x" * 32
    refreshed = visitor.get("/chantiers/agriculture/", headers={"If-None-Match": etag})
    assert refreshed.status_code == 200


def test_signed_in_visitors_never_get_304_nor_validators(client, page_cache, content):
    etag = client.get("/agenda/")["ETag"]
    client.force_login(UserFactory())
    page = client.get("/agenda/", headers={"If-None-Match": etag})
    assert page.status_code == 200 and page.content
    assert "ETag" not in page and "Last-Modified" not in page


def test_a_visitor_with_a_pending_message_gets_the_page(rf, client, page_cache, content):
    etag = client.get("/").get("ETag")
    storage = CookieStorage(rf.get("/"))
    storage.add(messages.SUCCESS, "Votre demande est enregistrée.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value
    page = client.get("/", headers={"If-None-Match": etag})
    assert page.status_code == 200
    assert "Votre demande est enregistrée." in page.content.decode()
    assert "ETag" not in page


def test_a_post_is_never_answered_304(page_cache, content):
    visitor = Client()
    etag = visitor.get("/nous-rejoindre/")["ETag"]
    response = visitor.post("/nous-rejoindre/", {}, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "ETag" not in response


def test_no_validators_without_the_page_cache_or_outside_it(client, settings, page_cache, content):
    assert "ETag" not in client.get("/?utm_source=lettre")
    assert "ETag" not in client.get("/page-qui-n-existe-pas/")
    assert "ETag" not in client.get("/recherche/?q=agriculture")
    # In development the page cache is off: a template changes without a new version.
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    response = client.get("/")
    assert "ETag" not in response and "Last-Modified" not in response


@pytest.mark.urls("tests.petr_portal.cache_urls")
def test_a_page_that_varies_on_another_header_gets_no_etag(client, page_cache):
    assert client.get("/t/langue/").status_code == 200
    assert "ETag" not in client.get("/t/langue/")
    assert "ETag" in client.get("/t/fragment/")


def test_validators_expire_with_the_page_cache(client, page_cache, monkeypatch):
    # Pages change with the clock too (a meeting passes): no copy is validated for longer
    # than the page cache keeps a page. (No content written here: the version is dated.)
    first = client.get("/agenda/")
    later = conditional.time.time() + page_cache.PORTAL_PAGE_CACHE_SECONDS + 1
    monkeypatch.setattr(conditional.time, "time", lambda: later)
    again = client.get("/agenda/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert client.get("/agenda/", headers={"If-None-Match": again["ETag"]}).status_code == 304


def test_gzip_keeps_the_etag_weak_and_the_304(client, page_cache, content, settings):
    settings.MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *settings.MIDDLEWARE]
    gzip = {"Accept-Encoding": "gzip"}
    page = client.get("/agenda/", headers=gzip)
    assert page["Content-Encoding"] == "gzip"
    assert page["ETag"].startswith('W/"')
    vary = {word.strip().lower() for word in page["Vary"].split(",")}
    assert {"accept-encoding", "hx-request"} <= vary
    again = client.get("/agenda/", headers={**gzip, "If-None-Match": page["ETag"]})
    assert again.status_code == 304


@pytest.mark.django_db(transaction=True)
def test_last_modified_is_when_the_content_changed(page_cache):
    client = Client()
    ChantierFactory(slug="agriculture")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    ContentVersion.objects.update(changed_at=an_hour_ago)
    page = client.get("/chantiers/")
    last_modified = parse_http_date(page["Last-Modified"])
    # Moved on by the page cache's lifetime since the change (a lifetime ago at most).
    assert 0 <= last_modified - int(an_hour_ago.timestamp()) <= 3600
    assert timezone.now().timestamp() - last_modified < 600
    since = {"If-Modified-Since": page["Last-Modified"]}
    assert client.get("/chantiers/", headers=since).status_code == 304

    ChantierFactory(slug="energie", title="Énergie")
    changed = client.get("/chantiers/", headers=since)
    assert changed.status_code == 200
    assert "Énergie" in changed.content.decode()
    assert parse_http_date(changed["Last-Modified"]) >= last_modified


@pytest.mark.django_db(transaction=True)
def test_a_copy_dated_in_the_second_of_the_change_is_sent_again(page_cache):
    # Two changes may fall in one second, which is all an HTTP date says.
    client = Client()
    ChantierFactory(slug="agriculture")
    page = client.get("/chantiers/")
    assert parse_http_date(page["Last-Modified"]) == int(
        ContentVersion.objects.get().changed_at.timestamp()
    )
    again = client.get("/chantiers/", headers={"If-Modified-Since": page["Last-Modified"]})
    assert again.status_code == 200
    # An older date is not current either; a later one is.
    an_hour_ago = http_date(timezone.now().timestamp() - 3600)
    assert client.get("/chantiers/", headers={"If-Modified-Since": an_hour_ago}).status_code == 200
    in_a_minute = http_date(timezone.now().timestamp() + 60)
    assert client.get("/chantiers/", headers={"If-Modified-Since": in_a_minute}).status_code == 304


def test_a_feeds_own_last_modified_gives_way_to_the_content_versions(client, page_cache):
    # The Atom feed dates itself by its latest entry, which may lie in the future: the
    # content version decides instead.
    future = timezone.now() + timedelta(days=400)
    MeetingFactory(starts_at=future, ends_at=future + timedelta(hours=2))
    DocumentFactory(title="Un document")
    for path in ("/flux.atom", "/documents/flux.atom", "/sitemap.xml"):
        response = client.get(path)
        assert response.status_code == 200
        # Written by this test's own transaction: no commit has dated it yet.
        assert "Last-Modified" not in response, path
        assert "ETag" in response, path
