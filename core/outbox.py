"""The outbox: emails are written to the database with the change they tell of, and the
background worker sends them.

A web request (or the admin, or a command) calls `queue()` inside its transaction; the row
exists if and only if the change was committed, and `wake_worker()` enqueues the delivery
task once the transaction commits. The worker (`manage.py db_worker`, django-tasks) runs
`deliver_outbox`, which sends what is due in small batches.

Guarantees:
- (recipient, key) is unique in the table: the same item never goes twice to one address,
  whatever duplicate calls or retries do (rows that already exist are skipped).
- Each email has its own Message-ID, chosen when it is queued and kept across tries: an
  email sent again is the same message to every mail client, which shows it once.
- A worker takes one email at a time under a lease (SELECT ... FOR UPDATE SKIP LOCKED on
  PostgreSQL, a conditional status change everywhere, SQLite included). A worker killed
  outright (SIGKILL, the OOM killer) loses its email when the lease runs out, and any
  worker takes it back (core.worker): sent again under the same Message-ID, or never sent
  if the dead worker had not reached the server. Nothing waits for a person or a timer.
- A failure of the SMTP server is tried again with backoff, then shown as failed in the
  admin, which may send it again. A worker asked to stop finishes its email and stops.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formataddr, make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django_tasks import task

from core.models import OutboxEmail, OutboxStatus
from core.seo import site_domain

logger = logging.getLogger(__name__)


def sending_lease():
    """How long a worker may hold an email before another takes it back. One email is
    a handful of SMTP exchanges, each given up after EMAIL_TIMEOUT; three of them leave
    room for a connection being opened. Past that, the worker is taken for dead."""
    return timedelta(seconds=3 * settings.EMAIL_TIMEOUT)


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

    def row(self, now, domain):
        return OutboxEmail(
            recipient=self.recipient,
            key=self.key[:200],
            kind=self.kind,
            subject=self.subject[:300],
            body_text=self.text,
            body_html=self.html,
            headers=self.headers or {},
            attachments=[list(item) for item in self.attachments],
            message_id=make_msgid(domain=domain),
            created_at=now,
            next_attempt_at=now,
        )


def queue(*emails, now=None, batch_size=500):
    """Write emails to the outbox, in the caller's transaction; those whose (recipient,
    key) is already there are skipped. Takes any iterable of Email (a generator for many
    recipients: rows are written by batches, never all held in memory). Returns how many
    were given (duplicates included)."""
    now = now or timezone.now()
    domain = site_domain()
    if len(emails) == 1 and not isinstance(emails[0], Email):
        emails = emails[0]
    count = 0
    batch = []
    for email in emails:
        batch.append(email.row(now, domain))
        count += 1
        if len(batch) >= batch_size:
            OutboxEmail.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        OutboxEmail.objects.bulk_create(batch, ignore_conflicts=True)
    return count


def wake_worker():
    """Enqueue the delivery task once the current transaction commits (at once outside
    one). The queue never blocks the change: a queue that fails is logged, and the worker
    finds the email all the same when it next looks (core.worker)."""

    def enqueue():
        try:
            deliver_outbox.enqueue()
        except Exception:
            logger.exception("File de tâches indisponible : les courriels attendront")

    transaction.on_commit(enqueue)


def forget(*, recipients, key_prefixes):
    """Delete the emails of these addresses whose key starts with one of `key_prefixes`,
    sent or not: what is not sent yet never goes, and the log no longer holds the address
    for them. Returns how many rows went."""
    if not recipients:
        return 0
    items = Q()
    for prefix in key_prefixes:
        items |= Q(key__startswith=prefix)
    addresses = Q()
    for address in recipients:
        addresses |= Q(recipient__iexact=address)
    return OutboxEmail.objects.filter(addresses, items).delete()[0]


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    more: bool = False  # emails are still due: another task carries on


def _claim(now, *, sent=None):
    """Take the next due email for this worker, or None when none is due. Its status
    changes in a short transaction of its own, so it is taken even if sending it then
    takes long; `claimed_at` starts its lease.

    `sent`: the email this worker has just sent, recorded in the same transaction, so
    that an email costs one commit (on SQLite, a commit is a write to the disk)."""
    while True:
        with transaction.atomic():
            if sent is not None:
                _record_sent(sent)
                sent = None
            due = OutboxEmail.objects.due(now).order_by("next_attempt_at", "id")
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            row = due.first()
            if row is None:
                return None
            claimed_at = timezone.now()
            taken = OutboxEmail.objects.filter(pk=row.pk, status=OutboxStatus.PENDING).update(
                status=OutboxStatus.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1
            )
        if taken:
            row.status, row.claimed_at, row.attempts = (
                OutboxStatus.SENDING,
                claimed_at,
                row.attempts + 1,
            )
            return row
        # Another worker took it in between (a database without row locks): the next one.


def _record_sent(row):
    OutboxEmail.objects.filter(pk=row.pk).update(
        status=OutboxStatus.SENT, sent_at=row.sent_at, last_error="", failure=""
    )


def sender():
    """DEFAULT_FROM_EMAIL, with the portal's name shown when it carries none."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if name:
        return settings.DEFAULT_FROM_EMAIL
    portal = settings.PORTAL
    return formataddr((f"{portal['SHORT_NAME']} – {portal['BODY_NAME']}", address))


