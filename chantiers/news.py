"""What the démarche's own changes tell followers: a meeting created, changed or called
off, its minutes published (from the admin's save_related, once the meeting's chantiers
are saved), a point d'étape written (from the service every point d'étape goes through).
Always in the caller's transaction; see chantiers.following."""

from django.utils.text import Truncator

from chantiers.following import notify_followers
from chantiers.meeting_changes import is_news_for_those_coming, public_changes, side_by_side
from chantiers.models import MeetingKind, MeetingStatus
from core import text
from core.seo import site_address

CHANGE_WORDS = {
    MeetingStatus.CANCELLED: "Réunion annulée",
    MeetingStatus.POSTPONED: "Réunion reportée",
}


def _chantiers(meeting):
    if meeting.kind == MeetingKind.INTERSESSION:
        return [meeting.chantier] if meeting.chantier_id else []
    return list(meeting.chantiers.all())


def _lines(meeting):
    lines = [text.meeting_when(meeting.starts_at, meeting.ends_at)]
    if meeting.place:
        lines.append(meeting.place)
    return lines


def _change_lines(meeting, changes):
    lines = [*_lines(meeting), "", "Ce qui change :", *side_by_side(changes)]
    target = meeting.rescheduled_to if meeting.is_postponed else None
    if target is not None:
        lines += ["", "La réunion à sa nouvelle date :", site_address(target.get_absolute_url())]
    # A blank line last: the link to the page stands apart from the changes.
    return [*lines, ""]


def meeting_saved(
    *,
    meeting,
    created,
    changes=(),
    had_minutes,
    told=(),
    now=None,
):
    """Tell followers what this save changed. Returns how many emails were queued.

    changes: what record_meeting_edit found (chantiers.meeting_changes), told old and
    new side by side; told: the addresses (lower case) already emailed about this change
    as registrants, who get no second email for it."""
    chantiers = _chantiers(meeting)
    url = meeting.get_absolute_url()
    common = {"chantiers": chantiers, "url": url, "now": now}
    count = 0
    changes = public_changes(meeting, changes)
    if created and meeting.status != MeetingStatus.CANCELLED:
        count += notify_followers(
            kind="meetings",
            item_key=f"meeting:{meeting.pk}:created",
            subject=f"Nouvelle réunion : {meeting.title}",
            lines=_lines(meeting),
            **common,
        )
    elif not created and changes and is_news_for_those_coming(meeting, now):
        count += notify_followers(
            kind="meetings",
            # Each change raises the calendar's SEQUENCE: each is told once.
            item_key=f"meeting:{meeting.pk}:changed:{meeting.sequence}",
            subject=f"{CHANGE_WORDS.get(meeting.status, 'Réunion modifiée')} : {meeting.title}",
            lines=_change_lines(meeting, changes),
            excluding=told,
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


# A point d'étape's text is told in full up to this length, then cut (its page has it all).
POINT_TEXT_CHARS = 600


def point_etape_added(*, point, now=None):
    """Tell the followers of its action's chantier a new point d'étape (once: the item is
    the point d'étape). Returns how many emails were queued."""
    action = point.action
    lines = [
        f"Action « {action.title} » du chantier « {action.chantier.display_title} »",
        f"Le {text.french_date(point.date, weekday=False)}",
    ]
    if point.new_status:
        lines.append(f"Nouveau statut de l'action : {point.get_new_status_display().lower()}")
    if point.new_progress is not None:
        lines.append(f"Avancement : {point.new_progress}{text.NBSP}%")
    body = text.markdown_to_text(point.text)
    if body:
        lines += ["", Truncator(body).chars(POINT_TEXT_CHARS)]
    return notify_followers(
        kind="progress",
        item_key=f"point-etape:{point.pk}",
        subject=f"Point d'étape : {point.title}",
        lines=lines,
        url=point.get_absolute_url(),
        chantier=action.chantier,
        now=now,
    )
