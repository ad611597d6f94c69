"""A report of a period pinned as a document (« Rapport d'activité 2026 »): its PDF is
written once, now, and kept as the document's file; the live report goes on following
the data, the document stays as it was presented."""

from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from core.text import french_date
from diagnostic.models import Document, DocumentKind, PinnedReport, Visibility
from diagnostic.report import builds, pdf
from diagnostic.report.period import Period
from diagnostic.report.sections import build_report
from diagnostic.services import save_document


def report_pdf_bytes(period):
    """The PDF of the period as the content stands: the worker's file when it has built
    it for the current version already, else written now (a few seconds)."""
    ready = builds.find_pdf(period)
    if ready is not None and ready.is_ready:
        with ready.file.open("rb") as stored:
            return stored.read()
    return pdf.render_pdf({"report": build_report(period), "period": period})


def unique_document_slug(title):
    """« rapport-d-activite-2025 », numbered (-2, -3...) when taken: « d'activité » gives
    « d-activite », as the meetings' addresses do."""
    words = title.replace("'", " ").replace("\u2019", " ")
    base = slugify(words)[:180] or "rapport-d-activite"
    taken = set(Document.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def pin_report(
    *, pinned: PinnedReport, title: str, period: Period, published_on: date | None = None
) -> PinnedReport:
    """Fill in and save `pinned` (the admin's new row) with a new public document holding
    the report's PDF as it is today."""
    data = report_pdf_bytes(period)
    today = timezone.localdate()
    with transaction.atomic():
        document = Document(
            title=title,
            slug=unique_document_slug(title),
            kind=DocumentKind.ACTIVITY_REPORT,
            summary=f"Le rapport d'avancement {period.label}, tel qu'établi le "
            f"{french_date(today, weekday=False)}.",
            published_on=published_on or today,
            visibility=Visibility.PUBLIC,
        )
        document.file = ContentFile(data, name=f"{document.slug}.pdf")
        save_document(document=document)
        pinned.document = document
        pinned.starts_on, pinned.ends_on = period.starts_on, period.ends_on
        pinned.save()
    return pinned
