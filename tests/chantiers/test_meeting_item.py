"""chantiers/includes/meeting_items.html: the meetings of a list, as the agenda, a chantier
page, an action page and the home page show them."""

from datetime import UTC, datetime

import pytest
from django.template.loader import render_to_string

from chantiers.models import MeetingStatus
from tests.factories import ChantierFactory, MeetingFactory, SessionFactory

pytestmark = pytest.mark.django_db


def items(meetings, hide=False, show=False, numbered=False, focus=False, past_start=0):
    return render_to_string(
        "chantiers/includes/meeting_items.html",
        {
            "meetings": meetings,
            "hide_chantier": hide,
            "show_chantiers": show,
            "numbered": numbered,
            "focus_me": focus,
            "past_start": past_start,
        },
    )


def test_an_intersession_with_its_chantier_date_place_and_escaped_title():
    meeting = MeetingFactory(
        title="Eau & <sols>",
        chantier=ChantierFactory(title="Épargne locale", slug="epargne"),
        starts_at=datetime(2019, 3, 12, 17, 30, tzinfo=UTC),
        ends_at=datetime(2019, 3, 12, 20, tzinfo=UTC),
        place_name="Salle des fêtes",
        place_commune="Figeac",
    )
    html = items([meeting])
    assert html.count("<li") == 1 and '<li class="meeting-item">' in html
    assert f'<a href="/agenda/{meeting.slug}/">Eau &amp; &lt;sols&gt;</a></h3>' in html
    assert '<time datetime="2019-03-12T18:30:00+01:00">mardi 12\u00a0mars 2019, 18\u00a0h' in html
    assert '<br><span class="meeting-item__place">Salle des fêtes, Figeac</span></p>' in html
    assert '<span class="badge badge--intersession">Intersession</span>' in html
    assert 'Chantier&nbsp;: <a href="/chantiers/epargne/">Épargne locale</a></span>' in html
    # On the chantier's own page, its name is not repeated.
    assert "Chantier&nbsp;:" not in items([meeting], hide=True)


def test_cancelled_postponed_and_demo_meetings_say_so():
    cancelled = MeetingFactory(status=MeetingStatus.CANCELLED)
    postponed = MeetingFactory(status=MeetingStatus.POSTPONED, is_demo=True)
    html = items([cancelled, postponed])
    assert html.count('<span class="badge badge--demo"') == 1
    assert html.count("meeting-item--cancelled") == 1
    assert '<span class="badge badge--annulee">Annulée</span>' in html
    assert '<span class="badge badge--reportee">Reportée</span>' in html


def test_sessions_name_the_team_and_their_chantiers():
    two = SessionFactory()
    two.chantiers.add(ChantierFactory(title="A", slug="a"), ChantierFactory(title="B", slug="b"))
    none = SessionFactory()
    html = items([two, none], show=True)
    assert (
        "Équipe-projet, chantiers&nbsp;: "
        '<a href="/chantiers/a/">A</a>, <a href="/chantiers/b/">B</a></span>'
    ) in html
    assert html.count('<span class="meeting-item__chantier">Équipe-projet</span>') == 1
    assert items([two, none], hide=True).count(">Équipe-projet</span>") == 2


def test_numbered_items_count_from_past_start_and_the_first_takes_the_focus():
    meetings = MeetingFactory.create_batch(3)
    html = items(meetings, numbered=True, focus=True, past_start=5)
    assert [f'id="passee-{n}"' in html for n in (6, 7, 8)] == [True] * 3
    assert html.count("data-focus-on-swap") == 1
    assert 'id="passee-6" data-focus-on-swap tabindex="-1">' in html
    assert "passee-" not in items(meetings)
