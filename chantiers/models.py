"""The démarche: chantiers, their ecosystems of actors, the project team, meetings
(Sessions and Intersessions) and the timeline."""

import logging
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from chantiers import images
from chantiers.links import slug_url

logger = logging.getLogger(__name__)


class DemoFlag(models.Model):
    """Marks rows made by `load_demo`, so they can be shown and removed as such."""

    is_demo = models.BooleanField(
        "contenu de démonstration",
        default=False,
        editable=False,
        help_text="Créé par « load_demo » : retiré par « load_demo --remove ».",
    )

    class Meta:
        abstract = True


class ChantierStatus(models.TextChoices):
    IN_CONSTRUCTION = "en_construction", "En construction"
    IN_ACTION = "en_action", "En action"
    PAUSED = "en_pause", "En pause"
    FINISHED = "termine", "Terminé"
    UNKNOWN = "a_preciser", "À préciser"


class ChantierQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("order", "title")

    def with_status(self, status):
        return self.filter(status=status)

    def with_actor_count(self):
        return self.annotate(actor_count=Count("memberships", distinct=True))

    def with_next_meeting_ids(self, now=None):
        """Annotate next_intersession_id and next_session_id: the next meeting (not
        cancelled) through each of the two relations (`intersessions`, `sessions`).

        Two subqueries rather than one over `Meeting.objects.concerning()`: its OR across
        the foreign key and the many-to-many table defeats the indexes, and at 20,000
        meetings the list of chantiers spent half a second in it.
        """
        upcoming = Meeting.objects.upcoming(now).not_cancelled().order_by("starts_at")
        return self.annotate(
            next_intersession_id=Subquery(
                upcoming.filter(chantier=OuterRef("pk")).values("pk")[:1]
            ),
            next_session_id=Subquery(upcoming.filter(chantiers=OuterRef("pk")).values("pk")[:1]),
        )

    def as_cards(self, now=None):
        """The chantiers as a list, each with actor_count and next_meeting (the earlier of
        its next intersession and next session), in two queries."""
        chantiers = list(self.with_actor_count().with_next_meeting_ids(now))
        ids = {
            pk
            for c in chantiers
            for pk in (c.next_intersession_id, c.next_session_id)
            if pk is not None
        }
        meetings = Meeting.objects.in_bulk(ids) if ids else {}
        for chantier in chantiers:
            candidates = [
                meetings[pk]
                for pk in (chantier.next_intersession_id, chantier.next_session_id)
                if pk in meetings
            ]
            chantier.next_meeting = min(candidates, key=lambda m: m.starts_at, default=None)
        return chantiers


