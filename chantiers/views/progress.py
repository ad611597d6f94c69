"""Where the chantiers stand: « Où en est-on ? » (/avancement/), an action's page with its
journal, and what the chantier page shows of its actions."""

from django.db.models import Count, Window
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from chantiers.forms import LATE, ActionFilterForm
from chantiers.models import (
    Action,
    Chantier,
    MeetingStatus,
    PointEtape,
    ProgressSummary,
    action_url,
)
from core.cache import public_page_cache
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
    actions = _with_urls(chantier.actions.listed(today), {chantier.pk: chantier})
    latest = None
    if actions:
        # Its action is one of those just read: no join to fetch it again.
        latest = PointEtape.objects.for_chantier(chantier).newest_first().first()
        if latest:
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
    """An action: its facts, its journal, the meetings, documents and indicators about it."""
    action = get_object_or_404(
        # No with_lateness(): is_late works it out in Python, without a CASE to build.
        Action.objects.with_related(),
        chantier__slug=slug,
        slug=action_slug,
    )
    action.url = action.get_absolute_url()
    context = {
        "action": action,
        "chantier": action.chantier,
        "pilots": action.pilots,
        "points": list(action.points.select_related("meeting").newest_first()),
        "meetings": list(action.meetings.select_related("chantier").order_by("-starts_at")),
        # Through the reverse relations: the documents' app declares who sees what; each
        # document names its chantier, not always the action's (with_related()).
        "documents": list(action.documents.visible_to(request.user).with_related().in_order()),
        "indicators": list(action.indicators.select_related("axis")),
    }
    return render_page(request, "chantiers/action_detail.html", context)


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
    # the chantiers' actions, not of this page's.
    summaries = Action.objects.summaries(today)
    actions = Action.objects.all()
    if columns_page["chantiers_pages"] > 1:
        actions = actions.filter(chantier_id__in=by_id)
    if status == LATE:
        actions = actions.late(today)
        shown = sum(summary.late for summary in summaries.values())
    elif status:
        actions = actions.with_status(status)
        shown = sum(summary.counts.get(status, 0) for summary in summaries.values())
    else:
        shown = sum(summary.total for summary in summaries.values())
    listed = {chantier.pk: [] for chantier in chantiers}
    for action in _with_urls(actions.listed(today), by_id):
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


def _columns_page(request, status):
    """(chantiers, what the template says of their pages): one page of the chantiers,
    counted in the same query."""
    chantiers = Chantier.objects.in_order().as_links()
    number = page_number(request.GET.get("chantiers"))
    start = (number - 1) * COLUMNS_PAGE_SIZE
    rows = list(chantiers.annotate(total=Window(Count("pk")))[start : start + COLUMNS_PAGE_SIZE])
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
    entries = list(points.select_related(*related)[start : start + JOURNAL_PAGE_SIZE])
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
