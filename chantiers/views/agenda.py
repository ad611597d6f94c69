"""The agenda of Sessions and Intersessions, a meeting's page, their calendars."""

import json
from functools import cached_property
from typing import NamedTuple

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q
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
from chantiers.models import (
    Action,
    Chantier,
    Meeting,
    MeetingAttachment,
    PointEtape,
)
from chantiers.models.meeting_queries import attach_listed_chantiers, upcoming_bounds
from chantiers.models.progress import ranked
from chantiers.views.chantiers import chantier_page_with_registration
from core import seo
from core.cache import public_page_cache
from core.compiled import compiled_object_or_404, compiled_rows
from core.export import open_data_headers
from core.rendering import render_page

AGENDA_PAGE_SIZE = 20
COMPILED_PAGES = 5


class UpcomingThenPast:
    """Upcoming meetings (soonest first), then past ones (latest first), as one sequence.

    Paginator slices it; each slice costs at most one query per part, whatever the
    number of meetings. Both parts are counted by one query.

    `build(*values)` gives the filtered meetings; with a `key`, each slice of a part is
    compiled once per process (core.compiled), the values and the time as parameters.
    """

    def __init__(self, build, values, now, period="", key=None):
        self.build, self.values, self.now, self.key = build, values, now, key
        self.meetings = build(*values)
        self.parts = {"upcoming": period != PAST, "past": period != UPCOMING}
        self.both = period not in (PAST, UPCOMING)

    def _part(self, part, meetings, now, since=None):
        if not self.parts[part]:
            return meetings.none()
        return meetings.upcoming(now, since) if part == "upcoming" else meetings.past(now)

    def _rows(self, part, start, stop):
        # The first pages only: each shape is compiled twice once (core.compiled), and a
        # crawler walking a thousand pages would fill the shapes kept with its own.
        if self.key is None or stop > COMPILED_PAGES * AGENDA_PAGE_SIZE:
            return list(self._part(part, self.meetings, self.now)[start:stop])
        # The bound on the start is a value of the upcoming part only.
        moments = upcoming_bounds(self.now) if part == "upcoming" else (self.now,)
        return compiled_rows(
            (self.key, part, start, stop),
            lambda *given: self._part(
                part, self.build(*given[len(moments) :]), *given[: len(moments)]
            )[start:stop],
            *moments,
            *self.values,
        )

    def _totals(self, meetings, now, since=None):
        """Both parts counted, or the one shown (the other is none(), counted without a
        query), as a one-row queryset."""
        if self.both:
            return meetings.totals(**_counts(now))
        part = "upcoming" if self.parts["upcoming"] else "past"
        return self._part(part, meetings, now, since).totals(count=Count("pk"))

    @cached_property
    def _counts(self):
        if self.key is None:
            [row] = self._totals(self.meetings, self.now)
        else:
            # The bound on the start is a value of the upcoming part's count only.
            moments = (self.now,)
            if self.parts["upcoming"] and not self.both:
                moments = upcoming_bounds(self.now)
            [row] = compiled_rows(
                (self.key, "counts", self.both, self.parts["upcoming"]),
                lambda *given: self._totals(
                    self.build(*given[len(moments) :]), *given[: len(moments)]
                ),
                *moments,
                *self.values,
            )
        if self.both:
            return row
        return (row[0], 0) if self.parts["upcoming"] else (0, row[0])

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
            items += self._rows("upcoming", start, min(stop, split))
        if stop > split:
            items += self._rows("past", max(start - split, 0), stop - split)
        return items


class ChantierChoice(NamedTuple):
    """What the agenda's filter shows and keeps of a chantier: tuples rather than model
    instances, of which the form of the agenda read every chantier (200 at scale)."""

    pk: int
    slug: str
    display_title: str
    has_demo_name: bool


def _counts(now):
    return {
        "upcoming": Count("pk", filter=Q(ends_at__gte=now)),
        "past": Count("pk", filter=Q(ends_at__lt=now)),
    }


