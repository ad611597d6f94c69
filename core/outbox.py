"""The outbox: emails are written to the database with the change they tell of, and the
background worker sends them.

A web request (or the admin, or a command) calls `queue()` inside its transaction; the row
exists if and only if the change was committed, and `wake_worker()` enqueues the delivery
task once the transaction commits. The worker (`manage.py db_worker`, django-tasks) runs
`deliver_outbox`, which sends what is due in small batches.

Guarantees:
- (recipient, key) is unique in the table: the same item never goes twice to one address,
  whatever duplicate calls or retries do (rows that already exist are skipped).
- Each email is taken by one worker only: SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL,
  a conditional status change (pending → sending) everywhere, SQLite included.
- A failure of the SMTP server is tried again with backoff, then shown as failed in the
  admin. A worker asked to stop finishes its batch and stops; the rest waits for the next
  worker. A worker killed between taking an email and recording the server's answer
  leaves it « interrompu »: it is not sent again on its own (at most once), the admin can.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from core.models import OutboxEmail, OutboxStatus

logger = logging.getLogger(__name__)

# An email taken by a worker that has not answered within this time was interrupted.
SENDING_LEASE = timedelta(minutes=15)


@dataclass(frozen=True)
class Email:
    """What to send to one recipient (built by the apps, stored by queue())."""

    recipient: str
    key: str
    kind: str
    subject: str
    text: str
    html: str = ""
    headers: dict | None = None
    attachments: tuple = ()  # (filename, text content, mimetype)

    def row(self, now):
        return OutboxEmail(
            recipient=self.recipient,
            key=self.key[:200],
            kind=self.kind,
            subject=self.subject[:300],
            body_text=self.text,
            body_html=self.html,
            headers=self.headers or {},
            attachments=[list(item) for item in self.attachments],
            created_at=now,
            next_attempt_at=now,
        )


def queue(*emails, now=None, batch_size=500):
    """Write emails to the outbox, in the caller's transaction; those whose (recipient,
    key) is already there are skipped. Takes any iterable of Email (a generator for many
    recipients: rows are written by batches, never all held in memory). Returns how many
    were given (duplicates included)."""
    now = now or timezone.now()
    if len(emails) == 1 and not isinstance(emails[0], Email):
        emails = emails[0]
    count = 0
    batch = []
    for email in emails:
        batch.append(email.row(now))
        count += 1
        if len(batch) >= batch_size:
            OutboxEmail.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        OutboxEmail.objects.bulk_create(batch, ignore_conflicts=True)
    return count


def wake_worker():
    """Enqueue the delivery task once the current transaction commits (at once outside
    one). The queue never blocks the change: a queue that fails is logged, and the next
    periodic run (`send_notifications`) wakes the worker again."""

    def enqueue():
        try:
            deliver_outbox.enqueue()
        except Exception:
            logger.exception("File de tâches indisponible : les courriels attendront")

    transaction.on_commit(enqueue)


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    more: bool = False  # emails are still due: another task carries on


# Emails taken per claim: fewer transactions, and at most this many shown as interrupted
# if the worker is killed outright.
CLAIM_SIZE = 10


def _claim(now, size):
    """Take up to `size` due emails for this worker: a list, empty when none is due, or
    None when another worker got in the way (then ask again).
    Their status changes in a short transaction of its own, so they are taken even if
    sending them then takes long."""
    with transaction.atomic():
        due = OutboxEmail.objects.due(now).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        rows = list(due[:size])
        if not rows:
            return []
        taken = OutboxEmail.objects.filter(
            pk__in=[row.pk for row in rows], status=OutboxStatus.PENDING
        ).update(status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        if taken != len(rows):
            # Another worker took some of them in between (a database without row
            # locks nor IMMEDIATE transactions): take none, and ask again.
            transaction.set_rollback(True)
            return None
    for row in rows:
        row.status = OutboxStatus.SENDING
        row.attempts += 1
    return rows


def _message(row, mail_connection):
    headers = dict(row.headers)
    reply_to = headers.pop("Reply-To", None)
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.recipient],
        reply_to=[reply_to] if reply_to else None,
        headers=headers,
        connection=mail_connection,
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    for filename, content, mimetype in row.attachments:
        message.attach(filename, content, mimetype)
    return message


def retry_delay(attempts):
    """The wait after the attempts-th failure: 1, 4, 16, 64 minutes with the default."""
    return timedelta(seconds=settings.PORTAL_OUTBOX_RETRY_SECONDS * 4 ** (attempts - 1))


def _failed(row, error, now, report):
    message = f"{type(error).__name__}: {error}"[:2000]
    if row.attempts >= settings.PORTAL_OUTBOX_MAX_ATTEMPTS:
        OutboxEmail.objects.filter(pk=row.pk).update(status=OutboxStatus.FAILED, last_error=message)
        report.failed += 1
        logger.warning("Courriel en échec après %d essais : %s", row.attempts, row.subject)
    else:
        OutboxEmail.objects.filter(pk=row.pk).update(
            status=OutboxStatus.PENDING,
            last_error=message,
            next_attempt_at=now + retry_delay(row.attempts),
        )
        report.retried += 1


def mark_interrupted(now=None):
    """Emails taken by a worker that never recorded the answer (killed): shown as such."""
    now = now or timezone.now()
    return OutboxEmail.objects.filter(
        status=OutboxStatus.SENDING, claimed_at__lt=now - SENDING_LEASE
    ).update(status=OutboxStatus.INTERRUPTED)


def deliver_pending(*, limit=None, now=None):
    """Send up to `limit` due emails over one SMTP connection. Returns a DeliveryReport."""
    limit = settings.PORTAL_OUTBOX_BATCH if limit is None else limit
    clock = (lambda: now) if now else timezone.now
    report = DeliveryReport()
    # Due at the start of the batch: an email that fails now waits for a later batch.
    start = clock()
    mark_interrupted(start)
    mail_connection = get_connection()
    opened = False
    left = limit
    try:
        while left > 0:
            rows = _claim(start, min(CLAIM_SIZE, left))
            if rows is None:
                continue
            if not rows:
                break
            left -= len(rows)
            for row in rows:
                try:
                    if not opened:
                        # Opened here, the connection serves the whole batch (a backend
                        # left to open it itself closes it after each email).
                        mail_connection.open()
                        opened = True
                    mail_connection.send_messages([_message(row, mail_connection)])
                except Exception as error:
                    _failed(row, error, clock(), report)
                    # A broken connection is opened again for the next email.
                    _close_quietly(mail_connection)
                    opened = False
                    continue
                OutboxEmail.objects.filter(pk=row.pk).update(
                    status=OutboxStatus.SENT, sent_at=clock(), last_error=""
                )
                report.sent += 1
        else:
            report.more = OutboxEmail.objects.due(start).exists()
    finally:
        _close_quietly(mail_connection)
    return report


def _close_quietly(mail_connection):
    try:
        mail_connection.close()
    except Exception:
        logger.debug("Fermeture de la connexion SMTP", exc_info=True)


def next_retry_at():
    """When the earliest email waiting for a retry is due, or None."""
    row = (
        OutboxEmail.objects.filter(status=OutboxStatus.PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    return row


@task()
def deliver_outbox():
    """The worker's task: one batch, then a new task for what is left (so that a worker
    asked to stop stops soon), and one deferred to the next retry."""
    report = deliver_pending()
    if report.more:
        deliver_outbox.enqueue()
    elif report.retried or report.failed:
        moment = next_retry_at()
        if moment is not None:
            deliver_outbox.using(run_after=moment).enqueue()
    return {"sent": report.sent, "retried": report.retried, "failed": report.failed}


def send_again(queryset):
    """The admin's « send again »: failed or interrupted emails go back to the queue."""
    updated = queryset.filter(status__in=[OutboxStatus.FAILED, OutboxStatus.INTERRUPTED]).update(
        status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    if updated:
        wake_worker()
    return updated


def purge_sent(*, before):
    """Delete sent emails older than `before` (their addresses with them)."""
    return OutboxEmail.objects.filter(status=OutboxStatus.SENT, sent_at__lt=before).delete()[0]
