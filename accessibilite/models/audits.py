"""An RGAA audit of the site, kept by the team in the admin: what was audited and how, and
the grid (one result per page of the sample and criterion)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery

from accessibilite.conformity import Conformity, Status, valid_until
from accessibilite.models.referentiel import Criterion, RgaaVersion


def validate_page_address(value):
    if value and not value.startswith(("/", "https://", "http://")):
        raise ValidationError("Indiquez une adresse de la forme « /chemin/ » ou « https://… ».")


class AuditQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def newest_first(self):
        return self.order_by("-audited_on", "-published_at", "-pk")

    def with_version(self):
        """The version and the date a newer version replaced it (None while it is the
        latest), in the same query."""
        successors = RgaaVersion.objects.filter(
            published_on__gt=OuterRef("version__published_on")
        ).order_by("published_on")
        return self.select_related("version").annotate(
            version_superseded_on=Subquery(successors.values("published_on")[:1])
        )

    def current(self):
        """The audit the declaration and the footer stand on: the latest published."""
        return self.published().with_version().newest_first().first()


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


class Audit(models.Model):
    version = models.ForeignKey(
        RgaaVersion,
        on_delete=models.PROTECT,
        related_name="audits",
        verbose_name="version du RGAA",
    )
    audited_on = models.DateField("date de l'audit", help_text="Le jour où l'audit a été achevé.")
    auditor = models.CharField(
        "réalisé par",
        max_length=200,
        help_text="La personne ou l'organisme qui a réalisé l'audit (interne ou externe).",
    )
    scope = models.CharField(
        "périmètre",
        max_length=300,
        help_text="L'adresse du site audité, par exemple https://projet.petr-fqvd.fr.",
    )
    technologies = models.TextField(
        "technologies utilisées", default="HTML\nCSS\nJavaScript", help_text="Une par ligne."
    )
    tools = models.TextField(
        "outils utilisés pour évaluer l'accessibilité", blank=True, help_text="Un par ligne."
    )
    derogations = models.TextField(
        "dérogations pour charge disproportionnée",
        blank=True,
        help_text="Une par ligne : le contenu et la raison de la dérogation.",
    )
    exempt_contents = models.TextField(
        "contenus non soumis à l'obligation d'accessibilité",
        blank=True,
        help_text="Un par ligne (par exemple des documents bureautiques publiés avant le "
        "23 septembre 2018 et qui ne servent plus à une démarche).",
    )
    published_at = models.DateTimeField("publié le", null=True, blank=True, editable=False)
    # The computed result, kept up to date by accessibilite.services whenever the grid or
    # the sample changes: the footer of every page reads it in one query.
    conforming = models.PositiveSmallIntegerField("critères conformes", default=0, editable=False)
    failing = models.PositiveSmallIntegerField("critères non conformes", default=0, editable=False)
    not_applicable = models.PositiveSmallIntegerField(
        "critères non applicables", default=0, editable=False
    )
    not_tested = models.PositiveSmallIntegerField("critères non testés", default=0, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "audit RGAA"
        verbose_name_plural = "audits RGAA"
        ordering = ["-audited_on", "-pk"]

    def __str__(self):
        return f"Audit du {self.audited_on:%d/%m/%Y} ({self.version})"

    @property
    def is_published(self):
        return self.published_at is not None

    def conformity(self):
        return Conformity(
            conforming=self.conforming,
            failing=self.failing,
            not_applicable=self.not_applicable,
            not_tested=self.not_tested,
        )

    def valid_until(self):
        """Needs `version_superseded_on` (AuditQuerySet.with_version)."""
        return valid_until(self.audited_on, getattr(self, "version_superseded_on", None))

    def technology_list(self):
        return _lines(self.technologies)

    def tool_list(self):
        return _lines(self.tools)

    def derogation_list(self):
        return _lines(self.derogations)

    def exempt_content_list(self):
        return _lines(self.exempt_contents)


class AuditEnvironment(models.Model):
    """One combination the audit was run with (the RGAA's « environnement de test »)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="environments")
    assistive_technology = models.CharField(
        "technologie d'assistance", max_length=100, help_text="Par exemple NVDA 2024.4."
    )
    browser = models.CharField("navigateur", max_length=100, help_text="Par exemple Firefox 128.")
    system = models.CharField(
        "système d'exploitation", max_length=100, help_text="Par exemple Windows 11."
    )

    class Meta:
        verbose_name = "environnement de test"
        verbose_name_plural = "environnements de test"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.assistive_technology} avec {self.browser} sous {self.system}"


class SamplePage(models.Model):
    """A page of the audit's sample; « éléments transverses » (header, footer, menus) is
    one too, without an address."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="pages")
    order = models.PositiveSmallIntegerField("ordre", default=0)
    name = models.CharField("nom", max_length=100)
    url = models.CharField(
        "adresse",
        max_length=300,
        blank=True,
        validators=[validate_page_address],
        help_text="« /chemin/ » ou une adresse complète ; vide pour les éléments transverses.",
    )

    class Meta:
        verbose_name = "page de l'échantillon"
        verbose_name_plural = "pages de l'échantillon"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "name"], name="sample_page_name_once")
        ]

    def __str__(self):
        return self.name


class Impact(models.TextChoices):
    MINOR = "mineur", "Mineur"
    MAJOR = "majeur", "Majeur"
    BLOCKING = "bloquant", "Bloquant"


class Result(models.Model):
    """The result of one criterion on one page of the sample. A pair without a row is
    « non testé »: rows are written as the team records them."""

    page = models.ForeignKey(SamplePage, on_delete=models.CASCADE, related_name="results")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="results")
    status = models.CharField(
        "résultat", max_length=2, choices=Status.choices, default=Status.NOT_TESTED
    )
    comment = models.TextField("commentaire", blank=True)
    failure = models.TextField(
        "ce qui ne va pas", blank=True, help_text="Pour un critère non conforme."
    )
    impact = models.CharField(
        "impact sur les personnes", max_length=10, choices=Impact.choices, blank=True
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "résultat"
        verbose_name_plural = "résultats"
        constraints = [
            models.UniqueConstraint(fields=["page", "criterion"], name="result_once_per_page")
        ]

    def __str__(self):
        return f"{self.criterion.code} sur {self.page} : {self.get_status_display()}"
