"""Every gunicorn worker shows a change on the next anonymous request (core.cache).

The production setup for one server: gunicorn with several workers and no REDIS_URL, so
each worker keeps its pages in its own memory. An edit made in the admin (served by one
worker) or by a shell command (no worker at all) must still reach every worker's next
anonymous request. The server and the test share one database: a SQLite file, or a
throwaway PostgreSQL database beside the one DATABASE_URL names.
"""

import html
import json
import os
import re
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
import requests

from tests.petr_portal.test_gunicorn import CONFIG, free_port, production_server_env
from tests.petr_portal.test_settings import ROOT

WORKERS = 3
ADMIN_EMAIL = "admin-fraicheur@petr-fqvd.fr"
ADMIN_PASSWORD = "Un mot de passe assez long pour le test !"
DEMO_MARKER = "Site de démonstration"
# The access log names the worker (its pid) that served each request.
ACCESS_LOG_FORMAT = '%(p)s "%(r)s" %(s)s'


def server_database(tmp_path):
    """(DATABASE_URL for the server, a function that drops it afterwards)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp_path / 'portail.sqlite3'}", lambda: None
    import psycopg2

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_gunicorn_{uuid.uuid4().hex[:8]}"
    admin_dsn = parts._replace(path="/postgres").geturl()

    def run(sql):
        connection = psycopg2.connect(admin_dsn)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    run(f'CREATE DATABASE "{name}"')
    return parts._replace(path="/" + name).geturl(), lambda: run(
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    )


class Portal:
    """The running server, its environment (for manage.py) and its access log."""

    def __init__(self, url, env, log_path):
        self.url, self.env, self.log_path = url, env, log_path

    def manage(self, *args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def shell(self, code):
        return self.manage("shell", "--no-imports", "-c", code)

    def workers_that_served(self, path, since=0, status=200):
        """The pids of the workers that answered GET `path` with `status`, from the log
        line number `since` on."""
        time.sleep(0.3)  # the log is written after the response
        lines = self.log_path.read_text().splitlines()[since:]
        pattern = re.compile(rf'^<(\d+)> "GET {re.escape(path)} HTTP/1.1" {status}$')
        return {match[1] for line in lines if (match := pattern.match(line))}

    def log_length(self):
        return len(self.log_path.read_text().splitlines())


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("fraicheur")
    port = free_port()
    database_url, drop_database = server_database(tmp_path)
    env = production_server_env(database_url=database_url, port=port, workers=WORKERS)
    log_path = tmp_path / "gunicorn.log"
    portal = Portal(f"http://127.0.0.1:{port}", env, log_path)
    portal.manage("migrate", "--noinput", "-v0")
    portal.manage("load_territoire")
    portal.manage("load_demo")
    portal.shell(
        "from accounts.models import User; "
        f"User.objects.create_superuser({ADMIN_EMAIL!r}, {ADMIN_PASSWORD!r})"
    )
    log = open(log_path, "w+")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG)]
        + ["--access-logformat", ACCESS_LOG_FORMAT],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(600):
            try:
                if requests.get(portal.url + "/sante/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert server.poll() is None, log_path.read_text()
            time.sleep(0.05)
        yield portal
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()
        drop_database()


def anonymous_get(portal, path):
    # nginx says the request came over HTTPS; no cookie is kept between requests.
    response = requests.get(
        portal.url + path,
        headers={"X-Forwarded-Proto": "https"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 200, (path, response.status_code)
    return response.text


def warm_every_worker(portal, paths):
    """Anonymous requests, several at a time, until every worker has served (and so cached)
    each page."""
    for path in paths:
        since = portal.log_length()
        for _ in range(20):
            with ThreadPoolExecutor(max_workers=2 * WORKERS) as pool:
                list(pool.map(anonymous_get, [portal] * 4 * WORKERS, [path] * 4 * WORKERS))
            if len(portal.workers_that_served(path, since)) == WORKERS:
                break
        assert len(portal.workers_that_served(path, since)) == WORKERS, path


def conditional_get(portal, path, etag, cookie):
    # A browser's revalidation: its copy's ETag, and its CSRF cookie (Secure: sent by hand).
    return requests.get(
        portal.url + path,
        headers={"X-Forwarded-Proto": "https", "If-None-Match": etag, "Cookie": cookie},
        allow_redirects=False,
        timeout=30,
    )


def twenty_conditional_requests(portal, path, etag, cookie):
    """20 revalidations of one copy of `path`, several at a time, and the workers that
    answered each status."""
    since = portal.log_length()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        responses = list(
            pool.map(conditional_get, [portal] * 20, [path] * 20, [etag] * 20, [cookie] * 20)
        )
    workers = {
        status: portal.workers_that_served(path, since, status)
        for status in {r.status_code for r in responses}
    }
    return responses, workers


def twenty_anonymous_pages(portal, path):
    """20 anonymous responses to `path`, several at a time, and the workers that sent them."""
    since = portal.log_length()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        pages = list(pool.map(anonymous_get, [portal] * 20, [path] * 20))
    return pages, portal.workers_that_served(path, since)


class PageForm(HTMLParser):
    """The values a browser would send for the form with this id (or action): inputs,
    checked boxes, selected options and textareas as the page fills them."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = self.form_id in (attrs.get("id"), attrs.get("action"))
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The HTML parser drops the newline that follows <textarea>, as browsers do.
            self.data.append(tuple(self._textarea))
            self._textarea = None


