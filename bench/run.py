"""The portal's performance benchmark (`make bench`, see bench/README.md).

1. Loads a large dataset (bench/dataset.py) into its own PostgreSQL database.
2. Counts the SQL queries of each page with Django's test client.
3. Serves the portal with gunicorn and the production settings (debug off, a generated
   secret key, behind a proxy that says HTTPS, compressed and hashed static files), first
   with the page cache off, then on.
4. Drives it with wrk (20 connections, a few seconds per URL) and prints, per page:
   requests per second, p50/p95/p99 latency, the throughput as a share of the static
   file's, SQL queries per request, and the bytes a first visit to the home page
   transfers (HTML, CSS, JS, compressed as they would be served).

Only 127.0.0.1 is ever contacted. Run from the checkout: `python -m bench.run --help`.
"""

import argparse
import gzip
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).with_name("report.lua")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/petr_bench"
# --demo: a database of its own, so that each mode can keep its data (--reuse-data).
DEMO_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/petr_bench_demo"
# A word of the real content (load_territoire), found at every scale and in the demo.
SEARCH_PATH = "/recherche/?q=agriculture"
# Every request says it came through nginx over HTTPS, and accepts compression, as a
# browser behind the production proxy does.
BASE_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip, deflate, br"}
HTMX = {"HX-Request": "true", "HX-Current-URL": "https://127.0.0.1/chantiers/"}

TARGETS = {
    "max_queries": 10,
    "p95_ms": 50,
    "first_visit_kb": 60,
    "static_share": 0.2,
    # Rendered in full (page cache off): the demo content, then the large dataset at scale 1.
    "uncached_share_demo": 1 / 20,
    "uncached_share_scale": 1 / 40,
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 200 chantiers, 20k meetings")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="the demo content (load_territoire + load_demo) instead of the large dataset",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per URL")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    parser.add_argument(
        "--cache", choices=("off", "on", "both"), default="both", help="page cache modes"
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help=f"default: BENCH_DATABASE_URL, or {DEFAULT_DATABASE_URL} (…_demo with --demo)",
    )
    parser.add_argument(
        "--reuse-data",
        action="store_true",
        help="keep the database of the previous run (same scale) instead of rebuilding it",
    )
    parser.add_argument(
        "--all-pages",
        action="store_true",
        help="also /equipe/, a meeting page, /diagnostic/, /indicateurs/ and the .ics feeds",
    )
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="load the data and count the queries, without gunicorn nor wrk",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is missed"
    )
    parser.add_argument("--json", type=Path, help="write every figure to this JSON file")
    parser.add_argument("--markdown", type=Path, help="write the report to this file too")
    args = parser.parse_args(argv)
    if args.database_url is None:
        default = DEMO_DATABASE_URL if args.demo else DEFAULT_DATABASE_URL
        args.database_url = os.environ.get("BENCH_DATABASE_URL", default)
    return args


# --- environment and data ----------------------------------------------------------------


