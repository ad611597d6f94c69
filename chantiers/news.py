"""What the démarche's own changes tell followers: a meeting created, changed or called
off, its minutes published. Called from the admin's save_related (once the meeting's
chantiers are saved), in the admin's transaction; see chantiers.following."""

from django.utils import timezone

from chantiers.following import notify_followers, site_address
from chantiers.models import MeetingKind, MeetingStatus
from core import text

# A change to one of these is news for those coming; the agenda or the title is not.
PRACTICAL_FIELDS = {
    "starts_at",
    "ends_at",
    "place_name",
    "place_commune",
    "place_address",
    "status",
}


CHANGE_WORDS = {
    MeetingStatus.CANCELLED: "Réunion annulée",
    MeetingStatus.POSTPONED: "Réunion reportée",
}


def _still_to_come(meeting, now=None):
    """A change is news only for a meeting people may still come to: not one marked as
    held, or over (its number of participants filled in afterwards, say)."""
    return meeting.status != MeetingStatus.HELD and meeting.ends_at > (now or timezone.now())


def _chantiers(meeting):
    if meeting.kind == MeetingKind.INTERSESSION:
        return [meeting.chantier] if meeting.chantier_id else []
    return list(meeting.chantiers.all())


def _lines(meeting):
    lines = [text.meeting_when(meeting.starts_at, meeting.ends_at)]
    if meeting.place:
        lines.append(meeting.place)
    return lines


def meeting_saved(
    *, meeting, created, changed_fields, had_minutes, absolute_url=site_address, now=None
):
    """Tell followers what this save changed. Returns how many emails were queued."""
    chantiers = _chantiers(meeting)
    url = meeting.get_absolute_url()
    common = {"chantiers": chantiers, "url": url, "absolute_url": absolute_url, "now": now}
    count = 0
    if created and meeting.status != MeetingStatus.CANCELLED:
        count += notify_followers(
            kind="meetings",
            item_key=f"meeting:{meeting.pk}:created",
            subject=f"Nouvelle réunion : {meeting.title}",
            lines=_lines(meeting),
            **common,
        )
    elif not created and PRACTICAL_FIELDS & set(changed_fields) and _still_to_come(meeting):
        count += notify_followers(
            kind="meetings",
            # One piece of news per saved version: each change is told once.
            item_key=f"meeting:{meeting.pk}:changed:{meeting.updated_at.timestamp()}",
            subject=f"{CHANGE_WORDS.get(meeting.status, 'Réunion modifiée')} : {meeting.title}",
            lines=_lines(meeting),
            **common,
        )
    if meeting.minutes.strip() and not had_minutes:
        count += notify_followers(
            kind="minutes",
            item_key=f"meeting:{meeting.pk}:minutes",
            subject=f"Compte rendu publié : {meeting.title}",
            lines=[f"Réunion du {text.meeting_when(meeting.starts_at, meeting.ends_at)}"],
            **common,
        )
    return count
