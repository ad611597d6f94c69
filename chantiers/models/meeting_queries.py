"""How meetings are read: the agenda's and pages' queries on Sessions and Intersessions
(the MeetingQuerySet of chantiers.models.meetings), and what they join or count."""

from datetime import timedelta

from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from chantiers.models.chantiers import LINK_FIELDS, Chantier
from core.queries import InSubquery


class MeetingKind(models.TextChoices):
    SESSION = "session", "Session"
    INTERSESSION = "intersession", "Intersession"


class MeetingStatus(models.TextChoices):
    PLANNED = "prevue", "Prévue"
    HELD = "tenue", "Tenue"
    CANCELLED = "annulee", "Annulée"
    POSTPONED = "reportee", "Reportée"


# What a meeting past its start did not become: held (MeetingQuerySet.held).
NOT_HELD = (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED)

# A Session is a working day or two, an Intersession an evening: the agenda's queries rely
# on no meeting lasting longer than this (Meeting.clean).
LONGEST_MEETING = timedelta(days=14)


# The joined chantier's fields that a link to it does not need (as_links()).
_CHANTIER_BEYOND_LINK = [
    f"chantier__{field.name}"
    for field in Chantier._meta.concrete_fields
    if not field.primary_key and field.name not in LINK_FIELDS
]
# Each meeting's chantiers (Sessions) as a list, only what a link shows.
LISTED_CHANTIERS = Prefetch(
    "chantiers", queryset=Chantier.objects.in_order().as_links(), to_attr="listed_chantiers"
)


class MeetingQuerySet(models.QuerySet):
    def with_related(self):
        """What a meeting's event says (feeds, JSON-LD): chantiers, new date, old date."""
        return (
            self.select_related("chantier", "rescheduled_to")
            .prefetch_related(Prefetch("chantiers", queryset=Chantier.objects.in_order()))
            .with_replaced()
        )

    def with_replaced(self):
        """Annotate replaced_slug and replaced_starts_at: the postponed meeting this one
        replaces (its new date), if any, in the same query."""
        earliest = self.model.objects.filter(
            rescheduled_to=OuterRef("pk"), status=MeetingStatus.POSTPONED
        ).order_by("starts_at")
        return self.annotate(
            replaced_slug=Subquery(earliest.values("slug")[:1]),
            replaced_starts_at=Subquery(earliest.values("starts_at")[:1]),
        )

    def with_listed_chantiers(self):
        """The intersessions' chantier joined, the Sessions' chantiers prefetched as plain
        lists (`listed_chantiers`): lists of meetings and calendar feeds. Of the joined
        chantier, only what a link needs: loading its cover ran the image field's
        dimension handler on each meeting of a feed."""
        return (
            self.select_related("chantier")
            .defer(*_CHANTIER_BEYOND_LINK)
            .prefetch_related(LISTED_CHANTIERS)
        )

    def not_cancelled(self):
        return self.exclude(status=MeetingStatus.CANCELLED)

    def in_year(self, year):
        """Meetings starting in that calendar year, Europe/Paris time."""
        return self.filter(starts_at__year=year)

    def upcoming(self, now=None):
        """Meetings not yet over, the next first. The bound on the start is implied by the
        end (no meeting lasts longer than LONGEST_MEETING) and lets the database read the
        index of starts from there, instead of every past meeting."""
        now = now or timezone.now()
        return self.filter(ends_at__gte=now, starts_at__gte=now - LONGEST_MEETING).order_by(
            "starts_at"
        )

    def past(self, now=None):
        """Meetings over, the latest first (started before now, as every meeting over has)."""
        now = now or timezone.now()
        return self.filter(ends_at__lt=now, starts_at__lt=now).order_by("-starts_at")

    def held(self, now=None):
        """Meetings that took place: started before now, neither cancelled nor postponed
        (a past meeting left « prévue » counts: the team need not mark it « tenue »)."""
        now = now or timezone.now()
        return self.exclude(status__in=NOT_HELD).filter(starts_at__lt=now)

    def sessions(self):
        return self.filter(kind=MeetingKind.SESSION)

    def intersessions(self):
        return self.filter(kind=MeetingKind.INTERSESSION)

    def with_seats_taken(self):
        """Annotate seats_taken (registrations holding a seat) and waiting_count (the
        waiting list), in the same query."""
        from chantiers.models.participation import Registration  # refers to Meeting

        def count(registrations):
            return Coalesce(
                Subquery(
                    registrations.filter(meeting=OuterRef("pk"))
                    .order_by()
                    .values("meeting")
                    .annotate(count=Count("pk"))
                    .values("count")
                ),
                0,
            )

        return self.annotate(
            seats_taken=count(Registration.objects.seated()),
            waiting_count=count(Registration.objects.waiting()),
        )

    def for_chantier(self, chantier):
        """Intersessions of the chantier and Sessions that concern it."""
        # The Sessions' ids by a subquery on the many-to-many table rather than a join:
        # no duplicates, and each side of the OR reads its own index (InSubquery).
        sessions = self.model.chantiers.through.objects.filter(chantier=chantier)
        sessions = sessions.values("meeting_id")
        return self.filter(Q(chantier=chantier) | Q(InSubquery(F("pk"), Subquery(sessions))))
