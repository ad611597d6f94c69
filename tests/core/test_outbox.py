"""The outbox and its worker against a real SMTP server: each email at most once (a unique
constraint), retries with backoff, failures shown, the real worker stopped in the middle of
a batch and started again (every email exactly once), and 50 people registering for 20
seats while the mail server is down."""

import ast
import os
import signal
import subprocess
import sys
import threading
import uuid
from datetime import timedelta

import psycopg2
import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from chantiers import services
from core import outbox
from core.models import OutboxEmail, OutboxStatus
from tests.accounts.helpers import make_account
from tests.chantiers.factories import OpenIntersessionFactory
from tests.mail import deliver
from tests.smtp import subject

pytestmark = pytest.mark.django_db


def email(index, key="item:1"):
    return outbox.Email(
        recipient=f"p{index}@example.org",
        key=key,
        kind="essai",
        subject=f"Message {index}",
        text="Bonjour",
    )


def test_the_same_item_is_queued_once_per_recipient_whatever_the_calls():
    outbox.queue(email(1), email(2))
    outbox.queue(email(1), email(2), email(3))
    outbox.queue(outbox.Email(**{**email(1).__dict__, "recipient": "P1@EXAMPLE.ORG"}))
    assert OutboxEmail.objects.count() == 3
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxEmail.objects.create(recipient="p1@example.org", key="item:1", subject="x")


def test_nothing_is_sent_by_the_request_and_the_worker_sends_each_once(smtp_server):
    outbox.queue(email(index) for index in range(5))
    assert smtp_server.received == []
    assert deliver().sent == 5
    assert deliver().sent == 0
    assert sorted(m["To"] for m in smtp_server.received) == [
        f"p{index}@example.org" for index in range(5)
    ]
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_a_refusing_server_is_tried_again_with_backoff_then_accepts(smtp_server, settings):
    settings.PORTAL_OUTBOX_RETRY_SECONDS = 60
    smtp_server.sink.refuse_next = 2
    outbox.queue(email(1))
    now = timezone.now()
    report = deliver(now=now)
    assert (report.sent, report.retried) == (0, 1)
    row = OutboxEmail.objects.get()
    assert row.status == OutboxStatus.PENDING
    assert row.next_attempt_at == now + timedelta(minutes=1)
    assert "451" in row.last_error
    # Not due yet: nothing happens before the wait is over.
    assert deliver(now=now + timedelta(seconds=30)).retried == 0
    deliver(now=now + timedelta(minutes=1))
    row.refresh_from_db()
    assert (row.attempts, row.next_attempt_at) == (2, now + timedelta(minutes=1 + 4))
    assert deliver(now=row.next_attempt_at).sent == 1
    [message] = smtp_server.received
    assert subject(message) == "Message 1"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 3, "")


