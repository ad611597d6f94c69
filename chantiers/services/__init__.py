"""Writes of the participation that touch several models: join requests, registrations to
meetings, their emails, and the purge of personal data past its retention period.

Views call these functions; they never send email or lock rows themselves. Emails are
written to the outbox in the same transaction as the change (core.outbox) and sent by the
worker: a mail server that is down delays them, never loses them.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from chantiers import ical
from chantiers.models import (
    JoinRequest,
    JoinRequestStatus,
    Meeting,
    MeetingStatus,
    Registration,
    RegistrationState,
    RegistrationStatus,
)
from core import outbox
from core.cache import bump_content_version
from core.mailtext import html_from_text
from core.seo import site_address


def join_notification_email():
    """Where the team is told of each join request (a setting; default: the contact)."""
    return settings.PORTAL.get("JOIN_NOTIFICATION_EMAIL") or settings.PORTAL["CONTACT_EMAIL"]


# ---- Join requests ----


def submit_join_request(*, name, email, commune, chantiers, participation, message, follow=None):
    """Store a join request and queue the team's email about it. Returns the request.

    follow, when given, is called in the same transaction (the « Être tenu·e au courant »
    choice asks for a subscription to the chantiers' news).
    """
    now = timezone.now()
    with transaction.atomic():
        join_request = JoinRequest.objects.create(
            name=name,
            email=email,
            commune=commune,
            participation=participation,
            message=message,
            consented_at=now,
            created_at=now,
            last_activity_at=now,
        )
        join_request.chantiers.add(*chantiers)
        outbox.queue(_join_notification(join_request, list(chantiers)))
        if follow is not None:
            follow()
        outbox.wake_worker()
    return join_request


def _join_notification(join_request, chantiers):
    admin_url = site_address(reverse("admin:chantiers_joinrequest_change", args=[join_request.pk]))
    body = render_to_string(
        "chantiers/emails/join_notification.txt",
        {"join_request": join_request, "chantiers": chantiers, "admin_url": admin_url},
    )
    subject = f"Nouvelle demande de participation : {join_request.name}"
    return outbox.Email(
        recipient=join_notification_email(),
        key=f"join-request:{join_request.pk}",
        kind="demande de participation",
        subject=subject,
        text=body,
        html=html_from_text(body, title=subject),
        # Answering the notification writes straight to the person.
        headers={"Reply-To": join_request.email},
    )


def touch_join_request(join_request, now=None):
    """Record activity on a request (a status change): its retention starts again."""
    join_request.last_activity_at = now or timezone.now()


# ---- Registrations ----


class RegistrationRefused(Exception):
    """The meeting cannot take this registration; .state says why (CLOSED)."""

    def __init__(self, state):
        super().__init__(state)
        self.state = state


@dataclass
class RegistrationResult:
    """What register() did. The page shows none of it (it answers the same for every
    address); the email to the address says it."""

    registration: Registration
    meeting: Meeting  # the meeting as locked, with seats_taken after this registration
    created: bool  # False: the address was already registered; nothing was added

    @property
    def waiting(self):
        return self.registration.is_waiting


def _locked_meeting(meeting_id):
    # of=("self",): lock the meeting only, not its chantier joined for the email.
    return (
        Meeting.objects.select_related("chantier")
        .select_for_update(of=("self",))
        .get(pk=meeting_id)
    )


def register(meeting_id, *, name, email, now=None):
    """Register someone to a meeting open to the public, then send them a confirmation.
    When every seat is taken, the person goes on the waiting list instead.

    The meeting row is locked (SELECT ... FOR UPDATE) for the count, the insert and the
    waiting position, so two people taking the last seat at once are served one after the
    other: the first gets it, the second goes on the waiting list, and two people waiting
    never share a position. On SQLite, where FOR UPDATE does not exist, writers are
    serialised by the IMMEDIATE transactions set in settings.

    An address already registered (or waiting) takes no second place and is told by
    email where it stands, at most once a day however often it is posted (the page
    answers the same for every address: it tells no one who is registered).

    Raises RegistrationRefused when the meeting is closed; Meeting.DoesNotExist if it is
    gone.
    """
    now = now or timezone.now()
    with transaction.atomic():
        meeting = _locked_meeting(meeting_id)
        existing = (
            Registration.objects.active().filter(meeting=meeting, email__iexact=email).first()
        )
        taken = Registration.objects.seated().filter(meeting=meeting).count()
        state = meeting.registration_state(seats_taken=taken, now=now)
        if state in (RegistrationState.CLOSED, RegistrationState.NOT_OFFERED):
            raise RegistrationRefused(RegistrationState.CLOSED)
        if existing is None:
            full = state == RegistrationState.FULL
            registration = Registration.objects.create(
                meeting=meeting,
                name=name,
                email=email,
                consented_at=now,
                created_at=now,
                status=RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED,
            )
            taken += 0 if full else 1
        else:
            registration = existing
        registration.meeting = meeting
        if registration.is_waiting:
            registration.waiting_position = waiting_position(registration)
        outbox.queue(registration_confirmation(registration, now=now, again=existing is not None))
        outbox.wake_worker()
    meeting.seats_taken = taken
    return RegistrationResult(registration, meeting, created=existing is None)


def waiting_position(registration):
    """1 for the first on the waiting list: its order is the order in which registrations
    were written, under the meeting's lock (RegistrationQuerySet.waiting)."""
    return (
        Registration.objects.waiting()
        .filter(meeting_id=registration.meeting_id, pk__lte=registration.pk)
        .count()
    )


def registration_confirmation(
    registration, *, now=None, reminder=False, promotion=False, again=False
):
    """The registrant's email (the confirmation, or the reminder before the meeting): the
    meeting, a link to cancel, the event as .ics attached.

    For someone on the waiting list: their place on it, and no event yet. For someone
    who was waiting and got a seat (promoted_at): that a seat came free for them. For an
    address that asked again (again): that it was already registered, or waiting.
    """
    meeting = registration.meeting
    context = {
        "registration": registration,
        "meeting": meeting,
        "meeting_url": site_address(meeting.get_absolute_url()),
        "cancel_url": site_address(registration.get_cancel_url()),
        "portal": settings.PORTAL,
        "reminder": reminder,
        "again": again,
    }
    if reminder:
        subject = f"Rappel : {meeting.title}"
        # One reminder per registration and start time: a meeting moved gets a new one.
        key = f"registration:{registration.pk}:reminder:{meeting.starts_at:%Y%m%d%H%M}"
    elif promotion:
        subject = f"Une place s'est libérée : {meeting.title}"
        # One seat, one email: a promotion is never announced twice.
        key = f"registration:{registration.pk}:promotion"
    else:
        if registration.is_waiting:
            subject = f"Liste d'attente : {meeting.title}"
        else:
            subject = f"Inscription confirmée : {meeting.title}"
        # Asking again sends where one stands again, but once a day at most: posting the
        # form thirty times must not send thirty emails to someone else's address.
        day = timezone.localdate(now or timezone.now()).isoformat()
        key = f"registration:{registration.pk}:confirmation:{day}"
    text = render_to_string("chantiers/emails/registration_confirmation.txt", context)
    attachments = () if registration.is_waiting else (ics_attachment(meeting),)
    if reminder:
        kind = "rappel de réunion"
    elif promotion:
        kind = "place libérée (liste d'attente)"
    else:
        kind = "confirmation d'inscription"
    return outbox.Email(
        recipient=registration.email,
        key=key,
        kind=kind,
        subject=subject,
        text=text,
        html=html_from_text(text, title=subject),
        headers={"Reply-To": settings.PORTAL["CONTACT_EMAIL"]},
        attachments=attachments,
    )


def queue_reminders(*, now=None):
    """Queue a reminder for each active registration to a meeting starting within
    PORTAL_REMINDER_HOURS (not cancelled, not started). Safe to run as often as wanted:
    each registration gets one reminder per start time. Returns how many were queued."""
    now = now or timezone.now()
    horizon = now + timedelta(hours=settings.PORTAL_REMINDER_HOURS)
    registrations = (
        Registration.objects.seated()
        .not_anonymised()
        .filter(meeting__starts_at__gt=now, meeting__starts_at__lte=horizon)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting", "meeting__chantier")
        .order_by("pk")
    )
    with transaction.atomic():
        count = outbox.queue(
            registration_confirmation(r, now=now, reminder=True)
            for r in registrations.iterator(chunk_size=500)
        )
        outbox.wake_worker()
    return count


def ics_attachment(meeting):
    """The meeting as an .ics attachment for its registrants (with the video link): the
    same UID and SEQUENCE as the feeds, so that a calendar updates its copy."""
    calendar = ical.build_calendar(
        [meeting], _SiteAddress(), name=meeting.title, for_registrants=True
    )
    # PUBLISH: mail clients offer to add the event (no invitation to answer).
    calendar.add("method", "PUBLISH")
    # Django adds « charset=utf-8 » to a text attachment itself.
    return (f"{meeting.slug}.ics", calendar.to_ical().decode("utf-8"), "text/calendar")


class _SiteAddress:
    """What ical.build_calendar needs of a request (build_absolute_uri), on the site's
    address: a calendar attached to an email links to PORTAL_SITE_URL."""

    @staticmethod
    def build_absolute_uri(path):
        return site_address(path)


def cancel_registration(registration, *, now=None):
    """Cancel a registration (or leave the waiting list). A seat freed goes to the first
    person waiting, under the meeting's lock, who is emailed. Returns False if already
    cancelled."""
    now = now or timezone.now()
    with transaction.atomic():
        meeting = _locked_meeting(registration.meeting_id)
        updated = Registration.objects.filter(pk=registration.pk, cancelled_at__isnull=True).update(
            cancelled_at=now
        )
        promoted = _fill_free_seats(meeting, now) if updated else []
        if updated:
            # A bulk update sends no signal: the meeting page shows the seats left.
            bump_content_version()
        if promoted:
            queue_promotion_emails(promoted)
    if updated:
        registration.cancelled_at = now
    return bool(updated)


def fill_free_seats(meeting_id, *, now=None):
    """Give the free seats of a meeting to the first people waiting (after the team
    raised the number of seats, or cancelled registrations). Returns who got one."""
    now = now or timezone.now()
    with transaction.atomic():
        promoted = _fill_free_seats(_locked_meeting(meeting_id), now)
        if promoted:
            bump_content_version()
            queue_promotion_emails(promoted)
    return promoted


def _fill_free_seats(meeting, now):
    """Under the meeting's lock: the first waiting take the free seats, in order."""
    if not meeting.registration_open or meeting.status != MeetingStatus.PLANNED:
        return []
    if now >= meeting.starts_at:
        return []
    waiting = Registration.objects.waiting().filter(meeting=meeting)
    if meeting.capacity is not None:
        free = meeting.capacity - Registration.objects.seated().filter(meeting=meeting).count()
        if free <= 0:
            return []
        waiting = waiting[:free]
    chosen = list(waiting)
    Registration.objects.filter(pk__in=[r.pk for r in chosen]).update(
        status=RegistrationStatus.CONFIRMED, promoted_at=now
    )
    for person in chosen:
        person.status, person.promoted_at, person.meeting = (
            RegistrationStatus.CONFIRMED,
            now,
            meeting,
        )
    return chosen


def queue_promotion_emails(promoted):
    """The one place that tells people from the waiting list that they have a seat: the
    registration confirmation, with the event attached, written to the outbox in the
    transaction that gave them the seat."""
    outbox.queue(registration_confirmation(person, promotion=True) for person in promoted)
    outbox.wake_worker()


# ---- Retention of personal data ----


def months_before(moment, months):
    """The same day and time `months` months earlier (clamped to the month's last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    day = moment.day
    while day > 28:
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1
    return moment.replace(year=year, month=month, day=day)


@dataclass
class PurgeReport:
    cutoff: object
    join_requests_anonymised: int
    registrations_anonymised: int
    registrations_deleted: int


def purge_personal_data(now=None, months=None, dry_run=False):
    """Erase personal data older than the retention period (PERSONAL_DATA_RETENTION_MONTHS).

    - Join requests without activity since the cut-off are anonymised: name, email,
      commune, message and notes erased; the date, the chantiers chosen and the way of
      taking part stay, for the team's statistics.
    - Registrations to meetings that ended before the cut-off are anonymised (the number
      of registrants of a meeting stays); cancelled ones are deleted.
    """
    now = now or timezone.now()
    months = settings.PERSONAL_DATA_RETENTION_MONTHS if months is None else months
    cutoff = months_before(now, months)
    join_requests = JoinRequest.objects.not_anonymised().inactive_since(cutoff)
    old = Registration.objects.filter(meeting__ends_at__lt=cutoff, created_at__lt=cutoff)
    cancelled = old.cancelled()
    active = old.active().not_anonymised()
    if dry_run:
        return PurgeReport(cutoff, join_requests.count(), active.count(), cancelled.count())
    with transaction.atomic():
        anonymised_requests = join_requests.update(
            name="",
            email="",
            commune="",
            message="",
            team_notes="",
            status=JoinRequestStatus.ARCHIVED,
            anonymised_at=now,
        )
        deleted = cancelled.delete()[1].get(Registration._meta.label, 0)
        anonymised_registrations = active.update(
            name="", email="", cancel_token=None, anonymised_at=now
        )
    return PurgeReport(cutoff, anonymised_requests, anonymised_registrations, deleted)
