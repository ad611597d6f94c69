"""The rapport d'avancement's figures on a hand-built month (tests/diagnostic/
report_content.py): both ends of the period included, the day after and the day before
left out, Paris time, the previous period of the same length, a meeting without
attendance, an action finished then reopened, reserved documents left out."""

from datetime import date

import pytest

from chantiers.models import ActionStatus
from diagnostic.report.period import Period, calendar_year, last_twelve_months, since
from diagnostic.report.sections import build_report
from tests.diagnostic.report_content import MARCH, NOW, TODAY, build_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def month():
    rows = build_month()
    return rows, build_report(MARCH, today=TODAY, now=NOW)


def figures(report):
    return {figure.label: figure for figure in report.figures}


def section(report, chantier):
    return next(s for s in report.chantiers if s.chantier == chantier)


def test_the_previous_period_has_the_same_length_and_ends_the_day_before():
    assert MARCH.previous() == Period(date(2025, 1, 29), date(2025, 2, 28))
    assert MARCH.previous().days == MARCH.days == 31
    leap = Period(date(2024, 2, 1), date(2024, 2, 29))
    assert leap.previous() == Period(date(2024, 1, 3), date(2024, 1, 31))


def test_the_shortcut_periods():
    assert last_twelve_months(date(2026, 5, 14)) == Period(date(2025, 5, 15), date(2026, 5, 14))
    assert last_twelve_months(date(2024, 2, 29)) == Period(date(2023, 3, 1), date(2024, 2, 29))
    assert calendar_year(2025) == Period(date(2025, 1, 1), date(2025, 12, 31))
    assert since(date(2025, 12, 31), date(2026, 3, 1)) == Period(date(2026, 1, 1), date(2026, 3, 1))
    assert since(date(2026, 3, 1), date(2026, 3, 1)) is None


def test_meetings_count_from_midnight_to_midnight_paris_time(month):
    rows, report = month
    held = section(report, rows["epargne"]).meetings
    assert [m.title for m in held] == ["Au premier instant", "Session de mars", "Le dernier soir"]
    # A Session is under each chantier it concerns.
    assert [m.title for m in section(report, rows["agriculture"]).meetings] == ["Session de mars"]
    figure = figures(report)["Réunions tenues"]
    # The eve at 23:59 belongs to the previous period; the next midnight to neither;
    # the cancelled one is not held.
    assert (figure.value, figure.previous) == (3, 1)
    assert figure.change == "+2"


def test_a_meeting_without_attendance_is_said_not_counted_as_nobody(month):
    _, report = month
    attendance = figures(report)["Participants aux réunions tenues"]
    assert attendance.value == 10 + 15
    assert attendance.note == "1 réunion non renseignée"
    assert attendance.previous == 7 and attendance.previous_note == ""


def test_attendance_unknown_for_every_meeting_is_not_a_zero(month):
    rows, _ = month
    type(rows["first_minute"]).objects.update(participants_count=None)
    attendance = figures(build_report(MARCH, today=TODAY, now=NOW))[
        "Participants aux réunions tenues"
    ]
    assert attendance.value is None and attendance.note == "non renseigné"
    assert attendance.change == ""
    empty = figures(build_report(Period(date(2020, 1, 1), date(2020, 1, 31)), today=TODAY, now=NOW))
    assert empty["Participants aux réunions tenues"].value is None
    assert empty["Participants aux réunions tenues"].note == "aucune réunion tenue"


def test_an_action_finished_then_reopened_in_the_period_is_not_finished(month):
    rows, report = month
    done = figures(report)["Actions réalisées"]
    # Counted: done on the last day. Not counted: done then reopened within March, done
    # on 1 April. The one done in February (reopened in March) counts for February.
    assert (done.value, done.previous) == (1, 1)
    by_title = {a.title: a for s in report.chantiers for a in s.actions}
    assert by_title["Réalisée puis rouverte"].end_status == ActionStatus.IN_PROGRESS
    assert by_title["Réalisée le dernier jour"].end_status == ActionStatus.DONE
    # Done on 1 April, after the month: at the end of March it was still to do, and late.
    assert by_title["Réalisée le lendemain"].end_status == ActionStatus.PLANNED
    assert by_title["Réalisée le lendemain"].late_at_end
    assert by_title["Réalisée le dernier jour"].end_progress == 100


