"""The schéma pluriannuel (three years at most) and the yearly action plans the law asks a
public body to publish, as files or addresses, with the period each covers."""

from django.core.exceptions import ValidationError
from django.db import models

from accessibilite.conformity import add_months


class PlanKind(models.TextChoices):
    SCHEMA = "schema", "Schéma pluriannuel"
    PLAN = "plan", "Plan annuel"


# The longest period each may cover, in months.
LONGEST = {PlanKind.SCHEMA: 36, PlanKind.PLAN: 12}


class PlanQuerySet(models.QuerySet):
    def covering(self, day):
        return self.filter(starts_on__lte=day, ends_on__gte=day).order_by("-starts_on")


class AccessibilityPlan(models.Model):
    kind = models.CharField("type", max_length=10, choices=PlanKind.choices)
    title = models.CharField("titre", max_length=200)
    starts_on = models.DateField("du")
    ends_on = models.DateField("au")
    document = models.FileField(
        "document", upload_to="accessibilite/", blank=True, help_text="Le document publié…"
    )
    url = models.URLField("adresse", max_length=300, blank=True, help_text="… ou son adresse.")
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "schéma ou plan d'accessibilité"
        verbose_name_plural = "schémas et plans d'accessibilité"
        ordering = ["kind", "-starts_on"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.starts_on:%Y}–{self.ends_on:%Y} : {self.title}"

    def clean(self):
        errors = {}
        if not self.document and not self.url:
            errors["url"] = "Déposez le document ou indiquez son adresse."
        if self.starts_on and self.ends_on and self.kind in LONGEST:
            if self.ends_on < self.starts_on:
                errors["ends_on"] = "La fin de la période précède son début."
            elif self.ends_on >= add_months(self.starts_on, LONGEST[self.kind]):
                errors["ends_on"] = (
                    "Un schéma pluriannuel couvre trois ans au plus : choisissez une fin "
                    "de période moins de trois ans après son début."
                    if self.kind == PlanKind.SCHEMA
                    else "Un plan annuel couvre un an au plus : choisissez une fin de période "
                    "moins d'un an après son début."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def link(self):
        return self.document.url if self.document else self.url
