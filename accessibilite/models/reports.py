"""« Signaler un problème d'accessibilité »: what a visitor could not reach, which the team
must answer (article 47 of the law of 11 February 2005)."""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

# A report left without an answer longer than this is shown as late in the admin.
ANSWER_WITHIN = timedelta(days=7)


class ReportQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(answered_at__isnull=True, anonymised_at__isnull=True)

    def late(self, now=None):
        now = now or timezone.now()
        return self.unanswered().filter(created_at__lt=now - ANSWER_WITHIN)

    def not_anonymised(self):
        return self.filter(anonymised_at__isnull=True)

    def inactive_since(self, moment):
        return self.filter(
            Q(answered_at__isnull=True, created_at__lt=moment) | Q(answered_at__lt=moment)
        )


class AccessibilityReport(models.Model):
    name = models.CharField("nom", max_length=150, blank=True)
    email = models.EmailField("adresse électronique", max_length=254)
    page = models.CharField("page ou contenu concerné", max_length=500, blank=True)
    message = models.TextField("problème rencontré")
    created_at = models.DateTimeField("reçu le", default=timezone.now, db_index=True)
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    team_notes = models.TextField("notes de l'équipe", blank=True)
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "signalement d'accessibilité"
        verbose_name_plural = "signalements d'accessibilité"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Signalement du {timezone.localtime(self.created_at):%d/%m/%Y}"

    def is_late(self, now=None):
        now = now or timezone.now()
        return (
            self.answered_at is None
            and self.anonymised_at is None
            and self.created_at < now - ANSWER_WITHIN
        )
