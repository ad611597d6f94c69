"""The report's key figures for a period, each beside the previous period of the same
length, and the rules that date what happened to an action.

An action's status on a past day is read from its points d'étape, the team's dated
journal: the status set by the latest point d'étape dated that day or before. Without
one, its status today if no point d'étape ever changed it, else « à venir » (every action
starts so, and a later point changed it). On today or a day to come, its status today.
An action counts as réalisée (or abandonnée) in a period when that status was set by a
point d'étape of the period and no later point of the period changed it again: an action
finished then reopened within the period does not count; one finished in the period and
reopened after it counts for the period, as the report presented then said.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum

from chantiers.models import (
    CLOSED_STATUSES,
    Action,
    ActionStatus,
    Meeting,
    PointEtape,
    Subscription,
)

# Points d'étape that change their action's status, or its progress.
SETTING_STATUS = PointEtape.objects.exclude(new_status="")
SETTING_PROGRESS = PointEtape.objects.filter(new_progress__isnull=False)


def _latest_until(points, day):
    """Of `points`, the action's latest dated `day` or before (a subquery on the action)."""
    return points.filter(action=OuterRef("pk"), date__lte=day).order_by(
        "-date", "-created_at", "-pk"
    )


def actions_until(period):
    """Every action that existed by the end of `period` (created by then, or started by
    then), annotated with what its points d'étape said at the end of `period` and of the
    previous period: a list, by planned end (by_planned_end())."""
    previous = period.previous()
    annotations = {}
    for prefix, day in (("end", period.ends_on), ("before", previous.ends_on)):
        latest = _latest_until(SETTING_STATUS, day)
        annotations[f"{prefix}_set_status"] = Subquery(latest.values("new_status")[:1])
        annotations[f"{prefix}_set_on"] = Subquery(latest.values("date")[:1])
    annotations["end_set_progress"] = Subquery(
        _latest_until(SETTING_PROGRESS, period.ends_on).values("new_progress")[:1]
    )
    annotations["has_status_points"] = Exists(SETTING_STATUS.filter(action=OuterRef("pk")))
    annotations["has_progress_points"] = Exists(SETTING_PROGRESS.filter(action=OuterRef("pk")))
    existed = Q(created_at__lt=period.end_moment) | Q(starts_on__lte=period.ends_on)
    return list(Action.objects.filter(existed).annotate(**annotations).by_planned_end())


def status_on(action, prefix, day, today):
    """The action's status at the end of `day` (see the module docstring); `prefix` names
    the annotations of actions_until() for that day."""
    if day >= today:
        return action.status
    set_status = getattr(action, f"{prefix}_set_status")
    if set_status:
        return set_status
    return ActionStatus.PLANNED if action.has_status_points else action.status


def progress_at_end(action, status, period, today):
    """The progress shown for the end of the period: 100 once done, else the latest
    point d'étape's, else today's when no point d'étape ever gave one (None: unknown)."""
    if status == ActionStatus.DONE:
        return 100
    if period.ends_on >= today or not action.has_progress_points:
        return action.progress
    return action.end_set_progress


def closed_in(action, prefix, period, status):
    """Whether the latest point d'étape up to the end of `period` set `status` (réalisée,
    abandonnée), and is dated in the period."""
    set_on = getattr(action, f"{prefix}_set_on")
    return getattr(action, f"{prefix}_set_status") == status and bool(
        set_on and set_on >= period.starts_on
    )


def late_at_end(action, status, period, today):
    """Past its planned end on the last day of the period (today if that is to come),
    and neither done nor abandoned then."""
    day = min(period.ends_on, today)
    return bool(
        action.planned_end_on and action.planned_end_on < day and status not in CLOSED_STATUSES
    )


def started_in(action, period, today):
    """Its start date falls in the period, and is not to come."""
    last = min(period.ends_on, today)
    return bool(action.starts_on and period.starts_on <= action.starts_on <= last)


def existed_by(action, period):
    return action.created_at < period.end_moment or bool(
        action.starts_on and action.starts_on <= period.ends_on
    )


