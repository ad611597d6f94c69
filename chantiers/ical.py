"""iCalendar (RFC 5545) feeds of the meetings, built with the icalendar package."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from chantiers.models import MeetingStatus
from core.downloads import content_disposition
from core.text import markdown_to_text

PARIS = ZoneInfo("Europe/Paris")
PRODID = "-//PETR Figeac Quercy Vallee de la Dordogne//Projet de territoire//FR"
ICAL_STATUS = {
    MeetingStatus.PLANNED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.POSTPONED: "TENTATIVE",
    MeetingStatus.CANCELLED: "CANCELLED",
}
SUMMARY_PREFIX = {MeetingStatus.CANCELLED: "Annulée : ", MeetingStatus.POSTPONED: "Reportée : "}
# What a subscribed calendar holds: the meetings of the last year and those to come, at
# most MAX_EVENTS of them. Calendar applications poll the feed every few hours; the whole
# history would grow without end (20,000 meetings took 48 s to build, past gunicorn's
# timeout), and a past meeting's page stays on the site.
FEED_PAST = timedelta(days=365)
MAX_EVENTS = 1000


def paris_timezone():
    """Europe/Paris as a VTIMEZONE every reader resolves: one DAYLIGHT and one STANDARD
    observance, each repeating yearly (RRULE) from the local time before the change
    (RFC 5545, 3.6.5), as Thunderbird and Google write it.

    Not icalendar's `add_missing_timezones`: it lists the changes of several years in one
    RDATE and starts DAYLIGHT at 03:00; ical.js (Thunderbird's parser) reads only the
    first date of such an RDATE and put every later summer's meeting one hour late.
    The clocks change on the last Sunday of March and of October at 01:00 UTC, the EU
    rule France has followed since 1996; the portal serves nothing older, and a test
    compares these rules with the tz database over the years it serves."""
    zone = Timezone()
    zone.add("tzid", "Europe/Paris")
    for observance, month, day, hour, before, after, name in (
        (TimezoneDaylight(), 3, 29, 2, 1, 2, "CEST"),
        (TimezoneStandard(), 10, 25, 3, 2, 1, "CET"),
    ):
        observance.add("dtstart", datetime(1970, month, day, hour))
        observance.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1SU"})
        observance.add("tzname", name)
        observance.add("tzoffsetfrom", timedelta(hours=before))
        observance.add("tzoffsetto", timedelta(hours=after))
        zone.add_component(observance)
    return zone


def feed_window(meetings, now=None):
    """The meetings a subscribed calendar holds (see FEED_PAST), in date order."""
    since = (now or timezone.now()) - FEED_PAST
    return meetings.filter(ends_at__gte=since).order_by("starts_at")[:MAX_EVENTS]


def meeting_description(meeting, url):
    """Plain text: what the meeting is, its agenda, and the page's URL last."""
    if meeting.is_session:
        about = "Session de l'équipe-projet"
        concerned = ", ".join(c.display_title for c in meeting.concerned_chantiers)
        if concerned:
            about += f" (chantiers : {concerned})"
    else:
        about = f"Intersession du chantier « {meeting.chantier.display_title} »"
    parts = [about + "."]
    if meeting.is_cancelled:
        parts.append("Cette réunion est annulée.")
    elif meeting.is_postponed:
        parts.append("Cette réunion est reportée : une nouvelle date sera annoncée.")
    agenda = markdown_to_text(meeting.agenda)
    if agenda:
        parts.append(f"Ordre du jour :\n{agenda}")
    parts.append(url)
    return "\n\n".join(parts)


def meeting_event(meeting, url):
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", meeting.updated_at)
    event.add("created", meeting.created_at)
    event.add("last-modified", meeting.updated_at)
    event.add("dtstart", timezone.localtime(meeting.starts_at, PARIS))
    event.add("dtend", timezone.localtime(meeting.ends_at, PARIS))
    event.add("summary", SUMMARY_PREFIX.get(meeting.status, "") + meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    event.add("description", meeting_description(meeting, url))
    event.add("url", url)
    event.add("status", ICAL_STATUS.get(meeting.status, "CONFIRMED"))
    event.add("categories", [meeting.get_kind_display()])
    return event


def build_calendar(meetings, request, name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    # Before the events that refer to it: some readers resolve TZIDs as they read.
    calendar.add_component(paris_timezone())
    for meeting in meetings:
        url = request.build_absolute_uri(meeting.get_absolute_url())
        calendar.add_component(meeting_event(meeting, url))
    return calendar


def calendar_response(meetings, request, name, filename, attachment=False):
    calendar = build_calendar(meetings, request, name)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = content_disposition(filename, disposition)
    return response
