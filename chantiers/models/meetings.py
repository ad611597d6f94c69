"""Meetings: Sessions (the team's days) and Intersessions (an ecosystem's evenings)."""

from datetime import timedelta
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from chantiers.models.chantiers import Chantier
from chantiers.models.meeting_queries import (
    LISTED_CHANTIERS,
    LONGEST_MEETING,
    MeetingKind,
    MeetingQuerySet,
    MeetingStatus,
)
from core.demo import DemoFlag
from core.links import slug_url


class AttendanceMode(models.TextChoices):
    IN_PERSON = "sur_place", "Sur place"
    ONLINE = "en_ligne", "En ligne"
    MIXED = "sur_place_et_en_ligne", "Sur place et en ligne"


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
