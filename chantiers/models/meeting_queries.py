"""How meetings are read: the agenda's and pages' queries on Sessions and Intersessions
(the MeetingQuerySet of chantiers.models.meetings), and what they join or count."""

from datetime import timedelta
from functools import cache

from django.db import models
from django.db.models import F, Prefetch, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone

from chantiers.models.chantiers import LINK_FIELDS, Chantier
from core.compiled import compiled_rows
from core.queries import InSubquery


class MeetingKind(models.TextChoices):
    SESSION = "session", "Session"
    INTERSESSION = "intersession", "Intersession"


class MeetingStatus(models.TextChoices):
    PLANNED = "prevue", "Prévue"
    HELD = "tenue", "Tenue"
    CANCELLED = "annulee", "Annulée"
    POSTPONED = "reportee", "Reportée"


# A Session is a working day or two, an Intersession an evening: the agenda's queries rely
# on no meeting lasting longer than this (Meeting.clean).
LONGEST_MEETING = timedelta(days=14)


def upcoming_bounds(now):
    """(now, since): the values of `upcoming(now, since)`, as a query compiled once
    (core.compiled) takes them: since is the earliest start of a meeting not yet over."""
    return now, now - LONGEST_MEETING


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
        return self.annotate(**_replaced())

    def with_listed_chantiers(self):
        """The intersessions' chantier joined, the Sessions' chantiers read in one query as
        plain lists (`concerned_chantiers`): lists of meetings and calendar feeds. Django's
        own prefetch builds a queryset per meeting to hold them, a tenth of a millisecond
        each. Of the joined chantier, only what a link needs: loading its cover ran the
        image field's dimension handler on each meeting of a feed."""
        return (
            self.select_related("chantier")
            .defer(*_CHANTIER_BEYOND_LINK)
            .prefetch_related(LISTED_CHANTIERS)
        )

    def totals(self, **aggregates):
        """aggregate(**aggregates) as a queryset of one row (a tuple in their order), which
        core.compiled can compile once: grouped by a constant, that is by nothing."""
        return (
            self.order_by().values(whole=Value(1)).annotate(**aggregates).values_list(*aggregates)
        )

    def not_cancelled(self):
        return self.exclude(status=MeetingStatus.CANCELLED)

    def in_year(self, year):
        """Meetings starting in that calendar year, Europe/Paris time."""
        return self.filter(starts_at__year=year)

    def upcoming(self, now=None, since=None):
        """Meetings not yet over, the next first. The bound on the start is implied by the
        end (no meeting lasts longer than LONGEST_MEETING) and lets the database read the
        index of starts from there, instead of every past meeting. `since` is that bound,
        for a query compiled once (core.compiled), where each value is given as it is."""
        now = now or timezone.now()
        since = upcoming_bounds(now)[1] if since is None else since
        return self.filter(ends_at__gte=now, starts_at__gte=since).order_by("starts_at")

    def past(self, now=None):
        """Meetings over, the latest first (started before now, as every meeting over has)."""
        now = now or timezone.now()
        return self.filter(ends_at__lt=now, starts_at__lt=now).order_by("-starts_at")

    def sessions(self):
        return self.filter(kind=MeetingKind.SESSION)

    def intersessions(self):
        return self.filter(kind=MeetingKind.INTERSESSION)

    def with_seats_taken(self):
        """Annotate seats_taken (registrations holding a seat) and waiting_count (the
        waiting list), in the same query."""
        return self.annotate(**_seat_counts())

    def for_chantier(self, chantier):
        """Intersessions of the chantier and Sessions that concern it."""
        # The Sessions' ids by a subquery on the many-to-many table rather than a join:
        # no duplicates, and each side of the OR reads its own index (InSubquery).
        sessions = self.model.chantiers.through.objects.filter(chantier=chantier)
        sessions = sessions.values("meeting_id")
        return self.filter(Q(chantier=chantier) | Q(InSubquery(F("pk"), Subquery(sessions))))


def _meeting():
    from chantiers.models.meetings import Meeting  # the two modules refer to each other

    return Meeting


def _correlated(sql, params, output_field):
    """A subquery on the meeting read (its table is never aliased when Meeting is the
    model queried), written once in SQL. Django resolves, copies and compiles a
    Subquery's whole nested query on every query that annotates it, about half a
    millisecond each; RawSQL is compiled as it stands, and the database runs the same."""
    return RawSQL(sql.format(meeting=f'"{_meeting()._meta.db_table}"'), params, output_field)


@cache
def _seat_counts():
    """The two counts of with_seats_taken(): registrations not cancelled, holding a seat
    (seated()) or waiting (waiting())."""
    from chantiers.models.participation import Registration, RegistrationStatus

    count = (
        f'SELECT COUNT(*) FROM "{Registration._meta.db_table}" AS "counted"'
        ' WHERE "counted"."meeting_id" = {meeting}."id"'
        ' AND "counted"."cancelled_at" IS NULL AND "counted"."status" = %s'
    )
    return {
        "seats_taken": _correlated(count, (RegistrationStatus.CONFIRMED,), models.IntegerField()),
        "waiting_count": _correlated(count, (RegistrationStatus.WAITING,), models.IntegerField()),
    }


@cache
def _replaced():
    """The slug and start of the earliest postponed meeting rescheduled to this one."""
    earliest = (
        'SELECT "earlier"."{column}" FROM {{meeting}} AS "earlier"'
        ' WHERE "earlier"."rescheduled_to_id" = {{meeting}}."id" AND "earlier"."status" = %s'
        ' ORDER BY "earlier"."starts_at" LIMIT 1'
    )
    postponed = (MeetingStatus.POSTPONED,)
    return {
        "replaced_slug": _correlated(earliest.format(column="slug"), postponed, models.SlugField()),
        "replaced_starts_at": _correlated(
            earliest.format(column="starts_at"), postponed, models.DateTimeField()
        ),
    }


def attach_listed_chantiers(meetings):
    """What with_listed_chantiers() prefetches (`concerned_chantiers`), for a list of
    meetings already read: by one query on the links, compiled once per number of
    meetings (core.compiled), where Django's prefetch builds and compiles its own."""
    if not meetings:
        return
    links = compiled_rows(
        ("listed chantiers", len(meetings)),
        lambda *ids: (
            _meeting()
            .chantiers.through.objects.filter(meeting_id__in=ids)
            .select_related("chantier")
            .only("meeting_id", *(f"chantier__{name}" for name in LINK_FIELDS))
            .order_by("chantier__order", "chantier__title", "chantier_id")
        ),
        *(meeting.pk for meeting in meetings),
    )
    listed = {}
    for link in links:
        listed.setdefault(link.meeting_id, []).append(link.chantier)
    for meeting in meetings:
        setattr(meeting, LISTED_CHANTIERS.to_attr, listed.get(meeting.pk, []))
