"""The outbox and its worker against a real SMTP server: each email at most once (a unique
constraint), retries with backoff, failures shown, the real worker stopped in the middle of
a batch and started again (every email exactly once), and 50 people registering for 20
seats while the mail server is down."""

import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from chantiers import services
from core import outbox
from core.models import OutboxEmail, OutboxStatus
from tests.accounts.helpers import make_account
from tests.chantiers.factories import OpenIntersessionFactory
from tests.core.worker_processes import start_worker, worker_environment
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


@pytest.mark.django_db(transaction=True)
def test_the_worker_stopped_mid_batch_and_started_again_sends_each_email_exactly_once(
    shared_database, smtp_sink
):
    sink, port = smtp_sink
    sink.hold_at = 7
    outbox.queue(email(index) for index in range(30))
    outbox.deliver_outbox.enqueue()
    shared_database.share()
    environment = worker_environment(shared_database, port, PORTAL_OUTBOX_BATCH="5")
    worker = start_worker(environment)
    try:
        assert sink.reached.wait(60), "the worker never reached the 7th email"
        # Stopped while the 7th email (the 2nd of the second batch of 5) is on the wire.
        worker.send_signal(signal.SIGTERM)
        sink.release.set()
        output, _ = worker.communicate(timeout=60)
    finally:
        sink.release.set()
        if worker.poll() is None:
            worker.kill()
    assert "shutting down gracefully" in output
    # The batch under way was finished, the rest left for the next worker.
    assert len(sink.received) == 10
    assert shared_database.outbox() == {"envoye": 10, "attente": 20}
    # Started again (--batch: it stops once the queue is empty).
    again = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--interval", "0"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert sorted(recipient for recipient, _ in sink.received) == sorted(
        f"p{i}@example.org" for i in range(30)
    )
    assert shared_database.outbox() == {"envoye": 30}
