"""Public pages of the démarche: chantiers, team, agenda and their calendars."""

from functools import cached_property
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from chantiers import ical
from chantiers.forms import PAST, UPCOMING, AgendaFilterForm, ChantierFilterForm
from chantiers.models import (
    ActorKind,
    Chantier,
    Meeting,
    Partner,
    PartnerKind,
    TeamMember,
)
from petr_portal.cache import public_page_cache

PAST_PAGE_SIZE = 5
UPCOMING_LIMIT = 10
AGENDA_PAGE_SIZE = 20
MAX_PAGE = 10_000


def _render(request, template, context, fragment=None, push_url=False):
    """The whole page, or only its fragment for htmx; caches keep the two apart.

    push_url: the URL htmx pushes to the history loses the empty fields of the form
    (« ?type=&chantier=x » becomes « ?chantier=x »), so that shared links stay short.
    """
    name = f"{template}#{fragment}" if fragment and request.htmx else template
    response = render(request, name, context)
    patch_vary_headers(response, ["HX-Request"])
    if push_url and request.htmx:
        query = urlencode([(key, value) for key, value in request.GET.items() if value])
        response["HX-Push-Url"] = request.path + (f"?{query}" if query else "")
    return response


def _page_number(value):
    """A page number from the query string: anything odd means the first page."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


@require_GET
@public_page_cache(query_params=("etat",))
def chantier_list(request):
    """The chantiers as cards; htmx asks for the results fragment only."""
    form = ChantierFilterForm(request.GET)
    status = form.filters()["status"]
    chantiers = Chantier.objects.in_order()
    if status:
        chantiers = chantiers.with_status(status)
    context = {
        "form": form,
        "chantiers": chantiers.as_cards(),
        "status": status,
        "ignored_filters": bool(form.errors),
    }
    return _render(
        request, "chantiers/chantier_list.html", context, "results_fragment", push_url=True
    )


def _grouped(rows, kinds, kind_of):
    """(label, rows) pairs in the order the kinds are declared, empty groups left out."""
    groups = {kind: [] for kind in kinds.values}
    for row in rows:
        groups.setdefault(kind_of(row), []).append(row)
    labels = dict(kinds.choices)
    return [(labels.get(kind, kind), members) for kind, members in groups.items() if members]


@require_GET
@public_page_cache(query_params=("passees",))
def chantier_detail(request, slug):
    """A chantier; htmx asks for the next page of its past meetings (« voir plus »)."""
    chantier = get_object_or_404(Chantier, slug=slug)
    now = timezone.now()
    meetings = Meeting.objects.for_chantier(chantier).select_related("chantier")
    page = _page_number(request.GET.get("passees"))
    if request.htmx and "passees" in request.GET:
        start = (page - 1) * PAST_PAGE_SIZE
        past = list(meetings.past(now)[start : page * PAST_PAGE_SIZE + 1])
    else:
        # Without JavaScript, « voir plus » reloads the page with every page so far.
        start = 0
        past = list(meetings.past(now)[: page * PAST_PAGE_SIZE + 1])
    has_more_past = len(past) > page * PAST_PAGE_SIZE - start
    past = past[: page * PAST_PAGE_SIZE - start]
    context = {
        "chantier": chantier,
        "past": past,
        "past_start": start,
        "has_more_past": has_more_past,
        "next_past_page": page + 1,
        "next_past_anchor": f"passee-{page * PAST_PAGE_SIZE + 1}",
        # The first item of a « voir plus » fragment takes the focus the link had.
        "focus_first": bool(request.htmx),
    }
    if request.htmx and "passees" in request.GET:
        return _render(request, "chantiers/chantier_detail.html", context, "past_items")
    upcoming = list(meetings.upcoming(now)[: UPCOMING_LIMIT + 1])
    memberships = chantier.memberships.select_related("actor").order_by("actor__name")
    context.update(
        {
            "upcoming": upcoming[:UPCOMING_LIMIT],
            "more_upcoming": len(upcoming) > UPCOMING_LIMIT,
            "member_groups": _grouped(memberships, ActorKind, lambda m: m.actor.kind),
            "coordinators": list(chantier.coordinators.order_by("order", "name")),
        }
    )
    return _render(request, "chantiers/chantier_detail.html", context)


@require_GET
@public_page_cache
def chantier_ics(request, slug):
    chantier = get_object_or_404(Chantier, slug=slug)
    meetings = Meeting.objects.for_chantier(chantier).with_related().order_by("starts_at")
    return ical.calendar_response(
        meetings,
        request,
        name=f"{chantier.display_title} – projet de territoire",
        filename=f"{chantier.slug}.ics",
    )


@require_GET
@public_page_cache
def team(request):
    now = timezone.now()
    members = TeamMember.objects.prefetch_related(
        Prefetch("coordinated_chantiers", queryset=Chantier.objects.in_order())
    )
    sessions = Meeting.objects.sessions()
    context = {
        "members": members,
        "ecosystems": Chantier.objects.in_order().with_actor_count(),
        "upcoming_sessions": list(sessions.upcoming(now).not_cancelled()[:3]),
        "past_sessions": list(sessions.past(now)[:5]),
        "partner_groups": _grouped(Partner.objects.all(), PartnerKind, lambda p: p.kind),
    }
    return render(request, "chantiers/team.html", context)


class UpcomingThenPast:
    """Upcoming meetings (soonest first), then past ones (latest first), as one sequence.

    Paginator slices it; each slice costs at most one query per part, whatever the
    number of meetings.
    """

    def __init__(self, upcoming, past):
        self.upcoming, self.past = upcoming, past

    @cached_property
    def upcoming_count(self):
        return self.upcoming.count()

    @cached_property
    def past_count(self):
        return self.past.count()

    def count(self):
        return self.upcoming_count + self.past_count

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            raise TypeError("UpcomingThenPast only supports slices")
        start, stop = key.start or 0, key.stop if key.stop is not None else len(self)
        split = self.upcoming_count
        items = []
        if start < split:
            items += list(self.upcoming[start : min(stop, split)])
        if stop > split:
            items += list(self.past[max(start - split, 0) : stop - split])
        return items


@require_GET
@public_page_cache(query_params=("type", "chantier", "periode", "page"))
def agenda(request):
    """Every meeting, upcoming first; htmx asks for the results fragment only."""
    now = timezone.now()
    chantiers = list(Chantier.objects.in_order())
    years = sorted({d.year for d in Meeting.objects.datetimes("starts_at", "year")}, reverse=True)
    form = AgendaFilterForm(request.GET, chantiers=chantiers, years=years)
    filters = form.filters()
    meetings = Meeting.objects.with_related()
    if filters["kind"]:
        meetings = meetings.filter(kind=filters["kind"])
    if filters["chantier"]:
        meetings = meetings.for_chantier(filters["chantier"])
    if filters["year"]:
        meetings = meetings.in_year(filters["year"])
    upcoming = meetings.none() if filters["period"] == PAST else meetings.upcoming(now)
    past = meetings.none() if filters["period"] == UPCOMING else meetings.past(now)
    sequence = UpcomingThenPast(upcoming, past)
    page = Paginator(sequence, AGENDA_PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "page_upcoming": [m for m in items if m.ends_at >= now],
        "page_past": [m for m in items if m.ends_at < now],
        "upcoming_count": sequence.upcoming_count,
        "past_count": sequence.past_count,
        "total": sequence.count(),
        "ignored_filters": bool(form.errors),
        "is_filtered": any(form.cleaned_data.get(name) for name in ("type", "chantier", "periode")),
    }
    return _render(request, "chantiers/agenda.html", context, "results_fragment", push_url=True)


@require_GET
@public_page_cache
def agenda_ics(request):
    meetings = Meeting.objects.with_related().order_by("starts_at")
    return ical.calendar_response(
        meetings, request, name="Projet de territoire – agenda", filename="agenda.ics"
    )


@require_GET
@public_page_cache
def meeting_detail(request, slug):
    meeting = get_object_or_404(
        Meeting.objects.with_related().prefetch_related("attachments"), slug=slug
    )
    return render(request, "chantiers/meeting_detail.html", {"meeting": meeting})


@require_GET
@public_page_cache
def meeting_ics(request, slug):
    meeting = get_object_or_404(Meeting.objects.with_related(), slug=slug)
    return ical.calendar_response(
        [meeting],
        request,
        name=meeting.title,
        filename=f"{meeting.slug}.ics",
        attachment=True,
    )