class Chantier(DemoFlag):
    title = models.CharField("intitulé", max_length=200)
    slug = models.SlugField("adresse (slug)", max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(
        "ordre d'affichage", default=0, help_text="Les plus petits nombres d'abord."
    )
    summary = models.CharField("résumé", max_length=400, blank=True)
    description = models.TextField(
        "description",
        blank=True,
        help_text=(
            "Texte en Markdown : **gras**, *italique*, listes avec « - », liens [texte](adresse)."
        ),
    )
    status = models.CharField(
        "état", max_length=20, choices=ChantierStatus.choices, default=ChantierStatus.UNKNOWN
    )
    started_on = models.DateField("début", null=True, blank=True)
    ended_on = models.DateField("fin", null=True, blank=True)
    cover = models.ImageField(
        "image de couverture",
        upload_to="chantiers/",
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
        validators=[images.validate_cover],
        help_text=images.COVER_HELP_TEXT,
    )
    cover_width = models.PositiveIntegerField(editable=False, null=True)
    cover_height = models.PositiveIntegerField(editable=False, null=True)
    # Smaller WebP copies of the cover for srcset, rebuilt whenever the cover changes:
    # a list of {"width", "height", "name"} (name in the default storage).
    cover_renditions = models.JSONField(default=list, blank=True, editable=False)
    cover_alt = models.CharField(
        "texte alternatif de l'image",
        max_length=250,
        blank=True,
        help_text=(
            "Décrit l'image pour les personnes qui ne la voient pas ; vide si elle est décorative."
        ),
    )
    # Demonstration names for chantiers whose real names are unknown (FACTS.md):
    # shown, labelled as demo, while demo content is loaded; cleared on removal.
    demo_title = models.CharField(
        "intitulé de démonstration", max_length=200, blank=True, editable=False
    )
    demo_summary = models.CharField(
        "résumé de démonstration", max_length=400, blank=True, editable=False
    )
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = HistoricalRecords(excluded_fields=["demo_title", "demo_summary", "cover_renditions"])

    objects = ChantierQuerySet.as_manager()

    class Meta:
        verbose_name = "chantier"
        verbose_name_plural = "chantiers"
        ordering = ["order", "title"]

    def __str__(self):
        return self.display_title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        current = self.cover.name or ""
        previous = getattr(self, "_loaded_cover_name", "")
        if current != previous or (current and not self.cover_renditions):
            self.refresh_cover_renditions()
        self._loaded_cover_name = current

    def get_absolute_url(self):
        return slug_url("chantiers:chantier_detail", self.slug)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember the cover as loaded, so save() knows when renditions must be rebuilt.
        if "cover" in field_names:
            instance._loaded_cover_name = values[field_names.index("cover")] or ""
        return instance

    def get_ics_url(self):
        return slug_url("chantiers:chantier_ics", self.slug)

    @property
    def display_title(self):
        return self.demo_title or self.title

    @property
    def display_summary(self):
        return self.demo_summary or self.summary

    @property
    def has_demo_name(self):
        return bool(self.demo_title)

    def refresh_cover_renditions(self):
        """Replace the cover's renditions by new ones built from the current cover."""
        images.delete_renditions(self.cover_renditions, self.cover.storage)
        renditions = []
        if self.cover:
            try:
                renditions = images.build_renditions(self.cover)
            except (OSError, ValueError) as error:
                # A cover that cannot be resized is still shown, at its own size.
                logger.warning("Renditions impossibles pour %s : %s", self.cover.name, error)
        self.cover_renditions = renditions
        type(self).objects.filter(pk=self.pk).update(cover_renditions=renditions)

    @property
    def cover_srcset(self):
        storage = self.cover.storage
        return ", ".join(f"{storage.url(r['name'])} {r['width']}w" for r in self.cover_renditions)

    def _fallback_rendition(self):
        """The largest rendition up to 960 px: what browsers without srcset get."""
        fitting = [r for r in self.cover_renditions if r["width"] <= 960]
        return fitting[-1] if fitting else self.cover_renditions[0]

    @property
    def cover_src(self):
        if self.cover_renditions:
            return self.cover.storage.url(self._fallback_rendition()["name"])
        return self.cover.url if self.cover else ""

    @property
    def cover_size(self):
        """Width and height of the image at cover_src, so the page does not jump."""
        if self.cover_renditions:
            rendition = self._fallback_rendition()
            return rendition["width"], rendition["height"]
        return self.cover_width, self.cover_height


class ActorKind(models.TextChoices):
    ELECTED = "elu", "Élu·e"
    TECHNICIAN = "technicien", "Technicien·ne"
    CITIZEN = "citoyen", "Citoyen·ne"
    BUSINESS = "entreprise", "Entreprise"
    ASSOCIATION = "association", "Association"
    SCHOOL = "enseignement", "Établissement d'enseignement"
    INSTITUTION = "institution", "Institution"
    OTHER = "autre", "Autre"


class Actor(DemoFlag):
    """A person or an organisation taking part in an ecosystem."""

    name = models.CharField("nom", max_length=200)
    kind = models.CharField("catégorie", max_length=20, choices=ActorKind.choices)
    is_organisation = models.BooleanField("organisation", default=False)
    organisation = models.CharField("structure", max_length=200, blank=True)
    commune = models.CharField("commune", max_length=120, blank=True)

    class Meta:
        verbose_name = "acteur"
        verbose_name_plural = "acteurs"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class MembershipRole(models.TextChoices):
    FACILITATION = "animation", "Animation"
    MEMBER = "membre", "Membre"
    RESOURCE = "ressource", "Personne ressource"


class EcosystemMembership(DemoFlag):
    """An actor's place in a chantier's écosystème hybride."""

    chantier = models.ForeignKey(Chantier, on_delete=models.CASCADE, related_name="memberships")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        "rôle", max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    joined_on = models.DateField("depuis", null=True, blank=True)

    class Meta:
        verbose_name = "membre de l'écosystème"
        verbose_name_plural = "membres de l'écosystème"
        ordering = ["chantier", "actor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["chantier", "actor"], name="unique_membership_per_chantier"
            )
        ]

    def __str__(self):
        return f"{self.actor} – {self.chantier}"


