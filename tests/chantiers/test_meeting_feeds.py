"""What calendars and agendas read of a meeting that changed: SEQUENCE, LAST-MODIFIED and
STATUS in every calendar file (read by ical.js, Thunderbird's parser), the way to attend
and the place's accessibility in their descriptions, and the open data's columns."""

import csv
import io
import json
from datetime import UTC, timedelta

import pytest
from django.core import mail

from chantiers import ical, services
from chantiers.meeting_changes import record_meeting_edit
from chantiers.models import AttendanceMode, Meeting, MeetingStatus
from tests.chantiers.factories import OpenIntersessionFactory, RegistrationFactory
from tests.chantiers.participation import _empty_cache, registration_data  # noqa: F401
from tests.checkers import run_node
from tests.factories import ChantierFactory
from tests.mail import deliver

pytestmark = pytest.mark.django_db

ICAL_JS = """
const ICAL = require("ical.js");
const files = JSON.parse(require("fs").readFileSync(0, "utf8"));
const read = {};
for (const [name, text] of Object.entries(files)) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  read[name] = {};
  for (const component of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(component);
    read[name][event.uid] = {
      sequence: event.sequence,
      status: component.getFirstPropertyValue("status"),
      lastModified: component.getFirstPropertyValue("last-modified").toJSDate().toISOString(),
      summary: event.summary,
      location: event.location,
      description: event.description,
    };
  }
}
console.log(JSON.stringify(read));
"""


def _edit(meeting, **changes):
    before = Meeting.objects.get(pk=meeting.pk)
    for name, value in changes.items():
        setattr(meeting, name, value)
    record_meeting_edit(meeting=meeting, before=before)
    meeting.save()
    meeting.refresh_from_db()
    return meeting


def _body(response):
    return b"".join(response.streaming_content)


