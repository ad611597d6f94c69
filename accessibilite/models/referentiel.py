"""The RGAA as published by DINUM, one set of rows per version (accessibilite/referentiels/,
loaded by `manage.py load_rgaa`): themes, criteria, their tests and methods, the glossary."""

from django.db import models
from django.db.models import OuterRef, Subquery

from core.text import markdown_to_line


class RgaaVersionQuerySet(models.QuerySet):
    def with_superseded_on(self):
        """Each version with `superseded_on`: the publication date of the next version,
        or None while it is the latest."""
        successors = RgaaVersion.objects.filter(published_on__gt=OuterRef("published_on"))
        return self.annotate(
            superseded_on=Subquery(successors.order_by("published_on").values("published_on")[:1])
        )


class RgaaVersion(models.Model):
    number = models.CharField("version", max_length=20, unique=True)
    published_on = models.DateField("publiée le")
    updated_on = models.DateField("dernière mise à jour")
    publisher = models.CharField("éditeur", max_length=200)
    source_url = models.URLField("source", max_length=300)
    commit = models.CharField("révision des fichiers", max_length=40, blank=True)
    licence = models.CharField("licence", max_length=100)
    licence_url = models.URLField("adresse de la licence", max_length=300)

    objects = RgaaVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "version du RGAA"
        verbose_name_plural = "versions du RGAA"
        ordering = ["-published_on"]

    def __str__(self):
        return f"RGAA {self.number}"

    @property
    def attribution(self):
        """What the Licence Ouverte asks wherever the criteria are shown or shipped."""
        return f"{self.publisher} — RGAA {self.number}"


class Theme(models.Model):
    version = models.ForeignKey(RgaaVersion, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("thématique", max_length=200)

    class Meta:
        verbose_name = "thématique"
        verbose_name_plural = "thématiques"
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="rgaa_theme_once")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class CriterionQuerySet(models.QuerySet):
    def of_version(self, version):
        return (
            self.filter(theme__version=version)
            .select_related("theme")
            .order_by("theme__number", "number")
        )


class Criterion(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="criteria")
    number = models.PositiveSmallIntegerField("numéro")
    # Markdown, as published: links to the glossary's anchors (#slug).
    title = models.TextField("critère")
    # Lists of Markdown blocks.
    particular_cases = models.JSONField("cas particuliers", default=list, blank=True)
    technical_notes = models.JSONField("notes techniques", default=list, blank=True)
    references = models.JSONField("correspondances", default=list, blank=True)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        verbose_name = "critère"
        verbose_name_plural = "critères"
        ordering = ["theme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "number"], name="rgaa_criterion_once")
        ]

    def __str__(self):
        return f"{self.code} {self.plain_title}"

    @property
    def code(self):
        """« 1.1 »: theme and criterion numbers (the theme is loaded with it)."""
        return f"{self.theme.number}.{self.number}"

    @property
    def plain_title(self):
        return markdown_to_line(self.title)


class CriterionTest(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="tests")
    number = models.PositiveSmallIntegerField("numéro")
    # Markdown: the question, then the conditions as a list.
    text = models.TextField("test")
    method = models.TextField("méthodologie", blank=True)

    class Meta:
        verbose_name = "test"
        verbose_name_plural = "tests"
        ordering = ["criterion", "number"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "number"], name="rgaa_test_once")
        ]

    def __str__(self):
        return f"Test {self.number}"


class GlossaryEntry(models.Model):
    version = models.ForeignKey(RgaaVersion, on_delete=models.CASCADE, related_name="glossary")
    slug = models.SlugField("ancre", max_length=200)
    title = models.CharField("terme", max_length=200)
    # HTML, as published (cleaned with nh3 before it is shown).
    body = models.TextField("définition")

    class Meta:
        verbose_name = "entrée du glossaire"
        verbose_name_plural = "glossaire"
        ordering = ["version", "title"]
        constraints = [
            models.UniqueConstraint(fields=["version", "slug"], name="rgaa_glossary_once")
        ]

    def __str__(self):
        return self.title
