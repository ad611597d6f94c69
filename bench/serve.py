"""Serving the portal under gunicorn and loading it with wrk, for bench.run: the
checks of each answer, what a first visit transfers, the load runs."""

import gzip
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

from bench.report import ms

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).with_name("report.lua")
# Every request says it came through nginx over HTTPS, and accepts compression, as a
# browser behind the production proxy does.
BASE_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip, deflate, br"}


def log(message):
    print(message, file=sys.stderr, flush=True)


def check_response(name, path, status, body, headers):
    if status != 200:
        sys.exit(f"{name} ({path}) répond {status} au lieu de 200 : banc d'essai arrêté.")
    if headers.get("HX-Request") and b"<html" in body:
        sys.exit(f"{name} ({path}) renvoie la page entière à htmx, pas le fragment.")


class Assets(HTMLParser):
    """The CSS, JS and other files a browser fetches for a page."""

    def __init__(self):
        super().__init__()
        self.css, self.js, self.other = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").split()
        if tag == "link" and "stylesheet" in rel and attrs.get("href"):
            self.css.append(attrs["href"])
        elif tag == "link" and "icon" in rel and attrs.get("href"):
            self.other.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.js.append(attrs["src"])
        elif tag == "img" and attrs.get("src"):
            self.other.append(attrs["src"])


def fetch(base, path, headers=None):
    request = urllib.request.Request(base + path, headers={**BASE_HEADERS, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def first_visit(base, path="/"):
    """Bytes on the wire for a first visit: the HTML (gzip as nginx sends it, level 1 by
    default) and every CSS and JS file, as whitenoise serves them (brotli or gzip)."""
    status, headers, html = fetch(base, path)
    assert status == 200, status
    found = Assets()
    found.feed(html.decode("utf-8"))
    figures = {
        "html_raw": len(html),
        "html_gzip": len(gzip.compress(html, compresslevel=1)),
        "files": [],
    }
    for kind, urls in (("css", found.css), ("js", found.js), ("autre", found.other)):
        for url in dict.fromkeys(urls):
            status, headers, body = fetch(base, url)
            figures["files"].append(
                {
                    "kind": kind,
                    "url": url,
                    "status": status,
                    "bytes": len(body),
                    "encoding": headers.get("Content-Encoding", "aucun"),
                }
            )
    figures["css_js"] = sum(f["bytes"] for f in figures["files"] if f["kind"] != "autre")
    figures["other"] = sum(f["bytes"] for f in figures["files"] if f["kind"] == "autre")
    figures["total"] = figures["html_gzip"] + figures["css_js"]
    figures["css_url"] = found.css[0] if found.css else None
    return figures


# --- servers and load ---------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    def __init__(self, env, workdir, cache_seconds, workers=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **env,
            "PORTAL_PAGE_CACHE_SECONDS": str(cache_seconds),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            # Logged to a file, as journald would take them: the cost stays in.
            "GUNICORN_ACCESS_LOG": str(workdir / f"access-{cache_seconds}.log"),
            "GUNICORN_ERROR_LOG": str(workdir / f"error-{cache_seconds}.log"),
            "GUNICORN_LOG_LEVEL": "warning",
        }
        if workers:
            self.env["GUNICORN_WORKERS"] = str(workers)
        self.error_log = workdir / f"error-{cache_seconds}.log"

    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit("gunicorn s'est arrêté :\n" + self._log_tail())
            try:
                if fetch(self.base, "/sante/")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        sys.exit("gunicorn ne répond pas sur /sante/ :\n" + self._log_tail())

    def _log_tail(self):
        return self.error_log.read_text()[-3000:] if self.error_log.exists() else ""

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def workers(self):
        """The number of worker processes gunicorn started."""
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            return len(children.read_text().split())
        except OSError:
            return None


def wrk(base, path, headers, args):
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(LUA),
    ]
    for name, value in {**BASE_HEADERS, **headers}.items():
        command += ["-H", f"{name}: {value}"]
    command.append(base + path)
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=args.duration + 60, check=True
    )
    line = next(line for line in done.stdout.splitlines() if line.startswith("BENCH "))
    figures = json.loads(line[len("BENCH ") :])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def run_load(base, listed, static_path, args):
    results = {}
    targets = [*listed, ("fichier statique", static_path, {})]
    for name, path, headers in targets:
        # Warm up: the worker processes, the database's caches and the page cache.
        for _ in range(10):
            fetch(base, path, headers)
        results[name] = {"path": path, "htmx": bool(headers), **wrk(base, path, headers, args)}
        log(f"  {name:<24} {results[name]['rps']:8.0f} req/s  p95 {ms(results[name]['p95_us'])}")
    return results


# --- report ---------------------------------------------------------------------------------
