"""Load (or remove with --remove) the demonstration content of every app."""

from django.core.management.base import BaseCommand

from chantiers import demo as chantiers_demo
from chantiers import demo_progress
from core.cache import bump_content_version
from diagnostic import demo as diagnostic_demo
from petr_portal.management.commands.load_territoire import summary

# Each app's own demo module (with load() and remove()), in order; a new app adds one
# line here. Removal runs in reverse order, so dependent content goes first.
DEMOS = [
    ("chantiers", chantiers_demo),
    # After the chantiers: the actions are piloted by demo people, decided in demo meetings.
    ("avancement", demo_progress),
    # After the chantiers: demo documents attach to the first chantiers.
    ("diagnostic", diagnostic_demo),
]


class Command(BaseCommand):
    help = (
        "Charge le contenu de démonstration (remplace le précédent) ; "
        "--remove le retire sans toucher au contenu réel."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--remove",
            action="store_true",
            help="Retire exactement le contenu de démonstration.",
        )

    def handle(self, *args, remove=False, **options):
        try:
            self._load_or_remove(remove)
        finally:
            # Demo modules may write in bulk (no signal), and every page says whether demo
            # content is loaded: cached public pages go stale here, even after a failure.
            bump_content_version()

    def _load_or_remove(self, remove):
        if remove:
            for app, module in reversed(DEMOS):
                removed = module.remove()
                self.stdout.write(f"{app} : retirés {summary(removed)}.")
            self.stdout.write(self.style.SUCCESS("Contenu de démonstration retiré."))
            return
        for app, module in DEMOS:
            created = module.load()
            self.stdout.write(f"{app} : créés {summary(created)}.")
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration chargé (marqué « démo »)."))
