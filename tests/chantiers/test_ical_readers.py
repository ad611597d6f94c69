"""Every calendar file the portal serves, read by parsers we did not write: ical.js
(Mozilla's parser, Thunderbird's) on Node, and python-dateutil's `tzical`, both resolving
the local times through the VTIMEZONE the file carries, never through a time-zone
database of their own. Each must find the instant the meeting takes place, in winter and
in summer, over several years and on the days the clocks change."""

import json
import re
from datetime import UTC, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from dateutil import tz as dateutil_tz
from django.core import mail
from django.utils import timezone

from chantiers import ical, services
from tests.chantiers.factories import OpenIntersessionFactory, RegistrationFactory
from tests.chantiers.participation import HTMX, _empty_cache, registration_data  # noqa: F401
from tests.checkers import run_node
from tests.factories import ChantierFactory, SessionFactory
from tests.mail import deliver

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")

# (Paris wall-clock start, the UTC instant it is). Written out by hand: the readers must
# agree with the calendar, not with whatever computed the file. The clocks change on
# 29 March and 25 October 2026, 28 March and 31 October 2027, 26 March 2028.
MOMENTS = [
    (datetime(2025, 1, 15, 18, 30), "2025-01-15T17:30:00.000Z"),
    (datetime(2025, 7, 10, 18, 30), "2025-07-10T16:30:00.000Z"),
    (datetime(2026, 3, 28, 20, 0), "2026-03-28T19:00:00.000Z"),  # eve of summer time
    (datetime(2026, 3, 29, 9, 0), "2026-03-29T07:00:00.000Z"),  # its first morning
    (datetime(2026, 5, 29, 9, 0), "2026-05-29T07:00:00.000Z"),
    (datetime(2026, 8, 25, 18, 30), "2026-08-25T16:30:00.000Z"),
    (datetime(2026, 10, 24, 20, 0), "2026-10-24T18:00:00.000Z"),  # eve of winter time
    (datetime(2026, 10, 25, 9, 0), "2026-10-25T08:00:00.000Z"),  # its first morning
    (datetime(2027, 2, 10, 17, 0), "2027-02-10T16:00:00.000Z"),
    (datetime(2027, 6, 15, 18, 30), "2027-06-15T16:30:00.000Z"),
    (datetime(2027, 10, 31, 9, 0), "2027-10-31T08:00:00.000Z"),
    (datetime(2028, 3, 26, 10, 0), "2028-03-26T08:00:00.000Z"),
    (datetime(2028, 8, 1, 14, 0), "2028-08-01T12:00:00.000Z"),
]
DURATION = timedelta(hours=2, minutes=30)
HOUR = timedelta(hours=1)

ICAL_JS = """
process.env.TZ = "UTC";  // a time left floating would then show up as wrong
const ICAL = require("ical.js");
const files = JSON.parse(require("fs").readFileSync(0, "utf8"));
const read = {};
for (const [name, text] of Object.entries(files)) {
  ICAL.TimezoneService.reset();
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  read[name] = {};
  for (const component of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(component);
    read[name][event.uid] = {
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      zone: event.startDate.zone.tzid,
    };
  }
}
console.log(JSON.stringify(read));
"""


def iso(instant):
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def read_with_dateutil(text):
    """{uid: {start, end, zone}}: the events' local times resolved by dateutil's tzical
    through the file's own VTIMEZONE (tzical reads only the VTIMEZONEs)."""
    zones = dateutil_tz.tzical(StringIO(text))
    unfolded = re.sub(r"\r\n[ \t]", "", text)
    read, event = {}, None
    for line in unfolded.split("\r\n"):
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            event = {}
        elif line == "END:VEVENT":
            read[event.pop("uid")] = event
            event = None
        elif event is not None and name == "UID":
            event["uid"] = value
        elif event is not None and name.split(";")[0] in ("DTSTART", "DTEND"):
            [tzid] = re.findall(r";TZID=([^;:]+)", name)
            zone = zones.get(tzid)
            assert zone is not None, f"TZID {tzid} has no VTIMEZONE in the file"
            local = datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=zone)
            event["start" if name.startswith("DTSTART") else "end"] = iso(local)
            event["zone"] = tzid
    return read


def assert_right_instants(files, meetings):
    """Both readers find, in each file, each of its meetings at the right instant."""
    by_js = run_node(ICAL_JS, json.dumps(files))
    for name, text in files.items():
        for reader, read in (("ical.js", by_js[name]), ("dateutil", read_with_dateutil(text))):
            expected = {
                m.uid: {"start": iso(m.starts_at), "end": iso(m.ends_at), "zone": "Europe/Paris"}
                for m in meetings[name]
            }
            assert read == expected, f"{reader} reads {name} wrong"


@pytest.fixture
def meetings(monkeypatch):
    """One meeting per moment: intersessions of one chantier, and sessions concerning it."""
    # The feeds hold the last year and what is to come; widened to hold every moment.
    monkeypatch.setattr(ical, "FEED_PAST", timedelta(days=365 * 50))
    chantier = ChantierFactory(slug="epargne", title="Épargne locale")
    made = []
    for index, (local, utc) in enumerate(MOMENTS):
        starts_at = local.replace(tzinfo=PARIS)
        assert iso(starts_at) == utc  # the table above and the tz database agree
        if index % 4 == 3:
            meeting = SessionFactory(starts_at=starts_at, ends_at=starts_at + DURATION)
            meeting.chantiers.add(chantier)
        else:
            meeting = OpenIntersessionFactory(
                chantier=chantier, starts_at=starts_at, ends_at=starts_at + DURATION
            )
        made.append(meeting)
    return chantier, made