class TeamMember(DemoFlag):
    """A member of the équipe-projet (about fifteen people)."""

    name = models.CharField("nom", max_length=200)
    role = models.CharField("rôle dans l'équipe", max_length=200, blank=True)
    organisation = models.CharField("structure", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("ordre d'affichage", default=0)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_member",
    )
    coordinated_chantiers = models.ManyToManyField(
        Chantier, verbose_name="chantiers coordonnés", related_name="coordinators", blank=True
    )

    class Meta:
        verbose_name = "membre de l'équipe-projet"
        verbose_name_plural = "équipe-projet"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class MeetingKind(models.TextChoices):
    SESSION = "session", "Session"
    INTERSESSION = "intersession", "Intersession"


class MeetingStatus(models.TextChoices):
    PLANNED = "prevue", "Prévue"
    HELD = "tenue", "Tenue"
    CANCELLED = "annulee", "Annulée"
    POSTPONED = "reportee", "Reportée"


class MeetingQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("chantier").prefetch_related(
            Prefetch("chantiers", queryset=Chantier.objects.in_order())
        )

    def not_cancelled(self):
        return self.exclude(status=MeetingStatus.CANCELLED)

    def in_year(self, year):
        """Meetings starting in that calendar year, Europe/Paris time."""
        return self.filter(starts_at__year=year)

    def concerning(self, chantier):
        """Like for_chantier, without DISTINCT: for subqueries that keep one row anyway."""
        return self.filter(Q(chantier=chantier) | Q(chantiers=chantier))

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
        # A subquery on ids rather than DISTINCT over a join: no duplicates, and
        # slicing and ordering stay plain on every database.
        ids = Meeting.objects.concerning(chantier).values("pk")
        return self.filter(pk__in=ids)


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
    def is_session(self):
        return self.kind == MeetingKind.SESSION

    @property
    def is_cancelled(self):
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_postponed(self):
        return self.status == MeetingStatus.POSTPONED

    @property
    def is_held(self):
        return self.status == MeetingStatus.HELD

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


class Phase(models.Model):
    """A step of the timeline of the démarche (FACTS.md)."""

    key = models.SlugField("identifiant", max_length=60, unique=True)
    title = models.CharField("titre", max_length=200)
    period = models.CharField("période", max_length=80, help_text="Par exemple « Printemps 2018 ».")
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin", null=True, blank=True)
    text = models.TextField("texte", blank=True, help_text="Texte en Markdown.")

    class Meta:
        verbose_name = "étape de la démarche"
        verbose_name_plural = "étapes de la démarche"
        ordering = ["starts_on"]

    def __str__(self):
        return f"{self.period} – {self.title}"


class PartnerKind(models.TextChoices):
    BODY = "instance", "Instance du PETR"
    CONSULTANCY = "accompagnement", "Accompagnement"
    RESEARCH = "recherche", "Recherche"
    OTHER = "autre", "Autre"


class Partner(DemoFlag):
    key = models.SlugField("identifiant", max_length=60, unique=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=20, choices=PartnerKind.choices)
    description = models.TextField("description", blank=True)
    url = models.URLField("site", blank=True)
    order = models.PositiveSmallIntegerField("ordre d'affichage", default=0)

    class Meta:
        verbose_name = "partenaire"
        verbose_name_plural = "partenaires"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


# --- Participation: join requests and registrations to meetings ---------------------------


class Participation(models.TextChoices):
    """How a resident would like to take part (the join form)."""

    ECOSYSTEM = "ecosysteme", "Rejoindre l'écosystème et venir aux intersessions"
    CONTRIBUTE = "ponctuel", "Apporter ponctuellement une idée, une expertise ou un lieu"
    INFORMED = "informe", "Être tenu·e au courant de l'avancement"
    OTHER = "autre", "Autre chose (précisez dans le message)"


