"""Site-wide pages: home, legal pages, search, open data, robots.txt, errors."""

import functools
import hashlib
import json
from functools import partial
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import SuspiciousOperation
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    HttpResponseServerError,
    QueryDict,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from chantiers.models import Action, Chantier, Meeting, Phase, PointEtape, ProgressSummary
from core import catalogue, export, seo
from core import search as site_search
from core.cache import request_content_version
from core.pagination import page_number
from core.rendering import render_page
from diagnostic.models import Document

HOME_MEETINGS = 3
# The démarche has five chantiers; however many there come to be, the home page shows the
# first ones and links to the list of all of them.
HOME_CHANTIERS = 12
HOME_POINTS = 3
HOME_DOCUMENTS = 3


@require_safe
def home(request):
    today = timezone.localdate()
    context = {
        # Read once, and only when the fragment that shows them is not in the cache.
        "chantiers": functools.cache(partial(_home_chantiers, today)),
        "today": today,
        "latest_points": PointEtape.objects.with_related().newest_first()[:HOME_POINTS],
        "latest_documents": Document.objects.public().with_related().in_order()[:HOME_DOCUMENTS],
        "next_meetings": (
            Meeting.objects.upcoming().not_cancelled().select_related("chantier")[:HOME_MEETINGS]
        ),
        "phases": Phase.objects.all(),
    }
    return render(request, "petr_portal/home.html", context)


def _home_chantiers(today):
    """The first chantiers, each with the summary of its actions."""
    chantiers = list(Chantier.objects.in_order()[:HOME_CHANTIERS])
    summaries = Action.objects.filter(chantier__in=chantiers).summaries(today)
    for chantier in chantiers:
        chantier.progress = summaries.get(chantier.pk) or ProgressSummary()
    return chantiers


@require_safe
def legal_notice(request):
    return render(request, "petr_portal/legal_notice.html")


@require_safe
def privacy(request):
    return render(
        request,
        "petr_portal/privacy.html",
        {
            "retention_months": settings.PERSONAL_DATA_RETENTION_MONTHS,
            "rate_window_minutes": max(1, settings.PORTAL_FORM_RATE_WINDOW_SECONDS // 60),
            "login_cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            "login_failure_limit": settings.AXES_FAILURE_LIMIT,
            "follow_confirm_days": settings.PORTAL_FOLLOW_CONFIRM_DAYS,
            "outbox_retention_days": settings.PORTAL_OUTBOX_RETENTION_DAYS,
            "reminder_hours": settings.PORTAL_REMINDER_HOURS,
        },
    )


# Ids of the search boxes (header and page): typing in them replaces the address in the
# history rather than adding one entry per pause.
SEARCH_INPUTS = {"site-search-q", "recherche-q"}


def search_url(query="", kind=None, page=1):
    params = [("q", query)] if query else []
    if kind:
        params.append(("type", kind.key))
    if page > 1:
        params.append(("page", page))
    return reverse("search") + (f"?{urlencode(params)}" if params else "")


def _search_title(results):
    site = settings.PORTAL["SITE_NAME"]
    if not results.query:
        return f"Rechercher sur le site – {site}"
    title = f"Recherche «\u00a0{results.query}\u00a0»"
    if results.kind:
        title += f" – {results.kind.label}"
    if results.page_number > 1:
        title += f" (page {results.page_number})"
    if results.searched:
        count = results.total
        title += f" – {count} résultat{'s' if count > 1 else ''}" if count else " – aucun résultat"
    return f"{title} – {site}"


def _search_announcement(results):
    """What the live region reads out after each swap: as the count above the results, the
    type and the page included, so that a change of either is read out (a live region
    whose text stays the same is not read again)."""
    if not results.query:
        return ""
    if not results.searched:
        return "Saisissez au moins deux lettres ou chiffres."
    count = results.total
    found = f"{count} résultat{'s' if count > 1 else ''}" if count else "Aucun résultat"
    if results.kind:
        found += f" parmi les {results.kind.many}"
    found += f" pour «\u00a0{results.query}\u00a0»"
    if results.kind and results.num_pages > 1:
        found += f", page {results.page_number} sur {results.num_pages}"
    return f"{found}."


@require_safe
def search(request):
    """The search page; htmx asks for the results (box of the page) or the whole content
    of <main> (box of the header, from any page)."""
    kind = request.GET.get("type") or None
    if kind and site_search.get_kind(kind) is None:
        kind = None
    results, key, seconds = _search_results(request, kind)
    context = {
        "results": results,
        # The hits' HTML is kept as long as the results are (petr_portal/search.html).
        "results_key": key,
        "results_seconds": seconds,
        "query": results.query,
        "kind": results.kind,
        "kinds": site_search.kinds(),
        "page_title": _search_title(results),
        "announcement": _search_announcement(results),
        "all_results_url": search_url(results.query),
        "previous_url": search_url(results.query, results.kind, results.page_number - 1),
        "next_url": search_url(results.query, results.kind, results.page_number + 1),
    }
    # The header's box swaps the whole of <main>, the page's own box only the results.
    fragment = "main_fragment" if request.htmx.target == "contenu" else "results_fragment"
    response = render_page(
        request, "petr_portal/search.html", context, fragment, vary=("HX-Target",)
    )
    if request.htmx:
        url = search_url(results.query, results.kind, results.page_number)
        on_search_page = urlsplit(request.htmx.current_url or "").path == reverse("search")
        typing = request.htmx.trigger in SEARCH_INPUTS
        response["HX-Replace-Url" if on_search_page and typing else "HX-Push-Url"] = url
    return response


def _search_results(request, kind):
    """(results, the key they are kept under, for how long): shared by every visitor who
    is not signed in, kept in the cache under the content version, the query as searched,
    the type and the page; what a signed-in person finds depends on their rights and is
    never kept."""
    query = request.GET.get("q", "")
    page = page_number(request.GET.get("page"))
    run = partial(site_search.search, query, request.user, kind=kind, page=page)
    seconds = settings.PORTAL_FRAGMENT_CACHE_SECONDS
    if request.user.is_authenticated or not seconds:
        return run(), "", 0
    searched = hashlib.sha256(site_search.normalised_query(query).encode()).hexdigest()
    key = f"portal:search:{request_content_version(request)}:{searched}:{kind or ''}:{page}"
    # Beside the fragments, in a cache whose failures read as a miss.
    return caches["template_fragments"].get_or_set(key, run, seconds), key, seconds


@require_safe
def open_data(request):
    context = {
        "datasets": export.catalogue(),
        "licence": settings.OPEN_DATA_LICENCE,
    }
    return render(request, "petr_portal/open_data.html", context)


@require_safe
def open_data_export(request, name, fmt):
    """One dataset as CSV or JSON, streamed: memory stays flat whatever the number of rows."""
    dataset = export.get_dataset(name)
    if dataset is None or fmt not in export.FORMATS:
        raise Http404("Ce jeu de données n'existe pas dans ce format.")
    return export.export_response(dataset, fmt, base_url=seo.site_url(request))


def _publication(request, entries):
    portal = settings.PORTAL
    titles = ", ".join(
        entry["dataset"].title[0].lower() + entry["dataset"].title[1:] for entry in entries
    )
    return catalogue.Publication(
        name=slugify(portal["SITE_NAME"]),
        title=f"Données ouvertes – {portal['SITE_NAME']}",
        description=f"Ce que le portail du projet de territoire publie sur la démarche : {titles}.",
        publisher=portal["BODY_NAME"],
        publisher_id=portal["SIREN"].replace(" ", ""),
        licence=settings.OPEN_DATA_LICENCE,
        page_url=seo.absolute_url(request, reverse("open_data")),
    )


def _machine_readable(data, content_type):
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", content_type=content_type
    )
    return export.open_data_headers(response)


