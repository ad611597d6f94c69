"""The line under each hit's title, as each kind's template writes it (Kind.hit_template):
badges, dates, places, ecosystems; on SQLite and, with DATABASE_URL, on PostgreSQL."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from chantiers.models import ChantierStatus, MeetingStatus
from core import search
from diagnostic.models import Visibility
from tests.chantiers.factories import ActionFactory, PointEtapeFactory
from tests.diagnostic.factories import AxisFactory, DocumentFactory, IndicatorFactory
from tests.factories import (
    ActorFactory,
    ChantierFactory,
    MeetingFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DEMO = '<span class="badge badge--demo" title="Contenu de démonstration, fictif">démo</span>'


def _meta(client, query, kind, user=None):
    """The meta line of each hit of one kind, whitespace folded, with its link."""
    if user:
        client.force_login(user)
    html = client.get("/recherche/", {"q": query, "type": kind}).content.decode()
    hits = html.split('<li class="search-hit">')[1:]
    lines = []
    for hit in hits:
        link = hit.split('<a href="', 1)[1].split('"', 1)[0]
        meta = hit.split('<p class="search-hit__meta">', 1)[1].split("</p>", 1)[0]
        lines.append((link, re.sub(r"[ \n]+", " ", meta).strip()))  # not the nbsp
    return lines


def test_a_chantier_shows_its_state_and_the_demo_label_of_a_demo_name(client):
    ChantierFactory(title="Chantier 4", demo_title="Vergers partagés", slug="vergers")
    ChantierFactory(title="Vergers de Figeac", slug="figeac", status=ChantierStatus.PAUSED)
    lines = dict(_meta(client, "vergers", "chantiers"))
    assert lines["/chantiers/vergers/"] == (
        '<span class="badge badge--en_action"><span class="visually-hidden">État&nbsp;: </span>'
        f"En action</span> {DEMO}"
    )
    assert lines["/chantiers/figeac/"].startswith('<span class="badge badge--en_pause">')
    assert DEMO not in lines["/chantiers/figeac/"]


def test_a_meeting_shows_its_kind_status_date_place_and_chantier(client):
    chantier = ChantierFactory(title="Épargne & <locale>")
    starts = timezone.make_aware(datetime(2031, 3, 11, 18, 30))
    MeetingFactory(
        title="Verger conservatoire",
        slug="verger",
        chantier=chantier,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2, minutes=30),
        place_commune="Cajarc",
        status=MeetingStatus.CANCELLED,
        is_demo=True,
    )
    [(link, line)] = _meta(client, "verger", "reunions")
    assert link == "/agenda/verger/"
    assert line == (
        '<span class="badge badge--intersession">Intersession</span> '
        '<span class="badge badge--annulee">Annulée</span> '
        f"{DEMO} "
        '<span class="meta"><time datetime="2031-03-11T18:30:00+01:00">'
        "mardi 11\u00a0mars 2031, 18\u00a0h\u00a030\u00a0– 21\u00a0h</time>, Cajarc"
        " · chantier «&nbsp;Épargne &amp; &lt;locale&gt;&nbsp;»</span>"
    )


def test_an_actor_shows_its_ecosystems_in_their_order_and_links_to_the_first(
    client, django_assert_num_queries
):
    first = ChantierFactory(title="Agriculture", order=1, slug="agriculture")
    second = ChantierFactory(title="Épargne", order=2, slug="epargne")
    actor = ActorFactory(name="Ferme du Causse", organisation="GAEC du Causse", commune="Cajarc")
    MembershipFactory(actor=actor, chantier=second)
    MembershipFactory(actor=actor, chantier=first)
    ActorFactory(name="Ferme des Landes", organisation="", commune="Lacapelle")
    MembershipFactory(actor=ActorFactory(name="Ferme voisine", commune="Figeac"), chantier=second)
    lines = dict(_meta(client, "ferme", "acteurs"))
    assert lines["/chantiers/agriculture/#ecosysteme"] == (
        '<span class="badge badge--muted">Citoyen·ne</span> <span class="meta">GAEC du Causse,'
        " Cajarc · écosystèmes «&nbsp;Agriculture&nbsp;», «&nbsp;Épargne&nbsp;»</span>"
    )
    assert lines["/chantiers/epargne/#ecosysteme"].endswith(
        "Figeac · écosystème «&nbsp;Épargne&nbsp;»</span>"
    )
    assert lines["/equipe/"].endswith('<span class="meta">Lacapelle</span>')
    # The ecosystems of every actor found: one query for the whole group.
    with django_assert_num_queries(2):
        found = search.search("ferme", AnonymousUser(), kind="acteurs")
    assert [[m.chantier for m in hit.object.memberships.all()] for hit in found.groups[0].hits] == [
        [],  # Ferme des Landes
        [first, second],  # Ferme du Causse
        [second],  # Ferme voisine
    ]


def test_an_action_shows_its_status_lateness_and_chantier(client):
    ActionFactory(
        title="Fermes ouvertes",
        chantier=ChantierFactory(title="Agriculture"),
        planned_end_on=timezone.localdate() - timedelta(days=3),
    )
    [(_, line)] = _meta(client, "fermes", "actions")
    assert line == (
        '<span class="badge badge--en_cours"><span class="visually-hidden">Statut&nbsp;: </span>'
        'En cours</span> <span class="badge badge--late">En retard</span> '
        '<span class="meta">Action du chantier «&nbsp;Agriculture&nbsp;»</span>'
    )


def test_a_point_etape_shows_its_date_action_and_chantier(client):
    action = ActionFactory(title="L'atelier", chantier=ChantierFactory(title="Agriculture"))
    PointEtapeFactory(action=action, title="Visite du verger", date=date(2026, 3, 1))
    [(_, line)] = _meta(client, "verger", "points-etape")
    assert line == (
        '<span class="meta">Point d\'étape du <time datetime="2026-03-01">1er\u00a0mars 2026</time>'
        " · action «&nbsp;L&#x27;atelier&nbsp;», chantier «&nbsp;Agriculture&nbsp;»</span>"
    )


def test_a_document_shows_its_kind_visibility_date_and_file(client):
    DocumentFactory(title="Étude du verger", slug="etude", published_on=date(2024, 3, 1))
    DocumentFactory(
        title="Note du verger",
        slug="note",
        published_on=None,
        file=None,
        visibility=Visibility.RESERVED,
    )
    lines = dict(_meta(client, "verger", "documents", user=UserFactory(is_staff=True)))
    [study] = [line for link, line in lines.items() if "etude" in link]
    [note] = [line for link, line in lines.items() if "note" in link]
    assert study.startswith('<span class="badge badge--kind">Étude</span> <span class="meta">')
    assert 'Publié le <time datetime="2024-03-01">1 mars 2024</time> · PDF' in study
    assert note == (
        '<span class="badge badge--kind">Étude</span> '
        '<span class="badge badge--reserved">Réservé aux élus</span> '
        '<span class="meta">Date de publication à préciser · fichier pas encore disponible</span>'
    )


def test_an_indicator_shows_its_axis_and_unit(client):
    IndicatorFactory(name="Vergers plantés", axis=AxisFactory(name="Nature"), unit="hectares")
    IndicatorFactory(name="Vergers aimés", axis=AxisFactory(name="Liens"), unit="")
    lines = [line for _, line in _meta(client, "vergers", "indicateurs")]
    assert sorted(lines) == [
        '<span class="badge badge--muted">Axe liens</span>',
        '<span class="badge badge--muted">Axe nature</span> <span class="meta">En hectares</span>',
    ]
