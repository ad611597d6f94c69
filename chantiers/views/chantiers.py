"""The chantiers, one chantier's page and calendar, and the project team."""

import math

from django.core.paginator import Paginator
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from chantiers import ical
from chantiers.forms import (
    ChantierFilterForm,
    JoinRequestForm,
    RegistrationForm,
)
from chantiers.models import (
    ActorKind,
    Chantier,
    EcosystemMembership,
    Meeting,
    MeetingKind,
    Partner,
    PartnerKind,
    RegistrationState,
    TeamMember,
)
from chantiers.models.chantiers import LINK_FIELDS, with_next_meetings
from chantiers.models.meeting_queries import upcoming_bounds
from chantiers.views.progress import chantier_progress, declared_elsewhere
from core.cache import public_page_cache
from core.compiled import compiled_object_or_404, compiled_rows
from core.pagination import page_number
from core.rendering import render_page

# The list of chantiers stays a page long, however many there are (the démarche has five).
CHANTIER_PAGE_SIZE = 24
PAST_PAGE_SIZE = 5
# A chantier page lists at most this many pages of past meetings (« voir plus »), so that
# its size stops growing with the years; the agenda, filtered on the chantier, has the rest.
PAST_MAX_PAGES = 4
UPCOMING_LIMIT = 10
# The pages of chantier cards whose queries are compiled once: a crawler walking far
# pages does not fill the shapes kept (core.compiled) with its own.
COMPILED_CARD_PAGES = 5


@require_safe
@public_page_cache(query_params=("etat", "page"))
def chantier_list(request):
    """The chantiers as cards, CHANTIER_PAGE_SIZE a page; htmx asks for the results
    fragment only."""
    form = ChantierFilterForm(request.GET)
    status = form.filters()["status"]
    chantiers = Chantier.objects.in_order()
    if status:
        chantiers = chantiers.with_status(status)
    number = page_number(request.GET.get("page"))
    cards = _cards_page(status, number)
    if not cards:
        # Nothing in this state, or past the last page (an old link): the last page.
        total = chantiers.count() if number > 1 else 0
        last = max(math.ceil(total / CHANTIER_PAGE_SIZE), 1)
        if total and last < number:
            number = last
            cards = _cards_page(status, number)
    total = cards[0].total_count if cards else total
    context = {
        "form": form,
        "chantiers": cards,
        "total": total,
        "page": Paginator(range(total), CHANTIER_PAGE_SIZE).get_page(number),
        "status": status,
        "ignored_filters": bool(form.errors),
    }
    return render_page(
        request, "chantiers/chantier_list.html", context, "results_fragment", push_url=True
    )


