"""Public pages of the démarche: chantiers, team, agenda and their calendars, and the
participation: « Nous rejoindre » and « Je participe » to an intersession."""

from functools import cached_property
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from chantiers import abuse, ical, services
from chantiers.forms import (
    PAST,
    UPCOMING,
    AgendaFilterForm,
    ChantierFilterForm,
    JoinRequestForm,
    RegistrationForm,
)
from chantiers.models import (
    ActorKind,
    Chantier,
    Meeting,
    MeetingKind,
    Partner,
    PartnerKind,
    Registration,
    RegistrationState,
    TeamMember,
)
from petr_portal.cache import public_page_cache

PAST_PAGE_SIZE = 5
# A chantier page lists at most this many pages of past meetings (« voir plus »), so that
# its size stops growing with the years; the agenda, filtered on the chantier, has the rest.
PAST_MAX_PAGES = 4
UPCOMING_LIMIT = 10
AGENDA_PAGE_SIZE = 20
MAX_PAGE = 10_000


def _render(request, template, context, fragment=None, push_url=False, status=200):
    """The whole page, or only its fragment for htmx; caches keep the two apart.

    push_url: the URL htmx pushes to the history loses the empty fields of the form
    (« ?type=&chantier=x » becomes « ?chantier=x »), so that shared links stay short.
    """
    name = f"{template}#{fragment}" if fragment and request.htmx else template
    response = render(request, name, context, status=status)
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


@require_safe
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


@require_safe
@public_page_cache(query_params=("passees",))
def chantier_detail(request, slug):
    """A chantier; htmx asks for the next page of its past meetings (« voir plus »)."""
    chantier = get_object_or_404(Chantier, slug=slug)
    now = timezone.now()
    # No select_related("chantier"): the intersessions' chantier is this one (_same_chantier),
    # and the join was a quarter of the cost of each query.
    meetings = Meeting.objects.for_chantier(chantier)
    page = min(_page_number(request.GET.get("passees")), PAST_MAX_PAGES)
    if request.htmx and "passees" in request.GET:
        start = (page - 1) * PAST_PAGE_SIZE
        past = list(meetings.past(now)[start : page * PAST_PAGE_SIZE + 1])
    else:
        # Without JavaScript, « voir plus » reloads the page with every page so far.
        start = 0
        past = list(meetings.past(now)[: page * PAST_PAGE_SIZE + 1])
    _same_chantier(past, chantier)
    has_more_past = len(past) > page * PAST_PAGE_SIZE - start
    past = past[: page * PAST_PAGE_SIZE - start]
    context = {
        "chantier": chantier,
        "past": past,
        "past_start": start,
        "has_more_past": has_more_past and page < PAST_MAX_PAGES,
        # The link to the agenda, under the list: as soon as the list does not show them all.
        "more_past_in_agenda": has_more_past,
        "next_past_page": page + 1,
        "next_past_anchor": f"passee-{page * PAST_PAGE_SIZE + 1}",
        # The first item of a « voir plus » fragment takes the focus the link had.
        "focus_first": bool(request.htmx),
    }
    if request.htmx and "passees" in request.GET:
        return _render(request, "chantiers/chantier_detail.html", context, "past_items")
    upcoming = _same_chantier(
        list(meetings.upcoming(now).with_seats_taken()[: UPCOMING_LIMIT + 1]), chantier
    )
    memberships = chantier.memberships.select_related("actor").order_by("actor__name")
    context.update(
        {
            "upcoming": upcoming[:UPCOMING_LIMIT],
            "more_upcoming": len(upcoming) > UPCOMING_LIMIT,
            "member_groups": _grouped(memberships, ActorKind, lambda m: m.actor.kind),
            "coordinators": list(chantier.coordinators.order_by("order", "name")),
            "join_form": JoinRequestForm(initial={"chantiers": [chantier.slug]}),
        }
    )
    context.update(_next_open_intersession(chantier, upcoming, now))
    return _render(request, "chantiers/chantier_detail.html", context)


def _same_chantier(meetings, chantier):
    """Give the chantier's own meetings their chantier without a query (sessions have none)."""
    for meeting in meetings:
        if meeting.chantier_id == chantier.pk:
            meeting.chantier = chantier
    return meetings


def _next_open_intersession(chantier, upcoming, now):
    """The chantier's next intersession taking registrations (or full), for « Je participe »."""
    for meeting in upcoming:
        if meeting.kind != MeetingKind.INTERSESSION or meeting.chantier_id != chantier.pk:
            continue
        state = meeting.registration_state(now=now)
        if state in (RegistrationState.OPEN, RegistrationState.FULL):
            return {
                "next_intersession": meeting,
                "registration_state": state,
                "registration_form": RegistrationForm(meeting=meeting),
            }
    return {}


