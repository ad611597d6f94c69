"""The chantiers, one chantier's page and calendar, and the project team."""

import math

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.db.models.functions import Greatest
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
    Chantier,
    Meeting,
    MeetingKind,
    Partner,
    PartnerKind,
    RegistrationState,
    TeamMember,
)
from chantiers.views.progress import ChantierProgress
from core.cache import public_page_cache
from core.pagination import page_number
from core.rendering import render_page

# The list of chantiers stays a page long, however many there are (the démarche has five).
CHANTIER_PAGE_SIZE = 24
PAST_PAGE_SIZE = 5
# A chantier page lists at most this many pages of past meetings (« voir plus »), so that
# its size stops growing with the years; the agenda, filtered on the chantier, has the rest.
PAST_MAX_PAGES = 4
UPCOMING_LIMIT = 10


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
    cards, total = chantiers.cards_page(number, CHANTIER_PAGE_SIZE)
    if total is None:
        # Nothing in this state, or past the last page (an old link): the last page.
        total = chantiers.count() if number > 1 else 0
        last = max(math.ceil(total / CHANTIER_PAGE_SIZE), 1)
        if total and last < number:
            number = last
            cards, total = chantiers.cards_page(number, CHANTIER_PAGE_SIZE)
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


def _past(chantier, now, start, stop):
    """The chantier's past meetings [start:stop], newest first. No select_related: the
    intersessions' chantier is this one (_same_chantier), and the join was a quarter of
    the cost of each query."""
    past = Meeting.objects.for_chantier(chantier).past(now)[start:stop]
    return _same_chantier(list(past), chantier)


def _chantier_page_context(request, chantier, now):
    """What the whole chantier page shows besides its past meetings and « Je participe »,
    and the upcoming meetings read for it (one more than shown)."""
    upcoming = Meeting.objects.for_chantier(chantier).upcoming(now).with_seats_taken()
    upcoming = _same_chantier(list(upcoming[: UPCOMING_LIMIT + 1]), chantier)
    page_context = {
        "upcoming": upcoming[:UPCOMING_LIMIT],
        "more_upcoming": len(upcoming) > UPCOMING_LIMIT,
        # Querysets, read only when the ecosystem's fragment is not in the cache.
        "memberships": chantier.memberships.by_actor_kind(),
        "coordinators": chantier.coordinators.order_by("order", "name"),
        **_join_form(chantier),
        # Through the reverse relation: the documents' app declares who sees what
        # (visible_to), this page needs nothing else of it.
        "documents": list(chantier.documents.visible_to(request.user).in_order()),
        # « Où en est-on ? » and the list of actions (chantiers/views/progress.py).
        "progress": ChantierProgress(chantier, upcoming, timezone.localdate()),
    }
    return page_context, upcoming


def _join_form(chantier):
    """« Nous rejoindre » with this chantier ticked, among all the chantiers while they fit
    on a page of /chantiers/; beyond, this one alone, the page linking to the whole form:
    two hundred checkboxes were half of the page, and as long to go through by keyboard."""
    form = JoinRequestForm(initial={"chantiers": [chantier.slug]})
    field = form.fields["chantiers"]
    offered = list(field.queryset[: CHANTIER_PAGE_SIZE + 1])
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
    return ical.feed_response(
        meetings,
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
    now = timezone.now()
    # The first chantiers each member coordinates, and how many others: a queryset, read
    # only when the members' fragment is not in the cache.
    members = (
        TeamMember.objects.annotate(
            other_chantiers=Greatest(Count("coordinated_chantiers") - MEMBER_CHANTIERS, 0)
        )
        .order_by("order", "name")
        .prefetch_related(
            Prefetch(
                "coordinated_chantiers",
                queryset=Chantier.objects.in_order().as_links()[:MEMBER_CHANTIERS],
                to_attr="shown_chantiers",
            )
        )
    )
    ecosystems = Chantier.objects.in_order().as_links().with_actor_count()
    ecosystems = list(ecosystems[: TEAM_ECOSYSTEMS + 1])
    sessions = Meeting.objects.sessions()
    context = {
        "members": members,
        "ecosystems": ecosystems[:TEAM_ECOSYSTEMS],
        "more_ecosystems": len(ecosystems) > TEAM_ECOSYSTEMS,
        "upcoming_sessions": list(sessions.upcoming(now).not_cancelled()[:3]),
        "past_sessions": list(sessions.past(now)[:5]),
        "partner_groups": _grouped(Partner.objects.all(), PartnerKind, lambda p: p.kind),
    }
    return render(request, "chantiers/team.html", context)
