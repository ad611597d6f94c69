"""Participation: join requests and registrations to meetings (personal data, kept
for a limited time)."""

import secrets

from django.db import models
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from chantiers.models.chantiers import Chantier
from chantiers.models.meetings import Meeting


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


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "inscrite", "Inscrit·e"
    WAITING = "attente", "Liste d'attente"


class RegistrationQuerySet(PersonalDataQuerySet):
    def active(self):
        """Not cancelled: with a seat or on the waiting list."""
        return self.filter(cancelled_at__isnull=True)

    def seated(self):
        """Not cancelled and holding a seat."""
        return self.active().filter(status=RegistrationStatus.CONFIRMED)

    def waiting(self):
        """The waiting list, first come first served: in the order the registrations were
        written, one at a time under the meeting's lock (chantiers.services.register).
        Not by created_at, a clock read before the lock was taken."""
        return self.active().filter(status=RegistrationStatus.WAITING).order_by("pk")

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
    status = models.CharField(
        "état",
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )
    created_at = models.DateTimeField("inscrit·e le", default=timezone.now)
    promoted_at = models.DateTimeField(
        "place obtenue le",
        null=True,
        blank=True,
        help_text="Pour une personne de la liste d'attente : quand une place s'est libérée.",
    )
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

    @property
    def is_waiting(self):
        return self.status == RegistrationStatus.WAITING

    def get_cancel_url(self):
        return reverse("chantiers:registration_cancel", args=[self.meeting.slug, self.cancel_token])
