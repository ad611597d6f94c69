"""Documents and downloads, the diagnostic page, the Bonheur Local Brut page, CSV exports."""

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from core import export, seo
from core.cache import public_page_cache
from core.downloads import protected_file_response
from core.rendering import render_page
from diagnostic import charts
from diagnostic.forms import DocumentFilterForm
from diagnostic.models import (
    NATIONAL_REFERENCE,
    NATIONAL_REFERENCE_SOURCE,
    Axis,
    Document,
    DocumentKind,
    GlossaryEntry,
    Indicator,
    RevenueBase,
    RevenueDiagnostic,
    may_see_reserved,
)

DOCUMENTS_PER_PAGE = 20


@require_safe
@public_page_cache(query_params=("type", "chantier", "page"))
def document_list(request):
    """The documents this person may see, filtered by kind and chantier (htmx or plain GET)."""
    form = DocumentFilterForm(request.GET or None)
    documents = form.filter(Document.objects.visible_to(request.user).with_related().in_order())
    page = Paginator(documents, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "documents": page.object_list,
        "filter_query": query.urlencode(),
        "may_see_reserved": may_see_reserved(request.user),
        "filtered": bool(form.is_bound and any(form.cleaned_data.values())),
    }
    return render_page(request, "diagnostic/document_list.html", context, "results")


def _refusal(request, document):
    """The answer to someone who may not download this reserved document, or None."""
    if document.is_reserved and not may_see_reserved(request.user):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return render(
            request, "diagnostic/document_forbidden.html", {"document": document}, status=403
        )
    return None


def _file_response(field_file, filename, content_type):
    try:
        # X-Accel-Redirect to nginx when the setting says so, a signed URL on object
        # storage, streamed by Django otherwise; always an attachment, with nosniff.
        response = protected_file_response(field_file, filename, content_type)
    except OSError as exc:
        raise Http404("Le fichier de ce document est introuvable.") from exc
    # Who asks decides (reserved documents, staff downloads not counted), for HEAD too,
    # which reads no session.
    patch_vary_headers(response, ["Cookie"])
    return response


@require_safe
def document_download(request, slug):
    document = get_object_or_404(Document, slug=slug)
    if refusal := _refusal(request, document):
        return refusal
    if not document.file:
        return render(
            request, "diagnostic/document_unavailable.html", {"document": document}, status=404
        )
    response = _file_response(document.file, document.download_filename, document.content_type)
    if request.method == "GET":
        # A HEAD (a link checker) downloads nothing.
        document.count_download(request.user)
    return response


@require_safe
def accessible_version_download(request, slug):
    """The accessible version's file, under the same access rules as the document."""
    document = get_object_or_404(Document.objects.exclude(accessible_file=""), slug=slug)
    if refusal := _refusal(request, document):
        return refusal
    return _file_response(
        document.accessible_file,
        document.accessible_download_filename,
        document.accessible_content_type,
    )


@require_safe
@public_page_cache(query_params=("annee",))
def diagnostic(request):
    diagnostics = list(RevenueDiagnostic.objects.with_figures().in_order())
    chosen = diagnostics[0] if diagnostics else None
    year = request.GET.get("annee")
    if year and diagnostics:
        chosen = next((d for d in diagnostics if str(d.year) == year), chosen)
    context = {
        "diagnostic": chosen,
        "other_years": [d for d in diagnostics if d is not chosen and d.is_demo == chosen.is_demo]
        if chosen
        else [],
        "national_reference": [
            {"label": RevenueBase(base).label, "share": share}
            for base, share in NATIONAL_REFERENCE.items()
        ],
        "national_source": NATIONAL_REFERENCE_SOURCE,
        "diagnostic_documents": list(
            Document.objects.visible_to(request.user)
            .of_kind(DocumentKind.DIAGNOSTIC)
            .with_related()
            .in_order()[:3]
        ),
    }
    if chosen:
        rows = chosen.shares()
        context["rows"] = rows
        context["chart"] = charts.revenue_bars(rows)
        context["total"] = chosen.total
    return render(request, "diagnostic/diagnostic.html", context)


@require_safe
@public_page_cache
def indicators(request):
    indicator_list = list(Indicator.objects.with_values())
    by_axis = {}
    for indicator in indicator_list:
        indicator.chart = charts.sparkline(indicator.series(), indicator.unit)
        by_axis.setdefault(indicator.axis_id, []).append(indicator)
    axes = list(Axis.objects.all())
    for axis in axes:
        axis.indicator_list = by_axis.get(axis.pk, [])
    context = {
        "axes": axes,
        "compass": charts.compass(axes),
        "has_indicators": bool(indicator_list),
        "has_demo_values": any(
            value.is_demo for indicator in indicator_list for value in indicator.series()
        ),
        "glossary": list(GlossaryEntry.objects.all()),
    }
    return render(request, "diagnostic/indicators.html", context)


# The figures and values as CSV, for those who read them on the page: the open data
# exports (diagnostic/datasets.py, /donnees/), under the names these pages always used.


@require_safe
@public_page_cache
def diagnostic_csv(request):
    """Every year's amounts by base, then by sub-item: the open data « diagnostic »."""
    return export.export_response(
        export.get_dataset("diagnostic"),
        "csv",
        base_url=seo.site_url(request),
        filename="diagnostic-flux-de-revenus.csv",
    )


@require_safe
@public_page_cache
def indicators_csv(request):
    """Every indicator's values: the open data « indicateurs »."""
    return export.export_response(
        export.get_dataset("indicateurs"),
        "csv",
        base_url=seo.site_url(request),
        filename="indicateurs-bonheur-local-brut.csv",
    )
