"""Peak memory of the open-data exports (/donnees/) for 1,000 and 20,000 rows.

    .venv/bin/python bench/export_memory.py        # SQLite, in memory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/petr_portal \
        .venv/bin/python bench/export_memory.py    # PostgreSQL: test_petr_portal

Like the test suite, it works in a throwaway test database (test_<name>, dropped at the
end), fills it with meetings and indicator values, then reads each export through its
view, as a client would, while tracemalloc follows every Python allocation. For
comparison it also measures the rows gathered in a list before writing, which is what a
non-streamed export would hold. The streamed peak must stay flat: the script exits with
status 1 when the peak for the large count is more than 1.5 times the small one.
"""

import os
import sys
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "petr_portal.settings")

COUNTS = (1_000, 20_000)
EXPORTS = (("reunions", "csv"), ("reunions", "json"), ("indicateurs", "csv"))
TOLERANCE = 1.5


def populate(total):
    """Meetings and indicator values up to `total` rows each (adds what is missing)."""
    from django.utils import timezone

    from chantiers.models import Chantier, Meeting, MeetingKind
    from diagnostic.models import Axis, Indicator, IndicatorValue

    chantier, _ = Chantier.objects.get_or_create(
        slug="banc-d-essai", defaults={"title": "Chantier du banc d'essai"}
    )
    axis, _ = Axis.objects.get_or_create(key="banc", defaults={"name": "Coopération"})
    indicator, _ = Indicator.objects.get_or_create(
        slug="banc", defaults={"axis": axis, "name": "Indicateur du banc d'essai", "unit": "%"}
    )
    start = timezone.now()
    have = Meeting.objects.count()
    for first in range(have, total, 1000):
        Meeting.objects.bulk_create(
            Meeting(
                kind=MeetingKind.INTERSESSION,
                title=f"Intersession n° {i}",
                slug=f"banc-{i}",
                chantier=chantier,
                starts_at=start + timedelta(hours=i),
                ends_at=start + timedelta(hours=i, minutes=150),
                place_name="Salle des fêtes",
                place_commune="Figeac",
                agenda="- Tour de table\n- Point d'étape du chantier\n- Suite du travail",
                minutes="Compte rendu de la soirée : " + "échanges nourris. " * 10,
            )
            for i in range(first, min(first + 1000, total))
        )
    have = IndicatorValue.objects.count()
    for first in range(have, total, 1000):
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                indicator=indicator,
                measured_on=date(1970, 1, 1) + timedelta(days=i),
                value=i % 100,
                source="Relevé du banc d'essai",
            )
            for i in range(first, min(first + 1000, total))
        )


def streamed_peak(name, fmt):
    """(peak bytes, response bytes, rows) while the export is read through its view."""
    from django.test import RequestFactory

    from petr_portal.views import open_data_export

    request = RequestFactory().get(f"/donnees/{name}.{fmt}", HTTP_HOST="localhost")
    tracemalloc.start()
    try:
        response = open_data_export(request, name, fmt)
        size = lines = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, size, lines


def listed_peak(name):
    """Peak bytes when every row is gathered first (what streaming avoids)."""
    from core.export import get_dataset

    tracemalloc.start()
    try:
        rows = list(get_dataset(name).rows("http://localhost"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del rows
    return peak


def mib(value):
    return f"{value / 1024 / 1024:6.2f} Mio"


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False  # no query log growing in memory
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"Base : {connection.vendor}")
        columns = ("pic en flux", "taille", "pic si liste")
        print(f"{'export':<18}{'lignes':>8}" + "".join(f"  {name:>12}" for name in columns))
        peaks = {}
        # Warm up: modules imported and code paths run once, so that the first
        # measurement does not count them.
        populate(10)
        for name, fmt in EXPORTS:
            streamed_peak(name, fmt)
        for count in COUNTS:
            populate(count)
            for name, fmt in EXPORTS:
                peak, size, _lines = streamed_peak(name, fmt)
                listed = listed_peak(name)
                peaks[(name, fmt, count)] = peak
                print(
                    f"{name + '.' + fmt:<18}{count:>8}  {mib(peak):>12}  {mib(size):>12}"
                    f"  {mib(listed):>12}"
                )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    small, large = COUNTS
    flat = True
    for name, fmt in EXPORTS:
        ratio = peaks[(name, fmt, large)] / peaks[(name, fmt, small)]
        ok = ratio <= TOLERANCE
        flat &= ok
        print(
            f"{name}.{fmt} : {large} lignes / {small} lignes = {ratio:.2f} × la mémoire"
            f" {'(stable)' if ok else '(EN HAUSSE)'}"
        )
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
