"""The rapport d'avancement's build time, for the last twelve months: with the demo
content (load_territoire + load_demo) or at a scale of the large dataset (bench/dataset.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/petr_bench_report_demo \\
        .venv/bin/python -m bench.report_build --demo
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/petr_bench_report \\
        .venv/bin/python -m bench.report_build --scale 1

The database (a local PostgreSQL one whose name starts with petr_bench_report) is
recreated each run; the PDFs go to a temporary media folder. Measured, in this process:
gathering the report (build_report: its queries and Python), the page as a visitor gets it
(Django's test client, page cache off: the view, its template, its query count), best of
three; then the PDF as the worker writes it (builds.build: the page's template through
WeasyPrint), once, with its size and pages, and the process's peak memory.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "petr_portal.settings")

REPEAT = 3


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    content = parser.add_mutually_exclusive_group(required=True)
    content.add_argument("--demo", action="store_true", help="load_territoire + load_demo")
    content.add_argument("--scale", type=float, help="bench/dataset.py at this scale")
    return parser.parse_args(argv)


def database_url():
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme.startswith("postgres") and parts.path.lstrip("/").startswith(
        "petr_bench_report"
    ):
        return url
    sys.exit("DATABASE_URL : une base PostgreSQL locale nommée petr_bench_report…")


def load_content(args):
    from django.core.management import call_command
    from django.db import connection

    from bench import dataset

    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_territoire", stdout=quiet)
    if args.demo:
        call_command("load_demo", stdout=quiet)
        loaded = "démonstration (load_territoire + load_demo)"
    else:
        loaded = f"échelle {args.scale:g} : {dataset.load(args.scale, with_files=False)}"
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return loaded


def best_of(function):
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return min(times), result


def measure():
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from pypdf import PdfReader

    from diagnostic.report import builds
    from diagnostic.report.period import last_twelve_months
    from diagnostic.report.sections import build_report

    period = last_twelve_months(timezone.localdate())
    gathered, report = best_of(lambda: build_report(period))
    client = Client(HTTP_HOST="localhost")
    url = f"/avancement/rapport/?{period.query}"
    page_time, response = best_of(lambda: client.get(url))
    assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    row = builds.request_pdf(period)
    started = time.perf_counter()
    assert builds.build(row.pk), "le PDF n'a pas été construit"
    pdf_time = time.perf_counter() - started
    row.refresh_from_db()
    with row.file.open("rb") as stored:
        pages = len(PdfReader(stored).pages)
    return {
        "période": period.label,
        "chantiers": len(report.chantiers),
        "actions": sum(len(section.actions) for section in report.chantiers),
        "réunions tenues": report.figures[0].value,
        "rassembler le rapport (s)": f"{gathered:.2f}",
        "page HTML (s)": f"{page_time:.2f}",
        "page HTML (Ko)": f"{len(response.content) / 1024:.0f}",
        "requêtes SQL de la page": len(queries),
        "PDF (s)": f"{pdf_time:.1f}",
        "PDF (Ko)": f"{row.file_size / 1024:.0f}",
        "PDF (pages)": pages,
        # The whole process's peak: the PDF's layout holds every page until written.
        "mémoire max du processus (Mo)": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }


def main(argv=None):
    args = parse_args(argv)
    url = database_url()
    from bench.run import recreate_database

    recreate_database(url)
    os.environ["DJANGO_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="petr-bench-rapport-")
    import django

    django.setup()
    started = time.perf_counter()
    loaded = load_content(args)
    print(f"Contenu : {loaded} ({time.perf_counter() - started:.0f} s)", flush=True)
    figures = measure()
    print("| " + " | ".join(figures) + " |")
    print("|" + " --- |" * len(figures))
    print("| " + " | ".join(str(value) for value in figures.values()) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