def test_after_the_last_try_the_failure_shows_in_the_admin(smtp_server, settings, client):
    settings.PORTAL_OUTBOX_MAX_ATTEMPTS = 2
    settings.PORTAL_OUTBOX_RETRY_SECONDS = 0
    smtp_server.stop()
    outbox.queue(email(1))
    deliver()
    report = deliver()
    assert report.failed == 1
    row = OutboxEmail.objects.get()
    assert row.status == OutboxStatus.FAILED
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(make_account("equipe"))
    page = client.get("/admin/core/outboxemail/?status=echec").content.decode()
    assert "Message 1" in page and "Échec" in page
    # The team reads the log without the addresses.
    assert "p1@example.org" not in page
    client.force_login(make_account("admin", email="admin@example.org"))
    page = client.get("/admin/core/outboxemail/?status=echec").content.decode()
    assert "p1@example.org" in page
    smtp_server.start()
    response = client.post(
        "/admin/core/outboxemail/",
        {"action": "send_again", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    assert deliver().sent == 1


def test_fifty_people_for_twenty_seats_with_the_mail_server_down(smtp_server, caplog):
    meeting = OpenIntersessionFactory(capacity=20)
    smtp_server.stop()
    outcomes = [
        services.register(
            meeting.pk,
            name=f"P{index}",
            email=f"p{index}@example.org",
            absolute_url=lambda path: f"https://portail.example.fr{path}",
        )
        for index in range(50)
    ]
    # Twenty seats, thirty on the waiting list: each is told by email.
    assert [outcome.waiting for outcome in outcomes] == [False] * 20 + [True] * 30
    report = deliver()
    assert (report.sent, report.retried) == (0, 50)
    assert "Traceback" not in caplog.text
    smtp_server.start()
    later = timezone.now() + timedelta(hours=1)
    assert deliver(now=later).sent == 50
    assert sorted(m["To"] for m in smtp_server.received) == sorted(
        r.registration.email for r in outcomes
    )
    subjects = [str(m["Subject"]).strip() for m in smtp_server.received]
    assert sum(s.startswith("Inscription confirmée") for s in subjects) == 20
    assert sum(s.startswith("Liste d'attente") for s in subjects) == 30


# ---- The real worker, stopped in the middle of a batch ----


class HoldingSink:
    """Received messages; the n-th one waits until the test lets it through, so the test
    knows the worker is in the middle of a batch when it asks it to stop."""

    def __init__(self, hold_at):
        self.received = []
        self.hold_at = hold_at
        self.reached = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope.rcpt_tos[0])
        if len(self.received) == self.hold_at:
            self.reached.set()
            # aiosmtpd runs the handler in its own thread's event loop: a blocking wait
            # holds this SMTP session only.
            self.release.wait(30)
        return "250 2.0.0 Reçu"


@pytest.fixture
def worker_database(tmp_path):
    """A database of its own for the worker's processes (the test database is in memory
    on SQLite, and inside this test's transaction on PostgreSQL)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'worker.sqlite3'}"
        return
    params = connection.settings_dict
    name = f"petr_worker_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(
        host=params["HOST"],
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"],
        dbname="postgres",
    )
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    user = params["USER"]
    auth = f"{user}:{params['PASSWORD']}@" if params["PASSWORD"] else f"{user}@"
    yield f"postgres://{auth}{params['HOST']}:{params['PORT'] or 5432}/{name}"
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


QUEUE_THIRTY = """
from core import outbox
outbox.queue(outbox.Email(recipient=f"p{i}@example.org", key="item:1", kind="essai",
                          subject=f"Message {i}", text="Bonjour") for i in range(30))
outbox.deliver_outbox.enqueue()
"""

COUNT_STATUSES = """
from collections import Counter
from core.models import OutboxEmail
print(dict(Counter(OutboxEmail.objects.values_list("status", flat=True))))
"""


def test_the_worker_stopped_mid_batch_and_started_again_sends_each_email_exactly_once(
    worker_database,
):
    from aiosmtpd.controller import Controller

    from tests.smtp import free_port

    sink = HoldingSink(hold_at=7)
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    environment = {
        **os.environ,
        "DATABASE_URL": worker_database,
        "DJANGO_SETTINGS_MODULE": "petr_portal.settings",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(port),
        "PORTAL_OUTBOX_BATCH": "5",
    }

    def manage(*args, **kwargs):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=180,
            **kwargs,
        )

    def statuses():
        output = manage("shell", "--no-imports", "-c", COUNT_STATUSES).stdout
        return ast.literal_eval(output.strip().splitlines()[-1])

    try:
        assert manage("migrate", "--noinput").returncode == 0
        assert manage("shell", "-c", QUEUE_THIRTY).returncode == 0
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-reload"],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert sink.reached.wait(60), "the worker never reached the 7th email"
        # Stopped while the 7th email (the 2nd of the second batch of 5) is on the wire.
        worker.send_signal(signal.SIGTERM)
        sink.release.set()
        output, _ = worker.communicate(timeout=60)
        assert "shutting down gracefully" in output
        # The batch under way was finished, the rest left for the next worker.
        assert len(sink.received) == 10
        assert statuses() == {"envoye": 10, "attente": 20}
        # Started again (--batch: it stops once the queue is empty).
        again = manage("db_worker", "--batch", "--interval", "0")
        assert again.returncode == 0, again.stdout + again.stderr
    finally:
        sink.release.set()
        controller.stop()
    assert sorted(sink.received) == sorted(f"p{i}@example.org" for i in range(30))
    assert statuses() == {"envoye": 30}
