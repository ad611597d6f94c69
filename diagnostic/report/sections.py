"""The whole report for a period: its key figures, a section per chantier, the
indicators. A fixed number of queries whatever the number of rows: each kind of row is
read once for every chantier, then handed to its chantier in Python. Only public
content: documents reserved to elected officials are left out."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from chantiers.models import ActionStatus, Chantier, Meeting, PointEtape, action_url
from diagnostic.models import Document, IndicatorValue, RevenueDiagnostic
from diagnostic.report import figures
from diagnostic.report.period import Period

# Meetings « à venir » of each chantier: those of the next three months, at most three.
UPCOMING_HORIZON = timedelta(days=92)
UPCOMING_SHOWN = 3
CHANTIER_FIELDS = ("is_demo", "slug", "order", "title", "demo_title", "status")


@dataclass
class ChantierSection:
    chantier: Chantier
    actions: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)
    documents: list = field(default_factory=list)


@dataclass
class Report:
    period: Period
    today: object
    figures: list
    chantiers: list
    general_documents: list
    indicators: list
    revenue: RevenueDiagnostic | None
    has_demo: bool

    @property
    def previous(self):
        return self.period.previous()


def build_report(period, *, today=None, now=None):
    """The report of `period`, as the content stands now."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    chantiers = list(Chantier.objects.in_order().only(*CHANTIER_FIELDS))
    sections = {chantier.pk: ChantierSection(chantier) for chantier in chantiers}
    actions = _actions(period, today, sections)
    meetings = _meetings(period, now, sections)
    documents, general_documents, document_figure = _documents(period, sections)
    indicators = _indicator_values(period)
    revenue = RevenueDiagnostic.objects.in_order().first()
    key_figures = [
        *figures.meeting_figures(period, now),
        *figures.action_figures(actions, period, today),
        figures.points_figure(period),
        document_figure,
        figures.follower_figure(period),
    ]
    demo_rows = [*chantiers, *actions, *meetings, *documents, *indicators]
    demo_rows += [point for action in actions for point in action.period_points]
    return Report(
        period=period,
        today=today,
        figures=key_figures,
        chantiers=list(sections.values()),
        general_documents=general_documents,
        indicators=indicators,
        revenue=revenue,
        has_demo=any(row.is_demo for row in demo_rows) or bool(revenue and revenue.is_demo),
    )


def _actions(period, today, sections):
    """The actions, each with where it stood at the end of the period and its points
    d'étape of the period (oldest first), given to their chantier."""
    actions = figures.actions_until(period)
    by_id = {action.pk: action for action in actions}
    for action in actions:
        action.period_points = []
    points = PointEtape.objects.filter(date__range=(period.starts_on, period.ends_on))
    for point in points.order_by("date", "created_at", "pk"):
        if point.action_id in by_id:
            by_id[point.action_id].period_points.append(point)
    for action in actions:
        section = sections[action.chantier_id]
        action.chantier = section.chantier
        action.url = action_url(section.chantier.slug, action.slug)
        status = figures.status_on(action, "end", period.ends_on, today)
        action.end_status = ActionStatus(status)
        action.end_progress = figures.progress_at_end(action, status, period, today)
        action.late_at_end = figures.late_at_end(action, status, period, today)
        section.actions.append(action)
    return actions


def _meetings(period, now, sections):
    """Meetings held in the period and those to come, each under every chantier it
    concerns (its chantier for an intersession, the chantiers of a Session)."""
    held = (
        Meeting.objects.held(now)
        .filter(figures.starting_in(period))
        .with_listed_chantiers()
        .order_by("starts_at", "pk")
    )
    held = list(held)
    for meeting in held:
        for chantier_id in _concerned(meeting):
            sections[chantier_id].meetings.append(meeting)
    upcoming = (
        Meeting.objects.upcoming(now)
        .not_cancelled()
        .filter(starts_at__lt=now + UPCOMING_HORIZON)
        .with_listed_chantiers()
    )
    for meeting in upcoming:
        for chantier_id in _concerned(meeting):
            listed = sections[chantier_id].upcoming
            if len(listed) < UPCOMING_SHOWN:
                listed.append(meeting)
    return held


def _concerned(meeting):
    if meeting.chantier_id:
        return [meeting.chantier_id]
    return [chantier.pk for chantier in meeting.concerned_chantiers]


def _documents(period, sections):
    """Public documents published in the period (by chantier, and those of the whole
    démarche), and their count beside the previous period's, in one query."""
    previous = period.previous()
    rows = Document.objects.public().filter(
        published_on__range=(previous.starts_on, period.ends_on)
    )
    documents, general, before = [], [], 0
    for document in rows.order_by("published_on", "title"):
        if not period.contains(document.published_on):
            before += 1
            continue
        documents.append(document)
        if document.chantier_id in sections:
            sections[document.chantier_id].documents.append(document)
        else:
            general.append(document)
    return documents, general, figures.Figure("Documents publics publiés", len(documents), before)


def _indicator_values(period):
    """The Bonheur Local Brut values measured in the period, each with the indicator's
    value before it and the trend in words."""
    earlier = IndicatorValue.objects.filter(
        indicator=OuterRef("indicator"), measured_on__lt=OuterRef("measured_on")
    ).order_by("-measured_on")
    values = list(
        IndicatorValue.objects.filter(measured_on__range=(period.starts_on, period.ends_on))
        .select_related("indicator__axis")
        .annotate(
            previous_value=Subquery(earlier.values("value")[:1]),
            previous_on=Subquery(earlier.values("measured_on")[:1]),
        )
        .order_by("indicator__axis__order", "indicator__order", "indicator__name", "measured_on")
    )
    for value in values:
        value.trend = trend_words(value.value, value.previous_value, value.indicator)
    return values


def trend_words(value, previous, indicator):
    """« en hausse, dans le sens souhaité », « stable », « première mesure »..."""
    if previous is None:
        return "première mesure"
    if value == previous:
        return "stable"
    up = value > previous
    direction = "en hausse" if up else "en baisse"
    wanted = up if indicator.higher_is_better else not up
    return f"{direction}, {'dans le sens souhaité' if wanted else 'à l’inverse du sens souhaité'}"
