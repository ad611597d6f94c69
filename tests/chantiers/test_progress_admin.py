"""The team keeps actions and their journal in the admin: permissions (no deletion of
actions but by Administration), the history, bad input refused in French with nothing
saved, and the whole flow after a meeting, minutes and points d'étape in one form."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import sync_groups
from chantiers.models import Action, ActionStatus, Meeting, PointEtape
from core.roles import ADMINISTRATION, TEAM
from tests.accounts.helpers import make_account
from tests.chantiers.admin_helpers import POINTS_EMPTY, meeting_change_data, new_rows
from tests.chantiers.factories import ActionFactory, PointEtapeFactory
from tests.chantiers.pages import html_of, past
from tests.factories import ChantierFactory

pytestmark = pytest.mark.django_db

ACTIONS = "/admin/chantiers/action/"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def team_client(client):
    client.force_login(make_account("equipe"))
    return client


def action_data(chantier, **fields):
    data = {
        "chantier": chantier.pk,
        "title": "Ouvrir une caisse locale",
        "slug": "caisse-locale",
        "description": "Une *caisse* pour les projets du territoire.",
        "status": ActionStatus.PLANNED,
        "abandon_reason": "",
        "progress": "",
        "starts_on": "",
        "planned_end_on": "",
        **POINTS_EMPTY,
    }
    data.update(fields)
    return data


def test_the_groups_have_their_permissions_on_actions_and_points():
    sync_groups()
    team = set(Group.objects.get(name=TEAM).permissions.values_list("codename", flat=True))
    assert {
        "add_action",
        "change_action",
        "view_action",
        "add_pointetape",
        "change_pointetape",
        "view_pointetape",
    } <= team
    assert "delete_action" not in team and "delete_pointetape" not in team
    administration = set(
        Group.objects.get(name=ADMINISTRATION).permissions.values_list("codename", flat=True)
    )
    assert {"delete_action", "delete_pointetape", "add_action"} <= administration


def test_the_team_adds_an_action_and_cannot_delete_it(team_client):
    chantier = ChantierFactory()
    assert f'href="{ACTIONS}"' in team_client.get("/admin/").content.decode()
    response = team_client.post(ACTIONS + "add/", action_data(chantier, progress="10"))
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.chantier, action.slug, action.progress) == (chantier, "caisse-locale", 10)
    assert action.history.count() == 1
    assert team_client.get(f"{ACTIONS}{action.pk}/delete/").status_code == 403
    assert team_client.post(f"{ACTIONS}{action.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Action.objects.filter(pk=action.pk).exists()
    assert team_client.get(f"{ACTIONS}{action.pk}/history/").status_code == 200


def test_administration_may_delete_an_action(client):
    client.force_login(make_account("admin"))
    action = ActionFactory()
    PointEtapeFactory(action=action)
    response = client.post(f"{ACTIONS}{action.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Action.objects.exists() and not PointEtape.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"progress": "140"}, "L'avancement est un pourcentage : entre 0 et 100."),
        (
            {"starts_on": "10/05/2026", "planned_end_on": "01/05/2026"},
            "La fin prévue ne peut pas précéder le début.",
        ),
        (
            {"status": ActionStatus.ABANDONED},
            "Indiquez pourquoi l'action est abandonnée : elle est publiée.",
        ),
    ],
)
def test_bad_input_in_the_admin_is_refused_in_french_and_saves_nothing(
    team_client, fields, message
):
    response = team_client.post(ACTIONS + "add/", action_data(ChantierFactory(), **fields))
    assert response.status_code == 200
    assert message in html_of(response)
    assert not Action.objects.exists()


def test_a_colliding_slug_is_refused_in_the_admin(team_client):
    existing = ActionFactory(slug="caisse-locale")
    response = team_client.post(ACTIONS + "add/", action_data(existing.chantier))
    assert response.status_code == 200
    assert "Une autre action de ce chantier a déjà cette adresse (slug)" in html_of(response)
    assert Action.objects.count() == 1


def test_a_point_d_etape_added_on_the_action_page_updates_the_action(team_client):
    action = ActionFactory(status=ActionStatus.PLANNED)
    data = action_data(
        action.chantier,
        title=action.title,
        status=action.status,
        **new_rows(
            "points",
            {
                "date": timezone.localdate().strftime("%d/%m/%Y"),
                "title": "C'est parti",
                "text": "Premier atelier tenu.",
                "new_status": ActionStatus.IN_PROGRESS,
                "new_progress": "25",
                "meeting": "",
            },
        ),
    )
    data.pop("slug")  # read-only once the action exists
    response = team_client.post(f"{ACTIONS}{action.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    action.refresh_from_db()
    assert (action.status, action.progress) == (ActionStatus.IN_PROGRESS, 25)
    assert action.points.get().title == "C'est parti"


def test_after_a_meeting_the_team_writes_minutes_and_points_d_etape_in_one_form(team_client):
    """The flow from a meeting's admin page: minutes and the journal of two actions."""
    meeting = past(3, title="Intersession de novembre")
    first = ActionFactory(chantier=meeting.chantier, status=ActionStatus.PLANNED)
    second = ActionFactory(chantier=meeting.chantier, progress=30)
    url = f"/admin/chantiers/intersession/{meeting.pk}/change/"
    page = html_of(team_client.get(url))
    assert "points d'étape issus de cette réunion" in page.lower()
    held_on = timezone.localdate(meeting.starts_at).strftime("%d/%m/%Y")
    data = meeting_change_data(
        meeting,
        minutes="Vingt personnes ; deux actions avancent.",
        status="tenue",
        **new_rows(
            "points_etape",
            {
                "action": first.pk,
                "date": held_on,
                "title": "Action lancée",
                "text": "Le groupe de travail est constitué.",
                "new_status": ActionStatus.IN_PROGRESS,
                "new_progress": "",
            },
            {
                "action": second.pk,
                "date": held_on,
                "title": "À mi-chemin",
                "text": "",
                "new_status": "",
                "new_progress": "50",
            },
        ),
    )
    response = team_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.minutes == "Vingt personnes ; deux actions avancent."
    assert set(meeting.points_etape.values_list("title", flat=True)) == {
        "Action lancée",
        "À mi-chemin",
    }
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ActionStatus.IN_PROGRESS
    assert (second.status, second.progress) == (ActionStatus.IN_PROGRESS, 50)
    # The public meeting page now tells what came out of it.
    public = html_of(team_client.get(meeting.get_absolute_url()))
    assert "Points d'étape issus de cette réunion" in public
    assert "Action lancée" in public and "À mi-chemin" in public


