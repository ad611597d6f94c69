"""Where each chantier stands: its actions and their journal of points d'étape.

« En retard » is never stored: it follows from the planned end and today's date, as a
queryset annotation (`with_lateness()`) or the `is_late` property.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Sum, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from chantiers.models.action_status import (
    CLOSED_STATUSES,
    STATUS_ORDER,
    ActionStatus,
    ProgressSummary,
)
from chantiers.models.chantiers import Chantier
from chantiers.models.ecosystem import Actor, TeamMember
from core.demo import DemoFlag
from core.links import PLAIN_SLUG, slug_url

# An action piloted without news for this long shows in its pilots' « Mon espace ».
QUIET_AFTER = timedelta(days=91)

END_BEFORE_START = "La fin prévue ne peut pas précéder le début."
FUTURE_POINT = (
    "Un point d'étape raconte ce qui s'est passé : sa date ne peut pas être dans le futur."
)
MARKDOWN_HELP = (
    "Texte en Markdown : **gras**, *italique*, listes avec « - », liens [texte](adresse)."
)
PROGRESS_VALIDATORS = [
    MinValueValidator(0, "L'avancement est un pourcentage : entre 0 et 100."),
    MaxValueValidator(100, "L'avancement est un pourcentage : entre 0 et 100."),
]


def _status_rank():
    return Case(
        *(When(status=status, then=Value(rank)) for rank, status in enumerate(STATUS_ORDER)),
        default=Value(len(STATUS_ORDER)),
        output_field=models.IntegerField(),
    )


_STATUS_RANKS = {status: rank for rank, status in enumerate(STATUS_ORDER)}
# in_order() within a status.
_AFTER_STATUS = (F("planned_end_on").asc(nulls_last=True), "title", "pk")


def _late_condition(today):
    return Q(planned_end_on__lt=today) & ~Q(status__in=CLOSED_STATUSES)


class ActionQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("chantier").prefetch_related(
            models.Prefetch("team_pilots", queryset=TeamMember.objects.order_by("order", "name")),
            models.Prefetch("actor_pilots", queryset=Actor.objects.order_by("name")),
        )

    def in_order(self):
        """What moves first (en cours, à venir...), then by planned end, then by title."""
        return self.annotate(status_rank=_status_rank()).order_by("status_rank", *_AFTER_STATUS)

    def listed(self, today=None):
        """with_lateness(today).in_order() as a list, the status rank and the lateness
        worked out in Python rather than by two CASE expressions: building them cost a
        millisecond on each chantier page. Python's sort is stable, so the database's
        order (planned end, then title in its collation) stays within each status."""
        today = today or timezone.localdate()
        actions = list(self.by_planned_end())
        for action in actions:
            action.status_rank = _STATUS_RANKS.get(action.status, len(STATUS_ORDER))
            action.late_now = action.late_on(today)
        actions.sort(key=lambda action: action.status_rank)
        return actions

    def by_planned_end(self):
        """The order of in_order() within a status (listed() sorts by status after)."""
        return self.order_by(*_AFTER_STATUS)

    def for_chantier(self, chantier):
        return self.filter(chantier=chantier)

    def with_status(self, status):
        return self.filter(status=status)

    def still_open(self):
        return self.exclude(status__in=CLOSED_STATUSES)

    def late(self, today=None):
        """Past their planned end and neither done nor abandoned."""
        return self.filter(_late_condition(today or timezone.localdate()))

    def with_lateness(self, today=None):
        """Annotate late_now: what `is_late` reads without working it out again."""
        return self.annotate(
            late_now=Case(
                When(_late_condition(today or timezone.localdate()), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )

    def with_last_point_on(self):
        """Annotate last_point_on: the date of the latest point d'étape (None without any)."""
        latest = (
            PointEtape.objects.filter(action=OuterRef("pk")).order_by("-date").values("date")[:1]
        )
        return self.annotate(last_point_on=Subquery(latest))

    def piloted_by(self, team_member):
        return self.filter(team_pilots=team_member)

    def needing_news(self, today=None):
        """Open actions that are late, or have had no point d'étape for three months (counted
        from their creation when they have none): what their pilots should look at."""
        today = today or timezone.localdate()
        since = today - QUIET_AFTER
        return (
            self.still_open()
            .with_last_point_on()
            .filter(
                _late_condition(today)
                | Q(last_point_on__lt=since)
                | Q(last_point_on__isnull=True, created_at__date__lt=since)
            )
        )

    def summaries(self, today=None):
        """A ProgressSummary per chantier id, for every chantier of these actions, in one
        query whatever their number. The progress is summed, not averaged through a CASE:
        done actions count 100 % and, their status being grouped on, are set here (the
        expressions cost more to build and compile than the query to run)."""
        today = today or timezone.localdate()
        rows = (
            self.order_by()
            .values("chantier_id", "status")
            .annotate(
                count=Count("pk"),
                late=Count("pk", filter=_late_condition(today)),
                progress_sum=Sum("progress"),
            )
        )
        summaries = {}
        for row in rows:
            count = row["count"]
            # Done actions count 100 %; no progress given counts 0.
            done = row["status"] == ActionStatus.DONE
            progress = 100 if done else (row["progress_sum"] or 0) / count
            summary = summaries.setdefault(row["chantier_id"], ProgressSummary())
            summary.add(row["status"], count, row["late"], progress)
        return summaries