def test_global_and_chantier_feeds_give_every_reader_the_right_instants(client, meetings):
    chantier, made = meetings
    files = {
        url: client.get(url).content.decode()
        for url in ("/agenda.ics", f"/chantiers/{chantier.slug}/agenda.ics")
    }
    assert_right_instants(files, dict.fromkeys(files, made))


def test_each_meeting_file_gives_every_reader_the_right_instant(client, meetings):
    _, made = meetings
    files = {m.get_ics_url(): client.get(m.get_ics_url()).content.decode() for m in made}
    assert_right_instants(files, {m.get_ics_url(): [m] for m in made})


def test_registration_email_ics_gives_every_reader_the_right_instant(meetings):
    _, made = meetings
    files, expected = {}, {}
    for meeting in made:
        if not meeting.registration_open:
            continue
        email = services.registration_confirmation(RegistrationFactory(meeting=meeting))
        [(filename, content, _)] = email.attachments
        files[filename], expected[filename] = content, [meeting]
    assert len(files) == 10  # the intersessions; sessions take no registration
    assert_right_instants(files, expected)


def test_the_ics_of_a_real_registration_next_summer(client):
    """Through the « Je participe » form: a meeting on 25 August next year, 18 h 30."""
    next_year = timezone.localdate().year + 1
    starts_at = datetime(next_year, 8, 25, 18, 30, tzinfo=PARIS)
    meeting = OpenIntersessionFactory(starts_at=starts_at, ends_at=starts_at + DURATION)
    response = client.post(meeting.get_register_url(), registration_data(), **HTMX)
    assert response.status_code == 200
    deliver()
    [(_, content, _)] = mail.outbox[0].attachments
    assert iso(meeting.starts_at) == f"{next_year}-08-25T16:30:00.000Z"
    assert_right_instants({"inscription": content}, {"inscription": [meeting]})


def test_the_time_zone_is_written_with_yearly_rules(client, meetings):
    """RFC 5545 3.6.5: one DAYLIGHT and one STANDARD observance, each with a yearly RRULE
    and the local time before the change as DTSTART, as Thunderbird and Google write it."""
    text = client.get("/agenda.ics").content.decode()
    [vtimezone] = re.findall(r"BEGIN:VTIMEZONE\r\n.*?END:VTIMEZONE\r\n", text, re.DOTALL)
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    observances = dict(re.findall(r"BEGIN:(DAYLIGHT|STANDARD)\r\n(.*?)END:\1", vtimezone, re.S))
    assert set(observances) == {"DAYLIGHT", "STANDARD"}
    assert "RDATE" not in vtimezone
    assert observances["DAYLIGHT"].split("\r\n") == [
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "TZNAME:CEST",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "",
    ]
    assert observances["STANDARD"].split("\r\n") == [
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "TZNAME:CET",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "",
    ]


def offset_changes(first, last):
    """The UTC hours at which Europe/Paris changes offset, by the tz database."""
    changes, hour = [], datetime(first, 1, 1, tzinfo=UTC)
    while hour.year <= last:
        if hour.astimezone(PARIS).utcoffset() != (hour - HOUR).astimezone(PARIS).utcoffset():
            changes.append(hour)
        hour += HOUR
    return changes


def test_the_embedded_time_zone_changes_when_the_tz_database_does(client, meetings):
    """Over the years the portal serves, the feed's VTIMEZONE read by dateutil gives the
    tz database's offset at noon every day and in the hours around each change, 01:00 UTC
    on the last Sunday of March and of October (a DAYLIGHT starting at 03:00 moved
    dateutil's change one hour late). If the law ever changes, this fails and the rules
    must follow. (ical.js is left out here: it keeps a wall-clock time and reads October's
    repeated hour as winter time whatever the VTIMEZONE; the events check it around each
    change.)"""
    text = client.get("/agenda.ics").content.decode()
    zone = dateutil_tz.tzical(StringIO(text)).get("Europe/Paris")
    first, last = 2018, 2040
    changes = offset_changes(first, last)
    assert len(changes) == 2 * (last - first + 1)
    assert changes[:2] == [
        datetime(2018, 3, 25, 1, tzinfo=UTC),
        datetime(2018, 10, 28, 1, tzinfo=UTC),
    ]
    noons = [
        datetime(first, 1, 1, 12, tzinfo=UTC) + timedelta(days=day)
        for day in range((datetime(last + 1, 1, 1) - datetime(first, 1, 1)).days)
    ]
    around = [change + shift * HOUR for change in changes for shift in (-1, 0, 1)]
    wrong = [
        instant.isoformat()
        for instant in noons + around
        if instant.astimezone(zone).utcoffset() != instant.astimezone(PARIS).utcoffset()
    ]
    assert wrong == []
