"""A meeting page tells what residents need before they come: a cancellation or a new
date first, how to attend (in person, online, both), the video link only when the team
publishes it, what is known of the place's accessibility (nothing claimed when unknown),
and a link to the place on OpenStreetMap without any map loaded in the page."""

import re
from datetime import timedelta

import pytest

from chantiers.models import AttendanceMode, MeetingStatus, RegistrationStatus
from tests.chantiers.factories import OpenIntersessionFactory, RegistrationFactory
from tests.chantiers.pages import html_of
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def facts(html):
    return html.split('<dl class="facts">')[1].split("</dl>")[0]


def test_the_address_links_to_openstreetmap_and_nothing_is_loaded_from_elsewhere(client):
    meeting = MeetingFactory(place_address="2 place Carnot", place_commune="Figeac")
    html = html_of(client.get(meeting.get_absolute_url()))
    assert (
        '<a href="https://www.openstreetmap.org/search?query=2+place+Carnot%2C+Figeac" '
        'rel="external noopener">Voir sur OpenStreetMap' in html
    )
    # No third-party script, frame, image or style: only our own files.
    for attribute in re.findall(
        r'<(?:script|iframe|img|link)\b[^>]*\s(?:src|href)="([^"]*)"', html
    ):
        assert attribute.startswith(("/", "http://testserver/")), attribute


def test_unknown_accessibility_claims_nothing(client):
    meeting = MeetingFactory()
    dl = facts(html_of(client.get(meeting.get_absolute_url())))
    assert "<dt>Accessibilité du lieu</dt><dd>Non renseignée</dd>" in dl
    assert "plain-pied" not in dl and "Boucle" not in dl


def test_known_accessibility_is_shown_as_entered(client):
    meeting = MeetingFactory(
        step_free_access=False, hearing_loop=True, accessibility_notes="Ascenseur à l'arrière."
    )
    dl = facts(html_of(client.get(meeting.get_absolute_url())))
    assert (
        '<ul class="access-list"><li>Accès de plain-pied : non</li>'
        "<li>Boucle magnétique : oui</li><li>Ascenseur à l'arrière.</li></ul>" in dl
    )


@pytest.mark.parametrize(
    ("mode", "public", "shown", "hidden"),
    [
        (AttendanceMode.IN_PERSON, False, ["Sur place"], ["visioconférence"]),
        (
            AttendanceMode.ONLINE,
            False,
            ["En ligne", "Le lien de la visioconférence est envoyé aux inscrits."],
            ["visio.example.org", "<dt>Lieu</dt>", "Accessibilité du lieu"],
        ),
        (
            AttendanceMode.MIXED,
            True,
            [
                "Sur place et en ligne",
                '<a href="https://visio.example.org/r" rel="external noopener">'
                "Rejoindre la visioconférence</a>",
                "<dt>Lieu</dt>",
            ],
            [],
        ),
    ],
    ids=["sur-place", "en-ligne", "hybride-lien-publie"],
)
def test_how_to_attend(client, mode, public, shown, hidden):
    meeting = OpenIntersessionFactory(
        attendance_mode=mode,
        video_url="https://visio.example.org/r" if mode != AttendanceMode.IN_PERSON else "",
        video_url_public=public,
    )
    dl = facts(html_of(client.get(meeting.get_absolute_url())))
    assert "<dt>Participation</dt>" in dl
    for text in shown:
        assert text in dl
    for text in hidden:
        assert text not in dl


def test_a_cancelled_meeting_keeps_its_page_with_a_clear_notice(client):
    meeting = OpenIntersessionFactory(status=MeetingStatus.CANCELLED)
    html = html_of(client.get(meeting.get_absolute_url()))
    assert (
        '<p class="notice notice--warning" id="statut">Cette réunion est annulée : elle '
        "n'aura pas lieu. Les inscriptions sont closes.</p>" in html
    )
    assert "Les inscriptions sont closes : la réunion est annulée." in html
    assert "<form" not in html.split('id="je-participe"')[1].split("</section>")[0]


def test_a_postponed_meeting_links_to_its_new_date_and_back(client):
    meeting = OpenIntersessionFactory(slug="avant")
    new_date = OpenIntersessionFactory(
        slug="apres",
        chantier=meeting.chantier,
        starts_at=meeting.starts_at + timedelta(weeks=2),
        ends_at=meeting.ends_at + timedelta(weeks=2),
    )
    meeting.status, meeting.rescheduled_to = MeetingStatus.POSTPONED, new_date
    meeting.save()
    html = html_of(client.get("/agenda/avant/"))
    notice = html.split('id="statut">')[1].split("</p>")[0]
    assert notice.startswith('Cette réunion est reportée au <a href="/agenda/apres/"><time')
    assert "(Salle des fêtes, Figeac)." in notice
    html = html_of(client.get("/agenda/apres/"))
    notice = html.split('id="statut">')[1].split("</p>")[0]
    assert notice.startswith('Cette réunion remplace <a href="/agenda/avant/">celle du ')
    assert notice.endswith("</a>, reportée.")


def test_a_postponed_meeting_without_a_new_date_says_one_will_come(client):
    meeting = MeetingFactory(status=MeetingStatus.POSTPONED)
    html = html_of(client.get(meeting.get_absolute_url()))
    assert "Cette réunion est reportée : une nouvelle date sera annoncée." in html


@pytest.mark.parametrize("waiting", [0, 40])
def test_a_full_meeting_page_keeps_its_query_budget(client, django_assert_max_num_queries, waiting):
    meeting = OpenIntersessionFactory(capacity=2)
    RegistrationFactory.create_batch(2, meeting=meeting)
    RegistrationFactory.create_batch(waiting, meeting=meeting, status=RegistrationStatus.WAITING)
    # The meeting, its chantiers, attachments, actions and points d'étape, the demo flag:
    # the same whatever the length of the waiting list.
    with django_assert_max_num_queries(6):
        html = html_of(client.get(meeting.get_absolute_url()))
    assert "M'inscrire sur la liste d'attente" in html
    if waiting:
        assert f"{waiting} personnes attendent déjà une place." in html


def test_the_box_of_a_postponed_meeting_sends_to_the_new_date(client):
    new_date = OpenIntersessionFactory(slug="nouvelle")
    meeting = OpenIntersessionFactory(status=MeetingStatus.POSTPONED, rescheduled_to=new_date)
    html = html_of(client.get(meeting.get_absolute_url()))
    box = html.split('id="je-participe"')[1].split("</section>")[0]
    assert (
        "Les inscriptions sont closes : la réunion est reportée. Inscrivez-vous à "
        '<a href="/agenda/nouvelle/#je-participe">la nouvelle date</a>.' in box
    )
