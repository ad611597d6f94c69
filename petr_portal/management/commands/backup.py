from django.core.management.base import BaseCommand, CommandError

from petr_portal import backups


class Command(BaseCommand):
    help = (
        "Sauvegarde la base de données (pg_dump, ou copie du fichier SQLite) et les médias "
        "dans un nouveau dossier <destination>/<horodatage>/, dont le chemin est affiché."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dest",
            default=None,
            help="Dossier des sauvegardes (par défaut PORTAL_BACKUP_DIR, ou backups/).",
        )

    def handle(self, *args, dest=None, **options):
        try:
            folder = backups.backup(dest or backups.default_destination())
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(f"Sauvegarde terminée : {folder}")
        # The path alone on standard output, for scripts.
        self.stdout.write(str(folder))
