"""Whether email is stuck, for the team (the admin's home page and the send log) and for
monitoring (/sante/): since when emails wait, since when the mail server refuses them,
and the last problem in words, never an address."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from core.models import WAITING, OutboxEmail, OutboxStatus

# Emails normally leave within seconds (5,000 in under a minute); one waiting longer than
# this is late, whatever the reason.
LATE_AFTER = timedelta(minutes=10)


def oldest_waiting_at():
    """When the oldest email not sent yet was queued, or None: one query, for /sante/."""
    return OutboxEmail.objects.waiting().aggregate(oldest=Min("created_at"))["oldest"]


@dataclass
class OutboxStatusReport:
    now: datetime
    waiting: int = 0
    oldest_waiting_at: datetime | None = None
    # The oldest email waiting that met a problem (refused, server down, worker dead).
    retried_since: datetime | None = None
    failed: int = 0
    failed_since: datetime | None = None
    last_problem: str = ""
    last_problem_at: datetime | None = None

    @property
    def late(self):
        return self.oldest_waiting_at is not None and (
            self.now - self.oldest_waiting_at > LATE_AFTER
        )

    @property
    def stuck(self):
        """Something the team should hear of."""
        return self.late or self.retried_since is not None or bool(self.failed)


def status_report(now=None):
    """The state of the outbox in two queries (on the rows not sent yet or failed: an
    index on the status, whatever the size of the log)."""
    now = now or timezone.now()
    unsent = OutboxEmail.objects.filter(status__in=[*WAITING, OutboxStatus.FAILED])
    waiting = Q(status__in=WAITING)
    failed = Q(status=OutboxStatus.FAILED)
    figures = unsent.aggregate(
        waiting=Count("pk", filter=waiting),
        oldest_waiting_at=Min("created_at", filter=waiting),
        retried_since=Min("created_at", filter=waiting & ~Q(failure="")),
        failed=Count("pk", filter=failed),
        failed_since=Min("created_at", filter=failed),
    )
    report = OutboxStatusReport(now=now, **figures)
    if report.retried_since or report.failed:
        problem = (
            unsent.exclude(failure="")
            .order_by("-claimed_at", "-pk")
            .values("failure", "claimed_at")
            .first()
        )
        if problem:
            report.last_problem = problem["failure"]
            report.last_problem_at = problem["claimed_at"]
    return report
