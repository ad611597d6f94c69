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
    # Taken by a worker, under a lease (core.outbox): a worker that dies holding it loses
    # it when the lease runs out, and the email goes back to « En attente ».
    SENDING = "envoi", "En cours d'envoi"
    SENT = "envoye", "Envoyé"
    FAILED = "echec", "Échec"


# Not sent yet: what a worker will send.
WAITING = (OutboxStatus.PENDING, OutboxStatus.SENDING)


class OutboxEmailQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)

    def waiting(self):
        return self.filter(status__in=WAITING)


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
    # What the SMTP server answered, addresses included: for those who may see addresses.
    last_error = models.TextField("dernière erreur", blank=True)
    # The same, in words and without any address: for the whole team.
    failure = models.CharField("problème", max_length=200, blank=True)
    # One per email, kept across tries: an email sent again is the same message to every
    # mail client (core.outbox).
    message_id = models.CharField("Message-ID", max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField("créé le", default=timezone.now, db_index=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        verbose_name = "courriel"
        verbose_name_plural = "courriels du journal"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(Lower("recipient"), "key", name="outbox_once_per_recipient")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        permissions = [("view_recipient", "Voir et exporter les adresses des destinataires")]

    def __str__(self):
        return self.subject


class FormPostCount(models.Model):
    """Posts of one client address to one public form in one window of time (core.abuse).

    In the database, as the content version is: every gunicorn worker and every server
    counts in the same row, with Redis or without it. The address is only a keyed hash
    (with the form), and a row is deleted once its window is over."""

    client = models.CharField(max_length=64)
    period = models.BigIntegerField()  # the window's number since the epoch
    posts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "envois d'un formulaire public"
        verbose_name_plural = "envois des formulaires publics"
        constraints = [
            models.UniqueConstraint(
                fields=["client", "period"], name="one_count_per_form_address_window"
            )
        ]
        indexes = [models.Index(fields=["period"], name="form_post_count_period")]

    def __str__(self):
        return f"{self.posts} envoi(s)"
