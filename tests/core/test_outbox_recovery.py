"""What a worker takes back from a dead one (emails past their lease, tasks left running),
the Message-ID that makes an email sent again the same message, the headers every email
carries, and what the daily purge prunes."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command, get_commands
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import outbox, worker
from core.models import OutboxEmail, OutboxStatus
from tests.mail import deliver

pytestmark = pytest.mark.django_db


def email(index, key="item:1", **fields):
    return outbox.Email(
        recipient=f"p{index}@example.org",
        key=key,
        kind="essai",
        subject=f"Message {index}",
        text="Bonjour",
        **fields,
    )


def held(minutes_ago, *, attempts=1, index=1):
    """An email a worker took `minutes_ago` minutes ago and never recorded."""
    outbox.queue(email(index))
    row = OutboxEmail.objects.get(recipient=f"p{index}@example.org")
    OutboxEmail.objects.filter(pk=row.pk).update(
        status=OutboxStatus.SENDING,
        attempts=attempts,
        claimed_at=timezone.now() - timedelta(minutes=minutes_ago),
    )
    return row


def test_the_worker_command_is_the_one_that_takes_back():
    assert get_commands()["db_worker"] == "core"


def test_the_lease_is_sized_from_the_email_timeout(settings):
    settings.EMAIL_TIMEOUT = 30
    assert outbox.sending_lease() == timedelta(seconds=90)
    settings.EMAIL_TIMEOUT = 1
    assert outbox.sending_lease() == timedelta(seconds=3)


def test_an_email_held_past_its_lease_goes_back_to_the_queue_and_leaves(settings, smtp_server):
    settings.EMAIL_TIMEOUT = 5  # a lease of 15 seconds
    dead = held(minutes_ago=1, index=1)
    alive = held(minutes_ago=0, index=2)
    assert outbox.take_back() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == OutboxStatus.PENDING and dead.next_attempt_at <= timezone.now()
    assert "interrompu" in dead.failure and "@" not in dead.failure
    assert alive.status == OutboxStatus.SENDING  # another worker may be sending it now
    assert deliver().sent == 1
    [message] = smtp_server.received
    # The same Message-ID as chosen when it was queued: the same message to the reader.
    assert message["Message-ID"] == dead.message_id


def test_an_email_taken_back_too_often_is_shown_as_failed(settings):
    settings.PORTAL_OUTBOX_MAX_ATTEMPTS = 3
    row = held(minutes_ago=60, attempts=3)
    assert outbox.take_back() == 0
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED
    assert row.failure.startswith("Envoi interrompu")


def test_tasks_left_running_are_run_again_and_a_task_waits_whenever_emails_are_due(settings):
    settings.EMAIL_TIMEOUT = 5
    outbox.queue(email(1))
    left = outbox.deliver_outbox.enqueue()
    DBTaskResult.objects.filter(pk=left.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=5)
    )
    assert worker.take_back() == (0, 1)
    assert DBTaskResult.objects.get(pk=left.id).status == TaskResultStatus.READY
    # One task waits: none more.
    worker.take_back()
    assert DBTaskResult.objects.ready().count() == 1
    # None waits and an email is due: one is enqueued.
    DBTaskResult.objects.all().delete()
    worker.take_back()
    assert DBTaskResult.objects.ready().filter(task_path="core.outbox.deliver_outbox").count() == 1


def test_a_running_task_within_its_lease_is_left_alone(settings):
    settings.EMAIL_TIMEOUT = 5
    running = outbox.deliver_outbox.enqueue()
    DBTaskResult.objects.filter(pk=running.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(seconds=10)
    )
    assert worker.take_back() == (0, 0)
    assert DBTaskResult.objects.get(pk=running.id).status == TaskResultStatus.RUNNING


def test_every_email_says_it_is_automatic_with_a_named_sender_and_its_message_id(
    settings, smtp_server
):
    settings.PORTAL = {**settings.PORTAL, "SITE_URL": "https://projet.example.fr"}
    outbox.queue(email(1))
    row = OutboxEmail.objects.get()
    assert row.message_id.startswith("<") and row.message_id.endswith("@projet.example.fr>")
    deliver()
    [message] = smtp_server.received
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"] == row.message_id
    sender = message["From"]
    assert sender.addresses[0].addr_spec == "ne-pas-repondre@petr-fqvd.fr"
    assert sender.addresses[0].display_name == (
        "Projet de territoire – PETR Figeac Quercy Vallée de la Dordogne"
    )
    # A sender configured with its own name keeps it.
    settings.DEFAULT_FROM_EMAIL = "Équipe PETR <equipe@example.org>"
    assert outbox.sender() == "Équipe PETR <equipe@example.org>"


def test_each_email_has_its_own_message_id():
    outbox.queue(email(index) for index in range(20))
    ids = set(OutboxEmail.objects.values_list("message_id", flat=True))
    assert len(ids) == 20 and "" not in ids


def test_failures_are_told_in_words_without_the_address(smtp_server, settings):
    settings.PORTAL_OUTBOX_RETRY_SECONDS = 0
    smtp_server.sink.refuse_next = 1
    outbox.queue(email(1))
    deliver()
    row = OutboxEmail.objects.get()
    assert row.status == OutboxStatus.PENDING
    assert row.failure == "Le serveur de messagerie a répondu par un refus temporaire (code 451)."
    smtp_server.stop()
    deliver()
    row.refresh_from_db()
    assert row.failure == "Le serveur de messagerie refuse les connexions (arrêté ?)."
    smtp_server.start()
    deliver()
    row.refresh_from_db()
    assert (row.status, row.failure, row.last_error) == (OutboxStatus.SENT, "", "")


def test_failure_words_never_quote_the_address():
    import smtplib

    refused = smtplib.SMTPRecipientsRefused({"p1@example.org": (550, b"No such user p1")})
    words = outbox.failure_words(refused)
    assert words == "Le serveur de messagerie a refusé le destinataire (code 550)."
    assert "@" not in outbox.failure_words(smtplib.SMTPDataError(554, b"p1@example.org spam"))


def test_the_daily_purge_prunes_finished_tasks_and_the_log_past_its_retention(settings):
    settings.PORTAL_OUTBOX_RETENTION_DAYS = 30
    long_ago = timezone.now() - timedelta(days=40)
    finished = outbox.deliver_outbox.enqueue()
    DBTaskResult.objects.filter(pk=finished.id).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now() - timedelta(days=2)
    )
    recent = outbox.deliver_outbox.enqueue()
    DBTaskResult.objects.filter(pk=recent.id).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now()
    )
    waiting = outbox.deliver_outbox.using(run_after=timezone.now() + timedelta(days=9)).enqueue()
    outbox.queue(email(1), email(2), email(3))
    OutboxEmail.objects.filter(recipient="p1@example.org").update(
        status=OutboxStatus.SENT, sent_at=long_ago
    )
    OutboxEmail.objects.filter(recipient="p2@example.org").update(
        status=OutboxStatus.FAILED, created_at=long_ago
    )
    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "Résultats de tâches terminées effacés : 1" in out.getvalue()
    assert {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)} == {
        recent.id,
        waiting.id,
    }
    assert list(OutboxEmail.objects.values_list("recipient", flat=True)) == ["p3@example.org"]


def test_send_again_takes_failed_emails_only():
    outbox.queue(email(1), email(2), email(3))
    OutboxEmail.objects.filter(recipient="p1@example.org").update(status=OutboxStatus.FAILED)
    OutboxEmail.objects.filter(recipient="p2@example.org").update(status=OutboxStatus.SENT)
    OutboxEmail.objects.filter(recipient="p3@example.org").update(status=OutboxStatus.SENDING)
    assert outbox.send_again(OutboxEmail.objects.all()) == 1
    assert dict(OutboxEmail.objects.values_list("recipient", "status")) == {
        "p1@example.org": OutboxStatus.PENDING,
        "p2@example.org": OutboxStatus.SENT,
        "p3@example.org": OutboxStatus.SENDING,
    }
    # A second click (or a colleague's) finds nothing failed: nothing goes twice.
    assert outbox.send_again(OutboxEmail.objects.all()) == 0
