"""The report's PDF, built once per period and content version by the background worker
and kept in the media storage.

A visitor's request finds or creates the row of (period, version): the unique constraint
makes two simultaneous requests share one row, and only the request that created it
enqueues the build (after its commit). The worker takes the row by a conditional update
(« en attente » → « en préparation »): if the task was ever queued twice, one build runs.
A build that failed, or whose worker died, is handed to the worker again by the next
request after a pause, through the same kind of conditional update.
"""

import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from core.cache import content_version
from diagnostic.models import ReportPdf, ReportPdfState
from diagnostic.report import pdf
from diagnostic.report.period import Period
from diagnostic.report.sections import build_report

logger = logging.getLogger(__name__)

# A build taken by a worker that has not finished after this long died with it: far longer
# than the longest build measured (bench/report_build.py: about nine minutes for the 800
# pages of the large dataset on a loaded 2-core machine), so that a slow build is never
# handed to a second worker while the first still writes it.
BUILD_LEASE = timedelta(hours=1)
# A failed build is tried again when asked for, no sooner than this.
RETRY_AFTER = timedelta(minutes=5)


def find_pdf(period):
    """The row of this period at the current content version, or None (for HEAD and
    « Mon espace »: reads only)."""
    return (
        ReportPdf.objects.of_period(period.starts_on, period.ends_on)
        .filter(content_version=content_version())
        .first()
    )


def recent_periods(count=5):
    """The periods whose report was last asked for as a PDF, the latest first."""
    return [Period(*pair) for pair in ReportPdf.objects.recent_periods(count)]


def request_pdf(period, *, now=None):
    """The row of this period at the current content version, created and handed to the
    worker if nobody asked for it yet; a failed or abandoned build is handed over again."""
    now = now or timezone.now()
    version = content_version()
    # get_or_create: when another request creates the row between its read and its
    # write, the unique constraint refuses ours and it reads theirs.
    report, created = ReportPdf.objects.get_or_create(
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        content_version=version,
        defaults={"requested_at": now},
    )
    if created:
        _enqueue(report.pk)
        return report
    stalled = Q(state=ReportPdfState.BUILDING, claimed_at__lt=now - BUILD_LEASE) | Q(
        state=ReportPdfState.FAILED, claimed_at__lt=now - RETRY_AFTER
    )
    if ReportPdf.objects.filter(stalled, pk=report.pk).update(
        state=ReportPdfState.WAITING, error=""
    ):
        _enqueue(report.pk)
        report.refresh_from_db()
    return report


def _enqueue(report_id):
    def enqueue():
        try:
            build_report_pdf.enqueue(report_id)
        except Exception:
            # The row stays « en attente »: the page keeps saying so, and the build is
            # handed over again once the lease of a stalled build has passed.
            logger.exception("File de tâches indisponible : le PDF du rapport attendra")

    transaction.on_commit(enqueue)


def claim(report_id, *, now=None):
    """Take the build of this row for this worker: False when another has it or it is
    done."""
    return bool(
        ReportPdf.objects.filter(pk=report_id, state=ReportPdfState.WAITING).update(
            state=ReportPdfState.BUILDING, claimed_at=now or timezone.now()
        )
    )


def build(report_id, *, now=None):
    """Build the PDF of this row if no one else does; returns whether it was built."""
    if not claim(report_id, now=now):
        return False
    report = ReportPdf.objects.get(pk=report_id)
    period = Period(report.starts_on, report.ends_on)
    try:
        data = pdf.render_pdf({"report": build_report(period), "period": period})
    except Exception as error:
        logger.exception("Le PDF du rapport %s n'a pas pu être construit", report)
        ReportPdf.objects.filter(pk=report_id).update(
            state=ReportPdfState.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        return False
    report.file.save(f"rapport-avancement-{period.file_label}.pdf", ContentFile(data), save=False)
    ReportPdf.objects.filter(pk=report_id).update(
        state=ReportPdfState.READY,
        file=report.file.name,
        file_size=len(data),
        built_at=timezone.now(),
    )
    _forget_older(report)
    return True


def _forget_older(report):
    """Delete the rows (and files) of the same period made from older content: a newer
    PDF of it exists. Those still waiting or being built are left to their worker."""
    older = (
        ReportPdf.objects.of_period(report.starts_on, report.ends_on)
        .filter(requested_at__lt=report.requested_at)
        .exclude(state__in=[ReportPdfState.WAITING, ReportPdfState.BUILDING])
    )
    for row in older:
        if row.file:
            row.file.delete(save=False)
        row.delete()


@task()
def build_report_pdf(report_id: int):
    """The worker's task: build one report's PDF (nothing if another worker has it)."""
    return {"built": build(report_id)}