def production_env(args, workdir):
    """The environment of a production server, pointed at the benchmark's database."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "PORTAL_", "GUNICORN_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            # testserver: the test client that counts queries, in this process.
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DJANGO_BEHIND_PROXY": "1",
            "DJANGO_PLAIN_STATIC": "0",
            "DJANGO_LOG_LEVEL": "ERROR",
            "DATABASE_URL": args.database_url,
            "BENCH_STATIC_ROOT": str(workdir / "static"),
            # Kept between runs, so --reuse-data still finds the documents' files.
            "DJANGO_MEDIA_ROOT": str(Path(tempfile.gettempdir()) / "petr-bench-media"),
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def recreate_database(url):
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.hostname not in ("127.0.0.1", "localhost", "::1", None):
        sys.exit(f"La base du banc d'essai doit être locale (127.0.0.1), pas {parts.hostname}.")
    connection = psycopg2.connect(
        dbname="postgres",
        user=parts.username or "postgres",
        password=parts.password,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def prepare_data(args):
    from django.core.management import call_command

    from bench import dataset
    from chantiers.models import Meeting

    call_command("migrate", "--noinput", verbosity=0)
    if args.demo:
        return prepare_demo(args)
    wanted = dataset.counts(args.scale)
    present = Meeting.objects.filter(slug__startswith=dataset.SLUG_PREFIX).count()
    if args.reuse_data and present == wanted["meetings"]:
        log(f"Données du run précédent gardées ({present} réunions).")
        return wanted
    if present:
        sys.exit(
            "La base contient déjà des données d'une autre échelle : relancez sans --reuse-data."
        )
    started = time.monotonic()
    call_command("load_territoire", stdout=open(os.devnull, "w"))  # noqa: SIM115
    loaded = dataset.load(args.scale)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"Jeu de données chargé en {time.monotonic() - started:.1f} s : {loaded}")
    return loaded


def prepare_demo(args):
    """The content a visitor of the demo site sees: the real chantiers and the demo."""
    from django.core.management import call_command

    from bench import dataset
    from chantiers.models import Chantier, Meeting

    if Meeting.objects.filter(slug__startswith=dataset.SLUG_PREFIX).exists():
        sys.exit("La base contient le grand jeu de données : relancez sans --reuse-data.")
    if not (args.reuse_data and Meeting.objects.filter(is_demo=True).exists()):
        quiet = open(os.devnull, "w")  # noqa: SIM115
        call_command("load_territoire", stdout=quiet)
        call_command("load_demo", stdout=quiet)
    return {
        "contenu": "démonstration (load_territoire + load_demo)",
        "chantiers": Chantier.objects.count(),
        "meetings": Meeting.objects.count(),
    }


def collect_static():
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)


# --- what is measured ------------------------------------------------------------------


def pages(all_pages, demo=False):
    """(name, path, extra headers) of each dynamic page measured."""
    from bench.dataset import SLUG_PREFIX
    from chantiers.models import Meeting

    prefix = "" if demo else SLUG_PREFIX
    # With the demo, the chantier with the most meetings: its heaviest page.
    chantier = busiest_chantier().slug if demo else f"{SLUG_PREFIX}chantier-1"
    listed = [
        ("accueil", "/", {}),
        ("chantiers", "/chantiers/", {}),
        ("chantier", f"/chantiers/{chantier}/", {}),
        ("agenda", "/agenda/", {}),
        ("documents", "/documents/", {}),
        ("fragment htmx", "/chantiers/?etat=en_action", HTMX),
        ("recherche", SEARCH_PATH, {}),
    ]
    if all_pages:
        meeting = Meeting.objects.filter(slug__startswith=prefix).order_by("pk").first()
        listed += [
            ("équipe", "/equipe/", {}),
            ("réunion", f"/agenda/{meeting.slug}/", {}),
            ("agenda filtré htmx", "/agenda/?type=intersession&periode=a-venir", HTMX),
            ("diagnostic", "/diagnostic/", {}),
            ("indicateurs", "/indicateurs/", {}),
            ("agenda du chantier .ics", f"/chantiers/{chantier}/agenda.ics", {}),
        ]
    return listed


def busiest_chantier():
    from django.db.models import Count

    from chantiers.models import Chantier

    return Chantier.objects.annotate(meetings=Count("intersessions")).order_by("-meetings", "pk")[0]


def count_queries(listed):
    """SQL queries of each page: with the page cache off, then served from it."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from core.cache import bump_content_version

    counts = {}
    client = Client(headers=BASE_HEADERS)
    for name, path, headers in listed:
        with (
            override_settings(PORTAL_PAGE_CACHE_SECONDS=0),
            CaptureQueriesContext(connection) as queries,
        ):
            response = client.get(path, headers=headers)
        # Read now: the next request empties the connection's query log.
        uncached = len(queries)
        check_response(name, path, response.status_code, response.content, headers)
        with override_settings(PORTAL_PAGE_CACHE_SECONDS=600):
            bump_content_version()
            client.get(path, headers=headers)
            with CaptureQueriesContext(connection) as cached:
                client.get(path, headers=headers)
            counts[name] = {"uncached": uncached, "cached": len(cached)}
    return counts


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


