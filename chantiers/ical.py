"""iCalendar (RFC 5545) files of the meetings, feeds and registrants' files alike, written by
the icalendar package."""

import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from chantiers.models import AttendanceMode, MeetingStatus
from core import text
from core.cache import request_content_version
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
    """The meetings a subscribed calendar holds (see FEED_PAST), in date order. The window
    starts at midnight, Paris time, so that it is the same all day (feed_response keeps
    a feed for the day)."""
    day = timezone.localdate(now or timezone.now(), PARIS) - FEED_PAST
    since = datetime.combine(day, datetime.min.time(), tzinfo=PARIS)
    return meetings.filter(ends_at__gte=since).order_by("starts_at")[:MAX_EVENTS]


def attendance_text(meeting, *, for_registrants=False):
    """How to attend, the video link when it may be given, and the place's accessibility
    as far as it is known: lines of plain text (feeds, emails)."""
    lines = [f"Participation : {meeting.get_attendance_mode_display().lower()}."]
    if meeting.is_online and meeting.video_url:
        if for_registrants or meeting.video_url_public:
            lines.append(f"Lien de la visioconférence : {meeting.video_url}")
        else:
            lines.append("Le lien de la visioconférence est envoyé aux inscrits.")
    if meeting.is_in_person and meeting.has_accessibility_info:
        lines.append("Accessibilité du lieu :")
        lines += [f"- {line}" for line in meeting.accessibility_lines()]
    return "\n".join(lines)


def meeting_description(meeting, url, *, for_registrants=False):
    """Plain text: what the meeting is, how to attend, its agenda, and the page's URL last."""
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
        new_date = meeting.rescheduled_to if meeting.rescheduled_to_id else None
        if new_date is not None:
            when = text.meeting_when(new_date.starts_at, new_date.ends_at)
            parts.append(f"Cette réunion est reportée au {when}.")
        else:
            parts.append("Cette réunion est reportée : une nouvelle date sera annoncée.")
    parts.append(attendance_text(meeting, for_registrants=for_registrants))
    agenda = markdown_to_text(meeting.agenda)
    if agenda:
        parts.append(f"Ordre du jour :\n{agenda}")
    parts.append(url)
    return "\n\n".join(parts)


def meeting_event(meeting, url, *, for_registrants=False):
    """The one VEVENT of a meeting, in every feed and in the registrants' emails.

    SEQUENCE rises at each change of date, place or status (chantiers.meeting_changes):
    with the same UID, a calendar replaces its copy by the higher version. A cancelled
    meeting stays, STATUS:CANCELLED, so that calendars strike it out rather than keep it.
    """
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at)
    event.add("created", meeting.created_at)
    event.add("last-modified", meeting.updated_at)
    event.add("dtstart", timezone.localtime(meeting.starts_at, PARIS))
    event.add("dtend", timezone.localtime(meeting.ends_at, PARIS))
    event.add("summary", SUMMARY_PREFIX.get(meeting.status, "") + meeting.title)
    location = _location(meeting)
    if location:
        event.add("location", location)
    event.add("description", meeting_description(meeting, url, for_registrants=for_registrants))
    event.add("url", url)
    event.add("status", ICAL_STATUS.get(meeting.status, "CONFIRMED"))
    event.add("categories", [meeting.get_kind_display()])
    return event


def build_calendar(meetings, request, name, *, for_registrants=False):
    """for_registrants: the registration email's file, which may give the video link."""
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
        calendar.add_component(meeting_event(meeting, url, for_registrants=for_registrants))
    return calendar


def calendar_response(meetings, request, name, filename, attachment=False):
    return _response(build_calendar(meetings, request, name).to_ical(), filename, attachment)


def feed_response(meetings, request, name, filename):
    """A subscribed calendar: the meetings of feed_window(meetings). Its text is kept in
    the fragments' cache under the content version, the day (the window moves with it)
    and its address: calendar applications poll feeds every few hours, and icalendar
    takes about a millisecond an event. The meetings are read only when it is not kept."""
    seconds = settings.PORTAL_FRAGMENT_CACHE_SECONDS
    window = feed_window(meetings)
    if not seconds:
        return calendar_response(window, request, name, filename)
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    key = f"portal:calendar:{request_content_version(request)}:{timezone.localdate()}:{address}"
    text = caches["template_fragments"].get_or_set(
        key, lambda: build_calendar(window, request, name).to_ical(), seconds
    )
    return _response(text, filename)


def _response(text, filename, attachment=False):
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = content_disposition(filename, disposition)
    return response


def _location(meeting):
    """Where a meeting is held, as its event says it: the place, or online, or both."""
    location = meeting.place if meeting.is_in_person else ""
    if meeting.attendance_mode == AttendanceMode.ONLINE:
        location = "En ligne"
    elif meeting.attendance_mode == AttendanceMode.MIXED and location:
        location += " (et en ligne)"
    return location
