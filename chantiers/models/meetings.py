"""Meetings: Sessions (the team's days) and Intersessions (an ecosystem's evenings)."""

from datetime import timedelta

from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from chantiers.models.chantiers import Chantier
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


# Each meeting's chantiers (Sessions) as a list, only what a link shows.
LISTED_CHANTIERS = Prefetch(
    "chantiers", queryset=Chantier.objects.in_order().as_links(), to_attr="listed_chantiers"
)


class MeetingQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("chantier").prefetch_related(
            Prefetch("chantiers", queryset=Chantier.objects.in_order())
        )

    def with_listed_chantiers(self):
        """The intersessions' chantier joined, the Sessions' chantiers read in one query as
        plain lists (`concerned_chantiers`): lists of meetings and calendar feeds. Django's
        own prefetch builds a queryset per meeting to hold them, a tenth of a millisecond
        each."""
        return self.select_related("chantier").prefetch_related(LISTED_CHANTIERS)

    def not_cancelled(self):
        return self.exclude(status=MeetingStatus.CANCELLED)

    def in_year(self, year):
        """Meetings starting in that calendar year, Europe/Paris time."""
        return self.filter(starts_at__year=year)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at")

    def sessions(self):
        return self.filter(kind=MeetingKind.SESSION)

    def intersessions(self):
        return self.filter(kind=MeetingKind.INTERSESSION)

    def with_seats_taken(self):
        """Annotate seats_taken: the registrations not cancelled, in the same query."""
        from chantiers.models.participation import Registration  # refers to Meeting

        taken = (
            Registration.objects.active()
            .filter(meeting=OuterRef("pk"))
            .order_by()
            .values("meeting")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(seats_taken=Coalesce(Subquery(taken), 0))

    def for_chantier(self, chantier):
        """Intersessions of the chantier and Sessions that concern it."""
        # The Sessions' ids by a subquery on the many-to-many table rather than a join:
        # no duplicates, and each side of the OR reads its own index (InSubquery).
        sessions = Meeting.chantiers.through.objects.filter(chantier=chantier).values("meeting_id")
        return self.filter(Q(chantier=chantier) | Q(InSubquery(F("pk"), Subquery(sessions))))


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
            return RegistrationState.FULL
        return RegistrationState.OPEN

    def seats_left(self, seats_taken=None):
        """Seats still free, or None when there is no limit."""
        if self.capacity is None:
            return None
        if seats_taken is None:
            seats_taken = getattr(self, "seats_taken", None)
        if seats_taken is None:
            seats_taken = self.registrations.active().count()
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
