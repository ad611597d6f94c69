"""The agenda of Sessions and Intersessions, a meeting's page, their calendars."""

import functools
import json
from functools import cached_property
from typing import NamedTuple

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from chantiers import ical, structured_data
from chantiers.forms import (
    PAST,
    UPCOMING,
    AgendaFilterForm,
    RegistrationForm,
)
from chantiers.models import Chantier, Meeting
from chantiers.models.meeting_queries import LISTED_CHANTIERS
from chantiers.views.chantiers import chantier_page_with_registration
from core import seo
from core.cache import public_page_cache
from core.export import open_data_headers
from core.rendering import render_page

AGENDA_PAGE_SIZE = 20


class UpcomingThenPast:
    """Upcoming meetings (soonest first), then past ones (latest first), as one sequence.

    Paginator slices it; each slice costs at most one query per part, whatever the
    number of meetings. Both parts are counted by one query.
    """

    def __init__(self, meetings, now, period=""):
        self.meetings, self.now = meetings, now
        self.upcoming = meetings.none() if period == PAST else meetings.upcoming(now)
        self.past = meetings.none() if period == UPCOMING else meetings.past(now)
        self.both = period not in (PAST, UPCOMING)

    @cached_property
    def _counts(self):
        if not self.both:
            return self.upcoming.count(), self.past.count()  # one is none(): no query
        counts = self.meetings.aggregate(
            upcoming=Count("pk", filter=Q(ends_at__gte=self.now)),
            past=Count("pk", filter=Q(ends_at__lt=self.now)),
        )
        return counts["upcoming"], counts["past"]

    @property
    def upcoming_count(self):
        return self._counts[0]

    @property
    def past_count(self):
        return self._counts[1]

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
            items += self.upcoming[start : min(stop, split)]
        if stop > split:
            items += self.past[max(start - split, 0) : stop - split]
        return items


class ChantierChoice(NamedTuple):
    """What the agenda's filter shows and keeps of a chantier: tuples rather than model
    instances, of which the form of the agenda read every chantier (200 at scale)."""

    pk: int
    slug: str
    display_title: str
    has_demo_name: bool


@require_safe
@public_page_cache(query_params=("type", "chantier", "periode", "page"))
def agenda(request):
    """Every meeting, upcoming first; htmx asks for the results fragment only."""
    now = timezone.now()
    chantiers = [
        ChantierChoice(pk, slug, demo_title or title, bool(demo_title))
        for pk, slug, title, demo_title in Chantier.objects.in_order().values_list(
            "pk", "slug", "title", "demo_title"
        )
    ]
    # From the year of the first meeting to the year of the last: two reads of the dates'
    # index, where listing the distinct years read every meeting (20 ms at 20,000).
    bounds = Meeting.objects.aggregate(first=Min("starts_at"), last=Max("starts_at"))
    years = (
        range(
            timezone.localtime(bounds["last"]).year,
            timezone.localtime(bounds["first"]).year - 1,
            -1,
        )
        if bounds["first"]
        else []
    )
    form = AgendaFilterForm(request.GET, chantiers=chantiers, years=years)
    filters = form.filters()
    meetings = Meeting.objects.select_related("chantier")
    if filters["kind"]:
        meetings = meetings.filter(kind=filters["kind"])
    if filters["chantier"]:
        meetings = meetings.for_chantier(filters["chantier"].pk)
    if filters["year"]:
        meetings = meetings.in_year(filters["year"])
    sequence = UpcomingThenPast(meetings, now, filters["period"])
    page = Paginator(sequence, AGENDA_PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    # The sessions' chantiers are prefetched once for the page, not once per part.
    prefetch_related_objects(items, LISTED_CHANTIERS)
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
    return render_page(request, "chantiers/agenda.html", context, "results_fragment", push_url=True)


@require_safe
@public_page_cache
def agenda_ics(request):
    return ical.feed_response(
        Meeting.objects.with_listed_chantiers(),
        request,
        name="Projet de territoire – agenda",
        filename="agenda.ics",
    )


@require_safe
@public_page_cache
def agenda_json(request):
    """The agenda as schema.org Events in JSON(-LD), for other agendas to import: the
    meetings of the last year and those to come, as the calendar feed holds them."""
    meetings = list(
        ical.feed_window(
            Meeting.objects.select_related("chantier", "rescheduled_to")
            .with_seats_taken()
            .with_replaced()
        )
    )
    document = structured_data.agenda_feed(
        meetings,
        lambda path: seo.absolute_url(request, path),
        seo.site_url(request),
        agenda_url=seo.absolute_url(request, reverse("chantiers:agenda")),
        licence_url=settings.OPEN_DATA_LICENCE["url"],
    )
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1) + "\n",
        content_type="application/json; charset=utf-8",
    )
    return open_data_headers(response)


# The hidden field of « Je participe » on a chantier page: where a refused post goes back to.
RETURN_FIELD = "depuis"


def _returns_to_chantier(request, meeting):
    """Whether the registration was sent from the meeting's chantier page, the only other
    page that shows its box: then, without JavaScript, that page shows the answer."""
    if request.htmx or request.method != "POST" or meeting.chantier is None:
        return False
    return request.POST.get(RETURN_FIELD) == meeting.chantier.get_absolute_url()


def meeting_page(request, meeting, form=None, status=200, **extra):
    """The meeting page, or only its registration box for htmx (« Je participe »); a post
    from the chantier page without JavaScript gets the chantier page back."""
    if _returns_to_chantier(request, meeting):
        context = {
            "registration_state": meeting.registration_state(),
            "registration_form": form or RegistrationForm(meeting=meeting),
            **extra,
        }
        return chantier_page_with_registration(request, meeting, context, status)
    if not request.htmx:
        extra = {**_meeting_page_content(meeting), **extra}
        extra.setdefault(
            "json_ld",
            structured_data.meeting_page_data(
                meeting, lambda path: seo.absolute_url(request, path), seo.site_url(request)
            ),
        )
    context = {
        "meeting": meeting,
        "registration_state": meeting.registration_state(),
        "registration_form": form or RegistrationForm(meeting=meeting),
        **extra,
    }
    return render_page(
        request, "chantiers/meeting_detail.html", context, "registration", status=status
    )


def _meeting_page_content(meeting):
    """What the whole page shows besides the box: the Session's chantiers, the
    attachments, the actions decided or discussed there and the points d'étape it gave.
    The last three are read only when the fragment showing them is not in the cache."""
    if meeting.chantier_id is None:
        meeting.listed_chantiers = list(meeting.chantiers.in_order().as_links())
    return {
        "attachments": meeting.attachments.all(),
        "actions": functools.cache(meeting.actions.select_related("chantier").listed),
        "points": meeting.points_etape.select_related("action__chantier").newest_first(),
    }


def meeting_with_seats(slug):
    """The meeting, its chantier, its new date, its seats taken and the one it replaces."""
    return get_object_or_404(
        Meeting.objects.select_related("chantier", "rescheduled_to")
        .with_seats_taken()
        .with_replaced(),
        slug=slug,
    )


@require_safe
@public_page_cache
def meeting_detail(request, slug):
    return meeting_page(request, meeting_with_seats(slug))


@require_safe
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
