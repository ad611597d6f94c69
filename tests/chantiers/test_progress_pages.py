"""The public pages of where the chantiers stand: « Où en est-on ? » on a chantier's page,
an action's page and its journal, /avancement/ (filter, fragment, journal pages), what a
meeting page and the home page say of actions, « Mon espace » of a pilot."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chantiers.models import ActionStatus
from tests.accounts.helpers import make_account
from tests.chantiers.factories import ActionFactory, PointEtapeFactory
from tests.chantiers.pages import HTMX, html_of, past, soon
from tests.diagnostic.factories import DocumentFactory
from tests.factories import ChantierFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def chantier():
    chantier = ChantierFactory(title="Dessine-moi ton agriculture !", slug="agriculture")
    ActionFactory.create_batch(2, chantier=chantier, status=ActionStatus.DONE)
    ActionFactory(
        chantier=chantier,
        title="Fermes ouvertes",
        slug="fermes-ouvertes",
        progress=40,
        planned_end_on=TODAY() + timedelta(days=20),
    )
    ActionFactory(
        chantier=chantier,
        title="Carte des circuits courts",
        slug="carte",
        progress=10,
        starts_on=None,
        planned_end_on=TODAY() - timedelta(days=3),
    )
    ActionFactory(chantier=chantier, status=ActionStatus.PLANNED, title="Marché de saison")
    return chantier


def test_the_chantier_page_opens_with_where_it_stands(client, chantier):
    action = chantier.actions.get(slug="fermes-ouvertes")
    PointEtapeFactory(action=action, date=TODAY() - timedelta(days=9), title="Ancien point")
    PointEtapeFactory(
        action=action, date=TODAY() - timedelta(days=1), title="Six fermes volontaires"
    )
    meeting = soon(5, chantier=chantier, title="Intersession de décembre")
    html = html_of(client.get("/chantiers/agriculture/"))
    section = html[html.index('id="avancement"') : html.index('id="actions"')]
    assert "2 actions réalisées, 2 en cours, 1 à venir." in section
    assert "1 action en retard" in section
    # (100 + 100 + 40 + 10 + 0) / 5
    assert '<progress id="avancement-chantier" max="100" value="50">' in section
    assert "Avancement moyen des actions : <strong>50 %</strong>" in section
    assert "Six fermes volontaires" in section and "Ancien point" not in section
    assert "Fermes ouvertes</a>, fin prévue le" in section
    assert f'href="{meeting.get_absolute_url()}">Intersession de décembre</a>' in section
    actions = html[html.index('id="actions"') :]
    assert actions.index("Carte des circuits courts") < actions.index("Marché de saison")
    assert 'href="/chantiers/agriculture/actions/fermes-ouvertes/"' in actions
    assert actions.count("En retard") == 1
    assert html.index('id="avancement"') < html.index('id="ecosysteme"')


def test_a_chantier_without_actions_says_so(client):
    ChantierFactory(slug="vide")
    html = html_of(client.get("/chantiers/vide/"))
    assert "Aucune action publiée pour le moment." in html
    assert "<progress" not in html
    assert "Aucun pour le moment." in html


def test_an_action_page_with_its_journal_newest_first(client, chantier):
    action = chantier.actions.get(slug="carte")
    pilot = TeamMemberFactory(name="Camille Martin")
    action.team_pilots.add(pilot)
    meeting = past(20, chantier=chantier, title="Intersession d'octobre")
    action.meetings.add(meeting)
    PointEtapeFactory(action=action, date=TODAY() - timedelta(days=30), title="Premier relevé")
    PointEtapeFactory(
        action=action,
        date=TODAY() - timedelta(days=2),
        title="Carte en ligne",
        new_progress=10,
        meeting=meeting,
    )
    DocumentFactory(title="Carte provisoire", slug="carte-provisoire").actions.add(action)
    DocumentFactory(title="Note aux élus", slug="note", visibility="elus").actions.add(action)
    response = client.get("/chantiers/agriculture/actions/carte/")
    assert response.status_code == 200
    html = html_of(response)
    assert "<h1>Carte des circuits courts</h1>" in html
    assert '<span class="badge badge--late">En retard</span>' in html
    assert "(dépassée)" in html and "Camille Martin" in html
    assert html.index("Carte en ligne") < html.index("Premier relevé")
    assert "2 points d'étape, le plus récent d'abord." in html
    assert "Issu de la réunion" in html and "Intersession d'octobre" in html
    assert "Carte provisoire" in html and "Note aux élus" not in html


def test_an_unknown_action_or_an_action_of_another_chantier_is_404(client, chantier):
    ChantierFactory(slug="autre")
    assert client.get("/chantiers/agriculture/actions/inconnue/").status_code == 404
    assert client.get("/chantiers/autre/actions/carte/").status_code == 404


def test_avancement_shows_every_chantier_and_filters_by_status(client, chantier):
    ChantierFactory(title="Épargne locale", slug="epargne", order=0)
    html = html_of(client.get("/avancement/"))
    assert "<h1>Où en est-on ?</h1>" in html
    assert html.index("Épargne locale") < html.index("Dessine-moi ton agriculture !")
    assert "5 actions en tout" in html
    assert "Aucune action publiée pour le moment." in html  # the chantier without any
    filtered = html_of(client.get("/avancement/?statut=realisee"))
    assert filtered.count('<li class="action-item') == 2
    assert "2 actions « réalisée »" in filtered
    late = html_of(client.get("/avancement/?statut=en_retard"))
    assert late.count('<li class="action-item') == 1 and "Carte des circuits courts" in late


def test_avancement_fragment_for_htmx_pushes_a_short_url(client, chantier):
    response = client.get("/avancement/?statut=a_venir", **HTMX)
    html = html_of(response)
    assert "<html" not in html and "<h1" not in html
    assert html.count('<li class="action-item') == 1
    assert 'id="avancement-compte" data-hx-swap-oob="innerHTML">1 action « à venir »' in html
    assert response["HX-Push-Url"] == "/avancement/?statut=a_venir"
    assert "HX-Request" in response["Vary"]


def test_an_unknown_status_is_ignored_with_a_message(client, chantier):
    html = html_of(client.get("/avancement/?statut=zzz"))
    assert "Ce filtre n'existe pas : il a été ignoré." in html
    assert html.count('<li class="action-item') == 5


def test_the_project_journal_is_paginated_newest_first(client, chantier):
    action = chantier.actions.get(slug="fermes-ouvertes")
    for days in range(12):
        PointEtapeFactory(
            action=action, date=TODAY() - timedelta(days=days), title=f"Point J-{days}"
        )
    first = html_of(client.get("/avancement/"))
    assert "12 points d'étape, le plus récent d'abord ; page 1 sur 2." in first
    assert first.index("Point J-0<") < first.index("Point J-9<")
    assert "Point J-10<" not in first
    assert 'href="?page=2#journal" rel="next"' in first
    second = html_of(client.get("/avancement/?page=2"))
    assert "Point J-10<" in second and "Point J-11<" in second and "Point J-0<" not in second
    assert html_of(client.get("/avancement/?page=99")).count("Point J-11<") == 1


def test_a_meeting_page_lists_its_actions_and_points_d_etape(client, chantier):
    meeting = past(10, chantier=chantier, title="Intersession de printemps")
    action = chantier.actions.get(slug="fermes-ouvertes")
    action.meetings.add(meeting)
    PointEtapeFactory(action=action, meeting=meeting, title="Décision de lancer")
    html = html_of(client.get(meeting.get_absolute_url()))
    assert "Actions décidées ou discutées" in html
    assert 'href="/chantiers/agriculture/actions/fermes-ouvertes/">Fermes ouvertes</a>' in html
    assert "Points d'étape issus de cette réunion" in html and "Décision de lancer" in html


def test_a_meeting_without_actions_has_no_such_section(client, chantier):
    html = html_of(client.get(past(10, chantier=chantier).get_absolute_url()))
    assert "Actions décidées ou discutées" not in html


def test_the_home_page_says_where_each_chantier_stands(client, chantier):
    action = chantier.actions.get(slug="fermes-ouvertes")
    for days in range(4):
        PointEtapeFactory(
            action=action, date=TODAY() - timedelta(days=days), title=f"Point J-{days}"
        )
    DocumentFactory(title="Étude des circuits courts", slug="etude")
    html = html_of(client.get("/"))
    section = html[html.index('id="avancement"') : html.index('id="documents-recents"')]
    assert (
        "Dessine-moi ton agriculture !</a> : 2 actions réalisées, 2 en cours, 1 à venir." in section
    )
    assert "Point J-0" in section and "Point J-2" in section and "Point J-3" not in section
    assert "Étude des circuits courts" in html[html.index('id="documents-recents"') :]
    assert 'href="/avancement/"' in section


def test_my_space_lists_the_actions_a_pilot_should_update(client, chantier):
    user = make_account("equipe")
    member = TeamMemberFactory(user=user)
    late = chantier.actions.get(slug="carte")
    on_time = chantier.actions.get(slug="fermes-ouvertes")
    PointEtapeFactory(action=on_time)
    late.team_pilots.add(member)
    on_time.team_pilots.add(member)
    client.force_login(user)
    html = html_of(client.get("/compte/"))
    section = html[html.index('id="actions-a-suivre"') :]
    assert "Carte des circuits courts" in section and "Fermes ouvertes" not in section
    assert f'href="/admin/chantiers/action/{late.pk}/change/"' in section


def test_avancement_shows_the_chantiers_a_page_at_a_time(client, chantier, monkeypatch):
    monkeypatch.setattr("chantiers.views.progress.COLUMNS_PAGE_SIZE", 2)
    chantier.order = 1
    chantier.save()
    ChantierFactory(title="Épargne locale", slug="epargne", order=0)
    last = ChantierFactory(title="Mobilités", slug="mobilites", order=9)
    late = ActionFactory(chantier=last, title="Navette", planned_end_on=TODAY() - timedelta(1))
    PointEtapeFactory(action=late, title="Premier trajet")
    first = html_of(client.get("/avancement/"))
    assert "Épargne locale" in first and 'id="colonne-agriculture"' in first
    assert 'id="colonne-mobilites"' not in first
    assert "6 actions en tout" in first  # all the chantiers' actions, not the page's
    assert '<span aria-current="page">Chantiers 1 à 2 sur 3</span>' in first
    assert '<a href="?chantiers=2#chantiers-avancement" rel="next">Chantiers suivants</a>' in first
    # The journal names the chantiers of the other pages too.
    assert "Action <a" in first and ", chantier Mobilités</p>" in first
    second = html_of(client.get("/avancement/?chantiers=2"))
    assert 'id="colonne-mobilites"' in second and 'id="colonne-agriculture"' not in second
    assert '<a href="?#chantiers-avancement"' not in second
    assert '<a href="?chantiers=1#chantiers-avancement" rel="prev">' in second
    assert "Chantiers suivants" not in second
    # An old link past the end: the last page.
    assert 'id="colonne-mobilites"' in html_of(client.get("/avancement/?chantiers=9"))
    # The filter and the journal's page are kept from one page to the other.
    filtered = html_of(client.get("/avancement/?statut=en_retard&page=1"))
    assert "2 actions « en retard »" in filtered
    assert 'href="?statut=en_retard&amp;chantiers=2#chantiers-avancement"' in filtered
    for days in range(12):
        PointEtapeFactory(action=late, date=TODAY() - timedelta(days=days))
    journal = html_of(client.get("/avancement/?chantiers=2"))
    assert 'href="?chantiers=2&amp;page=2#journal" rel="next"' in journal
    assert 'href="?page=2&amp;chantiers=1#chantiers-avancement" rel="prev"' not in journal


def test_avancement_on_a_single_page_has_no_pages(client, chantier):
    html = html_of(client.get("/avancement/"))
    assert "Pages des chantiers" not in html and "Chantiers suivants" not in html


def test_the_chantier_and_action_pages_read_their_documents_without_a_query_each(
    client, chantier, django_assert_num_queries
):
    action = chantier.actions.get(slug="fermes-ouvertes")
    for index in range(3):
        document = DocumentFactory(chantier=chantier, title=f"Étude {index}")
        document.actions.add(action)
    # Both pages: + the footer's accessibility statement.
    with django_assert_num_queries(11) as captured:
        html = html_of(client.get("/chantiers/agriculture/"))
    assert html.count("Étude ") >= 3
    assert not [q for q in captured if 'WHERE "chantiers_chantier"."id" =' in q["sql"]]
    with django_assert_num_queries(9):
        html = html_of(client.get(action.get_absolute_url()))
    assert html.count("Étude ") >= 3
