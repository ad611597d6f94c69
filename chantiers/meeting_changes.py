"""What changed in a meeting that people who plan to come must know: its date, its place,
the way to attend, its status. The admin's save_model (and the demo) call
`record_meeting_edit`; the `SEQUENCE` of the calendars goes up with each such change, so
that a calendar that imported the event replaces it instead of keeping the old one.

`meeting_changes` is pure: given the meeting before and after, it says what changed with
the old and the new value as a resident reads them, ready to be shown side by side
(`side_by_side`, in the emails to registrants and followers).
"""

from dataclasses import dataclass

from django.utils import timezone

from chantiers.models import Meeting, MeetingStatus
from core import text


@dataclass(frozen=True)
class FieldChange:
    field: str  # the subject of the change: "date", "lieu", "statut"...
    label: str  # in French, as the email or the page titles it
    old: str
    new: str


def _when(meeting):
    return text.meeting_when(meeting.starts_at, meeting.ends_at)


def _place(meeting):
    return meeting.place or "Lieu à préciser"


def _status(meeting):
    return meeting.get_status_display()


def _attendance(meeting):
    return meeting.get_attendance_mode_display()


def _video(meeting):
    return meeting.video_url or "Aucun"


def _new_date(meeting):
    # The new meeting is fetched once by the caller's select_related, or here by its id.
    target = meeting.rescheduled_to if meeting.rescheduled_to_id else None
    return _when(target) if target else "Non annoncée"


# (subject, label, fields that make it, how a resident reads it), in the order shown.
SUBJECTS = (
    ("statut", "Statut", ("status",), _status),
    ("date", "Date et heure", ("starts_at", "ends_at"), _when),
    ("lieu", "Lieu", ("place_name", "place_address", "place_commune"), _place),
    ("participation", "Participation", ("attendance_mode",), _attendance),
    ("visio", "Lien de la visioconférence", ("video_url",), _video),
    ("nouvelle_date", "Nouvelle date", ("rescheduled_to_id",), _new_date),
)


def meeting_changes(before: Meeting, after: Meeting) -> list[FieldChange]:
    """The subjects that differ between two states of a meeting, old and new in French."""
    changes = []
    for subject, label, fields, display in SUBJECTS:
        if any(getattr(before, name) != getattr(after, name) for name in fields):
            changes.append(FieldChange(subject, label, display(before), display(after)))
    return changes


def record_meeting_edit(*, meeting: Meeting, before: Meeting | None) -> list[FieldChange]:
    """Before saving an edited meeting: raise its calendar SEQUENCE if its date, place,
    way to attend or status changed. Returns the changes (nothing for a new meeting).

    `before` is the meeting as stored (None when it is being created).
    """
    if before is None:
        return []
    changes = meeting_changes(before, meeting)
    if changes:
        meeting.sequence = before.sequence + 1
    return changes


def is_news_for_those_coming(meeting: Meeting, now=None) -> bool:
    """A change is news only for a meeting people may still come to: not one marked as
    held, or over (its number of participants filled in afterwards, say)."""
    return meeting.status != MeetingStatus.HELD and meeting.ends_at > (now or timezone.now())


def public_changes(meeting: Meeting, changes) -> list[FieldChange]:
    """The changes anyone may read: the video link only if the team published it (the
    registrants get it in their own email)."""
    if meeting.video_url_public:
        return list(changes)
    return [change for change in changes if change.field != "visio"]


def side_by_side(changes) -> list[str]:
    """Lines of plain text: each subject, then its old and its new value."""
    lines = []
    for change in changes:
        if lines:
            lines.append("")
        lines += [f"{change.label} :", f"avant : {change.old}", f"désormais : {change.new}"]
    return lines
