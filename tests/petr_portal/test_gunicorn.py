"""gunicorn.conf.py, and the portal served by gunicorn with production settings."""

import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.petr_portal.test_production import PRODUCTION_ENV
from tests.petr_portal.test_settings import ROOT

CONFIG = ROOT / "gunicorn.conf.py"


def load_config(monkeypatch, **env):
    for name in (
        "GUNICORN_BIND",
        "PORT",
        "GUNICORN_WORKERS",
        "WEB_CONCURRENCY",
        "GUNICORN_FORWARDED_ALLOW_IPS",
        "GUNICORN_CONTROL_SOCKET",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_defaults(monkeypatch):
    config = load_config(monkeypatch)
    assert config["wsgi_app"] == "petr_portal.wsgi:application"
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["workers"] == 2 * os.cpu_count() + 1
    assert config["accesslog"] == "-"
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert config["control_socket_disable"] is True


def test_environment_overrides(monkeypatch):
    config = load_config(monkeypatch, PORT="9000", GUNICORN_WORKERS="3")
    assert config["bind"] == ["127.0.0.1:9000"]
    assert config["workers"] == 3
    config = load_config(
        monkeypatch,
        GUNICORN_BIND="unix:/run/petr-portal/gunicorn.sock",
        GUNICORN_FORWARDED_ALLOW_IPS="10.0.0.5",
    )
    assert config["bind"] == ["unix:/run/petr-portal/gunicorn.sock"]
    assert config["forwarded_allow_ips"] == "10.0.0.5"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_server_env(*, database_url, port, workers):
    """The environment of a gunicorn serving the portal as in production (debug off,
    behind a proxy, no Redis) on 127.0.0.1:`port`, without this shell's settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "PORTAL_", "GUNICORN_"))
    }
    env.update(PRODUCTION_ENV)
    env.update(
        {
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_BEHIND_PROXY": "1",
            "DJANGO_PLAIN_STATIC": "1",
            "DATABASE_URL": database_url,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
        }
    )
    return env


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, headers=None):
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def gunicorn_server(tmp_path):
    port = free_port()
    env = production_server_env(
        database_url=f"sqlite:///{tmp_path / 'portail.sqlite3'}", port=port, workers=1
    )
    # The pages read the database: give the server a migrated one.
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    log = open(tmp_path / "gunicorn.log", "w+")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.05)
        yield url, tmp_path / "gunicorn.log"
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()


def test_gunicorn_serves_the_portal_with_production_settings(gunicorn_server):
    url, log = gunicorn_server
    status, headers, body = fetch(url + "/sante/")
    assert status == 200 and b'"ok"' in body

    # Plain HTTP is sent to HTTPS...
    status, headers, _ = fetch(url + "/")
    assert status == 301
    assert headers["Location"].startswith("https://127.0.0.1")

    # ...and nginx's X-Forwarded-Proto is trusted from the loopback address.
    status, headers, body = fetch(url + "/", {"X-Forwarded-Proto": "https"})
    assert status == 200
    assert "<h1>Le projet de territoire" in body.decode()
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"

    time.sleep(0.2)
    access_log = log.read_text()
    assert '"GET /sante/ HTTP/1.1" 200' in access_log