@require_safe
def open_data_package(request):
    """The open data as a Frictionless Data Package: a Table Schema per CSV file."""
    entries = export.catalogue()
    package = catalogue.data_package(
        _publication(request, entries), entries, generated_at=timezone.now()
    )
    return _machine_readable(package, "application/json; charset=utf-8")


@require_safe
def open_data_catalogue(request):
    """The open data as a DCAT catalogue in JSON-LD, for data.gouv.fr's harvester."""
    entries = export.catalogue()
    base_url = seo.site_url(request)
    document = catalogue.dcat_catalogue(
        _publication(request, entries),
        entries,
        catalogue_url=base_url + reverse("open_data_catalogue"),
        file_url=lambda dataset, fmt: (
            base_url + reverse("open_data_export", args=[dataset.key, fmt])
        ),
    )
    return _machine_readable(document, "application/ld+json; charset=utf-8")


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for on pages that name no icon (the admin's)."""
    return HttpResponseRedirect(static("img/favicon.svg"))


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /compte/",
        # Result pages of the site search: endless and thin; the pages they list are in
        # the sitemap.
        "Disallow: /recherche/",
        "",
        f"Sitemap: {seo.absolute_url(request, reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def bad_request(request, exception):
    # Without the request: what made it unreadable (a host, a malformed query) must not
    # break the error page too.
    template = loader.get_template("400.html")
    return HttpResponseBadRequest(template.render({"portal": settings.PORTAL}))


def csrf_failure(request, reason=""):
    """A form sent without its CSRF token (or an expired one): a French page, and nothing
    saved. The page hands out a fresh token, so the visitor can go back and send again."""
    _forget_unreadable_query(request)
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception):
    _forget_unreadable_query(request)
    return render(request, "404.html", status=404)


def _forget_unreadable_query(request):
    # The layout reads the query (search box, canonical link): a query Django refuses to
    # parse (too many fields) must not turn the error page into a 500.
    try:
        request.GET  # noqa: B018
    except SuspiciousOperation:
        request.GET = QueryDict()


def server_error(request):
    # The 500 page is rendered without context processors or database access:
    # whatever broke must not break the error page too.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"portal": settings.PORTAL}))