@require_safe
@public_page_cache
def chantier_ics(request, slug):
    chantier = get_object_or_404(Chantier, slug=slug)
    meetings = Meeting.objects.for_chantier(chantier).with_related()
    return ical.calendar_response(
        ical.feed_window(meetings),
        request,
        name=f"{chantier.display_title} – projet de territoire",
        filename=f"{chantier.slug}.ics",
    )


@require_safe
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
        counts = self.meetings.order_by().aggregate(
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
            items += list(self.upcoming[start : min(stop, split)])
        if stop > split:
            items += list(self.past[max(start - split, 0) : stop - split])
        return items


@require_safe
@public_page_cache(query_params=("type", "chantier", "periode", "page"))
def agenda(request):
    """Every meeting, upcoming first; htmx asks for the results fragment only."""
    now = timezone.now()
    chantiers = list(Chantier.objects.in_order())
    years = sorted({d.year for d in Meeting.objects.datetimes("starts_at", "year")}, reverse=True)
    form = AgendaFilterForm(request.GET, chantiers=chantiers, years=years)
    filters = form.filters()
    # The sessions' chantiers are prefetched once for the page, not once per part.
    meetings = Meeting.objects.select_related("chantier")
    if filters["kind"]:
        meetings = meetings.filter(kind=filters["kind"])
    if filters["chantier"]:
        meetings = meetings.for_chantier(filters["chantier"])
    if filters["year"]:
        meetings = meetings.in_year(filters["year"])
    sequence = UpcomingThenPast(meetings, now, filters["period"])
    page = Paginator(sequence, AGENDA_PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    prefetch_related_objects(items, Prefetch("chantiers", queryset=Chantier.objects.in_order()))
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


@require_safe
@public_page_cache
def agenda_ics(request):
    return ical.calendar_response(
        ical.feed_window(Meeting.objects.with_related()),
        request,
        name="Projet de territoire – agenda",
        filename="agenda.ics",
    )


def _meeting_page(request, meeting, form=None, status=200, **extra):
    """The meeting page, or only its registration box for htmx (« Je participe »)."""
    if not request.htmx:
        # What the whole page shows besides the box (already there if prefetched).
        prefetch_related_objects(
            [meeting],
            Prefetch("chantiers", queryset=Chantier.objects.in_order()),
            "attachments",
        )
    context = {
        "meeting": meeting,
        "registration_state": meeting.registration_state(),
        "registration_form": form or RegistrationForm(meeting=meeting),
        **extra,
    }
    return _render(request, "chantiers/meeting_detail.html", context, "registration", status=status)


def _meeting_with_seats(slug):
    return get_object_or_404(
        Meeting.objects.select_related("chantier").with_seats_taken(), slug=slug
    )


@require_safe
@public_page_cache
def meeting_detail(request, slug):
    return _meeting_page(request, _meeting_with_seats(slug))


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


# ---- Participation: « Nous rejoindre » and « Je participe » ----

JOIN_TEMPLATE = "chantiers/join.html"


def _rejection(request, scope):
    """Why a public post is refused before anything is stored or sent, or None.

    Every post counts toward the rate limit of its form, rejected ones included.
    """
    if abuse.rate_limited(request, scope):
        return {
            "status": 429,
            "title": "Trop d'envois",
            "text": (
                "Trop d'envois depuis votre connexion en peu de temps : rien n'a été "
                f"enregistré. Réessayez dans {abuse.retry_after_minutes()} minutes, ou "
                "écrivez-nous directement."
            ),
        }
    if abuse.honeypot_filled(request):
        return {
            "status": 400,
            "title": "Envoi refusé",
            "text": (
                "Votre envoi n'a pas été enregistré : le champ « Ne pas remplir », prévu pour "
                "repérer les robots, contenait quelque chose. Videz-le et envoyez à nouveau, "
                "ou écrivez-nous directement."
            ),
        }
    return None


def _rejected_response(response, rejection):
    if rejection["status"] == 429:
        response["Retry-After"] = str(abuse.retry_after_minutes() * 60)
    return response


def _typed(form_class, data, **kwargs):
    """An unbound form showing what was typed: a refused post is not validated, but
    nothing the person wrote is lost. The honeypot is left empty."""
    form = form_class(**kwargs)
    initial = {}
    for name, field in form.fields.items():
        if getattr(field.widget, "allow_multiple_selected", False):
            initial[name] = data.getlist(name)
        elif name in data:
            initial[name] = data.get(name)
    form.initial = initial
    return form


@require_http_methods(["GET", "HEAD", "POST"])
@public_page_cache(query_params=("chantier",))
def join(request):
    """« Nous rejoindre »: htmx posts get back the form with its errors, or the thanks."""
    if request.method == "POST":
        return _join_post(request)
    slug = request.GET.get("chantier", "")
    form = JoinRequestForm(initial={"chantiers": [slug]} if slug else {})
    return _render(request, JOIN_TEMPLATE, {"form": form})


def _join_post(request):
    rejection = _rejection(request, "rejoindre")
    if rejection:
        form = _typed(JoinRequestForm, request.POST)
        response = _render(
            request,
            JOIN_TEMPLATE,
            {"form": form, "rejection": rejection},
            "join_region",
            status=rejection["status"],
        )
        return _rejected_response(response, rejection)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        return _render(request, JOIN_TEMPLATE, {"form": form}, "join_region")
    data = form.cleaned_data
    services.submit_join_request(
        name=data["name"],
        email=data["email"],
        commune=data["commune"],
        chantiers=data["chantiers"],
        participation=data["participation"],
        message=data["message"],
        absolute_url=request.build_absolute_uri,
    )
    if request.htmx:
        return _render(request, JOIN_TEMPLATE, {"join_done": True}, "join_region")
    return redirect("chantiers:join_done")


@require_safe
def join_done(request):
    return render(request, "chantiers/join_done.html")


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_register(request, slug):
    """« Je participe »: htmx gets the registration box back (errors, confirmed, or full)."""
    if request.method == "GET":
        # The address of a page re-shown after an error, opened again: back to the meeting.
        meeting = get_object_or_404(Meeting, slug=slug)
        return redirect(meeting.get_absolute_url() + "#je-participe")
    meeting = _meeting_with_seats(slug)
    if meeting.registration_state() == RegistrationState.NOT_OFFERED:
        raise Http404("Pas d'inscription pour cette réunion.")
    rejection = _rejection(request, "inscription")
    if rejection:
        form = _typed(RegistrationForm, request.POST, meeting=meeting)
        response = _meeting_page(
            request, meeting, form, status=rejection["status"], rejection=rejection
        )
        return _rejected_response(response, rejection)
    if meeting.registration_state() != RegistrationState.OPEN:
        # Full or closed since the page was shown: say so, keep what was typed.
        return _meeting_page(
            request,
            meeting,
            _typed(RegistrationForm, request.POST, meeting=meeting),
            registration_refused=True,
        )
    form = RegistrationForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return _meeting_page(request, meeting, form)
    try:
        result = services.register(
            meeting.pk,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            absolute_url=request.build_absolute_uri,
        )
    except Meeting.DoesNotExist as gone:
        raise Http404("Réunion supprimée.") from gone
    except services.RegistrationRefused as refused:
        # Someone took the last seat (or the meeting started) between the page and the post.
        meeting.seats_taken = Registration.objects.active().filter(meeting=meeting).count()
        return _meeting_page(
            request,
            meeting,
            _typed(RegistrationForm, request.POST, meeting=meeting),
            registration_refused=True,
            registration_state=refused.state,
        )
    if not request.htmx:
        return redirect("chantiers:registration_done", slug=meeting.slug)
    meeting.seats_taken = result.meeting.seats_taken
    return _meeting_page(request, meeting, registration_done=True)


@require_safe
def registration_done(request, slug):
    meeting = get_object_or_404(
        Meeting.objects.with_seats_taken().select_related("chantier"), slug=slug
    )
    return render(request, "chantiers/registration_done.html", {"meeting": meeting})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def registration_cancel(request, slug, token):
    """The cancel link of the confirmation email: a page asking to confirm, then a POST."""
    registration = get_object_or_404(
        Registration.objects.select_related("meeting", "meeting__chantier"),
        meeting__slug=slug,
        cancel_token=token,
    )
    meeting = registration.meeting
    can_cancel = not registration.is_cancelled and timezone.now() < meeting.starts_at
    if request.method == "POST":
        if can_cancel:
            services.cancel_registration(registration)
        return redirect(request.path)
    response = render(
        request,
        "chantiers/registration_cancel.html",
        {"registration": registration, "meeting": meeting, "can_cancel": can_cancel},
    )
    # The token is in the address: no search engine, no Referer to other sites.
    response["X-Robots-Tag"] = "noindex"
    return response
