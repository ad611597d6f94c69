"""Actions and points d'étape: the rules of bad input (French messages, nothing saved),
« En retard » worked out and never stored, the summaries and their French plurals, the
actions waiting for news, and the service that applies a point d'étape to its action."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chantiers.models import Action, ActionStatus, PointEtape, ProgressSummary, count_actions
from chantiers.services.progress import record_point_etape
from tests.chantiers.factories import ActionFactory, PointEtapeFactory
from tests.factories import ChantierFactory, MeetingFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def messages(error):
    return [m for ms in error.value.message_dict.values() for m in ms]


# ---- Bad input ----


@pytest.mark.parametrize("progress", [101, -1])
def test_progress_outside_0_100_is_refused_in_french(progress):
    action = ActionFactory.build(chantier=ChantierFactory(), progress=progress)
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "L'avancement est un pourcentage : entre 0 et 100." in messages(error)
    assert not Action.objects.exists()


def test_the_database_refuses_a_progress_above_100_too():
    action = ActionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(progress=150)
    assert Action.objects.get(pk=action.pk).progress is None


def test_a_planned_end_before_the_start_is_refused():
    action = ActionFactory.build(
        chantier=ChantierFactory(), starts_on=TODAY(), planned_end_on=TODAY() - timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "La fin prévue ne peut pas précéder le début." in messages(error)


def test_an_action_slug_may_not_collide_within_its_chantier_but_may_elsewhere():
    first = ActionFactory(slug="caisse-locale")
    twin = ActionFactory.build(chantier=first.chantier, slug="caisse-locale")
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert any("a déjà cette adresse (slug)" in m for m in messages(error))
    assert Action.objects.count() == 1
    ActionFactory.build(chantier=ChantierFactory(), slug="caisse-locale").full_clean()


def test_an_abandoned_action_gives_its_reason():
    action = ActionFactory.build(chantier=ChantierFactory(), status=ActionStatus.ABANDONED)
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert error.value.message_dict["abandon_reason"] == [
        "Indiquez pourquoi l'action est abandonnée : elle est publiée."
    ]
    action.abandon_reason = "Le financement n'a pas été trouvé."
    action.full_clean()


def test_a_point_d_etape_in_the_future_is_refused_and_the_action_is_left_alone():
    action = ActionFactory(status=ActionStatus.PLANNED)
    with pytest.raises(ValidationError) as error:
        record_point_etape(
            action=action,
            on=TODAY() + timedelta(days=1),
            title="Demain",
            new_status=ActionStatus.DONE,
        )
    assert error.value.message_dict["date"] == [
        "Un point d'étape raconte ce qui s'est passé : sa date ne peut pas être dans le futur."
    ]
    assert not PointEtape.objects.exists()
    assert Action.objects.get(pk=action.pk).status == ActionStatus.PLANNED


def test_a_point_d_etape_with_a_progress_above_100_saves_nothing():
    action = ActionFactory(progress=20)
    with pytest.raises(ValidationError):
        record_point_etape(action=action, on=TODAY(), title="Trop", new_progress=120)
    assert not PointEtape.objects.exists()
    assert Action.objects.get(pk=action.pk).progress == 20


# ---- The service ----


def test_a_point_d_etape_applies_its_status_and_progress_and_the_history_keeps_both():
    action = ActionFactory(status=ActionStatus.PLANNED, progress=None)
    meeting = MeetingFactory(chantier=action.chantier)
    point = record_point_etape(
        action=action,
        on=TODAY(),
        title="Lancement",
        text="Le groupe est constitué.",
        new_status=ActionStatus.IN_PROGRESS,
        new_progress=15,
        meeting=meeting,
    )
    action.refresh_from_db()
    assert (action.status, action.progress) == (ActionStatus.IN_PROGRESS, 15)
    assert point.meeting == meeting and list(meeting.points_etape.all()) == [point]
    assert [h.status for h in action.history.order_by("history_date")] == [
        ActionStatus.PLANNED,
        ActionStatus.IN_PROGRESS,
    ]
    assert point.history.count() == 1


def test_a_point_without_news_leaves_the_action_as_it_is():
    action = ActionFactory(status=ActionStatus.IN_PROGRESS, progress=40)
    record_point_etape(action=action, on=TODAY(), title="Réunion de suivi")
    action.refresh_from_db()
    assert (action.status, action.progress) == (ActionStatus.IN_PROGRESS, 40)
    assert action.history.count() == 1


def test_an_abandonment_announced_by_a_point_gives_the_action_its_reason():
    action = ActionFactory()
    record_point_etape(
        action=action,
        on=TODAY(),
        title="Abandon",
        text="Aucun porteur n'a été trouvé.",
        new_status=ActionStatus.ABANDONED,
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.ABANDONED
    assert action.abandon_reason == "Aucun porteur n'a été trouvé."


# ---- « En retard » ----


@pytest.mark.parametrize(
    ("status", "days", "late"),
    [
        (ActionStatus.IN_PROGRESS, -1, True),
        (ActionStatus.PLANNED, -30, True),
        (ActionStatus.PAUSED, -1, True),
        (ActionStatus.IN_PROGRESS, 0, False),  # due today: not late yet
        (ActionStatus.DONE, -30, False),
        (ActionStatus.ABANDONED, -30, False),
        (ActionStatus.IN_PROGRESS, None, False),  # no planned end: never late
    ],
)
def test_late_is_derived_from_the_planned_end_and_the_status(status, days, late):
    end = None if days is None else TODAY() + timedelta(days=days)
    action = ActionFactory(
        status=status,
        starts_on=None,
        planned_end_on=end,
        abandon_reason="Raison." if status == ActionStatus.ABANDONED else "",
    )
    assert action.is_late is late
    annotated = Action.objects.with_lateness().get(pk=action.pk)
    assert annotated.late_now is late and annotated.is_late is late
    assert Action.objects.late().filter(pk=action.pk).exists() is late
    assert "late" not in {field.name for field in Action._meta.get_fields()}


def test_listed_is_in_order_with_lateness_worked_out_in_python():
    """The chantier page's list: same order and same lateness as the SQL annotations, ties
    within a status broken by planned end (none last), then title in the database's order."""
    chantier = ChantierFactory()
    today = TODAY()
    specs = [
        (ActionStatus.DONE, -10, "Zèbre"),
        (ActionStatus.PLANNED, None, "Bâtir"),
        (ActionStatus.IN_PROGRESS, 5, "école"),
        (ActionStatus.IN_PROGRESS, 5, "Étang"),
        (ActionStatus.IN_PROGRESS, -2, "Arbre"),
        (ActionStatus.PAUSED, -1, "Mare"),
        (ActionStatus.IN_PROGRESS, None, "abri"),
        (ActionStatus.ABANDONED, -40, "Haie"),
        (ActionStatus.PLANNED, 3, "Bâtir"),
    ]
    for number, (status, days, title) in enumerate(specs):
        ActionFactory(
            chantier=chantier,
            status=status,
            title=title,
            slug=f"action-{number}",
            starts_on=None,
            planned_end_on=None if days is None else today + timedelta(days=days),
            abandon_reason="Raison." if status == ActionStatus.ABANDONED else "",
        )
    ActionFactory()  # another chantier's
    expected = list(Action.objects.for_chantier(chantier).with_lateness(today).in_order())
    with CaptureQueriesContext(connection) as queries:
        listed = Action.objects.for_chantier(chantier).listed(today)
    assert len(queries) == 1
    assert [a.pk for a in listed] == [a.pk for a in expected]
    assert [(a.status_rank, a.late_now) for a in listed] == [
        (a.status_rank, a.late_now) for a in expected
    ]
    assert sum(a.late_now for a in listed) == 2
    later = Action.objects.for_chantier(chantier).listed(today + timedelta(days=6))
    assert sum(a.late_now for a in later) == 5