def test_a_future_point_d_etape_from_a_meeting_is_refused_and_nothing_is_saved(team_client):
    meeting = past(3)
    action = ActionFactory(chantier=meeting.chantier, status=ActionStatus.PLANNED)
    url = f"/admin/chantiers/intersession/{meeting.pk}/change/"
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    data = meeting_change_data(
        meeting,
        minutes="Un compte rendu à garder.",
        **new_rows(
            "points_etape",
            {
                "action": action.pk,
                "date": tomorrow,
                "title": "Demain",
                "text": "",
                "new_status": ActionStatus.DONE,
                "new_progress": "",
            },
        ),
    )
    response = team_client.post(url, data)
    assert response.status_code == 200
    page = html_of(response)
    assert "sa date ne peut pas être dans le futur" in page
    assert "Un compte rendu à garder." in page  # what was typed is kept
    assert not PointEtape.objects.exists()
    assert Meeting.objects.get(pk=meeting.pk).minutes == ""
    assert Action.objects.get(pk=action.pk).status == ActionStatus.PLANNED


def test_a_meeting_offers_the_actions_of_its_chantier_only(team_client):
    meeting = past(3)
    own = ActionFactory(chantier=meeting.chantier, title="Action du chantier")
    other = ActionFactory(title="Action d'un autre chantier")
    page = html_of(team_client.get(f"/admin/chantiers/intersession/{meeting.pk}/change/"))
    assert f'<option value="{own.pk}">' in page
    assert f'<option value="{other.pk}">' not in page


def test_an_action_offers_the_meetings_of_its_chantier(team_client):
    action = ActionFactory()
    own = past(5, chantier=action.chantier, title="Intersession du chantier")
    elsewhere = past(5, title="Intersession d'ailleurs")
    page = html_of(team_client.get(f"{ACTIONS}{action.pk}/change/"))
    meetings = page.split('name="meetings"')[1].split("</select>")[0]
    assert f'<option value="{own.pk}">' in meetings
    assert f'<option value="{elsewhere.pk}">' not in meetings
