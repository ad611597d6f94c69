"""Processor time per page, rendered in full (page cache off), measured in this process.

Less sensitive to a busy machine than wrk: `time.process_time` counts only this process's
own work (Python, templates, the ORM, the driver), not PostgreSQL's nor the other
processes'. Same production settings as `bench.run`, same pages, on a database it already
filled (run `python -m bench.run --queries-only [--demo]` once first).

    python -m bench.cpu [--demo] [--database-url URL] [--rounds 3] [--requests 10]
    python -m bench.cpu --demo --profile chantier   # cProfile of one page, by total time
    python -m bench.cpu --demo --cold   # each request right after a content change

Fragment caches (PORTAL_FRAGMENT_CACHE_SECONDS, on with the production settings) are warm
after the first request; with --cold the content version is replaced before each
request (outside the time counted), so that every fragment and kept search is written
again, as for the first visitor after an edit.
"""

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

from bench.run import DEFAULT_DATABASE_URL, DEMO_DATABASE_URL, collect_static, pages, production_env
from bench.serve import BASE_HEADERS, ROOT


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rounds", type=int, default=3, help="the minimum of these is kept")
    parser.add_argument("--requests", type=int, default=10, help="requests per round")
    parser.add_argument("--page", action="append", help="only these pages (by name)")
    parser.add_argument("--profile", help="profile this page instead (by name)")
    parser.add_argument(
        "--path", action="append", help="also measure this address (e.g. /robots.txt)"
    )
    parser.add_argument(
        "--cold", action="store_true", help="a new content version before each request"
    )
    args = parser.parse_args(argv)
    if args.database_url is None:
        default = DEMO_DATABASE_URL if args.demo else DEFAULT_DATABASE_URL
        args.database_url = os.environ.get("BENCH_DATABASE_URL", default)
    args.scale, args.all_pages = 1.0, True
    return args


def main(argv=None):
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="petr-bench-cpu-"))
    env = production_env(args, workdir)
    env["PORTAL_PAGE_CACHE_SECONDS"] = "0"
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client

    from core.cache import bump_content_version

    collect_static()
    listed = pages(True, demo=args.demo) + [(path, path, {}) for path in args.path or ()]
    client = Client(headers=BASE_HEADERS)
    if args.profile:
        name, path, headers = next(page for page in listed if page[0] == args.profile)
        for _ in range(3):
            client.get(path, headers=headers)
        profiler = cProfile.Profile(time.process_time)
        for _ in range(args.requests):
            if args.cold:
                bump_content_version()
            profiler.enable()
            client.get(path, headers=headers)
            profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(35)
        stats.sort_stats("cumulative").print_stats(int(os.environ.get("BENCH_PROFILE_LINES", "60")))
        return 0
    print(f"{'page':28} {'ms CPU':>8} {'ms wall':>8} {'SQL':>4} {'octets':>8}")
    for name, path, headers in listed:
        if args.page and name not in args.page:
            continue
        response = client.get(path, headers={**headers, "Accept-Encoding": ""})
        assert response.status_code == 200, (name, response.status_code)
        size = len(response.content)
        connection.force_debug_cursor = True
        if args.cold:
            bump_content_version()
        reset_queries()
        client.get(path, headers=headers)
        queries = len(connection.queries)
        connection.force_debug_cursor = False
        best = wall = float("inf")
        for _ in range(args.rounds):
            spent = elapsed = 0.0
            for _ in range(args.requests):
                if args.cold:
                    bump_content_version()
                started, clock = time.process_time(), time.perf_counter()
                client.get(path, headers=headers)
                spent += time.process_time() - started
                elapsed += time.perf_counter() - clock
            best = min(best, spent / args.requests)
            wall = min(wall, elapsed / args.requests)
        print(f"{name:28} {best * 1000:8.1f} {wall * 1000:8.1f} {queries:4} {size:8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
