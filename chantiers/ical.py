"""iCalendar (RFC 5545) feeds of the meetings, built with the icalendar package."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

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


def feed_window(meetings, now=None):
    """The meetings a subscribed calendar holds (see FEED_PAST), in date order."""
    since = (now or timezone.now()) - FEED_PAST
    return meetings.filter(ends_at__gte=since).order_by("starts_at")[:MAX_EVENTS]


def meeting_description(meeting, url):
    """Plain text: what the meeting is, its agenda, and the page's URL last."""
    if meeting.is_session:
        about = "Session de l'équipe-projet"
        concerned = ", ".join(c.display_title for c in meeting.chantiers.all())
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
    years = []
    for meeting in meetings:
        url = request.build_absolute_uri(meeting.get_absolute_url())
        calendar.add_component(meeting_event(meeting, url))
        years += [meeting.starts_at.year, meeting.ends_at.year]
    if years:
        # The time-zone rules cover the meetings' years only: a short, exact VTIMEZONE.
        calendar.add_missing_timezones(
            first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 1, 12, 31)
        )
    return calendar


def calendar_response(meetings, request, name, filename, attachment=False):
    calendar = build_calendar(meetings, request, name)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = content_disposition(filename, disposition)
    return response