@dataclass
class Figure:
    """One key figure: its value in the period and in the previous one (None: not known,
    written « non renseigné »), and what the reader should know about it."""

    label: str
    value: int | None
    previous: int | None
    note: str = ""
    previous_note: str = ""

    @property
    def change(self):
        """« +3 », « −2 », « = » (a true minus sign), or "" when one side is unknown."""
        if self.value is None or self.previous is None:
            return ""
        difference = self.value - self.previous
        if difference == 0:
            return "="
        return f"+{difference}" if difference > 0 else f"\u2212{-difference}"


def action_figures(actions, period, today):
    """(finished, started, late, abandoned) as Figures, from actions_until()."""
    previous = period.previous()
    counts = {key: [0, 0] for key in ("done", "started", "late", "abandoned")}
    for action in actions:
        sides = [(0, "end", period)]
        if existed_by(action, previous):
            sides.append((1, "before", previous))
        for side, prefix, span in sides:
            status = status_on(action, prefix, span.ends_on, today)
            counts["done"][side] += closed_in(action, prefix, span, ActionStatus.DONE)
            counts["abandoned"][side] += closed_in(action, prefix, span, ActionStatus.ABANDONED)
            counts["late"][side] += late_at_end(action, status, span, today)
            counts["started"][side] += started_in(action, span, today)
    return [
        Figure("Actions réalisées", *counts["done"]),
        Figure("Actions commencées", *counts["started"]),
        Figure("Actions en retard à la fin de la période", *counts["late"]),
        Figure("Actions abandonnées", *counts["abandoned"]),
    ]


def starting_in(period):
    """Meetings starting in the period (a filter)."""
    return Q(starts_at__gte=period.start_moment, starts_at__lt=period.end_moment)


def meeting_figures(period, now):
    """Meetings held and their attendance, in one query for both periods. Attendance is
    the sum of the numbers the team entered; meetings without one are said, never
    counted as nobody."""
    sides = {"end": period, "before": period.previous()}
    aggregates = {}
    for prefix, span in sides.items():
        within = starting_in(span)
        aggregates[f"{prefix}_held"] = Count("pk", filter=within)
        aggregates[f"{prefix}_people"] = Sum("participants_count", filter=within)
        aggregates[f"{prefix}_unknown"] = Count(
            "pk", filter=within & Q(participants_count__isnull=True)
        )
    totals = Meeting.objects.held(now).aggregate(**aggregates)
    attendance = [_attendance(totals, prefix) for prefix in sides]
    return [
        Figure("Réunions tenues", totals["end_held"], totals["before_held"]),
        Figure(
            "Participants aux réunions tenues",
            attendance[0][0],
            attendance[1][0],
            note=attendance[0][1],
            previous_note=attendance[1][1],
        ),
    ]


def _attendance(totals, prefix):
    """(sum of the known attendance or None, what is missing)."""
    held, unknown = totals[f"{prefix}_held"], totals[f"{prefix}_unknown"]
    if not held:
        return None, "aucune réunion tenue"
    if unknown == held:
        return None, "non renseigné"
    if unknown:
        plural = "s" if unknown > 1 else ""
        return totals[f"{prefix}_people"], f"{unknown} réunion{plural} non renseignée{plural}"
    return totals[f"{prefix}_people"], ""


def count_figure(label, queryset, field, period, note=""):
    """How many rows of `queryset` have `field` (a date) in the period and in the
    previous one, in one query."""
    previous = period.previous()
    totals = queryset.aggregate(
        end=Count("pk", filter=Q(**{f"{field}__range": (period.starts_on, period.ends_on)})),
        before=Count("pk", filter=Q(**{f"{field}__range": (previous.starts_on, previous.ends_on)})),
    )
    return Figure(label, totals["end"], totals["before"], note=note)


def follower_figure(period):
    """Confirmed followers at the end of each period. Those who left since are gone with
    their address: they are counted in neither."""
    totals = Subscription.objects.confirmed().aggregate(
        end=Count("pk", filter=Q(confirmed_at__lt=period.end_moment)),
        before=Count("pk", filter=Q(confirmed_at__lt=period.previous().end_moment)),
    )
    return Figure("Abonnés aux nouvelles à la fin de la période", totals["end"], totals["before"])


def points_figure(period):
    return count_figure("Points d'étape écrits", PointEtape.objects.all(), "date", period)
