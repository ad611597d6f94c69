"""Meetings: Sessions (the team's days) and Intersessions (an ecosystem's evenings)."""

from datetime import timedelta
from functools import cache
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from chantiers.models.chantiers import LINK_FIELDS, Chantier
from core.compiled import compiled_rows
from core.demo import DemoFlag
from core.links import slug_url
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


class AttendanceMode(models.TextChoices):
    IN_PERSON = "sur_place", "Sur place"
    ONLINE = "en_ligne", "En ligne"
    MIXED = "sur_place_et_en_ligne", "Sur place et en ligne"


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
        since = since or now - LONGEST_MEETING
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
        sessions = Meeting.chantiers.through.objects.filter(chantier=chantier).values("meeting_id")
        return self.filter(Q(chantier=chantier) | Q(InSubquery(F("pk"), Subquery(sessions))))


def _correlated(sql, params, output_field):
    """A subquery on the meeting read (its table is never aliased when Meeting is the
    model queried), written once in SQL. Django resolves, copies and compiles a
    Subquery's whole nested query on every query that annotates it, about half a
    millisecond each; RawSQL is compiled as it stands, and the database runs the same."""
    return RawSQL(sql.format(meeting=f'"{Meeting._meta.db_table}"'), params, output_field)


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
            Meeting.chantiers.through.objects.filter(meeting_id__in=ids)
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


