"""Every page a visitor reaches from the home page, written to a folder, to compare the HTML
of two versions of the code on the same content (whitespace aside).

    python -m bench.snapshot --database-url postgres://postgres@127.0.0.1:5432/petr_snap \
        --out /tmp/before [--load]
    python -m bench.snapshot --compare /tmp/before /tmp/after

--load (re)creates the database with load_territoire and load_demo first. Pages are read
with Django's test client, as an anonymous visitor, page cache off, following every link
of the site (the admin, sign-in and downloads aside), plus the site search for a few
words in every kind and the htmx fragments the pages declare (data-hx-get). Each page is
kept with its whitespace collapsed and the per-request values (CSRF token, CSP nonce)
blanked: what is left differs only if a reader would see a difference.
"""

import argparse
import hashlib
import os
import re
import sys
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
SEARCHES = [
    "agriculture",
    "epargne",
    "lycee",
    "session",
    "intersession",
    "figeac",
    "bonheur",
    "guide",
    "partenaires",
    "diagnostic",
    "rapport",
    "cooperation",
    "association",
    "publier",
    "habitants",
]
SKIPPED = ("/admin/", "/compte/", "/static/", "/media/", "/documents/", "/suivre/confirmer/")
HREF = re.compile(r'(?:href|data-hx-get)="([^"]+)"')
VOLATILE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r'"X-CSRFToken": ?"[^"]*"'), '"X-CSRFToken": ""'),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r"\s+"), " "),
    (re.compile(r">\s+<"), "><"),
    (re.compile(r"\s+>"), ">"),
]


def normalised(text):
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text.strip()


def file_name(path, htmx):
    digest = hashlib.sha1(f"{htmx}:{path}".encode()).hexdigest()[:10]
    readable = re.sub(r"[^\w.-]+", "_", path.strip("/"))[:80] or "index"
    return f"{readable}{'.htmx' if htmx else ''}.{digest}.html"


def crawl(out, limit, write=True):
    from django.test import Client, override_settings

    client = Client(headers={"X-Forwarded-Proto": "https"})
    seen, queue = set(), [("/", False)]
    from core.search import kinds

    for word in SEARCHES:
        queue.append((f"/recherche/?q={word}", False))
        queue += [(f"/recherche/?q={word}&type={kind.key}", False) for kind in kinds()]
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    with override_settings(PORTAL_PAGE_CACHE_SECONDS=0):
        while queue and written < limit:
            path, htmx = queue.pop(0)
            if (path, htmx) in seen:
                continue
            seen.add((path, htmx))
            headers = {"HX-Request": "true"} if htmx else {}
            response = client.get(path, headers=headers)
            content_type = response.get("Content-Type", "")
            if response.status_code != 200 or "text/html" not in content_type:
                continue
            text = response.content.decode()
            if write:
                (out / file_name(path, htmx)).write_text(f"{path}\n{normalised(text)}\n")
            written += 1
            for match in HREF.finditer(text):
                target = urljoin(path, unescape(match.group(1)))
                parts = urlsplit(target)
                if parts.netloc and parts.netloc not in ("testserver",):
                    continue
                local = parts.path + (f"?{parts.query}" if parts.query else "")
                if local.startswith(SKIPPED) or not local.startswith("/"):
                    continue
                fragment_request = match.group(0).startswith("data-hx-get")
                queue.append((local, fragment_request))
    return written


def compare(before, after):
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    differing = 0
    for name in names:
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            print(f"seulement dans {'avant' if a.exists() else 'après'} : {name}")
            differing += 1
            continue
        if a.read_text() != b.read_text():
            differing += 1
            left, right = a.read_text(), b.read_text()
            at = next(
                (i for i, (x, y) in enumerate(zip(left, right, strict=False)) if x != y),
                min(len(left), len(right)),
            )
            print(f"différent : {left.splitlines()[0]}")
            print(f"  avant : …{left[max(at - 80, 0) : at + 120]}…")
            print(f"  après : …{right[max(at - 80, 0) : at + 120]}…")
    print(f"{len(names)} pages, {differing} différentes")
    return 1 if differing else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--load", action="store_true")
    parser.add_argument("--limit", type=int, default=3000)
    parser.add_argument("--compare", nargs=2, type=Path)
    parser.add_argument(
        "--warm", action="store_true", help="crawl once first: pages written from warm caches"
    )
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "petr_portal.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    if args.load:
        call_command("migrate", verbosity=0)
        call_command("load_territoire", verbosity=0)
        call_command("load_demo", verbosity=0)
    if args.warm:
        crawl(args.out, args.limit, write=False)
    written = crawl(args.out, args.limit)
    print(f"{written} pages écrites dans {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
