"""/avancement/rapport/: the report of a period as a page, and its PDF (rapport.pdf)."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import seo
from core.cache import public_page_cache
from core.downloads import protected_file_response
from core.rendering import render_page
from diagnostic.forms import ReportPeriodForm
from diagnostic.models import PinnedReport
from diagnostic.report import builds, pdf
from diagnostic.report.period import calendar_year, last_twelve_months, since
from diagnostic.report.sections import build_report

PDF_PAGE = "diagnostic/progress_report_pdf.html"


def _asked(request):
    return "du" in request.GET or "au" in request.GET


def shortcuts(today, period=None):
    """The periods offered in one click: (label, period, is the one shown)."""
    offered = [
        ("Les douze derniers mois", last_twelve_months(today)),
        (f"L'année {today.year - 1}", calendar_year(today.year - 1)),
    ]
    pinned = PinnedReport.objects.select_related("document").first()
    if pinned and (after := since(pinned.ends_on, today)):
        offered.append((f"Depuis le dernier rapport figé («\u00a0{pinned}\u00a0»)", after))
    return [(label, shown, shown == period) for label, shown in offered]


def pdf_url(period):
    return f"{reverse('diagnostic:progress_report_pdf')}?{period.query}"


@require_safe
@public_page_cache(query_params=("du", "au"))
def progress_report(request):
    """The rapport d'avancement of a period: the last twelve months unless asked."""
    today = timezone.localdate()
    if _asked(request):
        form = ReportPeriodForm(request.GET)
        period = form.period() if form.is_valid() else None
    else:
        period = last_twelve_months(today)
        form = ReportPeriodForm(initial={"du": period.starts_on, "au": period.ends_on})
    context = {
        "form": form,
        "period": period,
        "report": build_report(period, today=today) if period else None,
        "shortcuts": shortcuts(today, period),
        "pdf_url": pdf_url(period) if period else "",
        "pdf_unavailable": pdf.unavailable_reason(),
        "site_url": seo.site_url(request),
    }
    return render(request, "diagnostic/progress_report.html", context)


@require_safe
@never_cache
def progress_report_pdf(request):
    """The report's PDF once the worker has built it; meanwhile a page that says it is
    being prepared, whose state htmx asks for again every two seconds (a plain link
    does the same without JavaScript)."""
    if not _asked(request):
        return redirect(pdf_url(last_twelve_months(timezone.localdate())))
    form = ReportPeriodForm(request.GET)
    if not form.is_valid():
        return render(request, PDF_PAGE, {"form": form}, status=400)
    period = form.period()
    context = {
        "period": period,
        "pdf_url": pdf_url(period),
        "report_url": f"{reverse('diagnostic:progress_report')}?{period.query}",
        "pdf_unavailable": pdf.unavailable_reason(),
    }
    if context["pdf_unavailable"]:
        return render(request, PDF_PAGE, context, status=503)
    # A HEAD (a link checker) asks for nothing to be built.
    report = builds.request_pdf(period) if request.method == "GET" else builds.find_pdf(period)
    if report is not None and report.is_ready and not request.htmx:
        return protected_file_response(
            report.file, f"Rapport d'avancement {period.file_label}.pdf", "application/pdf"
        )
    context["pdf"] = report
    ready = report is not None and report.is_ready
    return render_page(request, PDF_PAGE, context, "state", status=200 if ready else 202)
