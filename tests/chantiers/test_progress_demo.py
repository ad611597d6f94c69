"""Demo actions and journals: labelled, on every chantier, every status, one late and one
abandoned with its reason; `load_demo --remove` takes them all away (history included);
`load_territoire` invents none."""

import io

import pytest
from django.core.management import call_command

from chantiers import demo, demo_progress, territoire
from chantiers.models import Action, ActionStatus, Chantier, PointEtape
from tests.chantiers.factories import ActionFactory, PointEtapeFactory

pytestmark = pytest.mark.django_db


def test_load_territoire_invents_no_action():
    territoire.load()
    assert not Action.objects.exists() and not PointEtape.objects.exists()


def test_demo_actions_cover_every_chantier_and_status_labelled_as_demo():
    demo.load()
    created = demo_progress.load()
    actions = Action.objects.all()
    assert created == {"actions": actions.count(), "points d'étape": PointEtape.objects.count()}
    assert all(action.is_demo for action in actions)
    assert all(point.is_demo for point in PointEtape.objects.all())
    assert set(actions.values_list("chantier", flat=True)) == set(
        Chantier.objects.values_list("pk", flat=True)
    )
    assert set(actions.values_list("status", flat=True)) == set(ActionStatus.values)
    assert Action.objects.late().exists()
    abandoned = actions.get(status=ActionStatus.ABANDONED)
    assert "fictif" in abandoned.abandon_reason
    # The journals were written through the service: each status came from a point d'étape.
    for action in actions.exclude(status=ActionStatus.PLANNED):
        assert action.points.exclude(new_status="").order_by("-date").first().new_status == (
            action.status
        )
    for action in actions:
        action.full_clean()
    assert PointEtape.objects.filter(meeting__isnull=False).exists()


def test_remove_takes_every_demo_action_away_and_keeps_the_real_ones():
    demo.load()
    demo_progress.load()
    real = ActionFactory(chantier=Chantier.objects.first(), slug="reelle")
    PointEtapeFactory(action=real)
    removed = demo_progress.remove()
    assert removed["actions"] > 0 and removed["points d'étape"] > 0
    assert list(Action.objects.all()) == [real]
    assert PointEtape.objects.get().action == real
    assert not Action.history.filter(is_demo=True).exists()
    assert not PointEtape.history.filter(is_demo=True).exists()


def test_the_commands_load_and_remove_demo_actions():
    call_command("load_demo", stdout=(out := io.StringIO()))
    assert "avancement : créés" in out.getvalue()
    loaded = Action.objects.filter(is_demo=True).count()
    assert loaded > 0
    call_command("load_demo", stdout=io.StringIO())  # again: replaced, not doubled
    assert Action.objects.count() == loaded
    call_command("load_demo", "--remove", stdout=(out := io.StringIO()))
    assert "avancement : retirés" in out.getvalue()
    assert not Action.objects.exists() and not PointEtape.objects.exists()
