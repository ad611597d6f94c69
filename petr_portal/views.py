"""Site-wide pages: home, legal pages, errors."""

from datetime import date

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_GET

from chantiers.models import Chantier, Meeting, Phase

HOME_MEETINGS = 3


@require_GET
def home(request):
    context = {
        "chantiers": Chantier.objects.in_order(),
        "next_meetings": list(
            Meeting.objects.upcoming().not_cancelled().select_related("chantier")[:HOME_MEETINGS]
        ),
        "phases": Phase.objects.all(),
    }
    return render(request, "petr_portal/home.html", context)


@require_GET
def legal_notice(request):
    return render(request, "petr_portal/legal_notice.html")


@require_GET
def accessibility(request):
    declared = date.fromisoformat(settings.PORTAL["ACCESSIBILITY_DECLARATION_DATE"])
    return render(request, "petr_portal/accessibility.html", {"declaration_date": declared})


@require_GET
def privacy(request):
    return render(
        request,
        "petr_portal/privacy.html",
        {"retention_months": settings.PERSONAL_DATA_RETENTION_MONTHS},
    )


def bad_request(request, exception):
    # Without the request: what made it unreadable (a host, a malformed query) must not
    # break the error page too.
    template = loader.get_template("400.html")
    return HttpResponseBadRequest(template.render({"portal": settings.PORTAL}))


def csrf_failure(request, reason=""):
    """A form sent without its CSRF token (or an expired one): a French page, and nothing
    saved. The page hands out a fresh token, so the visitor can go back and send again."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # The 500 page is rendered without context processors or database access:
    # whatever broke must not break the error page too.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"portal": settings.PORTAL}))