def _message(row, mail_connection):
    headers = dict(row.headers)
    reply_to = headers.pop("Reply-To", None)
    # Every email of the portal is written by the portal: RFC 3834 asks auto-responders
    # (out-of-office replies) not to answer it.
    headers["Auto-Submitted"] = "auto-generated"
    if row.message_id:
        headers["Message-ID"] = row.message_id
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=sender(),
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


def failure_words(error):
    """What went wrong, in French and without any address (SMTP errors quote them)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = ", ".join(sorted({str(code) for code, _ in error.recipients.values()}))
        return f"Le serveur de messagerie a refusé le destinataire (code {codes})."
    if isinstance(error, smtplib.SMTPSenderRefused):
        return f"Le serveur de messagerie a refusé l'expéditeur (code {error.smtp_code})."
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return "Le serveur de messagerie a refusé l'identifiant ou le mot de passe."
    if isinstance(error, smtplib.SMTPResponseException):
        nature = "refus temporaire" if 400 <= error.smtp_code < 500 else "refus"
        return f"Le serveur de messagerie a répondu par un {nature} (code {error.smtp_code})."
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return "Le serveur de messagerie a coupé la connexion."
    if isinstance(error, TimeoutError):
        return "Le serveur de messagerie n'a pas répondu à temps."
    if isinstance(error, ConnectionRefusedError):
        return "Le serveur de messagerie refuse les connexions (arrêté ?)."
    if isinstance(error, OSError):
        return "Le serveur de messagerie est injoignable."
    return f"Erreur pendant l'envoi ({type(error).__name__})."


def _failed(row, error, now, report):
    fields = {"last_error": f"{type(error).__name__}: {error}"[:2000]}
    fields["failure"] = failure_words(error)[:200]
    if row.attempts >= settings.PORTAL_OUTBOX_MAX_ATTEMPTS:
        OutboxEmail.objects.filter(pk=row.pk).update(status=OutboxStatus.FAILED, **fields)
        report.failed += 1
        logger.warning("Courriel en échec après %d essais : %s", row.attempts, row.subject)
    else:
        OutboxEmail.objects.filter(pk=row.pk).update(
            status=OutboxStatus.PENDING, next_attempt_at=now + retry_delay(row.attempts), **fields
        )
        report.retried += 1


def deliver_pending(*, limit=None, now=None):
    """Send up to `limit` due emails over one SMTP connection, for at most one lease (a
    task that ends soon lets a worker asked to stop stop soon). Returns a DeliveryReport."""
    limit = settings.PORTAL_OUTBOX_BATCH if limit is None else limit
    clock = (lambda: now) if now else timezone.now
    report = DeliveryReport()
    # Due at the start of the batch: an email that fails now waits for a later batch.
    start = clock()
    deadline = timezone.now() + sending_lease()
    mail_connection = get_connection()
    opened = False
    left = limit
    # The email just sent: recorded with the next claim, or at the end of the batch. A
    # worker killed in between leaves it « envoi »: taken back after the lease and sent
    # again under its Message-ID.
    unrecorded = None
    try:
        while left > 0 and timezone.now() < deadline:
            row = _claim(start, sent=unrecorded)
            unrecorded = None
            if row is None:
                break
            left -= 1
            try:
                if not opened:
                    # Opened here, the connection serves the whole batch (a backend left
                    # to open it itself closes it after each email).
                    mail_connection.open()
                    opened = True
                mail_connection.send_messages([_message(row, mail_connection)])
            except Exception as error:
                _failed(row, error, clock(), report)
                # A broken connection is opened again for the next email.
                _close_quietly(mail_connection)
                opened = False
                continue
            row.sent_at = clock()
            unrecorded = row
            report.sent += 1
        else:
            report.more = OutboxEmail.objects.due(start).exists()
    finally:
        if unrecorded is not None:
            _record_sent(unrecorded)
        _close_quietly(mail_connection)
    return report


def _close_quietly(mail_connection):
    try:
        mail_connection.close()
    except Exception:
        logger.debug("Fermeture de la connexion SMTP", exc_info=True)


def next_retry_at():
    """When the earliest email waiting for a retry is due, or None."""
    return (
        OutboxEmail.objects.filter(status=OutboxStatus.PENDING)
        .aggregate(first=Min("next_attempt_at"))
        .get("first")
    )


@task()
def deliver_outbox():
    """The worker's task: one batch, then a new task for what is left (so that a worker
    asked to stop stops soon), and one deferred to the next retry. Safe to run twice or
    at once on several workers: each email is taken by one of them."""
    report = deliver_pending()
    if report.more:
        deliver_outbox.enqueue()
    elif report.retried or report.failed:
        moment = next_retry_at()
        if moment is not None:
            deliver_outbox.using(run_after=moment).enqueue()
    return {"sent": report.sent, "retried": report.retried, "failed": report.failed}


def take_back(*, now=None):
    """Emails held by a worker past the lease: that worker is dead (killed, out of
    memory) or cut off. Each goes back to the queue, to be sent under its Message-ID; one
    taken back PORTAL_OUTBOX_MAX_ATTEMPTS times (an email that kills the worker?) is
    shown as failed instead. Returns how many went back to the queue."""
    now = now or timezone.now()
    abandoned = OutboxEmail.objects.filter(
        status=OutboxStatus.SENDING, claimed_at__lt=now - sending_lease()
    )
    interrupted = "Envoi interrompu : le worker s'est arrêté pendant l'envoi."
    abandoned.filter(attempts__gte=settings.PORTAL_OUTBOX_MAX_ATTEMPTS).update(
        status=OutboxStatus.FAILED, failure=interrupted, last_error=interrupted
    )
    return abandoned.update(
        status=OutboxStatus.PENDING,
        next_attempt_at=now,
        failure=f"{interrupted} Repris automatiquement.",
    )


def send_again(queryset):
    """The admin's « send again »: failed emails go back to the queue, under the same
    Message-ID. Only failed ones: an email waiting or sent cannot be sent twice by
    mistake, nor one a colleague sent again a moment ago."""
    updated = queryset.filter(status=OutboxStatus.FAILED).update(
        status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    if updated:
        wake_worker()
    return updated


def purge_sent(*, before):
    """Delete what left (or failed for good) before `before`, their addresses with it."""
    return OutboxEmail.objects.filter(
        Q(status=OutboxStatus.SENT, sent_at__lt=before)
        | Q(status=OutboxStatus.FAILED, created_at__lt=before)
    ).delete()[0]
