"""HEAD answers like GET on every URL of the site: same status, same headers, no body.

Uptime monitors and link checkers ask with HEAD. Django's test client removes the body
of a HEAD answer after the view, as servers do (django.test.client.
conditional_content_removal), so through it the test compares what the views and
middleware send; the last tests ask the real servers (Django's live server, gunicorn)
over HTTP.
"""

import urllib.error
import urllib.request

import pytest
from django.test import Client

from diagnostic.models import Document
from tests.petr_portal.site_pages import follow_pages, load_site, site_urls
from tests.petr_portal.test_gunicorn import NoRedirect, gunicorn_server  # noqa: F401

pytestmark = pytest.mark.django_db

# Headers whose value is new on every answer, GET or HEAD (a new CSRF token; never_cache's
# Expires, the time of the answer): compared by presence only.
PER_ANSWER = {"set-cookie", "expires"}
HTMX = {"HX-Request": "true"}


def headers_of(response):
    return {
        name.lower(): "present" if name.lower() in PER_ANSWER else value
        for name, value in response.headers.items()
    }


def cookie_names(response):
    return sorted(response.cookies)


def assert_head_like_get(client, url, **kwargs):
    get = client.get(url, **kwargs)
    head = client.head(url, **kwargs)
    where = f"HEAD {url} {kwargs or ''}"
    assert head.status_code == get.status_code, (where, head.status_code, get.status_code)
    assert headers_of(head) == headers_of(get), where
    assert cookie_names(head) == cookie_names(get), where
    body = b"".join(head.streaming_content) if head.streaming else head.content
    assert body == b"", where
    if "Content-Length" in get:
        sent = b"".join(get.streaming_content) if get.streaming else get.content
        assert int(head["Content-Length"]) == len(sent), where
    return get, head


@pytest.fixture
def site():
    content = load_site()
    return content, site_urls(content)


def people(content):
    clients = {"visiteur": Client()}
    for who in ("team", "elected"):
        clients[who] = Client()
        clients[who].force_login(content[who])
    return clients


@pytest.mark.parametrize("page_cache", [0, 600], ids=["sans-cache", "cache"])
def test_head_answers_like_get_on_every_url(site, settings, page_cache):
    settings.PORTAL_PAGE_CACHE_SECONDS = page_cache
    content, urls = site
    chantier = content["chantier"]
    extra = [
        f"/documents/{content['document'].slug}/telecharger/",
        f"/documents/{content['unavailable'].slug}/telecharger/",
        "/page-qui-n-existe-pas/",
        "/chantiers/?etat=en_action",
        "/agenda/?periode=passees&page=2",
        "/donnees/reunions.json",
        "/donnees/documents.csv",
        "/recherche/?q=chantier",
        "/avancement/?statut=en_retard",
        "/avancement/?page=2",
        "/donnees/actions.csv",
        "/donnees/points-etape.json",
        f"/suivre/?chantier={chantier.slug}",
        *(url for _, url in follow_pages()),
        # The meetings in the states residents meet, and the waiting list's thanks page.
        content["full"].get_absolute_url(),
        content["full"].get_absolute_url() + "inscription/merci/",
        content["cancelled"].get_absolute_url(),
        content["postponed"].get_absolute_url(),
        "/agenda.json",
    ]
    # The cache serves only visitors, and its second answer is the cached one.
    clients = [Client()] if page_cache else people(content).values()
    statuses, refused = set(), set()
    for client in clients:
        for url in [*urls.values(), *extra]:
            for _ in range(2 if page_cache else 1):
                get, _head = assert_head_like_get(client, url)
                statuses.add(get.status_code)
                if get.status_code == 405:
                    refused.add(url)
        for url in ("/chantiers/", "/agenda/", "/documents/", f"/chantiers/{chantier.slug}/"):
            assert_head_like_get(client, url + "?passees=2", headers=HTMX)
        assert_head_like_get(client, "/avancement/?statut=en_cours", headers=HTMX)
    # Pages, redirects to sign in, unknown pages; only sign-out refuses GET and HEAD.
    assert {200, 302, 404} <= statuses
    assert refused == {"/compte/deconnexion/"}


def test_head_on_a_download_sends_no_file_and_counts_nothing(site):
    content, _ = site
    for document, client in ((content["document"], Client()), (content["reserved"], None)):
        if client is None:
            client = Client()
            client.force_login(content["elected"])
        url = f"/documents/{document.slug}/telecharger/"
        before = Document.objects.get(pk=document.pk).downloads
        get, head = assert_head_like_get(client, url)
        assert get.status_code == 200
        assert head["Content-Disposition"].startswith("attachment")
        # The GET counted one download; the HEAD none.
        assert Document.objects.get(pk=document.pk).downloads == before + 1


def test_head_on_the_registration_address_redirects_like_get(site):
    meeting = site[0]["intersession"]
    get, head = assert_head_like_get(Client(), meeting.get_absolute_url() + "inscription/")
    assert head.status_code == 302
    assert head["Location"].endswith("#je-participe")
    # Taken for a post, it used to show the form with its errors.
    assert not meeting.registrations.exists()


def http(url, method):
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, method=method, headers={"X-Forwarded-Proto": "https"})
    try:
        with opener.open(request, timeout=10) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


# Set by the server for the answer's transfer, or new on every answer.
PER_CONNECTION = {"date", "set-cookie", "connection", "transfer-encoding"}


def assert_served_head_like_get(base, path):
    get_status, get_headers, get_body = http(base + path, "GET")
    status, headers, body = http(base + path, "HEAD")
    assert (status, body) == (get_status, b""), path
    names = {name.lower() for name in headers} - PER_CONNECTION
    assert names == {name.lower() for name in get_headers} - PER_CONNECTION, path
    for name in names - {"content-length"}:
        assert headers[name] == get_headers[name], (path, name)
    if "Content-Length" in headers:
        assert int(headers["Content-Length"]) == len(get_body), path


SERVED = [
    "/",
    "/agenda.json",
    "/robots.txt",
    "/sante/",
    "/sitemap.xml",
    "/flux.atom",
    "/agenda.ics",
    "/donnees/reunions.csv",
    "/chantiers/",
    "/page-qui-n-existe-pas/",
]


@pytest.mark.django_db(transaction=True)
def test_the_live_server_answers_head_without_a_body(live_server):
    load_site()
    for path in SERVED:
        assert_served_head_like_get(live_server.url, path)


def test_gunicorn_answers_head_without_a_body(gunicorn_server):  # noqa: F811
    base, _log = gunicorn_server
    for path in SERVED:
        assert_served_head_like_get(base, path)