def test_the_same_action_counted_in_its_own_month():
    rows = build_month()
    april = build_report(Period(date(2025, 4, 1), date(2025, 4, 30)), today=TODAY, now=NOW)
    assert figures(april)["Actions réalisées"].value == 1  # done on 1 April
    february = Period(date(2025, 2, 1), date(2025, 2, 28))
    report = build_report(february, today=TODAY, now=NOW)
    assert figures(report)["Actions réalisées"].value == 1
    by_title = {a.title: a for s in report.chantiers for a in s.actions}
    # The status of a past day, from the points d'étape, not today's status.
    assert by_title["Réalisée avant, rouverte pendant"].end_status == ActionStatus.DONE
    assert rows["done_before"].status == ActionStatus.IN_PROGRESS


def test_abandoned_late_and_started_actions(month):
    _, report = month
    table = figures(report)
    assert (table["Actions abandonnées"].value, table["Actions abandonnées"].previous) == (1, 0)
    late = table["Actions en retard à la fin de la période"]
    # « En retard » (planned end 15 March, still going) and « Réalisée le lendemain »
    # (planned end 25 March, done on 1 April); neither was late at the end of February.
    assert (late.value, late.previous) == (2, 0)
    started = table["Actions commencées"]
    # Started on the first and the last day; the day after and the eve are outside.
    assert (started.value, started.previous) == (2, 1)


def test_points_d_etape_of_the_period_newest_last(month):
    rows, report = month
    late = next(a for a in section(report, rows["epargne"]).actions if a.title == "En retard")
    assert [p.date for p in late.period_points] == [date(2025, 3, 1), date(2025, 3, 31)]
    table = figures(report)["Points d'étape écrits"]
    # 2 of « En retard », 1 each of reopened (2), done on the last day, done before
    # (its reopening), abandoned: 7 in March; 2 in the previous period.
    assert (table.value, table.previous) == (7, 2)


def test_only_public_documents_of_the_period(month):
    rows, report = month
    listed = [d.title for d in section(report, rows["epargne"]).documents]
    assert listed == ["doc_first_day", "doc_last_day"]
    assert "Note réservée" not in [d.title for d in report.general_documents]
    figure = figures(report)["Documents publics publiés"]
    assert (figure.value, figure.previous) == (2, 1)


def test_followers_at_the_end_of_each_period(month):
    _, report = month
    figure = figures(report)["Abonnés aux nouvelles à la fin de la période"]
    assert (figure.value, figure.previous) == (2, 1)


def test_indicator_values_of_the_period_with_the_previous_one_and_the_trend(month):
    _, report = month
    lines = {v.indicator.name: v for v in report.indicators}
    assert set(lines) == {"Lieux de coopération", "Kilomètres parcourus", "Premier relevé"}
    assert lines["Lieux de coopération"].previous_value == 10
    assert lines["Lieux de coopération"].trend == "en hausse, dans le sens souhaité"
    assert lines["Kilomètres parcourus"].trend == "en baisse, dans le sens souhaité"
    assert lines["Premier relevé"].trend == "première mesure"
    assert lines["Premier relevé"].previous_value is None


def test_the_revenue_diagnostic_s_reference_year(month):
    from tests.diagnostic.factories import revenue_diagnostic

    _, report = month
    assert report.revenue is None
    revenue_diagnostic(year=2019)
    assert build_report(MARCH, today=TODAY, now=NOW).revenue.year == 2019


def test_actions_made_after_the_period_are_not_in_it(month):
    from tests.chantiers.factories import ActionFactory

    rows, _ = month
    ActionFactory(chantier=rows["epargne"], title="Créée bien après", starts_on=None)
    report = build_report(MARCH, today=TODAY, now=NOW)
    assert "Créée bien après" not in [a.title for s in report.chantiers for a in s.actions]
