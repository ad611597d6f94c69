"""Site-wide pages: home, legal pages, errors."""

from datetime import date

from django.conf import settings
from django.http import HttpResponseServerError
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
        {
            "retention_months": settings.PERSONAL_DATA_RETENTION_MONTHS,
            "rate_window_minutes": max(1, settings.PORTAL_FORM_RATE_WINDOW_SECONDS // 60),
        },
    )


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # The 500 page is rendered without context processors or database access:
    # whatever broke must not break the error page too.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"portal": settings.PORTAL}))