class AdminBrowser:
    """An admin who signs in and posts forms over HTTP, as a browser behind nginx would.

    The cookies are Secure: `requests` would not send them back over plain HTTP, so they
    are kept here by hand."""

    def __init__(self, portal):
        self.portal, self.cookies = portal, {}
        self.origin = "https://" + urlsplit(portal.url).netloc

    def request(self, method, path, data=None):
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": self.origin + path,
            "Origin": self.origin,
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            data = urlencode(data)
        response = requests.request(
            method,
            self.portal.url + path,
            data=data,
            headers=headers,
            allow_redirects=False,
            timeout=30,
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def form(self, path, form_id):
        response = self.request("GET", path)
        assert response.status_code == 200, (path, response.status_code)
        parser = PageForm(form_id)
        parser.feed(response.text)
        return dict(parser.data), parser.data

    def sign_in(self):
        # The admin sends its visitors to the portal's own sign-in page.
        fields, _ = self.form("/compte/connexion/?next=/admin/", "/compte/connexion/")
        fields.update(username=ADMIN_EMAIL, password=ADMIN_PASSWORD, next="/admin/")
        response = self.request("POST", "/compte/connexion/", fields)
        assert response.status_code == 302, response.text[:2000]
        assert response.headers["Location"] == "/admin/"
        assert "sessionid" in self.cookies


def first_real_chantier(portal):
    """(pk, slug, title) of a chantier that load_territoire made and whose title shows."""
    return json.loads(
        portal.shell(
            "import json; from chantiers.models import Chantier; "
            "c = Chantier.objects.filter(demo_title='').order_by('order').first(); "
            "print(json.dumps([c.pk, c.slug, c.title]))"
        )
    )


def test_an_admin_edit_reaches_every_worker_at_once(portal):
    pk, slug, title = first_real_chantier(portal)
    pages = [f"/chantiers/{slug}/", "/chantiers/"]
    for path in pages:
        assert html.escape(title) in anonymous_get(portal, path)
    warm_every_worker(portal, pages)

    admin = AdminBrowser(portal)
    admin.sign_in()
    change = f"/admin/chantiers/chantier/{pk}/change/"
    _, data = admin.form(change, "chantier_form")
    new_title = "Un titre changé dans l'administration"
    data = [(name, new_title if name == "title" else value) for name, value in data]
    assert ("title", new_title) in data
    response = admin.request("POST", change, data + [("_save", "Enregistrer")])
    assert response.status_code == 302, response.text[:3000]
    assert response.headers["Location"] == "/admin/chantiers/chantier/"

    for path in pages:
        responses, workers = twenty_anonymous_pages(portal, path)
        shown = sum(html.escape(new_title) in page for page in responses)
        assert shown == 20, f"{path}: the new title in {shown} of 20 responses"
        assert not any(html.escape(title) in page for page in responses), path
        assert len(workers) > 1, "the 20 requests reached a single worker"


def test_load_demo_remove_from_the_shell_reaches_every_worker_at_once(portal):
    pages = ["/", "/chantiers/", "/agenda/"]
    for path in pages:
        assert DEMO_MARKER in anonymous_get(portal, path)
    warm_every_worker(portal, pages)

    portal.manage("load_demo", "--remove")

    for path in pages:
        responses, workers = twenty_anonymous_pages(portal, path)
        still = sum(DEMO_MARKER in page for page in responses)
        assert still == 0, f"{path}: demo content still in {still} of 20 responses"
        assert len(workers) > 1, "the 20 requests reached a single worker"


def test_a_browsers_copy_is_current_on_every_worker_until_an_admin_edit(portal):
    pk, slug, _ = first_real_chantier(portal)
    # The list, and the chantier's page, which carries the join form (its CSRF token is
    # made from the visitor's cookie, which the ETag names).
    copies = {}
    for path in ("/chantiers/", f"/chantiers/{slug}/"):
        first = conditional_get(portal, path, etag="", cookie="")
        assert first.status_code == 200, path
        cookie = "; ".join(f"{name}={value}" for name, value in first.cookies.items())
        copies[path] = (first.headers["ETag"], cookie)
        responses, workers = twenty_conditional_requests(portal, path, *copies[path])
        assert [r.status_code for r in responses] == [304] * 20, path
        assert len(workers[304]) > 1, "the 20 requests reached a single worker"

    admin = AdminBrowser(portal)
    admin.sign_in()
    change = f"/admin/chantiers/chantier/{pk}/change/"
    _, data = admin.form(change, "chantier_form")
    new_title = "Un titre revu pour les copies des navigateurs"
    data = [(name, new_title if name == "title" else value) for name, value in data]
    response = admin.request("POST", change, data + [("_save", "Enregistrer")])
    assert response.status_code == 302, response.text[:3000]

    for path, (etag, cookie) in copies.items():
        responses, workers = twenty_conditional_requests(portal, path, etag, cookie)
        assert [r.status_code for r in responses] == [200] * 20, path
        assert all(html.escape(new_title) in r.text for r in responses), path
        assert len(workers[200]) > 1, "the 20 requests reached a single worker"
