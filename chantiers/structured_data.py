"""A meeting as a schema.org `Event` (JSON-LD): on its page, and in /agenda.json for
other agendas to import. Built from what the meeting says, nothing more: the organiser
is the PETR (core.structured_data.organization), the place its address, the video link
only when the team chose to publish it."""

from django.utils import timezone

from chantiers.models import AttendanceMode, RegistrationState
from core import structured_data
from core.text import markdown_to_text

SCHEMA = "https://schema.org/"
ATTENDANCE_MODES = {
    AttendanceMode.IN_PERSON: "OfflineEventAttendanceMode",
    AttendanceMode.ONLINE: "OnlineEventAttendanceMode",
    AttendanceMode.MIXED: "MixedEventAttendanceMode",
}


def _iso(moment):
    """« 2026-03-12T18:30:00+01:00 »: Paris time with its offset."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def event_status(meeting):
    """Scheduled, cancelled, postponed (no new date yet), or rescheduled: postponed to a
    known new date, and the new meeting that replaces a postponed one."""
    if meeting.is_cancelled:
        return "EventCancelled"
    if meeting.is_postponed:
        return "EventRescheduled" if meeting.rescheduled_to_id else "EventPostponed"
    if getattr(meeting, "replaced_starts_at", None):
        return "EventRescheduled"
    return "EventScheduled"


def _locations(meeting, page_url):
    locations = []
    if meeting.is_in_person:
        address = {"@type": "PostalAddress", "addressCountry": "FR"}
        if meeting.place_address:
            address["streetAddress"] = meeting.place_address
        if meeting.place_commune:
            address["addressLocality"] = meeting.place_commune
        place = {
            "@type": "Place",
            "name": meeting.place_name or meeting.place_commune or "Lieu à préciser",
            "address": address,
        }
        if meeting.has_accessibility_info:
            features = []
            for name, value in (
                ("Accès de plain-pied", meeting.step_free_access),
                ("Boucle magnétique", meeting.hearing_loop),
            ):
                if value is not None:
                    features.append(
                        {"@type": "LocationFeatureSpecification", "name": name, "value": value}
                    )
            if features:
                place["amenityFeature"] = features
            if meeting.accessibility_notes:
                place["description"] = meeting.accessibility_notes
        locations.append(place)
    if meeting.is_online:
        # The link itself only when published; otherwise where registrants learn it.
        url = meeting.video_url if meeting.video_url and meeting.video_url_public else page_url
        locations.append({"@type": "VirtualLocation", "url": url})
    return locations[0] if len(locations) == 1 else locations


def meeting_event(meeting, absolute_url, *, organizer):
    """The schema.org Event of a meeting. absolute_url turns a path into a full URL;
    organizer: the Organization (or a reference to it, {"@id": …})."""
    page_url = absolute_url(meeting.get_absolute_url())
    event = {
        "@type": "Event",
        "@id": f"{page_url}#evenement",
        "name": meeting.title,
        "url": page_url,
        "startDate": _iso(meeting.starts_at),
        "endDate": _iso(meeting.ends_at),
        "eventStatus": SCHEMA + event_status(meeting),
        "eventAttendanceMode": SCHEMA
        + ATTENDANCE_MODES.get(meeting.attendance_mode, ATTENDANCE_MODES[AttendanceMode.IN_PERSON]),
        "location": _locations(meeting, page_url),
        "organizer": organizer,
        "inLanguage": "fr",
        "isAccessibleForFree": True,
    }
    description = markdown_to_text(meeting.agenda)
    if description:
        event["description"] = description
    # The start of the postponed meeting this one replaces (MeetingQuerySet.with_replaced).
    if getattr(meeting, "replaced_starts_at", None):
        event["previousStartDate"] = _iso(meeting.replaced_starts_at)
    state = meeting.registration_state()
    if state in (RegistrationState.OPEN, RegistrationState.FULL):
        offer = {
            "@type": "Offer",
            "price": 0,
            "priceCurrency": "EUR",
            "url": page_url + "#je-participe",
            "availability": SCHEMA + ("InStock" if state == RegistrationState.OPEN else "SoldOut"),
            "validThrough": _iso(meeting.starts_at),
        }
        event["offers"] = offer
        if meeting.capacity is not None:
            event["maximumAttendeeCapacity"] = meeting.capacity
            event["remainingAttendeeCapacity"] = meeting.seats_left()
    return event


def meeting_page_data(meeting, absolute_url, site_url):
    """The JSON-LD of a meeting's page: the Event, its organiser in full."""
    organizer = structured_data.organization(site_url)
    return structured_data.with_context(meeting_event(meeting, absolute_url, organizer=organizer))


def agenda_feed(meetings, absolute_url, site_url, *, agenda_url, licence_url):
    """The agenda as a schema.org DataFeed of Events: what /agenda.json serves."""
    organizer = structured_data.organization(site_url)
    reference = {"@id": organizer["@id"]}
    events = [meeting_event(m, absolute_url, organizer=reference) for m in meetings]
    updated = max((m.updated_at for m in meetings), default=None)
    feed = {
        "@type": "DataFeed",
        "name": "Agenda du projet de territoire : Sessions et Intersessions",
        "url": agenda_url,
        "inLanguage": "fr",
        "license": licence_url,
        "publisher": organizer,
        "dataFeedElement": events,
    }
    if updated is not None:
        feed["dateModified"] = _iso(updated)
    return structured_data.with_context(feed)
