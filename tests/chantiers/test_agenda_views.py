"""The agenda and the meeting pages, their htmx fragments and their filters."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from chantiers.models import MeetingStatus
from tests.chantiers.factories import AttachmentFactory
from tests.chantiers.pages import HTMX, html_of, past, soon
from tests.factories import (
    ChantierFactory,
    MeetingFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

# ---- /agenda/ ----


def test_agenda_lists_upcoming_first_then_past_with_type_chantier_and_french_date(client):
    chantier = ChantierFactory(title="Épargne locale")
    old = MeetingFactory(
        chantier=chantier,
        title="Vieille intersession",
        starts_at=datetime(2019, 3, 12, 17, 30, tzinfo=UTC),
        ends_at=datetime(2019, 3, 12, 20, tzinfo=UTC),
    )
    soon(30, chantier=chantier, title="Plus tard")
    nearer = SessionFactory(title="Session proche", starts_at=timezone.now() + timedelta(days=2))
    nearer.chantiers.add(chantier)
    html = html_of(client.get("/agenda/"))
    assert html.index('id="a-venir-titre"') < html.index("Session proche") < html.index("Plus tard")
    assert html.index("Plus tard") < html.index('id="passees-titre"') < html.index(old.title)
    assert "mardi 12 mars 2019, 18 h 30 – 21 h" in html
    assert "3 réunions, dont 2 à venir" in html
    assert ">Intersession</span>" in html and ">Session</span>" in html
    assert "Chantier : <a" in html and "Équipe-projet, chantier : <a" in html
    assert 'datetime="2019-03-12T18:30:00+01:00"' in html


def test_agenda_with_nothing_upcoming_says_so_and_shows_past(client):
    held = past(10, title="Réunion tenue")
    html = html_of(client.get("/agenda/"))
    assert "Aucune réunion à venir n'est annoncée pour le moment." in html
    assert held.title in html


def test_agenda_with_nothing_at_all(client):
    html = html_of(client.get("/agenda/"))
    assert "Aucune réunion" in html


def test_agenda_filters_by_type_chantier_and_period(client):
    first, second = ChantierFactory(slug="premier"), ChantierFactory(slug="second")
    a = soon(3, chantier=first, title="Inter premier")
    b = soon(4, chantier=second, title="Inter second")
    c = past(400, chantier=first, title="Ancienne premier")
    session = SessionFactory(title="Session premier", starts_at=timezone.now() + timedelta(days=9))
    session.chantiers.add(first)

    def titles(query):
        html = html_of(client.get("/agenda/" + query))
        return {m.title for m in (a, b, c, session) if m.title in html}

    assert titles("?type=session") == {"Session premier"}
    assert titles("?type=intersession") == {"Inter premier", "Inter second", "Ancienne premier"}
    assert titles("?chantier=premier") == {"Inter premier", "Ancienne premier", "Session premier"}
    assert titles("?periode=a-venir") == {"Inter premier", "Inter second", "Session premier"}
    assert titles("?periode=passees") == {"Ancienne premier"}
    year = timezone.localtime(c.starts_at).year
    assert titles(f"?periode={year}") == {"Ancienne premier"}
    assert titles("?type=intersession&chantier=premier&periode=a-venir") == {"Inter premier"}


def test_the_agenda_offers_each_year_from_the_first_meeting_to_the_last(client):
    MeetingFactory(
        starts_at=datetime(2023, 12, 31, 23, 30, tzinfo=UTC),  # 1 January 2024 in Paris
        ends_at=datetime(2024, 1, 1, 1, tzinfo=UTC),
    )
    soon(30)
    last = timezone.localtime(timezone.now() + timedelta(days=30)).year
    html = html_of(client.get("/agenda/"))
    options = [int(year) for year in re.findall(r'<option value="(\d{4})"', html)]
    assert options == list(range(last, 2023, -1))


def test_an_empty_agenda_offers_no_year(client):
    assert '<option value="20' not in html_of(client.get("/agenda/"))


def test_agenda_fragment_has_no_layout_and_updates_the_count(client):
    soon(3, title="Une réunion")
    response = client.get("/agenda/?type=intersession", **HTMX)
    html = html_of(response)
    assert "<html" not in html and "<h1" not in html and "<form" not in html
    assert "Une réunion" in html
    assert '<p id="agenda-count" data-hx-swap-oob="innerHTML">1 réunion, dont 1 à venir</p>' in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    "query",
    [
        "?type=reunion",
        "?chantier=inexistant",
        "?periode=1850",
        "?periode=demain",
        "?page=abc",
        "?page=-1",
        "?page=999999",
        "?type=session&type=x",
        "?chantier=%ff%fe",
    ],
)
def test_bad_agenda_filters_are_ignored_not_errors(client, query):
    soon(3, title="Toujours là")
    for extra in ({}, HTMX):
        response = client.get("/agenda/" + query, **extra)
        assert response.status_code == 200, query
        assert "Toujours là" in html_of(response)


def test_agenda_pages_through_many_meetings(client):
    for days in range(1, 26):
        past(days, title=f"Réunion {days:02d}")
    first = html_of(client.get("/agenda/"))
    assert "page 1 sur 2" in first and "Réunion 01" in first and "Réunion 21" not in first
    assert 'href="?page=2"' in first and 'data-hx-get="?page=2"' in first
    second = html_of(client.get("/agenda/?page=2"))
    assert "Réunion 21" in second and "Réunion 01" not in second and 'rel="prev"' in second
    fragment = html_of(client.get("/agenda/?page=2&type=intersession", **HTMX))
    assert "Réunion 25" in fragment
    # Page links keep the filters, and htmx keeps pushing shareable URLs.
    assert 'href="?page=1&amp;type=intersession"' in fragment
    assert (
        'data-hx-get="?page=1&amp;type=intersession" data-hx-target="#agenda-results"' in fragment
    )


# ---- /agenda/<slug>/ ----


def test_meeting_page_has_every_field_and_links(client):
    chantier = ChantierFactory(title="Épargne locale")
    meeting = past(
        20,
        chantier=chantier,
        title="Intersession de mars",
        place_name="Salle des fêtes",
        place_address="1 place de la Mairie",
        place_commune="Gramat",
        agenda="- Accueil\n- **Travail**",
        minutes="Les participants ont *décidé*.",
        status=MeetingStatus.HELD,
        participants_count=23,
    )
    AttachmentFactory(meeting=meeting, title="Support présenté")
    response = client.get(meeting.get_absolute_url())
    html = html_of(response)
    assert response.status_code == 200 and html.count("<h1") == 1
    for text in ("Intersession de mars", "Salle des fêtes", "1 place de la Mairie", "Gramat",
                 "<strong>Travail</strong>", "<em>décidé</em>", "23 personnes", "Tenue",
                 "Support présenté", "Ajouter à mon agenda"):  # fmt: skip
        assert text in html, text
    assert f'href="{meeting.get_absolute_url()}evenement.ics"' in html
    assert f'href="{chantier.get_absolute_url()}"' in html


def test_session_page_lists_its_chantiers_and_cancelled_meeting_says_so(client):
    chantier = ChantierFactory(title="Agriculture")
    session = SessionFactory(title="Session annulée", status=MeetingStatus.CANCELLED)
    session.chantiers.add(chantier)
    html = html_of(client.get(session.get_absolute_url()))
    assert "Chantier concerné" in html and "Agriculture" in html
    assert "Cette réunion est annulée : elle n'aura pas lieu." in html
    assert "Ajouter à mon agenda" not in html


def test_unknown_meeting_is_a_404(client):
    assert client.get("/agenda/inconnue/").status_code == 404
    assert client.get("/agenda/inconnue/evenement.ics").status_code == 404


@pytest.mark.parametrize("path", ["/chantiers/", "/agenda/", "/equipe/", "/agenda.ics"])
def test_pages_refuse_post(client, path):
    assert client.post(path).status_code == 405


def test_the_agenda_filtered_on_one_chantier_then_another_lists_each_ones_meetings(client):
    first, second = ChantierFactory(slug="premier"), ChantierFactory(slug="second")
    soon(3, chantier=first, title="Du premier")
    soon(4, chantier=second, title="Du second")
    past(5, chantier=second, title="Passée du second")
    session = SessionFactory(title="Session du second", starts_at=timezone.now() + timedelta(1))
    session.chantiers.add(second)
    pages = {
        query: html_of(client.get(f"/agenda/?{query}", **HTMX))
        for query in ("chantier=premier", "chantier=second", "type=session&chantier=second")
    }
    assert "Du premier" in pages["chantier=premier"] and "second" not in pages["chantier=premier"]
    assert all(
        title in pages["chantier=second"]
        for title in ("Du second", "Passée du second", "Session du second")
    )
    assert "Du premier" not in pages["chantier=second"]
    assert "Session du second" in pages["type=session&chantier=second"]
    assert "Du second" not in pages["type=session&chantier=second"]
