"""The worker sending one piece of news to the followers of a chantier: emails per second
into a local SMTP sink, and the peak memory, which must not grow with the followers.

    .venv/bin/python -m bench.followers                  # SQLite, in memory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/petr_portal \\
        .venv/bin/python -m bench.followers              # PostgreSQL: test_petr_portal

Like the test suite, it works in a throwaway test database (test_<name>, dropped at the
end). For 1,000 then 5,000 confirmed followers of one chantier « à chaque nouveauté »:
notify_followers() queues one email per follower (streamed from the database), then the
worker's task runs as `manage.py db_worker` would run it, batch after batch
(PORTAL_OUTBOX_BATCH), over SMTP to aiosmtpd's sink on 127.0.0.1 (its own process),
which accepts and drops what it receives. Each size runs twice: timed (emails per
second), then under
tracemalloc (peak Python memory of queueing and of sending). The script exits with
status 1 when a peak for 5,000 followers is more than 1.5 times the one for 1,000.
"""

import argparse
import os
import socket
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "petr_portal.settings")

COUNTS = (1_000, 5_000)
HEADER = (
    "| abonnés | mise en file | envoi | courriels/s "
    + "| pic mémoire (file) | pic mémoire (envoi) |"
)
TOLERANCE = 1.5


def start_sink(port):
    """aiosmtpd's Sink handler (accepts and drops) in a process of its own: in this one,
    it would share the interpreter lock with the worker it is meant to measure."""
    sink = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-c",
            "aiosmtpd.handlers.Sink",
            "-l",
            f"127.0.0.1:{port}",
        ],
    )
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return sink
        time.sleep(0.1)
    sink.kill()
    raise RuntimeError("Le serveur SMTP du banc d'essai n'a pas démarré")


def populate(total):
    """`total` confirmed followers of one chantier, and nothing in the outbox."""
    from django.utils import timezone

    from chantiers.models import Chantier, FollowEvent, Rhythm, Subscription
    from core.models import OutboxEmail

    OutboxEmail.objects.all().delete()
    FollowEvent.objects.all().delete()
    Subscription.objects.all().delete()
    chantier, _ = Chantier.objects.get_or_create(
        slug="banc-d-essai", defaults={"title": "Chantier du banc d'essai"}
    )
    now = timezone.now()
    Through = Subscription.chantiers.through
    for first in range(0, total, 1000):
        created = Subscription.objects.bulk_create(
            Subscription(
                email=f"abonne.{i}@example.org",
                rhythm=Rhythm.IMMEDIATE,
                requested_at=now,
                confirmed_at=now,
            )
            for i in range(first, min(first + 1000, total))
        )
        if created[0].pk is None:  # databases that do not return ids
            created = Subscription.objects.filter(email__startswith="abonne.").exclude(
                pk__in=Through.objects.values("subscription_id")
            )
        Through.objects.bulk_create(
            Through(subscription_id=s.pk, chantier_id=chantier.pk) for s in created
        )
    return chantier


def notify(chantier, key):
    from chantiers.following import notify_followers

    return notify_followers(
        kind="meetings",
        chantier=chantier,
        item_key=key,
        subject="Nouvelle réunion : intersession du banc d'essai",
        lines=["mardi 12 janvier 2027, 18 h 30 – 21 h", "Salle des fêtes, Figeac"],
        url="/agenda/banc-d-essai/",
    )


def run_worker():
    """The worker's task, batch after batch, until the outbox is empty."""
    from core.outbox import deliver_pending

    sent = 0
    while True:
        report = deliver_pending()
        sent += report.sent
        if not report.more:
            return sent


def measure(total, traced):
    from core.models import OutboxEmail, OutboxStatus

    chantier = populate(total)
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    queued = notify(chantier, f"banc:{total}:{traced}")
    queued_at = time.perf_counter()
    queue_peak = tracemalloc.get_traced_memory()[1] if traced else 0
    if traced:
        tracemalloc.reset_peak()
    sent = run_worker()
    done = time.perf_counter()
    send_peak = tracemalloc.get_traced_memory()[1] if traced else 0
    if traced:
        tracemalloc.stop()
    delivered = OutboxEmail.objects.filter(status=OutboxStatus.SENT).count()
    assert queued == sent == delivered == total, (queued, sent, delivered, total)
    return {
        "queue_s": queued_at - started,
        "send_s": done - queued_at,
        "queue_peak": queue_peak,
        "send_peak": send_peak,
    }


def mib(value):
    return f"{value / 1024 / 1024:6.2f} Mio"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=list(COUNTS))
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False  # no query log growing in memory
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = start_sink(port)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.PORTAL = {**settings.PORTAL, "SITE_URL": "https://projet.example.fr"}
    results = {}
    try:
        print(f"Base : {connection.vendor} ; lots de {settings.PORTAL_OUTBOX_BATCH} courriels")
        print()
        print(HEADER)
        print("| ---: | ---: | ---: | ---: | ---: | ---: |")
        for total in args.counts:
            timed = measure(total, traced=False)
            traced = measure(total, traced=True)
            results[total] = traced
            print(
                f"| {total:,} | {timed['queue_s']:.2f} s | {timed['send_s']:.2f} s "
                f"| {total / timed['send_s']:,.0f} | {mib(traced['queue_peak'])} "
                f"| {mib(traced['send_peak'])} |".replace(",", "\u202f")
            )
    finally:
        sink.terminate()
        sink.wait(10)
        connection.creation.destroy_test_db(old_name, verbosity=0)
    small, large = results[min(results)], results[max(results)]
    grew = [
        name
        for name in ("queue_peak", "send_peak")
        if large[name] > TOLERANCE * max(small[name], 1)
    ]
    print()
    if grew:
        print(f"Échec : la mémoire croît avec le nombre d'abonnés ({', '.join(grew)}).")
        return 1
    print(
        f"Mémoire stable : pics à {max(results):,} abonnés ≤ {TOLERANCE} × ceux à {min(results):,}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
