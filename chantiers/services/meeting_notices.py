"""When a meeting changes (its date, place, way to attend or status), the people who plan
to come are told: those registered, with a seat or waiting (not those who cancelled), get
what changed, old and new side by side, with the updated .ics; then the followers of its
chantiers, but for those just emailed as registrants.

Called by the meeting admin's save_related, once the meeting and its chantiers are saved,
in the admin's transaction: the emails go to the outbox, the worker sends them. The demo
changes meetings without calling this: it emails no one.
"""

from collections.abc import Sequence

from django.conf import settings
from django.template.loader import render_to_string

from chantiers import news
from chantiers.meeting_changes import (
    FieldChange,
    is_news_for_those_coming,
    public_changes,
    side_by_side,
)
from chantiers.models import Meeting, Registration
from chantiers.services import ics_attachment
from core import outbox
from core.mailtext import html_from_text
from core.seo import site_address


def meeting_edited(
    *,
    meeting: Meeting,
    changes: Sequence[FieldChange],
    had_minutes: bool,
    now=None,
) -> int:
    """Tell the registrants, then the followers, what this edit changed (and followers
    the minutes, when first published). Returns how many emails were queued."""
    told = tell_registrants(meeting=meeting, changes=changes, now=now)
    count = len(told)
    count += news.meeting_saved(
        meeting=meeting,
        created=False,
        changes=changes,
        had_minutes=had_minutes,
        told=told,
        now=now,
    )
    return count


def tell_registrants(
    *,
    meeting: Meeting,
    changes: Sequence[FieldChange],
    now=None,
) -> set[str]:
    """Queue the change email of each registration still active (seated or waiting), once
    per registration and version of the meeting (its calendar SEQUENCE). Nothing when
    nothing practical changed, or for a meeting over or held. Returns the addresses told,
    in lower case."""
    if not changes or not is_news_for_those_coming(meeting, now):
        return set()
    registrations = (
        Registration.objects.active().not_anonymised().filter(meeting=meeting).order_by("pk")
    )
    notice = _ChangeNotice(meeting, changes)
    told = set()

    def emails():
        for registration in registrations.iterator(chunk_size=500):
            told.add(registration.email.lower())
            yield notice.email_for(registration)

    outbox.queue(emails())
    if told:
        outbox.wake_worker()
    return told


class _ChangeNotice:
    """What is the same for every registrant: the changes, the links, the .ics (built
    once for the meeting)."""

    def __init__(self, meeting, changes):
        self.meeting = meeting
        self.lines = side_by_side(changes)
        # Those waiting get no video link (as in their confirmation), unless published.
        self.lines_for_waiting = side_by_side(public_changes(meeting, changes))
        self.meeting_url = site_address(meeting.get_absolute_url())
        target = meeting.rescheduled_to if meeting.is_postponed else None
        self.new_date_url = site_address(target.get_absolute_url()) if target else ""
        self.attachments = (ics_attachment(meeting),)
        words = news.CHANGE_WORDS.get(meeting.status, "Réunion modifiée")
        self.subject = f"{words} : {meeting.title}"

    def email_for(self, registration):
        registration.meeting = self.meeting
        waiting = registration.is_waiting
        context = {
            "registration": registration,
            "meeting": self.meeting,
            "changes": self.lines_for_waiting if waiting else self.lines,
            "new_date_url": self.new_date_url,
            "meeting_url": self.meeting_url,
            "cancel_url": site_address(registration.get_cancel_url()),
            "portal": settings.PORTAL,
        }
        text = render_to_string("chantiers/emails/meeting_changed.txt", context)
        return outbox.Email(
            recipient=registration.email,
            # One email per registration and version of the meeting.
            key=f"registration:{registration.pk}:change:{self.meeting.sequence}",
            kind="changement de réunion",
            subject=self.subject,
            text=text,
            html=html_from_text(text, title=self.subject),
            headers={"Reply-To": settings.PORTAL["CONTACT_EMAIL"]},
            # Those waiting have no seat: no event for their calendar yet.
            attachments=() if waiting else self.attachments,
        )
