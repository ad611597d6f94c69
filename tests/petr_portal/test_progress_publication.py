"""Actions and points d'étape where the site publishes: the Atom feed, the site search,
the sitemap and the open data (CSV and JSON, in the data package)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chantiers.models import ActionStatus
from tests.chantiers.factories import ActionFactory, PointEtapeFactory
from tests.factories import ChantierFactory, MeetingFactory, TeamMemberFactory
from tests.petr_portal.test_feed_sitemap_robots import atom, entries, sitemap
from tests.petr_portal.test_opendata import read_csv, read_json

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def action():
    chantier = ChantierFactory(title="Mobilisation de l'épargne locale", slug="epargne")
    action = ActionFactory(
        chantier=chantier,
        title="Ouvrir une caisse locale",
        slug="caisse",
        description="Une caisse pour financer les projets du territoire.",
        progress=30,
        starts_on=TODAY() - timedelta(days=200),
        planned_end_on=TODAY() - timedelta(days=5),
    )
    action.team_pilots.add(TeamMemberFactory(name="Camille Martin"))
    return action


def test_points_d_etape_are_entries_of_the_feed(client, action):
    point = PointEtapeFactory(
        action=action,
        date=TODAY() - timedelta(days=1),
        title="Statuts déposés",
        text="Les statuts de la **caisse** sont déposés.",
        new_status=ActionStatus.IN_PROGRESS,
        new_progress=30,
    )
    found = [e for e in entries(atom(client)) if e["title"].startswith("Point d'étape")]
    assert len(found) == 1
    entry = found[0]
    assert entry["title"] == "Point d'étape\u00a0: Statuts déposés"
    assert entry["id"] == f"tag:petr-fqvd.fr,2026:point-etape:{point.pk}"
    assert entry["link"] == f"http://testserver/chantiers/epargne/actions/caisse/#point-{point.pk}"
    assert entry["published"].startswith((TODAY() - timedelta(days=1)).isoformat())
    summary = entry["summary"]
    assert "Action «\u00a0Ouvrir une caisse locale\u00a0»" in summary
    assert "nouveau statut\u00a0: en cours" in summary and "30\u00a0%" in summary
    assert "Les statuts de la caisse sont déposés." in summary  # Markdown as plain text


def test_a_demo_point_d_etape_says_so_in_the_feed(client, action):
    PointEtapeFactory(action=action, title="Exemple", is_demo=True)
    titles = [e["title"] for e in entries(atom(client))]
    assert "Point d'étape (démo)\u00a0: Exemple" in titles


def test_the_search_finds_actions_and_points_d_etape(client, action):
    PointEtapeFactory(action=action, title="Assemblée constitutive", text="Trente épargnants.")
    html = client.get("/recherche/", {"q": "caisse"}).content.decode()
    assert 'href="/chantiers/epargne/actions/caisse/"' in html
    assert "Actions" in html and "En retard" in html
    found = client.get("/recherche/", {"q": "epargnants", "type": "points-etape"})
    html = found.content.decode()
    assert "Assemblée constitutive" in html
    assert "/chantiers/epargne/actions/caisse/#point-" in html


def test_the_sitemap_lists_avancement_and_every_action_dated_by_its_journal(client, action):
    later = timezone.now() + timedelta(days=3)
    point = PointEtapeFactory(action=action)
    type(point).objects.filter(pk=point.pk).update(updated_at=later)
    urls = sitemap(client)
    assert "http://testserver/avancement/" in urls
    assert urls["http://testserver/chantiers/epargne/actions/caisse/"] == (
        timezone.localdate(later).isoformat()
    )
    assert urls["http://testserver/avancement/"] == timezone.localdate(later).isoformat()


def test_actions_and_points_d_etape_as_open_data(client, action):
    meeting = MeetingFactory(chantier=action.chantier, slug="intersession-1")
    action.meetings.add(meeting)
    point = PointEtapeFactory(
        action=action,
        date=TODAY() - timedelta(days=2),
        title="Statuts",
        meeting=meeting,
        new_status=ActionStatus.IN_PROGRESS,
    )
    rows = read_csv(client, "actions")
    assert len(rows) == 1
    row = rows[0]
    assert row["chantier"] == "epargne" and row["slug"] == "caisse"
    assert row["statut"] == "En cours"
    assert row["en_retard"] in ("true", "oui", "True", "1")
    assert row["avancement"] == "30"
    assert row["pilotes_equipe"] == "Camille Martin"
    assert row["reunions"] == "intersession-1"
    assert row["adresse"] == "http://testserver/chantiers/epargne/actions/caisse/"
    data = read_json(client, "points-etape")
    records = data["lignes"]
    assert records[0]["titre"] == "Statuts"
    assert records[0]["nouveau_statut"] == "En cours"
    assert records[0]["reunion"] == "intersession-1"
    assert records[0]["adresse"].endswith(f"/chantiers/epargne/actions/caisse/#point-{point.pk}")
    package = client.get("/donnees/datapackage.json").json()
    names = [resource["name"] for resource in package["resources"]]
    assert names[:4] == ["chantiers", "reunions", "actions", "points-etape"]