def _agenda_meetings(kind, chantier_pk):
    """The agenda's meetings of that kind and chantier (each optional: "" and 0 mean any)."""
    meetings = Meeting.objects.select_related("chantier")
    if kind:
        meetings = meetings.filter(kind=kind)
    if chantier_pk:
        meetings = meetings.for_chantier(chantier_pk)
    return meetings


def _agenda_sequence(filters, now):
    """The agenda's UpcomingThenPast for these filters, compiled once per shape (which
    filters are given), their values as parameters; not with a year, which its lookup
    turns into two dates."""
    kind, period, year = filters["kind"], filters["period"], filters["year"]
    chantier_pk = filters["chantier"].pk if filters["chantier"] else 0
    if year:
        return UpcomingThenPast(
            lambda: _agenda_meetings(kind, chantier_pk).in_year(year), (), now, period
        )

    def build(*values):
        given = iter(values)
        return _agenda_meetings(next(given) if kind else "", next(given) if chantier_pk else 0)

    values = tuple(value for value in (kind, chantier_pk) if value)
    key = ("agenda", bool(kind), bool(chantier_pk))
    return UpcomingThenPast(build, values, now, period, key=key)


@require_safe
@public_page_cache(query_params=("type", "chantier", "periode", "page"))
def agenda(request):
    """Every meeting, upcoming first; htmx asks for the results fragment only."""
    now = timezone.now()
    chantiers = [
        ChantierChoice(pk, slug, demo_title or title, bool(demo_title))
        for pk, slug, title, demo_title in compiled_rows(
            "agenda: chantiers",
            lambda: Chantier.objects.in_order().values_list("pk", "slug", "title", "demo_title"),
        )
    ]
    # From the year of the first meeting to the year of the last: two reads of the dates'
    # index, where listing the distinct years read every meeting (20 ms at 20,000).
    [(first, last)] = compiled_rows(
        "agenda: bounds",
        lambda: Meeting.objects.totals(first=Min("starts_at"), last=Max("starts_at")),
    )
    years = (
        range(timezone.localtime(last).year, timezone.localtime(first).year - 1, -1)
        if first
        else []
    )
    form = AgendaFilterForm(request.GET, chantiers=chantiers, years=years)
    filters = form.filters()
    sequence = _agenda_sequence(filters, now)
    page = Paginator(sequence, AGENDA_PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    # The sessions' chantiers are read once for the page, not once per part.
    attach_listed_chantiers(items)
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
    return ical.calendar_response(
        ical.feed_window(Meeting.objects.with_listed_chantiers()),
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

    Plain queries on the one meeting, compiled once per process (core.compiled), rather
    than prefetch_related_objects(): for a single instance, Django's prefetch builds a
    related manager and compiles a join per relation, a millisecond each. The actions are
    sorted by status in Python rather than by a CASE in the database.
    """
    if meeting.chantier_id is None:
        meeting.listed_chantiers = compiled_rows(
            "meeting page: chantiers",
            lambda pk: Chantier.objects.filter(sessions=pk).in_order().as_links(),
            meeting.pk,
        )
    return {
        "attachments": compiled_rows(
            "meeting page: attachments",
            lambda pk: MeetingAttachment.objects.filter(meeting=pk),
            meeting.pk,
        ),
        "actions": ranked(
            compiled_rows(
                "meeting page: actions",
                lambda pk: (
                    Action.objects.filter(meetings=pk).select_related("chantier").by_planned_end()
                ),
                meeting.pk,
            )
        ),
        "points": compiled_rows(
            "meeting page: points d'étape",
            lambda pk: (
                PointEtape.objects.filter(meeting=pk)
                .select_related("action__chantier")
                .newest_first()
            ),
            meeting.pk,
        ),
    }


def meeting_with_seats(slug):
    """The meeting, its chantier, its new date, its seats taken and the one it replaces."""
    return compiled_object_or_404(
        "meeting with seats",
        lambda slug: (
            Meeting.objects.select_related("chantier", "rescheduled_to")
            .with_seats_taken()
            .with_replaced()
            .filter(slug=slug)
            .order_by()
        ),
        slug,
        message="Aucune réunion ne correspond.",
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
