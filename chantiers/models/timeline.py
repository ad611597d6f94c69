"""The timeline of the démarche."""

from django.db import models


class Phase(models.Model):
    """A step of the timeline of the démarche (FACTS.md)."""

    key = models.SlugField("identifiant", max_length=60, unique=True)
    title = models.CharField("titre", max_length=200)
    period = models.CharField("période", max_length=80, help_text="Par exemple « Printemps 2018 ».")
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin", null=True, blank=True)
    text = models.TextField("texte", blank=True, help_text="Texte en Markdown.")

    class Meta:
        verbose_name = "étape de la démarche"
        verbose_name_plural = "étapes de la démarche"
        ordering = ["starts_on"]

    def __str__(self):
        return f"{self.period} – {self.title}"