def _cards_page(status, number):
    """The cards of page `number` of the chantiers (in that status, if one is given),
    their queries compiled once (core.compiled) for the first pages."""

    def build(now, since, *status):
        chantiers = Chantier.objects.in_order()
        if status:
            chantiers = chantiers.with_status(*status)
        return chantiers.cards_page(number, CHANTIER_PAGE_SIZE, now, since)

    values = (*upcoming_bounds(timezone.now()), *([status] if status else []))
    if number > COMPILED_CARD_PAGES:
        return with_next_meetings(list(build(*values)))
    return with_next_meetings(
        compiled_rows(("chantier cards", bool(status), number), build, *values)
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
    chantier = compiled_object_or_404(
        "chantier",
        lambda s: Chantier.objects.filter(slug=s),
        slug,
        message="Aucun chantier à cette adresse.",
    )
    now = timezone.now()
    page = min(page_number(request.GET.get("passees")), PAST_MAX_PAGES)
    fragment = request.htmx and "passees" in request.GET
    # Without JavaScript, « voir plus » reloads the page with every page so far.
    start = (page - 1) * PAST_PAGE_SIZE if fragment else 0
    past = _past(chantier, now, start, page * PAST_PAGE_SIZE + 1)
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
    if fragment:
        return render_page(request, "chantiers/chantier_detail.html", context, "past_items")
    page_context, upcoming = _chantier_page_context(request, chantier, now)
    context.update(page_context)
    context.update(_next_open_intersession(chantier, upcoming, now))
    return render_page(request, "chantiers/chantier_detail.html", context)


# The page's queries differ from one chantier to the next by its id, and by the time:
# each is compiled once per process (core.compiled), a millisecond saved apiece.


def _past(chantier, now, start, stop):
    """The chantier's past meetings [start:stop], newest first. No select_related: the
    intersessions' chantier is this one (_same_chantier), and the join was a quarter of
    the cost of each query."""
    return _same_chantier(
        compiled_rows(
            ("chantier past meetings", start, stop),
            lambda pk, moment: Meeting.objects.for_chantier(pk).past(moment)[start:stop],
            chantier.pk,
            now,
        ),
        chantier,
    )


def _documents(request, chantier):
    """The chantier's documents this person may see, through the reverse relation: the
    documents' app declares who sees what (visible_to), this page needs nothing else of
    it. Visitors who are not signed in (the same for all) get a prepared query."""
    if request.user.is_authenticated:
        return list(chantier.documents.visible_to(request.user).in_order())
    rows = compiled_rows(
        "chantier public documents",
        lambda pk: declared_elsewhere(Chantier, "documents", pk).visible_to(None).in_order(),
        chantier.pk,
    )
    for document in rows:  # as the reverse relation would have done
        document.chantier = chantier
    return rows


def _chantier_page_context(request, chantier, now):
    """What the whole chantier page shows besides its past meetings and « Je participe »,
    and the upcoming meetings read for it (one more than shown)."""
    upcoming = _same_chantier(
        compiled_rows(
            "chantier upcoming meetings",
            lambda pk, moment, since: (
                Meeting.objects.for_chantier(pk)
                .upcoming(moment, since)
                .with_seats_taken()[: UPCOMING_LIMIT + 1]
            ),
            chantier.pk,
            *upcoming_bounds(now),
        ),
        chantier,
    )
    memberships = compiled_rows(
        "chantier memberships",
        lambda pk: (
            EcosystemMembership.objects.filter(chantier=pk)
            .select_related("actor")
            .order_by("actor__name")
        ),
        chantier.pk,
    )
    coordinators = compiled_rows(
        "chantier coordinators",
        lambda pk: TeamMember.objects.filter(coordinated_chantiers=pk).order_by("order", "name"),
        chantier.pk,
    )
    page_context = {
        "upcoming": upcoming[:UPCOMING_LIMIT],
        "more_upcoming": len(upcoming) > UPCOMING_LIMIT,
        "member_groups": _grouped(memberships, ActorKind, lambda m: m.actor.kind),
        "coordinators": coordinators,
        **_join_form(chantier),
        "documents": _documents(request, chantier),
        # « Où en est-on ? » and the list of actions (chantiers/views/progress.py).
        **chantier_progress(chantier, upcoming),
    }
    return page_context, upcoming


def _join_form(chantier):
    """« Nous rejoindre » with this chantier ticked, among all the chantiers while they fit
    on a page of /chantiers/; beyond, this one alone, the page linking to the whole form:
    two hundred checkboxes were half of the page, and as long to go through by keyboard."""
    form = JoinRequestForm(initial={"chantiers": [chantier.slug]})
    field = form.fields["chantiers"]
    offered = compiled_rows(
        ("join form chantiers", CHANTIER_PAGE_SIZE),
        lambda: field.queryset[: CHANTIER_PAGE_SIZE + 1],
    )
    more = len(offered) > CHANTIER_PAGE_SIZE
    if more:
        offered = [chantier]
    # The choices as read: the field would read them again to write the checkboxes.
    field.choices = [(c.slug, field.label_from_instance(c)) for c in offered]
    return {"join_form": form, "join_more_chantiers": more}


def chantier_page_with_registration(request, meeting, context, status):
    """The chantier page (first page of its past meetings) with this meeting's registration
    box as `context` has it: errors, what was typed, or why the seat was refused."""
    chantier = meeting.chantier
    now = timezone.now()
    past = _past(chantier, now, 0, PAST_PAGE_SIZE + 1)
    page = {
        "chantier": chantier,
        "past": past[:PAST_PAGE_SIZE],
        "past_start": 0,
        "has_more_past": len(past) > PAST_PAGE_SIZE,
        "more_past_in_agenda": len(past) > PAST_PAGE_SIZE,
        "next_past_page": 2,
        "next_past_anchor": f"passee-{PAST_PAGE_SIZE + 1}",
        **_chantier_page_context(request, chantier, now)[0],
        **context,
        "next_intersession": meeting,
    }
    return render_page(request, "chantiers/chantier_detail.html", page, status=status)


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
    meetings = Meeting.objects.for_chantier(chantier).with_listed_chantiers()
    return ical.calendar_response(
        ical.feed_window(meetings),
        request,
        name=f"{chantier.display_title} – projet de territoire",
        filename=f"{chantier.slug}.ics",
    )


# The team page names at most this many chantiers per member, and this many ecosystems
# then a link to the list of chantiers: its size stays the same however many chantiers
# there come to be (the démarche has five).
MEMBER_CHANTIERS = 5
TEAM_ECOSYSTEMS = 12


@require_safe
@public_page_cache
def team(request):
    """Its queries are compiled once per process (core.compiled): they change only with
    the time of the request."""
    now = timezone.now()
    # How many chantiers each member coordinates, by a GROUP BY (which leaves the model's
    # ordering out: hence order_by()), and the first ones, by a window on the links.
    members = compiled_rows(
        "team: members",
        lambda: TeamMember.objects.annotate(chantier_count=Count("coordinated_chantiers")).order_by(
            *TeamMember._meta.ordering
        ),
    )
    links = compiled_rows("team: coordinated chantiers", _first_coordinated_chantiers)
    shown = {}
    for link in links:
        shown.setdefault(link.teammember_id, []).append(link.chantier)
    for member in members:
        member.shown_chantiers = shown.get(member.pk, [])
        member.other_chantiers = member.chantier_count - len(member.shown_chantiers)
    ecosystems = compiled_rows(
        "team: ecosystems",
        lambda: Chantier.objects.in_order().as_links().with_actor_count()[: TEAM_ECOSYSTEMS + 1],
    )
    sessions = Meeting.objects.sessions()
    context = {
        "members": members,
        "ecosystems": ecosystems[:TEAM_ECOSYSTEMS],
        "more_ecosystems": len(ecosystems) > TEAM_ECOSYSTEMS,
        "upcoming_sessions": compiled_rows(
            "team: upcoming sessions",
            lambda now, since: sessions.upcoming(now, since).not_cancelled()[:3],
            *upcoming_bounds(now),
        ),
        "past_sessions": compiled_rows(
            "team: past sessions", lambda now: sessions.past(now)[:5], now
        ),
        "partner_groups": _grouped(
            compiled_rows("team: partners", Partner.objects.all), PartnerKind, lambda p: p.kind
        ),
    }
    return render(request, "chantiers/team.html", context)


def _first_coordinated_chantiers():
    """The links of the members to the first MEMBER_CHANTIERS chantiers each coordinates,
    in the chantiers' order, with the chantier to link to."""
    links = TeamMember.coordinated_chantiers.through.objects
    rank = Window(
        RowNumber(),
        partition_by=F("teammember_id"),
        order_by=(F("chantier__order"), F("chantier__title"), F("chantier_id")),
    )
    return (
        links.select_related("chantier")
        .only("teammember_id", *(f"chantier__{name}" for name in LINK_FIELDS))
        .annotate(rank=rank)
        .filter(rank__lte=MEMBER_CHANTIERS)
        .order_by("teammember_id", "rank")
    )
