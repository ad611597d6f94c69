"""Where the chantiers stand: « Où en est-on ? » (/avancement/), an action's page with its
journal, and what the chantier page shows of its actions."""

from functools import cache

from django.db.models import Count, Window
from django.utils import timezone
from django.views.decorators.http import require_safe

from chantiers.forms import LATE, ActionFilterForm
from chantiers.models import (
    Action,
    Actor,
    Chantier,
    Meeting,
    MeetingStatus,
    PointEtape,
    ProgressSummary,
    TeamMember,
    action_url,
)
from chantiers.models.progress import ranked, summarized
from core.cache import public_page_cache
from core.compiled import compiled_object_or_404, compiled_rows
from core.pagination import page_number
from core.rendering import render_page

JOURNAL_PAGE_SIZE = 10
# Chantiers on a page of /avancement/, each with all its actions (tens at most): the page
# stops growing with their number, as /chantiers/ does (CHANTIER_PAGE_SIZE cards a page).
COLUMNS_PAGE_SIZE = 12


def _with_urls(actions, chantiers_by_id):
    """Give each action its chantier (already read) and its address, without a query."""
    for action in actions:
        chantier = chantiers_by_id[action.chantier_id]
        action.chantier = chantier
        action.url = action_url(chantier.slug, action.slug)
    return actions


def chantier_progress(chantier, upcoming, today=None):
    """The « Où en est-on ? » of a chantier page, in two queries: its actions (summed up
    without another query) and its latest point d'étape (none without actions).
    `upcoming`: the page's upcoming meetings, the first one not cancelled being « the next
    meeting »."""
    today = today or timezone.localdate()
    # Both compiled once per process (core.compiled): only the id changes.
    rows = compiled_rows(
        "chantier actions",
        lambda pk: Action.objects.for_chantier(pk).by_planned_end(),
        chantier.pk,
    )
    actions = _with_urls(ranked(rows, today), {chantier.pk: chantier})
    latest = None
    if actions:
        # Its action is one of those just read: no join to fetch it again.
        points = compiled_rows(
            "chantier latest point",
            lambda pk: PointEtape.objects.for_chantier(pk).newest_first()[:1],
            chantier.pk,
        )
        for latest in points:
            latest.action = next(a for a in actions if a.pk == latest.action_id)
    next_ends = [
        a for a in actions if not a.is_closed and a.planned_end_on and a.planned_end_on >= today
    ]
    return {
        "actions": actions,
        "progress": ProgressSummary.of_actions(actions),
        "latest_point": latest,
        "next_end": min(next_ends, key=lambda a: a.planned_end_on, default=None),
        "next_meeting": next((m for m in upcoming if m.status != MeetingStatus.CANCELLED), None),
    }


@require_safe
@public_page_cache
def action_detail(request, slug, action_slug):
    """An action: its facts, its journal, the meetings, documents and indicators about it.
    Its queries differ from one action to the next by its id only (or its address): each is
    compiled once per process (core.compiled)."""
    action = compiled_object_or_404(
        "action",
        # No with_lateness(): is_late works it out in Python, without a CASE to build.
        lambda chantier, action: Action.objects.select_related("chantier").filter(
            chantier__slug=chantier, slug=action
        ),
        slug,
        action_slug,
        message="Aucune action à cette adresse.",
    )
    action.url = action.get_absolute_url()
    pk = [action.pk]
    pilots = [
        *compiled_rows(
            "action team pilots",
            lambda pk: TeamMember.objects.filter(piloted_actions=pk).order_by("order", "name"),
            *pk,
        ),
        *compiled_rows(
            "action actor pilots",
            lambda pk: Actor.objects.filter(piloted_actions=pk).order_by("name"),
            *pk,
        ),
    ]
    points = compiled_rows(
        "action points",
        lambda pk: PointEtape.objects.filter(action=pk).select_related("meeting").newest_first(),
        *pk,
    )
    for point in points:  # as the reverse relation would have done
        point.action = action
    context = {
        "action": action,
        "chantier": action.chantier,
        "pilots": pilots,
        "points": points,
        "meetings": compiled_rows(
            "action meetings",
            lambda pk: (
                Meeting.objects.filter(actions=pk).select_related("chantier").order_by("-starts_at")
            ),
            *pk,
        ),
        "documents": _action_documents(request, action),
        "indicators": compiled_rows(
            "action indicators",
            lambda pk: declared_elsewhere(Action, "indicators", pk).select_related("axis"),
            *pk,
        ),
    }
    return render_page(request, "chantiers/action_detail.html", context)


def declared_elsewhere(model, name, pk):
    """The rows of the reverse relation `name` of the `model` row `pk` (documents,
    indicators: declared in diagnostic, which chantiers does not import), as a queryset
    of their own manager."""
    relation = getattr(model, name).rel
    return relation.related_model.objects.filter(**{relation.field.name: pk})


def _action_documents(request, action):
    """The action's documents this person may see: the documents' app declares who sees
    what (visible_to). Visitors who are not signed in (the same for all) get a prepared
    query."""
    # with_related(): each document names its chantier, not always the action's.
    if request.user.is_authenticated:
        return list(action.documents.visible_to(request.user).with_related().in_order())
    return compiled_rows(
        "action public documents",
        lambda pk: (
            declared_elsewhere(Action, "documents", pk).visible_to(None).with_related().in_order()
        ),
        action.pk,
    )


@cache
def _total():
    """COUNT(*) OVER (): how many rows in all, on each row of a page. Built once per
    process (Django copies an expression as it resolves it into a query)."""
    return Window(Count("pk"))