def test_late_follows_the_day_without_any_write():
    action = ActionFactory(planned_end_on=TODAY() + timedelta(days=3))
    assert not Action.objects.late().exists()
    assert Action.objects.late(today=TODAY() + timedelta(days=4)).get() == action


# ---- Summaries ----


def test_count_actions_speaks_french():
    assert count_actions(1, ActionStatus.DONE) == "1\u00a0action réalisée"
    assert count_actions(2, ActionStatus.DONE) == "2\u00a0actions réalisées"
    assert count_actions(3, ActionStatus.IN_PROGRESS) == "3\u00a0actions en cours"
    assert count_actions(1, ActionStatus.ABANDONED) == "1\u00a0action abandonnée"
    assert count_actions(0) == "0\u00a0action"


def test_the_summary_of_a_chantier_in_one_line_with_its_average_progress():
    chantier = ChantierFactory()
    ActionFactory.create_batch(2, chantier=chantier, status=ActionStatus.DONE)
    for progress in (20, 40, 60):
        ActionFactory(chantier=chantier, status=ActionStatus.IN_PROGRESS, progress=progress)
    ActionFactory(chantier=chantier, status=ActionStatus.PLANNED)
    ActionFactory(
        chantier=chantier,
        status=ActionStatus.ABANDONED,
        abandon_reason="Raison.",
        progress=90,
    )
    summary = Action.objects.summaries()[chantier.pk]
    assert summary.text == (
        "2\u00a0actions réalisées, 3\u00a0en cours, 1\u00a0à venir, 1\u00a0abandonnée"
    )
    # (100 + 100 + 20 + 40 + 60 + 0) / 6, the abandoned one left out.
    assert summary.percent == 53
    assert summary.total == 7 and summary.late == 0
    same = ProgressSummary.of_actions(Action.objects.for_chantier(chantier))
    assert (same.text, same.percent, same.late) == (summary.text, summary.percent, 0)


