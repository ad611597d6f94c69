"""The public side: the declaration, its grid as files, and « Signaler un problème
d'accessibilité »."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from accessibilite import exports, services
from accessibilite.declaration import (
    current_statement,
    derogated_documents,
    documents_without_accessible_version,
    failing_results,
    plans_in_force,
)
from accessibilite.forms import ReportForm
from accessibilite.models import Audit
from core.public_posts import rejected_response, rejection, typed_form
from core.rendering import render_page

REPORT_TEMPLATE = "accessibilite/report.html"


@require_safe
def declaration(request):
    today = timezone.localdate()
    statement = current_statement(today)
    audit = statement.audit
    schema, plan = plans_in_force(today)
    burden_documents, exempt_documents = derogated_documents()
    context = {
        "statement": statement,
        "audit": audit,
        "schema": schema,
        "plan": plan,
        "documents": documents_without_accessible_version(),
        "burden_documents": burden_documents,
        "exempt_documents": exempt_documents,
    }
    if audit is not None:
        context.update(
            failing=failing_results(audit),
            pages=audit.pages.all(),
            environments=audit.environments.all(),
        )
    return render(request, "accessibilite/declaration.html", context)


def _published_grid():
    audit = Audit.objects.current()
    if audit is None:
        raise Http404("Aucun audit publié.")
    return exports.Grid(audit)


def _filename(grid, extension):
    return f"audit-rgaa-{grid.audit.audited_on:%Y-%m-%d}.{extension}"


@require_safe
def grid_csv(request):
    grid = _published_grid()
    return exports.csv_response(grid, _filename(grid, "csv"))


@require_safe
def grid_schema(request):
    return exports.schema_response(_published_grid())


@require_safe
def grid_json(request):
    grid = _published_grid()
    return exports.json_response(grid, _filename(grid, "json"))


@require_http_methods(["GET", "HEAD", "POST"])
def report(request):
    """The form; htmx posts get back the form with its errors, or the thanks."""
    if request.method != "POST":
        form = ReportForm(initial={"page": request.GET.get("page", "")[:500]})
        return render_page(request, REPORT_TEMPLATE, {"form": form})
    refused = rejection(request, "signaler")
    if refused:
        # Nothing is validated, nothing the person typed is lost.
        response = render_page(
            request,
            REPORT_TEMPLATE,
            {"form": typed_form(ReportForm, request.POST), "rejection": refused},
            "report_region",
            status=refused["status"],
        )
        return rejected_response(response, refused)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return render_page(request, REPORT_TEMPLATE, {"form": form}, "report_region")
    data = form.cleaned_data
    services.submit_report(
        name=data["name"], email=data["email"], page=data["page"], message=data["message"]
    )
    if request.htmx:
        return render_page(request, REPORT_TEMPLATE, {"report_done": True}, "report_region")
    return redirect(reverse("accessibilite:report_done"))


@require_safe
def report_done(request):
    return render(request, "accessibilite/report_done.html")
