"""The rapport d'avancement kept as files: its PDF for a period, built once per content
version by the worker, and the reports the team pinned as documents."""

from django.db import models
from django.utils import timezone

from diagnostic.models.documents import Document


class ReportPdfState(models.TextChoices):
    WAITING = "attente", "En attente du worker"
    BUILDING = "preparation", "En préparation"
    READY = "pret", "Prêt"
    FAILED = "echec", "Échec"


class ReportPdfQuerySet(models.QuerySet):
    def of_period(self, starts_on, ends_on):
        return self.filter(starts_on=starts_on, ends_on=ends_on)

    def recent_periods(self, count):
        """The last `count` periods asked for, the latest first: (starts_on, ends_on)."""
        rows = (
            self.order_by()
            .values("starts_on", "ends_on")
            .annotate(last_asked=models.Max("requested_at"))
            .order_by("-last_asked", "-ends_on")[:count]
        )
        return [(row["starts_on"], row["ends_on"]) for row in rows]


class ReportPdf(models.Model):
    """The PDF of the report for one period, as the content stood at one version.

    (period, version) is unique: two visitors asking at the same moment share one row,
    and only the request that created it hands the build to the worker. A new version of
    the content (any edit) makes a new row; the rows of older versions are deleted, with
    their files, once a newer one is ready. Not a page's content: saving one does not
    make the cached pages stale (petr_portal.apps)."""

    starts_on = models.DateField("du")
    ends_on = models.DateField("au")
    content_version = models.CharField("version du contenu", max_length=80)
    state = models.CharField(
        "état", max_length=20, choices=ReportPdfState.choices, default=ReportPdfState.WAITING
    )
    file = models.FileField("fichier", upload_to="rapports/", max_length=200, blank=True)
    file_size = models.PositiveIntegerField("taille (octets)", null=True, blank=True)
    requested_at = models.DateTimeField("demandé le", default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField("pris par le worker le", null=True, blank=True)
    built_at = models.DateTimeField("prêt le", null=True, blank=True)
    error = models.TextField("erreur", blank=True)

    objects = ReportPdfQuerySet.as_manager()

    class Meta:
        verbose_name = "PDF du rapport d'avancement"
        verbose_name_plural = "PDF du rapport d'avancement"
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["starts_on", "ends_on", "content_version"],
                name="one_report_pdf_per_period_and_version",
            ),
        ]

    def __str__(self):
        return f"Rapport du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"

    @property
    def is_ready(self):
        return self.state == ReportPdfState.READY and bool(self.file)


class PinnedReport(models.Model):
    """A report of a period kept as a document (« Rapport d'activité 2026 »): its PDF was
    written once, when it was pinned, and stays as it was presented while the live report
    follows the data."""

    document = models.OneToOneField(
        Document,
        verbose_name="document",
        on_delete=models.CASCADE,
        related_name="pinned_report",
    )
    starts_on = models.DateField("du")
    ends_on = models.DateField("au")
    pinned_at = models.DateTimeField("figé le", default=timezone.now)

    class Meta:
        verbose_name = "rapport d'avancement figé"
        verbose_name_plural = "rapports d'avancement figés"
        ordering = ["-ends_on", "-pinned_at"]

    def __str__(self):
        return self.document.title