def test_a_chantier_without_actions_says_so_and_has_no_progress():
    summary = ProgressSummary()
    assert summary.text == "Aucune action publiée pour le moment"
    assert summary.percent is None


def test_late_actions_are_counted_in_the_summary():
    action = ActionFactory(starts_on=None, planned_end_on=TODAY() - timedelta(days=2))
    ActionFactory(chantier=action.chantier)
    summary = Action.objects.summaries()[action.chantier_id]
    assert summary.text == "2\u00a0actions en cours"
    assert summary.late == 1 and summary.late_text == "1\u00a0action en retard"


def test_summaries_of_every_chantier_take_one_query_whatever_their_number():
    for size in (2, 12):
        for _ in range(size):
            ActionFactory(status=ActionStatus.DONE)
        with CaptureQueriesContext(connection) as queries:
            summaries = Action.objects.summaries()
        assert len(queries) == 1
        assert len(summaries) == Action.objects.values("chantier").distinct().count()


# ---- Actions waiting for news ----


def test_the_actions_a_member_pilots_that_are_late_or_quiet_for_three_months():
    member = TeamMemberFactory()
    late = ActionFactory(starts_on=None, planned_end_on=TODAY() - timedelta(days=1))
    quiet = ActionFactory()
    PointEtapeFactory(action=quiet, date=TODAY() - timedelta(days=100))
    followed = ActionFactory()
    PointEtapeFactory(action=followed, date=TODAY() - timedelta(days=100))
    PointEtapeFactory(action=followed, date=TODAY() - timedelta(days=10))
    fresh = ActionFactory()  # created today, no point yet: not waiting for news
    done = ActionFactory(
        status=ActionStatus.DONE, starts_on=None, planned_end_on=TODAY() - timedelta(days=30)
    )
    someone_elses = ActionFactory(starts_on=None, planned_end_on=TODAY() - timedelta(days=1))
    for action in (late, quiet, followed, fresh, done):
        action.team_pilots.add(member)
    found = set(Action.objects.piloted_by(member).needing_news())
    assert found == {late, quiet}
    assert someone_elses not in found
    # An old action that never had a point d'étape waits for news too.
    Action.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - timedelta(days=120))
    assert fresh in set(Action.objects.piloted_by(member).needing_news())