def log(message):
    print(message, file=sys.stderr, flush=True)


def ms(microseconds):
    return f"{microseconds / 1000:.1f} ms"


def machine():
    cpu = "inconnu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "inconnue"
    try:
        total = next(
            line for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line
        )
        memory = f"{int(total.split()[1]) / 1024 / 1024:.1f} Gio"
    except (OSError, StopIteration):
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    wrk_version = (
        subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
        if shutil.which("wrk")
        else ""
    )
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "postgresql": postgres,
        "wrk": (wrk_version.split("[")[0] or wrk_version).strip().splitlines()[0]
        if wrk_version
        else "?",
        "loadavg_start": os.getloadavg(),
    }


def verdicts(report):
    """Each target: met or not, with the figures that decide it."""
    queries = max(c["uncached"] for c in report["queries"].values())
    found = {
        "queries": (
            queries <= TARGETS["max_queries"],
            f"au plus {queries} requêtes SQL par page (cible ≤ {TARGETS['max_queries']})",
        ),
        "first_visit": (
            report["first_visit"]["total"] <= TARGETS["first_visit_kb"] * 1024,
            f"première visite de l'accueil : {kb(report['first_visit']['total'])} "
            f"(cible < {TARGETS['first_visit_kb']} Ko)",
        ),
    }
    for mode, results in report["runs"].items():
        dynamic = {n: r for n, r in results.items() if n != "fichier statique"}
        static = results["fichier statique"]["rps"]
        slow = {n: r["p95_us"] / 1000 for n, r in dynamic.items() if r["p95_us"] / 1000 >= 50}
        weak = {n: r["rps"] / static for n, r in dynamic.items() if r["rps"] / static < 0.2}
        errors = {n: r["non_2xx_3xx"] + r["socket_errors"] for n, r in results.items()}
        found[f"p95 {mode}"] = (
            not slow,
            f"cache {mode} : p95 < 50 ms partout"
            if not slow
            else f"cache {mode} : p95 ≥ 50 ms : "
            + ", ".join(f"{n} ({v:.0f} ms)" for n, v in slow.items()),
        )
        found[f"débit {mode}"] = (
            not weak,
            f"cache {mode} : chaque page ≥ 1/5 du débit du fichier statique"
            if not weak
            else f"cache {mode} : sous 1/5 du statique : "
            + ", ".join(f"{n} ({v:.2f})" for n, v in weak.items()),
        )
        if mode == "off":
            demo = report["args"].get("demo")
            floor = TARGETS["uncached_share_demo" if demo else "uncached_share_scale"]
            under = {n: r["rps"] / static for n, r in dynamic.items() if r["rps"] / static < floor}
            found["débit sans cache"] = (
                not under,
                f"cache off : chaque page ≥ 1/{round(1 / floor)} du statique"
                + ("" if not under else " ; en dessous : ")
                + ", ".join(f"{n} (1/{1 / v:.0f})" for n, v in under.items()),
            )
        if any(errors.values()):
            found[f"erreurs {mode}"] = (
                False,
                f"cache {mode} : réponses en erreur : "
                + ", ".join(f"{n} ({v})" for n, v in errors.items() if v),
            )
    return found


def kb(size):
    return f"{size / 1024:.1f} Ko"


