"""Bonheur Local Brut: the compass's axes, the indicators, their values, the glossary."""

from django.db import models
from django.db.models import Prefetch

from core.demo import DemoFlag


class Axis(models.Model):
    """One of the four axes of the BLB compass (FACTS.md)."""

    key = models.SlugField("identifiant", max_length=40, unique=True)
    name = models.CharField("nom", max_length=100)
    description = models.TextField("description", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "axe de la boussole"
        verbose_name_plural = "axes de la boussole"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class IndicatorQuerySet(models.QuerySet):
    def with_values(self):
        return self.select_related("axis").prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.order_by("measured_on"))
        )


class Indicator(DemoFlag):
    axis = models.ForeignKey(
        Axis, verbose_name="axe", on_delete=models.PROTECT, related_name="indicators"
    )
    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant", max_length=200, unique=True)
    definition = models.TextField("définition", blank=True)
    unit = models.CharField("unité", max_length=60, blank=True)
    method = models.TextField("méthode de calcul", blank=True)
    higher_is_better = models.BooleanField(
        "plus c'est haut, mieux c'est",
        default=True,
        help_text="Décochez quand une baisse est souhaitable (consommation d'énergie...).",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)
    # Declared here rather than on Action: chantiers knows nothing of diagnostic.
    actions = models.ManyToManyField(
        "chantiers.Action",
        verbose_name="actions qu'il mesure",
        related_name="indicators",
        blank=True,
    )
    # The open data states each file's last update (Licence Ouverte).
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        ordering = ["axis__order", "order", "name"]

    def __str__(self):
        return self.name

    def series(self):
        """Values in date order (prefetched by with_values())."""
        return list(self.values.all())

    @property
    def latest(self):
        values = self.series()
        return values[-1] if values else None

    @property
    def trend(self):
        """« hausse », « baisse » or « stable » with whether that is good, or None."""
        values = self.series()
        if len(values) < 2:
            return None
        before, last = values[-2].value, values[-1].value
        if last == before:
            return {"direction": "stable", "label": "stable", "good": None}
        up = last > before
        good = up if self.higher_is_better else not up
        return {
            "direction": "up" if up else "down",
            "label": "en hausse" if up else "en baisse",
            "good": good,
        }


class IndicatorValue(DemoFlag):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    measured_on = models.DateField("date de la mesure")
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    source = models.CharField("source", max_length=300)
    note = models.CharField("remarque", max_length=300, blank=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "valeur d'un indicateur"
        verbose_name_plural = "valeurs des indicateurs"
        ordering = ["indicator", "measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"],
                name="one_value_per_indicator_and_date",
                violation_error_message="Une valeur existe déjà à cette date pour cet indicateur.",
            )
        ]

    def __str__(self):
        return f"{self.indicator} – {self.measured_on:%d/%m/%Y} : {self.value}"


class GlossaryEntry(DemoFlag):
    """An entry of the « Glossaire du BLB »."""

    term = models.CharField("terme", max_length=120)
    slug = models.SlugField("identifiant", max_length=140, unique=True)
    definition = models.TextField("définition")

    class Meta:
        verbose_name = "entrée du glossaire"
        verbose_name_plural = "glossaire du BLB"
        ordering = ["term"]

    def __str__(self):
        return self.term