class Action(DemoFlag):
    """Something concrete a chantier does, with a status, dates and pilots."""

    chantier = models.ForeignKey(
        Chantier, verbose_name="chantier", on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField("intitulé", max_length=200)
    slug = models.SlugField(
        "adresse (slug)",
        max_length=200,
        help_text="Lettres, chiffres et tirets ; unique dans le chantier. Ne change plus ensuite.",
    )
    description = models.TextField("description", blank=True, help_text=MARKDOWN_HELP)
    status = models.CharField(
        "statut", max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    abandon_reason = models.TextField(
        "raison de l'abandon",
        blank=True,
        help_text="Obligatoire pour une action abandonnée : elle est publiée avec l'action.",
    )
    starts_on = models.DateField("début", null=True, blank=True)
    planned_end_on = models.DateField(
        "fin prévue",
        null=True,
        blank=True,
        help_text="Passée cette date, une action ni réalisée ni abandonnée est dite en retard.",
    )
    progress = models.PositiveSmallIntegerField(
        "avancement (%)",
        null=True,
        blank=True,
        validators=PROGRESS_VALIDATORS,
        help_text="Facultatif : de 0 à 100.",
    )
    team_pilots = models.ManyToManyField(
        TeamMember,
        verbose_name="pilotes (équipe-projet)",
        related_name="piloted_actions",
        blank=True,
    )
    actor_pilots = models.ManyToManyField(
        Actor,
        verbose_name="pilotes (acteurs de l'écosystème)",
        related_name="piloted_actions",
        blank=True,
    )
    meetings = models.ManyToManyField(
        "chantiers.Meeting",
        verbose_name="réunions où elle a été décidée ou discutée",
        related_name="actions",
        blank=True,
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action"
        verbose_name_plural = "actions"
        ordering = ["chantier", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["chantier", "slug"],
                name="unique_action_slug_per_chantier",
                violation_error_message=(
                    "Une autre action de ce chantier a déjà cette adresse (slug) : "
                    "choisissez-en une autre."
                ),
            ),
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__lte=100),
                name="action_progress_at_most_100",
                violation_error_message="L'avancement est un pourcentage : entre 0 et 100.",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(planned_end_on__gte=F("starts_on")),
                name="action_ends_after_start",
                violation_error_message=END_BEFORE_START,
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.status == ActionStatus.ABANDONED and not self.abandon_reason.strip():
            raise ValidationError(
                {"abandon_reason": "Indiquez pourquoi l'action est abandonnée : elle est publiée."}
            )
        if self.starts_on and self.planned_end_on and self.planned_end_on < self.starts_on:
            raise ValidationError(
                {"planned_end_on": "La fin prévue ne peut pas précéder le début."}
            )

    def get_absolute_url(self):
        return action_url(self.chantier.slug, self.slug)

    @cached_property
    def url(self):
        """The address, worked out once (lists read it several times)."""
        return self.get_absolute_url()

    @property
    def is_late(self):
        annotated = getattr(self, "late_now", None)
        if annotated is not None:
            return annotated
        return self.late_on(timezone.localdate())

    def late_on(self, today):
        """Past its planned end on `today` and not closed (what _late_condition says)."""
        return bool(
            self.planned_end_on
            and self.planned_end_on < today
            and self.status not in CLOSED_STATUSES
        )

    @property
    def is_closed(self):
        return self.status in CLOSED_STATUSES

    @property
    def is_abandoned(self):
        return self.status == ActionStatus.ABANDONED

    @property
    def shown_progress(self):
        """The progress shown: 100 once done, None when nobody gave one."""
        return 100 if self.status == ActionStatus.DONE else self.progress

    @property
    def pilots(self):
        """Team members then actors (prefetched by with_related())."""
        return [*self.team_pilots.all(), *self.actor_pilots.all()]


def action_url(chantier_slug, action_slug):
    """/chantiers/<chantier>/actions/<action>/, without a reverse() per action of a list."""
    if PLAIN_SLUG.match(action_slug):
        return f"{slug_url('chantiers:chantier_detail', chantier_slug)}actions/{action_slug}/"
    return reverse("chantiers:action_detail", args=[chantier_slug, action_slug])


class PointEtapeQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("action", "action__chantier", "meeting")

    def newest_first(self):
        return self.order_by("-date", "-created_at", "-pk")

    def for_chantier(self, chantier):
        return self.filter(action__chantier=chantier)


class PointEtape(DemoFlag):
    """A dated entry of an action's journal: what happened, and maybe a new status."""

    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.CASCADE, related_name="points"
    )
    date = models.DateField("date", default=timezone.localdate)
    title = models.CharField("titre", max_length=200)
    text = models.TextField("texte", blank=True, help_text=MARKDOWN_HELP)
    new_status = models.CharField(
        "nouveau statut de l'action",
        max_length=20,
        choices=ActionStatus.choices,
        blank=True,
        help_text="Facultatif : appliqué à l'action à l'enregistrement.",
    )
    new_progress = models.PositiveSmallIntegerField(
        "nouvel avancement (%)",
        null=True,
        blank=True,
        validators=PROGRESS_VALIDATORS,
        help_text="Facultatif : de 0 à 100, appliqué à l'action à l'enregistrement.",
    )
    meeting = models.ForeignKey(
        "chantiers.Meeting",
        verbose_name="réunion d'où il vient",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="points_etape",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = HistoricalRecords()

    objects = PointEtapeQuerySet.as_manager()

    class Meta:
        verbose_name = "point d'étape"
        verbose_name_plural = "points d'étape"
        ordering = ["-date", "-created_at"]
        indexes = [
            models.Index(fields=["action", "date"], name="point_etape_action_date"),
            # The journal (home page, /avancement/, feed): the latest first, read in
            # order from the index instead of sorting every point d'étape.
            models.Index(fields=["-date", "-created_at", "-id"], name="point_etape_journal"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_progress__isnull=True) | Q(new_progress__lte=100),
                name="point_etape_progress_at_most_100",
                violation_error_message="L'avancement est un pourcentage : entre 0 et 100.",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": FUTURE_POINT})

    def get_absolute_url(self):
        return f"{self.action.get_absolute_url()}#point-{self.pk}"

    @property
    def anchor(self):
        return f"point-{self.pk}"