def _iso(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@pytest.fixture
def changed():
    """An evening moved twice then cancelled, and one that stays as planned."""
    chantier = ChantierFactory(slug="epargne")
    moved = OpenIntersessionFactory(chantier=chantier, title="Soirée déplacée", slug="deplacee")
    _edit(moved, starts_at=moved.starts_at + timedelta(hours=1))
    _edit(moved, place_commune="Gramat")
    registration = RegistrationFactory(meeting=moved)
    kept = OpenIntersessionFactory(
        chantier=chantier,
        title="Soirée hybride",
        attendance_mode=AttendanceMode.MIXED,
        video_url="https://visio.example.org/secret",
        step_free_access=True,
        hearing_loop=None,
        accessibility_notes="Stationnement réservé devant la salle.",
    )
    return chantier, moved, kept, registration


def test_every_calendar_file_carries_sequence_last_modified_and_status(client, changed):
    chantier, moved, kept, registration = changed
    planned_email = services.registration_confirmation(registration)
    moved = _edit(moved, status=MeetingStatus.CANCELLED)
    assert moved.sequence == 3
    files = {
        url: client.get(url).content.decode()
        for url in ("/agenda.ics", f"/chantiers/{chantier.slug}/agenda.ics", moved.get_ics_url())
    }
    [(_, files["courriel, avant l'annulation"], _)] = planned_email.attachments
    read = run_node(ICAL_JS, json.dumps(files))
    for name, events in read.items():
        event = events[moved.uid]
        if name.startswith("courriel"):
            assert (event["sequence"], event["status"]) == (2, "CONFIRMED"), name
            continue
        # The cancelled meeting stays, struck out, with a higher version than the email's.
        assert event["sequence"] == 3, name
        assert event["status"] == "CANCELLED", name
        assert event["summary"] == "Annulée : Soirée déplacée", name
        assert event["lastModified"] == _iso(moved.updated_at.replace(microsecond=0)), name
        if kept.uid in events:
            assert (events[kept.uid]["sequence"], events[kept.uid]["status"]) == (0, "CONFIRMED")


def test_the_description_says_how_to_attend_and_what_is_known_of_access(client, changed):
    _, _, kept, _ = changed
    read = run_node(ICAL_JS, json.dumps({"f": client.get(kept.get_ics_url()).content.decode()}))
    event = read["f"][kept.uid]
    assert event["location"] == "Salle des fêtes, Figeac (et en ligne)"
    description = event["description"]
    assert "Participation : sur place et en ligne." in description
    # The link is not published: the feed says where it goes, not what it is.
    assert "secret" not in description
    assert "Le lien de la visioconférence est envoyé aux inscrits." in description
    assert "Accessibilité du lieu :\n- Accès de plain-pied\u00a0: oui\n" in description
    assert "- Stationnement réservé devant la salle." in description
    assert "Boucle magnétique" not in description  # unknown: nothing claimed


def test_the_registrants_get_the_video_link_in_their_email_and_its_file(client, changed):
    _, _, kept, _ = changed
    client.post(kept.get_register_url(), registration_data())
    deliver()  # the worker sends what the outbox holds
    [email] = mail.outbox
    assert "Lien de la visioconférence : https://visio.example.org/secret" in email.body
    assert "- Accès de plain-pied\u00a0: oui" in email.body
    [(_, content, _)] = email.attachments
    read = run_node(ICAL_JS, json.dumps({"f": content}))
    assert "https://visio.example.org/secret" in read["f"][kept.uid]["description"]


def test_a_published_link_and_an_online_meeting_in_the_feed(client):
    meeting = OpenIntersessionFactory(
        attendance_mode=AttendanceMode.ONLINE,
        video_url="https://visio.example.org/publique",
        video_url_public=True,
    )
    text = client.get(meeting.get_ics_url()).content.decode()
    read = run_node(ICAL_JS, json.dumps({"f": text}))["f"][meeting.uid]
    assert read["location"] == "En ligne"
    assert "Lien de la visioconférence : https://visio.example.org/publique" in read["description"]
    assert "Accessibilité" not in read["description"]  # no place to reach


def test_a_postponed_meeting_names_its_new_date_in_the_feed(client):
    meeting = OpenIntersessionFactory()
    new_date = OpenIntersessionFactory(
        chantier=meeting.chantier,
        starts_at=meeting.starts_at + timedelta(weeks=2),
        ends_at=meeting.ends_at + timedelta(weeks=2),
    )
    _edit(meeting, status=MeetingStatus.POSTPONED, rescheduled_to=new_date)
    read = run_node(ICAL_JS, json.dumps({"f": client.get("/agenda.ics").content.decode()}))["f"]
    assert read[meeting.uid]["status"] == "TENTATIVE"
    assert read[meeting.uid]["sequence"] == 1
    assert "Cette réunion est reportée au " in read[meeting.uid]["description"]
    assert read[new_date.uid]["sequence"] == 0


def test_the_open_data_tells_access_attendance_and_version(client, changed):
    _, moved, kept, _ = changed
    rows = {
        row["slug"]: row
        for row in csv.DictReader(
            io.StringIO(_body(client.get("/donnees/reunions.csv")).decode("utf-8-sig"))
        )
    }
    assert rows[kept.slug]["participation"] == "Sur place et en ligne"
    assert rows[kept.slug]["lien_visio"] == ""  # not published
    assert rows[kept.slug]["acces_plain_pied"] == "oui"
    assert rows[kept.slug]["boucle_magnetique"] == ""  # unknown
    assert rows[kept.slug]["accessibilite"] == "Stationnement réservé devant la salle."
    assert rows[moved.slug]["version"] == "2"
    data = json.loads(_body(client.get("/donnees/reunions.json")))
    [row] = [r for r in data["lignes"] if r["slug"] == kept.slug]
    assert (row["acces_plain_pied"], row["boucle_magnetique"]) == (True, None)


def test_ical_event_without_a_place_online(client):
    """An online meeting keeps no stale place in LOCATION."""
    meeting = OpenIntersessionFactory(attendance_mode=AttendanceMode.ONLINE)
    event = ical.meeting_event(meeting, "http://t/")
    assert str(event["LOCATION"]) == "En ligne"
