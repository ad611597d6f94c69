"""Where the chantiers stand: « Où en est-on ? » (/avancement/), an action's page with its
journal, and what the chantier page shows of its actions."""

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


def _with_urls(actions, chantiers_by_id):
    """Give each action its chantier (already read) and its address, without a query."""
    for action in actions:
        chantier = chantiers_by_id[action.chantier_id]
        action.chantier = chantier
        action.url = action_url(chantier.slug, action.slug)
    return actions


def chantier_progress(chantier, upcoming, today=None):
    """The « Où en est-on ? » of a chantier page, in two queries: its actions (summed up
    without another query) and its latest point d'étape. `upcoming`: the page's upcoming
    meetings, the first one not cancelled being « the next meeting »."""
    today = today or timezone.localdate()
    actions = _with_urls(
        Action.objects.for_chantier(chantier).listed(today),
        {chantier.pk: chantier},
    )
    latest = (
        PointEtape.objects.for_chantier(chantier)
        .select_related("action", "meeting")
        .newest_first()
        .first()
    )
    if latest is not None:
        latest.action.chantier = chantier
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
    action = get_object_or_404(
        Action.objects.with_related().with_lateness(), chantier__slug=slug, slug=action_slug
    )
    action.url = action.get_absolute_url()
    points = list(action.points.select_related("meeting").newest_first())
    context = {
        "action": action,
        "chantier": action.chantier,
        "points": points,
        "meetings": list(action.meetings.select_related("chantier").order_by("-starts_at")),
        # Through the reverse relations: the documents' app declares who sees what.
        "documents": list(action.documents.visible_to(request.user).in_order()),
        "indicators": list(action.indicators.select_related("axis")),
    }
    return render_page(request, "chantiers/action_detail.html", context)


@require_safe
@public_page_cache(query_params=("statut", "page"))
def progress_overview(request):
    """Every chantier's actions side by side, and the project's journal; htmx asks for the
    chantiers' part only when the status filter changes."""
    form = ActionFilterForm(request.GET)
    status = form.filters()["status"]
    today = timezone.localdate()
    chantiers = list(Chantier.objects.in_order())
    by_id = {chantier.pk: chantier for chantier in chantiers}
    summaries = Action.objects.summaries(today)
    actions = Action.objects.with_lateness(today).in_order()
    if status == LATE:
        actions = actions.late(today)
    elif status:
        actions = actions.with_status(status)
    listed = {chantier.pk: [] for chantier in chantiers}
    for action in _with_urls(list(actions), by_id):
        listed[action.chantier_id].append(action)
    columns = [
        {
            "chantier": chantier,
            "summary": summaries.get(chantier.pk) or ProgressSummary(),
            "actions": listed[chantier.pk],
        }
        for chantier in chantiers
    ]
    shown = sum(len(column["actions"]) for column in columns)
    context = {
        "form": form,
        "status": status,
        "status_label": dict(form.fields["statut"].choices).get(status, ""),
        "columns": columns,
        "shown": shown,
        "ignored_filters": bool(form.errors),
    }
    if not request.htmx:
        context.update(_journal_page(request, by_id, status))
    return render_page(
        request, "chantiers/progress.html", context, "results_fragment", push_url=True
    )


def _journal_page(request, chantiers_by_id, status):
    """One page of the project's journal, newest first: a count and a slice."""
    points = PointEtape.objects.newest_first()
    total = points.count()
    pages = max(1, -(-total // JOURNAL_PAGE_SIZE))
    number = min(page_number(request.GET.get("page")), pages)
    start = (number - 1) * JOURNAL_PAGE_SIZE
    entries = list(points.select_related("action", "meeting")[start : start + JOURNAL_PAGE_SIZE])
    for point in entries:
        point.action.chantier = chantiers_by_id[point.action.chantier_id]
        point.action.url = action_url(point.action.chantier.slug, point.action.slug)
    base = f"?statut={status}&" if status else "?"
    return {
        "journal": entries,
        "journal_total": total,
        "journal_page": number,
        "journal_pages": pages,
        "journal_previous": f"{base}page={number - 1}#journal" if number > 1 else "",
        "journal_next": f"{base}page={number + 1}#journal" if number < pages else "",
    }
