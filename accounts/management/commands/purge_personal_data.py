"""Erase the personal data of join requests, registrations and accessibility reports past
their retention period, the failed sign-ins past their cool-off, the send log past its own,
the forms' post counts (address hashes) of windows over; and prune the worker's finished
task results.

Run it every day (cron or a systemd timer, docs/deploiement.md): what /confidentialite/
promises depends on it.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from accessibilite.services import purge_reports
from accounts.services import forget_expired_sign_in_failures
from chantiers.following import purge_events, purge_unconfirmed
from chantiers.services import purge_personal_data
from core.abuse import purge_post_counts
from core.outbox import purge_sent
from core.worker import prune_task_results


class Command(BaseCommand):
    help = (
        "Anonymise les demandes de participation et les inscriptions plus anciennes que la "
        "durée de conservation (PERSONAL_DATA_RETENTION_MONTHS) ; supprime les inscriptions "
        "annulées de ces réunions ; anonymise les signalements d'accessibilité sans activité "
        "depuis cette durée ; efface les échecs de connexion dont la période de "
        "blocage est passée, les abonnements non confirmés à temps, les courriels envoyés "
        "ou en échec au-delà de leur durée de conservation, les compteurs d'envois des "
        "formulaires dont la fenêtre est passée et les résultats des tâches terminées."
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
        reports = purge_reports(cutoff=report.cutoff, dry_run=dry_run)
        self.stdout.write(f"Signalements d'accessibilité anonymisés : {reports}")
        failures = forget_expired_sign_in_failures(dry_run=dry_run)
        self.stdout.write(f"Échecs de connexion effacés : {failures}")
        unconfirmed = purge_unconfirmed(dry_run=dry_run)
        self.stdout.write(f"Abonnements non confirmés à temps supprimés : {unconfirmed}")
        sent = 0
        if not dry_run:
            before = timezone.now() - timedelta(days=settings.PORTAL_OUTBOX_RETENTION_DAYS)
            sent = purge_sent(before=before)
            purge_events(before=before)
            self.stdout.write(f"Courriels envoyés ou en échec effacés du journal : {sent}")
            counts = purge_post_counts()
            self.stdout.write(f"Compteurs d'envois des formulaires effacés : {counts}")
            tasks = prune_task_results()
            self.stdout.write(f"Résultats de tâches terminées effacés : {tasks}")
        total = (
            report.join_requests_anonymised
            + report.registrations_anonymised
            + report.registrations_deleted
            + reports
            + failures
            + unconfirmed
            + sent
        )
        if dry_run:
            self.stdout.write(f"Essai à blanc : {total} fiche(s) {verb} traitées, rien n'a changé.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{total} fiche(s) {verb} traitées."))