def render(report):
    m = report["machine"]
    lines = [
        f"Banc d'essai du {m['date']}",
        "",
        f"- Machine : {m['nproc']} cœurs ({m['cpu']}), {m['memory']} de mémoire, "
        f"charge moyenne au départ {', '.join(f'{x:.2f}' for x in m['loadavg_start'])}",
        f"- Python {m['python']}, PostgreSQL {m['postgresql']}, {m['wrk']}, "
        f"gunicorn {report['gunicorn_workers']} workers synchrones",
        f"- Données : {report['data']}",
        f"- Charge : wrk, {report['args']['connections']} connexions, "
        f"{report['args']['threads']} threads, {report['args']['duration']} s par adresse, "
        "sur la même machine que gunicorn et PostgreSQL",
        "",
    ]
    for mode, results in report["runs"].items():
        static = results["fichier statique"]["rps"]
        lines += [
            f"### Cache des pages {mode}",
            "",
            "| page | adresse | req/s | p50 | p95 | p99 | part du statique | requêtes SQL "
            "| erreurs |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, r in results.items():
            queries = report["queries"].get(name)
            sql = "–" if not queries else str(queries["cached" if mode == "on" else "uncached"])
            path = r["path"] + (" (HX-Request)" if r["htmx"] else "")
            lines.append(
                f"| {name} | `{path}` | {r['rps']:.0f} | {ms(r['p50_us'])} | {ms(r['p95_us'])} "
                f"| {ms(r['p99_us'])} | {r['rps'] / static:.2f} | {sql} "
                f"| {r['non_2xx_3xx'] + r['socket_errors']} |"
            )
        lines.append("")
    fv = report["first_visit"]
    lines += [
        "### Première visite de l'accueil",
        "",
        "| fichier | octets transférés | encodage |",
        "| --- | ---: | --- |",
        f"| HTML (gzip niveau 1, comme nginx ; brut {kb(fv['html_raw'])}) | "
        f"{fv['html_gzip']} | gzip |",
    ]
    for f in fv["files"]:
        lines.append(f"| {f['kind']} `{f['url']}` | {f['bytes']} | {f['encoding']} |")
    lines += [
        f"| **HTML + CSS + JS** | **{fv['total']}** ({kb(fv['total'])}) | |",
        "",
        "### Cibles",
        "",
    ]
    for met, text in report["verdicts"].values():
        lines.append(f"- {'✅ atteinte' if met else '❌ manquée'} : {text}")
    lines.append(
        f"\nCharge moyenne à la fin : {', '.join(f'{x:.2f}' for x in report['loadavg_end'])}"
    )
    return "\n".join(lines) + "\n"


def main(argv=None):
    args = parse_args(argv)
    if not args.queries_only and not shutil.which("wrk"):
        sys.exit("wrk est introuvable : apt-get install wrk (make bench le fait).")
    workdir = Path(tempfile.mkdtemp(prefix="petr-bench-"))
    env = production_env(args, workdir)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    try:
        if not args.reuse_data:
            log(f"Base {urlsplit(args.database_url).path.lstrip('/')} recréée.")
            recreate_database(args.database_url)
        import django

        django.setup()
        report = {"args": vars(args) | {"json": None, "markdown": None}}
        report["machine"] = machine()
        report["data"] = prepare_data(args)
        collect_static()
        listed = pages(args.all_pages, demo=args.demo)
        report["queries"] = count_queries(listed)
        log(f"Requêtes SQL par page : {report['queries']}")
        if args.queries_only:
            return 0
        from django.db import connections

        connections.close_all()
        modes = {"off": [0], "on": [600], "both": [0, 600]}[args.cache]
        report["runs"] = {}
        for seconds in modes:
            mode = "on" if seconds else "off"
            log(f"gunicorn, cache des pages {mode} :")
            with Gunicorn(env, workdir, seconds, args.workers) as server:
                report["gunicorn_workers"] = server.workers()
                if "first_visit" not in report:
                    report["first_visit"] = first_visit(server.base)
                static = report["first_visit"]["css_url"]
                report["runs"][mode] = run_load(server.base, listed, static, args)
        report["loadavg_end"] = os.getloadavg()
        report["verdicts"] = verdicts(report)
        text = render(report)
        print(text)
        if args.markdown:
            args.markdown.write_text(text)
        if args.json:
            args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
        missed = not all(met for met, _ in report["verdicts"].values())
        return 1 if missed and args.strict else 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
