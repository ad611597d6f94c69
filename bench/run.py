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
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.report import machine, render, verdicts
from bench.serve import BASE_HEADERS, ROOT, Gunicorn, check_response, first_visit, log, run_load

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/petr_bench"
# --demo: a database of its own, so that each mode can keep its data (--reuse-data).
DEMO_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/petr_bench_demo"
# A word of the real content (load_territoire), found at every scale and in the demo.
SEARCH_PATH = "/recherche/?q=agriculture"
HTMX = {"HX-Request": "true", "HX-Current-URL": "https://127.0.0.1/chantiers/"}


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
            "PORTAL_SITE_URL": "http://127.0.0.1",
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
    action = _first_action(chantier)
    listed = [
        ("accueil", "/", {}),
        ("chantiers", "/chantiers/", {}),
        ("chantier", f"/chantiers/{chantier}/", {}),
        ("avancement", "/avancement/", {}),
        ("action", action, {}),
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


def _first_action(chantier_slug):
    """The address of the chantier's first action (with its journal)."""
    from chantiers.models import Action

    action = (
        Action.objects.filter(chantier__slug=chantier_slug)
        .select_related("chantier")
        .order_by("pk")
        .first()
    )
    return action.get_absolute_url() if action else "/avancement/"


def busiest_chantier():
    from django.db.models import Count

    from chantiers.models import Chantier

    return Chantier.objects.annotate(meetings=Count("intersessions")).order_by("-meetings", "pk")[0]


def count_queries(listed):
    """SQL queries of each page, with the page cache off: right after a content change
    (`cold`: every fragment written again), then again (`uncached`: the fragments kept);
    then served from the page cache (`cached`)."""
    from django.db import connection, reset_queries
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from core.cache import bump_content_version

    counts = {}
    client = Client(headers=BASE_HEADERS)
    for name, path, headers in listed:
        with override_settings(PORTAL_PAGE_CACHE_SECONDS=0):
            bump_content_version()
            # The query log holds 9,000 queries at most: emptied before each count.
            # Each count read at once: it is a slice of the log, which is emptied next.
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, headers=headers)
            cold = len(queries)
            check_response(name, path, response.status_code, response.content, headers)
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                client.get(path, headers=headers)
            warm = len(queries)
        with override_settings(PORTAL_PAGE_CACHE_SECONDS=600):
            bump_content_version()
            client.get(path, headers=headers)
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                client.get(path, headers=headers)
            cached = len(queries)
        counts[name] = {"cold": cold, "uncached": warm, "cached": cached}
    return counts


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