class JoinRequestStatus(models.TextChoices):
    NEW = "nouvelle", "Nouvelle"
    CONTACTED = "contactee", "Contactée"
    INTEGRATED = "integree", "Intégrée"
    ARCHIVED = "archivee", "Archivée"


class PersonalDataQuerySet(models.QuerySet):
    def not_anonymised(self):
        return self.filter(anonymised_at__isnull=True)


class JoinRequestQuerySet(PersonalDataQuerySet):
    def with_chantiers(self):
        return self.prefetch_related(Prefetch("chantiers", queryset=Chantier.objects.in_order()))

    def inactive_since(self, moment):
        """Requests whose last activity is older than moment (the retention cut-off)."""
        return self.filter(last_activity_at__lt=moment)


class JoinRequest(models.Model):
    """A resident asks to join the démarche (« Nous rejoindre »)."""

    name = models.CharField("nom", max_length=150)
    email = models.EmailField("courriel", max_length=254)
    commune = models.CharField("commune", max_length=120)
    chantiers = models.ManyToManyField(
        Chantier, verbose_name="chantiers choisis", related_name="join_requests", blank=True
    )
    participation = models.CharField(
        "façon de participer", max_length=20, choices=Participation.choices
    )
    message = models.TextField("message", blank=True)
    consented_at = models.DateTimeField(
        "consentement donné le",
        help_text="Date à laquelle la personne a accepté le traitement de ses données.",
    )
    status = models.CharField(
        "statut",
        max_length=20,
        choices=JoinRequestStatus.choices,
        default=JoinRequestStatus.NEW,
        db_index=True,
    )
    team_notes = models.TextField(
        "notes de l'équipe", blank=True, help_text="Visibles de l'équipe seulement."
    )
    created_at = models.DateTimeField("reçue le", default=timezone.now, db_index=True)
    last_activity_at = models.DateTimeField(
        "dernière activité",
        default=timezone.now,
        db_index=True,
        help_text="Mise à jour à chaque changement de statut ; la durée de conservation en part.",
    )
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True, editable=False)

    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de participation"
        verbose_name_plural = "demandes de participation"
        ordering = ["-created_at"]

    def __str__(self):
        if self.anonymised_at:
            return f"Demande anonymisée du {timezone.localdate(self.created_at):%d/%m/%Y}"
        return f"{self.name} ({self.commune})"


def new_cancel_token():
    return secrets.token_urlsafe(24)


class RegistrationQuerySet(PersonalDataQuerySet):
    def active(self):
        return self.filter(cancelled_at__isnull=True)

    def cancelled(self):
        return self.filter(cancelled_at__isnull=False)


class Registration(models.Model):
    """A resident's « Je participe » to an intersession open to the public."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField("nom", max_length=150)
    email = models.EmailField("courriel", max_length=254)
    consented_at = models.DateTimeField("consentement donné le")
    # The secret in the cancel link of the confirmation email; cleared on anonymisation.
    cancel_token = models.CharField(
        "jeton d'annulation",
        max_length=64,
        unique=True,
        null=True,
        default=new_cancel_token,
        editable=False,
    )
    created_at = models.DateTimeField("inscrit·e le", default=timezone.now)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription à une réunion"
        verbose_name_plural = "inscriptions aux réunions"
        ordering = ["meeting", "created_at"]
        constraints = [
            # One seat per address and meeting; anonymised rows (empty address) are left out.
            models.UniqueConstraint(
                Lower("email"),
                "meeting",
                condition=Q(cancelled_at__isnull=True) & ~Q(email=""),
                name="one_active_registration_per_email",
                violation_error_message="Cette adresse est déjà inscrite à cette réunion.",
            )
        ]

    def __str__(self):
        who = "Inscription anonymisée" if self.anonymised_at else self.name
        return f"{who} – {self.meeting}"

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    def get_cancel_url(self):
        return reverse("chantiers:registration_cancel", args=[self.meeting.slug, self.cancel_token])