class Meeting(DemoFlag):
    """A Session (the team's immersive day) or an Intersession (an ecosystem's evening)."""

    kind = models.CharField("type", max_length=20, choices=MeetingKind.choices)
    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("adresse (slug)", max_length=220, unique=True)
    chantier = models.ForeignKey(
        Chantier,
        verbose_name="chantier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intersessions",
        help_text="Obligatoire pour une intersession : le chantier dont l'écosystème se réunit.",
    )
    chantiers = models.ManyToManyField(
        Chantier,
        verbose_name="chantiers concernés",
        related_name="sessions",
        blank=True,
        help_text="Pour une session : les chantiers travaillés pendant la journée.",
    )
    starts_at = models.DateTimeField("début", db_index=True)
    ends_at = models.DateTimeField("fin", db_index=True)
    place_name = models.CharField("lieu", max_length=200, blank=True)
    place_commune = models.CharField("commune", max_length=120, blank=True)
    place_address = models.CharField("adresse", max_length=250, blank=True)
    agenda = models.TextField(
        "ordre du jour",
        blank=True,
        help_text="Texte en Markdown : listes avec « - », **gras**, liens [texte](adresse).",
    )
    minutes = models.TextField(
        "compte rendu",
        blank=True,
        help_text="À remplir après la réunion. Texte en Markdown.",
    )
    status = models.CharField(
        "statut", max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    rescheduled_to = models.ForeignKey(
        "self",
        verbose_name="nouvelle date",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rescheduled_from",
        help_text=(
            "Pour une réunion reportée : la réunion qui la remplace (créez-la d'abord, par "
            "exemple avec « Dupliquer »). Sa page y renverra."
        ),
    )
    attendance_mode = models.CharField(
        "participation",
        max_length=30,
        choices=AttendanceMode.choices,
        default=AttendanceMode.IN_PERSON,
    )
    video_url = models.URLField(
        "lien de la visioconférence",
        max_length=500,
        blank=True,
        help_text="Envoyé aux inscrits dans leurs courriels.",
    )
    video_url_public = models.BooleanField(
        "afficher le lien sur la page de la réunion",
        default=False,
        help_text="Sinon, seuls les inscrits le reçoivent.",
    )
    step_free_access = models.BooleanField(
        "accès de plain-pied",
        null=True,
        blank=True,
        help_text="Sans marche ni ressaut, ou avec rampe ou ascenseur. Vide : non renseigné.",
    )
    hearing_loop = models.BooleanField(
        "boucle magnétique", null=True, blank=True, help_text="Vide : non renseigné."
    )
    accessibility_notes = models.TextField(
        "autres informations d'accessibilité",
        blank=True,
        help_text="Stationnement réservé, toilettes adaptées, interprète LSF sur demande…",
    )
    # Raised by chantiers.meeting_changes at each change of date, place or status:
    # calendars that imported the event replace it by the version with the higher number.
    sequence = models.PositiveIntegerField("version du calendrier", default=0, editable=False)
    participants_count = models.PositiveIntegerField(
        "nombre de participants", null=True, blank=True, help_text="Une fois la réunion tenue."
    )
    registration_open = models.BooleanField(
        "ouverte au public sur inscription",
        default=False,
        help_text=(
            "Pour une intersession : le bouton « Je participe » apparaît sur sa page et "
            "sur celle du chantier. Les inscriptions se ferment au début de la réunion."
        ),
    )
    capacity = models.PositiveIntegerField(
        "nombre de places",
        null=True,
        blank=True,
        help_text="Vide : sans limite. Une fois les places prises, la réunion est dite complète.",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "réunion"
        verbose_name_plural = "réunions"
        ordering = ["starts_at"]
        indexes = [
            # A chantier's intersessions in date order (its next one, on /chantiers/):
            # without it the planner walks every meeting by date.
            models.Index(fields=["chantier", "starts_at"], name="meeting_chantier_starts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=MeetingKind.SESSION) | Q(chantier__isnull=False),
                name="intersession_requires_chantier",
                violation_error_message="Une intersession doit être rattachée à un chantier.",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message="La fin de la réunion doit suivre son début.",
            ),
            models.CheckConstraint(
                condition=Q(registration_open=False) | Q(kind=MeetingKind.INTERSESSION),
                name="registration_only_for_intersessions",
                violation_error_message=(
                    "Seule une intersession peut être ouverte au public sur inscription."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at - self.starts_at > LONGEST_MEETING:
            raise ValidationError(
                {"ends_at": "Une réunion dure au plus 14 jours : au-delà, créez-en plusieurs."}
            )

    def get_absolute_url(self):
        return slug_url("chantiers:meeting_detail", self.slug)

    @property
    def concerned_chantiers(self):
        """The chantiers a Session concerns: as prefetched by with_listed_chantiers(), else
        read."""
        listed = getattr(self, LISTED_CHANTIERS.to_attr, None)
        return listed if listed is not None else list(self.chantiers.all())

    @property
    def is_session(self):
        return self.kind == MeetingKind.SESSION

    @property
    def is_cancelled(self):
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_postponed(self):
        return self.status == MeetingStatus.POSTPONED

    @property
    def is_online(self):
        return self.attendance_mode in (AttendanceMode.ONLINE, AttendanceMode.MIXED)

    @property
    def is_in_person(self):
        return self.attendance_mode != AttendanceMode.ONLINE

    @property
    def has_accessibility_info(self):
        return (
            self.step_free_access is not None
            or self.hearing_loop is not None
            or bool(self.accessibility_notes)
        )

    def accessibility_lines(self):
        """What is known of the place's accessibility, one sentence each; unknown: nothing."""
        lines = []
        for label, value in (
            ("Accès de plain-pied", self.step_free_access),
            ("Boucle magnétique", self.hearing_loop),
        ):
            if value is not None:
                lines.append(f"{label}\u00a0: {'oui' if value else 'non'}")
        if self.accessibility_notes:
            lines.append(self.accessibility_notes)
        return lines

    @property
    def osm_url(self):
        """The place on OpenStreetMap (a link: no map script or tile on our pages)."""
        if not (self.place_address or self.place_commune):
            return ""
        query = ", ".join(p for p in (self.place_address, self.place_commune) if p)
        return "https://www.openstreetmap.org/search?" + urlencode({"query": query})

    @property
    def is_past(self):
        return self.ends_at < timezone.now()

    @property
    def uid(self):
        """Stable across edits and hosts: calendars recognise the event when it changes."""
        return f"reunion-{self.pk}@petr-fqvd.fr"

    @property
    def place(self):
        """The place on one line: « Salle des fêtes, 2 rue X, Figeac »."""
        parts = [self.place_name, self.place_address, self.place_commune]
        return ", ".join(part for part in parts if part)

    def get_ics_url(self):
        return slug_url("chantiers:meeting_ics", self.slug)

    def get_register_url(self):
        return slug_url("chantiers:meeting_register", self.slug)

    def registration_state(self, seats_taken=None, now=None):
        """Where registration stands: RegistrationState.NOT_OFFERED, OPEN, FULL or CLOSED.

        seats_taken defaults to the with_seats_taken() annotation (counted if missing).
        """
        if not self.registration_open or self.is_session:
            return RegistrationState.NOT_OFFERED
        if self.status != MeetingStatus.PLANNED or (now or timezone.now()) >= self.starts_at:
            return RegistrationState.CLOSED
        if self.capacity is not None and self.seats_left(seats_taken) <= 0:
            # Full: one may still join the waiting list.
            return RegistrationState.FULL
        return RegistrationState.OPEN

    @property
    def waiting_count(self):
        """People on the waiting list (the with_seats_taken() annotation sets it)."""
        if "waiting_count" not in self.__dict__:
            self.__dict__["waiting_count"] = self.registrations.waiting().count()
        return self.__dict__["waiting_count"]

    @waiting_count.setter
    def waiting_count(self, value):
        self.__dict__["waiting_count"] = value

    def seats_left(self, seats_taken=None):
        """Seats still free, or None when there is no limit."""
        if self.capacity is None:
            return None
        if seats_taken is None:
            seats_taken = getattr(self, "seats_taken", None)
        if seats_taken is None:
            seats_taken = self.registrations.seated().count()
        return max(self.capacity - seats_taken, 0)


class RegistrationState(models.TextChoices):
    NOT_OFFERED = "sans", "Sans inscription"
    OPEN = "ouverte", "Inscriptions ouvertes"
    FULL = "complete", "Complète"
    CLOSED = "close", "Inscriptions closes"


class SessionManager(models.Manager.from_queryset(MeetingQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=MeetingKind.SESSION)


class IntersessionManager(models.Manager.from_queryset(MeetingQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=MeetingKind.INTERSESSION)


class Session(Meeting):
    """Proxy so that Sessions have their own entry in the admin."""

    objects = SessionManager()

    class Meta:
        proxy = True
        verbose_name = "session"
        verbose_name_plural = "sessions"

    def save(self, *args, **kwargs):
        self.kind = MeetingKind.SESSION
        super().save(*args, **kwargs)


class Intersession(Meeting):
    """Proxy so that Intersessions have their own entry in the admin."""

    objects = IntersessionManager()

    class Meta:
        proxy = True
        verbose_name = "intersession"
        verbose_name_plural = "intersessions"

    def save(self, *args, **kwargs):
        self.kind = MeetingKind.INTERSESSION
        super().save(*args, **kwargs)


class MeetingAttachment(DemoFlag):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField("titre", max_length=200)
    file = models.FileField("fichier", upload_to="reunions/%Y/")

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["title"]

    def __str__(self):
        return self.title


# The rhythm of a chantier's meetings: the next one on the same weekday and hour, four
# weeks later (what « Dupliquer » in the admin suggests, and what the demo follows).
MEETING_CYCLE = timedelta(weeks=4)


def next_occurrence(starts_at, now=None):
    """The same weekday and hour, four weeks on, and in the future."""
    now = now or timezone.now()
    following = starts_at + MEETING_CYCLE
    while following < now:
        following += MEETING_CYCLE
    return following


def unique_meeting_slug(title, starts_at=None, *, taken=None):
    """« titre-2019-03-12 », numbered (-2, -3...) when the address is taken already.

    `taken`: the slugs already used, for code that creates many meetings at once;
    otherwise the database says.
    """
    # « l'écosystème » → "l-ecosysteme", not "lecosysteme".
    words = title.replace("'", " ").replace("\u2019", " ")
    base = slugify(f"{words} {starts_at:%Y-%m-%d}" if starts_at else words)[:200] or "reunion"
    if taken is None:
        taken = set(Meeting.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
