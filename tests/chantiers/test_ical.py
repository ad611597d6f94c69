"""iCalendar feeds: valid, parsed by the icalendar package, right events at the right times."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from chantiers import ical
from chantiers.models import MeetingStatus
from tests.factories import ChantierFactory, MeetingFactory, SessionFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return calendar


def events_by_uid(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def meetings(monkeypatch):
    # Meetings of 2019–2021 (winter and summer time): the feeds' window is widened to
    # hold them; test_feeds_hold_the_last_year_and_what_is_to_come checks the window.
    monkeypatch.setattr(ical, "FEED_PAST", timedelta(days=365 * 50))
    chantier = ChantierFactory(slug="epargne", title="Épargne locale")
    other = ChantierFactory(slug="agriculture")
    winter = MeetingFactory(
        chantier=chantier,
        title="Intersession d'hiver",
        slug="hiver",
        starts_at=datetime(2019, 3, 12, 17, 30, tzinfo=UTC),
        ends_at=datetime(2019, 3, 12, 20, tzinfo=UTC),
        place_name="Salle des fêtes",
        place_commune="Figeac",
        agenda="- **Accueil**\n- Travail en groupes",
        status=MeetingStatus.HELD,
    )
    summer = MeetingFactory(
        chantier=other,
        title="Intersession d'été",
        slug="ete",
        starts_at=datetime(2021, 6, 15, 16, 30, tzinfo=UTC),
        ends_at=datetime(2021, 6, 15, 19, tzinfo=UTC),
        status=MeetingStatus.CANCELLED,
    )
    session = SessionFactory(
        title="Session d'automne",
        slug="automne",
        starts_at=datetime(2020, 10, 2, 7, tzinfo=UTC),
        ends_at=datetime(2020, 10, 2, 15, tzinfo=UTC),
    )
    session.chantiers.add(chantier)
    return chantier, winter, summer, session


def test_agenda_ics_holds_the_meetings_with_paris_times(client, meetings):
    chantier, winter, summer, session = meetings
    calendar = parse(client.get("/agenda.ics"))
    events = events_by_uid(calendar)
    assert set(events) == {m.uid for m in (winter, summer, session)}
    assert "Europe/Paris" in [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]

    event = events[winter.uid]
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == datetime(2019, 3, 12, 18, 30, tzinfo=PARIS)
    assert end == datetime(2019, 3, 12, 21, tzinfo=PARIS)
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert (start.hour, start.minute) == (18, 30)
    summer_start = events[summer.uid].decoded("DTSTART")
    assert (summer_start.hour, summer_start.minute, summer_start.utcoffset()) == (
        18,
        30,
        timedelta(hours=2),
    )
    assert str(event["SUMMARY"]) == "Intersession d'hiver"
    assert str(event["LOCATION"]) == "Salle des fêtes, Figeac"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]) == "http://testserver/agenda/hiver/"


def test_descriptions_are_plain_text_ending_with_the_page_url(client, meetings):
    chantier, winter, summer, session = meetings
    events = events_by_uid(parse(client.get("/agenda.ics")))
    description = str(events[winter.uid]["DESCRIPTION"])
    assert description.endswith("http://testserver/agenda/hiver/")
    assert "Épargne locale" in description and "- Accueil" in description
    assert "**" not in description and "<" not in description
    session_description = str(events[session.uid]["DESCRIPTION"])
    assert (
        "Session de l'équipe-projet" in session_description
        and "Épargne locale" in session_description
    )
    assert session_description.endswith("http://testserver/agenda/automne/")


def test_cancelled_meetings_are_status_cancelled(client, meetings):
    _, _, summer, _ = meetings
    event = events_by_uid(parse(client.get("/agenda.ics")))[summer.uid]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]).startswith("Annulée")


def test_postponed_meetings_are_tentative(client):
    meeting = MeetingFactory(status=MeetingStatus.POSTPONED)
    event = events_by_uid(parse(client.get(meeting.get_ics_url())))[meeting.uid]
    assert str(event["STATUS"]) == "TENTATIVE"


def test_uids_are_stable_when_a_meeting_changes(client, meetings):
    _, winter, _, _ = meetings
    before = events_by_uid(parse(client.get("/agenda.ics")))
    winter.title = "Nouveau titre"
    winter.slug = "nouvelle-adresse"
    winter.save()
    after = events_by_uid(parse(client.get("/agenda.ics")))
    assert set(before) == set(after)
    assert str(after[winter.uid]["SUMMARY"]) == "Nouveau titre"
    assert after[winter.uid].decoded("LAST-MODIFIED") >= before[winter.uid].decoded("LAST-MODIFIED")


def test_chantier_feed_has_its_intersessions_and_the_sessions_concerning_it(client, meetings):
    chantier, winter, summer, session = meetings
    calendar = parse(client.get("/chantiers/epargne/agenda.ics"))
    assert set(events_by_uid(calendar)) == {winter.uid, session.uid}
    assert "Épargne locale" in str(calendar["X-WR-CALNAME"])


def test_one_meeting_feed_is_a_download_of_that_meeting(client, meetings):
    _, winter, _, _ = meetings
    response = client.get("/agenda/hiver/evenement.ics")
    assert set(events_by_uid(parse(response))) == {winter.uid}
    assert response["Content-Disposition"] == (
        "attachment; filename=\"hiver.ics\"; filename*=UTF-8''hiver.ics"
    )


def test_feeds_are_valid_rfc5545_lines(client, meetings):
    raw = client.get("/agenda.ics").content
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line  # folded lines (RFC 5545, 3.1)
    for event in Calendar.from_ical(raw).walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert required in event


def test_empty_feed_is_still_a_calendar(client):
    calendar = parse(client.get("/agenda.ics"))
    assert list(calendar.walk("VEVENT")) == []


def test_feeds_hold_the_last_year_and_what_is_to_come(client):
    now = timezone.now()
    chantier = ChantierFactory(slug="epargne")

    def ended(days_ago):
        end = now - timedelta(days=days_ago)
        return MeetingFactory(chantier=chantier, starts_at=end - timedelta(hours=2), ends_at=end)

    too_old, last_year, yesterday = ended(400), ended(300), ended(1)
    to_come = MeetingFactory(chantier=chantier, starts_at=now + timedelta(days=800))
    expected = {last_year.uid, yesterday.uid, to_come.uid}
    for url in ("/agenda.ics", "/chantiers/epargne/agenda.ics"):
        assert set(events_by_uid(parse(client.get(url)))) == expected, url
    # A past meeting's own download and page stay available.
    assert set(events_by_uid(parse(client.get(too_old.get_ics_url())))) == {too_old.uid}


def test_feeds_keep_the_earliest_meetings_up_to_the_limit(client, monkeypatch):
    monkeypatch.setattr(ical, "MAX_EVENTS", 2)
    now = timezone.now()
    in_3_days, tomorrow, in_2_days = (
        MeetingFactory(starts_at=now + timedelta(days=days)) for days in (3, 1, 2)
    )
    kept = events_by_uid(parse(client.get("/agenda.ics")))
    assert set(kept) == {tomorrow.uid, in_2_days.uid}
