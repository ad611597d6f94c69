"""Demonstration meetings in the states residents meet in a real agenda (a hybrid evening,
an online one, a full one with its waiting list, a cancelled session, a postponed evening
and its new date), applied by chantiers.demo on the meetings it has just made."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.text import slugify

from chantiers.meeting_changes import record_meeting_edit
from chantiers.models import (
    AttendanceMode,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Registration,
    RegistrationStatus,
)

PARIS = ZoneInfo("Europe/Paris")

# Fictional, like every demo place: what a team would enter for a meeting.
DEMO_VIDEO_URL = "https://visio.example.org/demo-intersession"
DEMO_ACCESS_NOTES = "Exemple fictif : deux places de stationnement réservées devant la salle."
DEMO_REGISTRANTS = ["Alice", "Bastien", "Chloé", "Damien", "Emma"]


def apply(meetings, today):
    """The states a resident meets in a real agenda: upcoming, a hybrid evening with its
    video link and what is known of the place's access, an online one, a full one with
    its waiting list, a cancelled session; in the past, an evening postponed to the
    ecosystem's next one. Changes go through record_meeting_edit, as the admin's do."""
    now = datetime.combine(today, time(0), tzinfo=PARIS)
    evenings = [m for m in meetings if m.registration_open and m.starts_at > now]
    sessions = [m for m in meetings if m.kind == MeetingKind.SESSION and m.starts_at > now]
    held = [
        m for m in meetings if m.kind == MeetingKind.INTERSESSION and m.status == MeetingStatus.HELD
    ]
    if len(evenings) < 3 or not sessions or len(held) < 8:
        return
    hybrid, full, online = evenings[:3]
    hybrid.attendance_mode = AttendanceMode.MIXED
    hybrid.video_url, hybrid.video_url_public = DEMO_VIDEO_URL, True
    hybrid.step_free_access, hybrid.accessibility_notes = True, DEMO_ACCESS_NOTES
    hybrid.save()
    online.attendance_mode, online.video_url = AttendanceMode.ONLINE, DEMO_VIDEO_URL
    online.save()

    full.capacity = 3
    full.save()
    Registration.objects.bulk_create(
        Registration(
            meeting=full,
            name=f"{name} (démo)",
            email=f"{slugify(name)}.demo@example.org",
            consented_at=now,
            created_at=now + timedelta(minutes=index),
            status=RegistrationStatus.CONFIRMED if index < 3 else RegistrationStatus.WAITING,
        )
        for index, name in enumerate(DEMO_REGISTRANTS)
    )

    postponed = held[1]
    new_date = next(m for m in held[2:] if m.chantier_id == postponed.chantier_id)
    _edit(
        postponed,
        status=MeetingStatus.POSTPONED,
        rescheduled_to=new_date,
        minutes="",
        participants_count=None,
    )
    _edit(sessions[-1], status=MeetingStatus.CANCELLED)


def _edit(meeting, **changes):
    """Change a meeting as the admin does: its calendar SEQUENCE follows."""
    before = Meeting.objects.get(pk=meeting.pk)
    for name, value in changes.items():
        setattr(meeting, name, value)
    record_meeting_edit(meeting=meeting, before=before)
    meeting.save()