@require_safe
@public_page_cache(query_params=("statut", "chantiers", "page"))
def progress_overview(request):
    """The chantiers' actions side by side, COLUMNS_PAGE_SIZE chantiers a page, and the
    project's journal; htmx asks for the chantiers' part only when the status filter
    changes."""
    form = ActionFilterForm(request.GET)
    status = form.filters()["status"]
    today = timezone.localdate()
    chantiers, columns_page = _columns_page(request, status)
    by_id = {chantier.pk: chantier for chantier in chantiers}
    # Summed up for every chantier in one query: the count above the columns is of all
    # the chantiers' actions, not of this page's. The queries are compiled once per
    # process and filter (core.compiled): only the day changes.
    summaries = summarized(compiled_rows("progress summaries", Action.objects.summary_rows, today))
    if status == LATE:
        shown = sum(summary.late for summary in summaries.values())
    elif status:
        shown = sum(summary.counts.get(status, 0) for summary in summaries.values())
    else:
        shown = sum(summary.total for summary in summaries.values())
    listed = {chantier.pk: [] for chantier in chantiers}
    rows = _listed_actions(status, today, by_id, columns_page["chantiers_pages"] == 1)
    for action in _with_urls(ranked(rows, today), by_id):
        listed[action.chantier_id].append(action)
    columns = [
        {
            "chantier": chantier,
            "summary": summaries.get(chantier.pk) or ProgressSummary(),
            "actions": listed[chantier.pk],
        }
        for chantier in chantiers
    ]
    context = {
        "form": form,
        "status": status,
        "status_label": dict(form.fields["statut"].choices).get(status, ""),
        "columns": columns,
        "shown": shown,
        "ignored_filters": bool(form.errors),
        **columns_page,
    }
    if not request.htmx:
        context.update(_journal_page(request, by_id, status, columns_page["chantiers_pages"] == 1))
    return render_page(
        request, "chantiers/progress.html", context, "results_fragment", push_url=True
    )


def _listed_actions(status, today, chantiers_by_id, all_chantiers):
    """The actions of these chantiers in this status (or late), by_planned_end(); those of
    every chantier (all_chantiers) through a query compiled once per process and filter."""
    if not all_chantiers:
        return list(_actions_in(Action.objects.filter(chantier_id__in=chantiers_by_id), status))
    if status == LATE:
        return compiled_rows(
            "progress late actions", lambda day: _actions_in(Action.objects, LATE, day), today
        )
    if status:
        return compiled_rows(
            "progress actions by status", lambda s: _actions_in(Action.objects, s), status
        )
    return compiled_rows("progress actions", lambda: _actions_in(Action.objects, None))


def _actions_in(actions, status, today=None):
    if status == LATE:
        actions = actions.late(today)
    elif status:
        actions = actions.with_status(status)
    return actions.by_planned_end()


def _columns_page(request, status):
    """(chantiers, what the template says of their pages): one page of the chantiers,
    counted in the same query."""
    chantiers = Chantier.objects.in_order().as_links()
    number = page_number(request.GET.get("chantiers"))
    start = (number - 1) * COLUMNS_PAGE_SIZE
    rows = compiled_rows(
        ("progress columns", start, COLUMNS_PAGE_SIZE),
        lambda: chantiers.annotate(total=_total())[start : start + COLUMNS_PAGE_SIZE],
    )
    if rows:
        total = rows[0].total
    else:  # none at all, or an old link past the end: the last page
        total = chantiers.count() if number > 1 else 0
        number = max(1, -(-total // COLUMNS_PAGE_SIZE))
        start = (number - 1) * COLUMNS_PAGE_SIZE
        rows = list(chantiers[start : start + COLUMNS_PAGE_SIZE])
    pages = max(1, -(-total // COLUMNS_PAGE_SIZE))
    query = _query(request, status, "page")
    return rows, {
        "chantiers_total": total,
        "chantiers_pages": pages,
        "chantiers_first": start + 1,
        "chantiers_last": start + len(rows),
        "chantiers_previous": (
            f"?{query}chantiers={number - 1}#chantiers-avancement" if number > 1 else ""
        ),
        "chantiers_next": (
            f"?{query}chantiers={number + 1}#chantiers-avancement" if number < pages else ""
        ),
    }


def _query(request, status, other_page):
    """The start of the links of one list's pages, keeping the filter and the page of the
    other list: « statut=en_cours&page=2& »."""
    query = f"statut={status}&" if status else ""
    other = page_number(request.GET.get(other_page))
    return f"{query}{other_page}={other}&" if other > 1 else query


def _journal_page(request, chantiers_by_id, status, all_chantiers):
    """One page of the project's journal, newest first: a count and a slice."""
    points = PointEtape.objects.newest_first()
    total = points.count()
    pages = max(1, -(-total // JOURNAL_PAGE_SIZE))
    number = min(page_number(request.GET.get("page")), pages)
    start = (number - 1) * JOURNAL_PAGE_SIZE
    related = ["action", "meeting"]
    if not all_chantiers:  # its points may be of chantiers of another page
        related.append("action__chantier")
    entries = compiled_rows(
        ("progress journal", start, JOURNAL_PAGE_SIZE, *related),
        lambda: points.select_related(*related)[start : start + JOURNAL_PAGE_SIZE],
    )
    for point in entries:
        if point.action.chantier_id in chantiers_by_id:
            point.action.chantier = chantiers_by_id[point.action.chantier_id]
        point.action.url = action_url(point.action.chantier.slug, point.action.slug)
    base = f"?{_query(request, status, 'chantiers')}"
    return {
        "journal": entries,
        "journal_total": total,
        "journal_page": number,
        "journal_pages": pages,
        "journal_previous": f"{base}page={number - 1}#journal" if number > 1 else "",
        "journal_next": f"{base}page={number + 1}#journal" if number < pages else "",
    }
