"""Load (or refresh) the RGAA's criteria, tests, methods and glossary of every version the
portal ships (accessibilite/referentiels/). Safe to run at every start: nothing is added
twice, and audits keep their results."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accessibilite import referentiel
from core.cache import bump_content_version


class Command(BaseCommand):
    help = (
        "Charge les critères, tests, méthodes et glossaire du RGAA (chaque version livrée "
        "dans accessibilite/referentiels/) ; sans effet s'ils sont déjà à jour."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            loaded = referentiel.load_all()
        # The declaration shows the criteria's titles: cached pages go stale.
        bump_content_version()
        for counts in loaded:
            self.stdout.write(
                f"RGAA {counts['version']} : {counts['themes']} thématiques, "
                f"{counts['criteria']} critères, {counts['tests']} tests, "
                f"{counts['glossary']} entrées du glossaire."
            )
