"""Erase the personal data of join requests and registrations past their retention period,
and the failed sign-ins past their cool-off.

Run it every day (cron or a systemd timer, docs/deploiement.md): what /confidentialite/
promises depends on it.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.services import forget_expired_sign_in_failures
from chantiers.services import purge_personal_data


class Command(BaseCommand):
    help = (
        "Anonymise les demandes de participation et les inscriptions plus anciennes que la "
        "durée de conservation (PERSONAL_DATA_RETENTION_MONTHS) ; supprime les inscriptions "
        "annulées de ces réunions ; efface les échecs de connexion dont la période de "
        "blocage est passée."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Compter ce qui serait anonymisé ou supprimé, sans rien changer.",
        )

    def handle(self, *args, dry_run=False, **options):
        months = settings.PERSONAL_DATA_RETENTION_MONTHS
        report = purge_personal_data(months=months, dry_run=dry_run)
        cutoff = timezone.localtime(report.cutoff).strftime("%d/%m/%Y %H:%M")
        verb = "seraient" if dry_run else "ont été"
        self.stdout.write(f"Durée de conservation : {months} mois (avant le {cutoff}).")
        self.stdout.write(
            f"Demandes de participation anonymisées : {report.join_requests_anonymised}\n"
            f"Inscriptions anonymisées : {report.registrations_anonymised}\n"
            f"Inscriptions annulées supprimées : {report.registrations_deleted}"
        )
        failures = forget_expired_sign_in_failures(dry_run=dry_run)
        self.stdout.write(f"Échecs de connexion effacés : {failures}")
        total = (
            report.join_requests_anonymised
            + report.registrations_anonymised
            + report.registrations_deleted
            + failures
        )
        if dry_run:
            self.stdout.write(f"Essai à blanc : {total} fiche(s) {verb} traitées, rien n'a changé.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{total} fiche(s) {verb} traitées."))
