"""The demo flag: rows made by `load_demo` say so, so they can be shown and removed as such."""

from django.db import models


class DemoFlag(models.Model):
    """Marks rows made by `load_demo`, so they can be shown and removed as such."""

    is_demo = models.BooleanField(
        "contenu de démonstration",
        default=False,
        editable=False,
        help_text="Créé par « load_demo » : retiré par « load_demo --remove ».",
    )

    class Meta:
        abstract = True
