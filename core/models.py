from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class ContentVersion(models.Model):
    """The one row that says which version of the public content is current.

    core.cache reads it with one SQL statement on its table name, the cheapest read there
    is for a check made on every cached page, and replaces it through this class. See
    core.cache for why the database.
    """

    token = models.CharField(max_length=32)
    # When the token was last replaced: the pages' Last-Modified (core.conditional).
    changed_at = models.DateTimeField("changée le", default=timezone.now)

    class Meta:
        db_table = "portal_content_version"
        verbose_name = "version du contenu"
        verbose_name_plural = "versions du contenu"

    def __str__(self):
        return self.token


class OutboxStatus(models.TextChoices):
    PENDING = "attente", "En attente"
    SENDING = "envoi", "En cours d'envoi"
    SENT = "envoye", "Envoyé"
    FAILED = "echec", "Échec"
    # The worker stopped between taking the email and recording the answer of the server:
    # it may or may not have left. Never sent again on its own (at most once); the admin
    # can send it again.
    INTERRUPTED = "interrompu", "Interrompu"


class OutboxEmailQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)


class OutboxEmail(models.Model):
    """One email to one recipient, written in the same transaction as the change it tells
    of, and sent later by the worker (core.outbox). (recipient, key) is unique: the same
    item never reaches the same address twice, whatever retries or duplicate calls do."""

    recipient = models.EmailField("destinataire", max_length=254)
    key = models.CharField("élément", max_length=200)
    kind = models.CharField("type", max_length=60, db_index=True)
    subject = models.CharField("objet", max_length=300)
    body_text = models.TextField("texte")
    body_html = models.TextField("HTML", blank=True)
    # Extra headers (List-Unsubscribe, Reply-To...) and text attachments [name, content, type].
    headers = models.JSONField("en-têtes", default=dict, blank=True)
    attachments = models.JSONField("pièces jointes", default=list, blank=True)
    status = models.CharField(
        "état", max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("essais", default=0)
    next_attempt_at = models.DateTimeField("prochain essai", default=timezone.now)
    claimed_at = models.DateTimeField("pris par le worker le", null=True, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    last_error = models.TextField("dernière erreur", blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now, db_index=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        verbose_name = "courriel envoyé"
        verbose_name_plural = "journal des courriels"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(Lower("recipient"), "key", name="outbox_once_per_recipient")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        permissions = [("view_recipient", "Voir et exporter les adresses des destinataires")]

    def __str__(self):
        return self.subject
