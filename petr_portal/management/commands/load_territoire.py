"""Load the real content of every app (FACTS.md). Safe to run again: nothing is duplicated."""

from django.core.management.base import BaseCommand

from chantiers import territoire as chantiers_territoire
from core.cache import bump_content_version
from diagnostic import territoire as diagnostic_territoire

# Each app's own loader, in order; a new app adds one line here.
LOADERS = [
    ("chantiers", chantiers_territoire.load),
    ("diagnostic", diagnostic_territoire.load),
]


class Command(BaseCommand):
    help = "Charge le contenu réel du projet de territoire (sans doublon si on le relance)."

    def handle(self, *args, **options):
        for app, load in LOADERS:
            self.stdout.write(f"{app} : créés {summary(load())}.")
        # Loaders may write in bulk (no signal): cached public pages go stale here.
        bump_content_version()
        self.stdout.write(self.style.SUCCESS("Contenu réel à jour."))


def summary(counts):
    """« 5 chantiers, 4 étapes » from a loader's counts by kind (load_demo uses it too)."""
    return ", ".join(f"{count} {what}" for what, count in counts.items()) or "rien"
