import sys

from django.core.management.base import BaseCommand, CommandError

from core.cache import bump_content_version
from petr_portal import backups


class Command(BaseCommand):
    help = (
        "Restaure la base de données et les médias depuis un dossier de sauvegarde "
        "(make backup). Les médias actuels sont mis de côté, pas supprimés."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="Le dossier de la sauvegarde, backups/<horodatage>")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Ne pas demander de confirmation.",
        )

    def handle(self, *args, backup, interactive=True, **options):
        try:
            manifest = backups.read_manifest(backup)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        if interactive:
            if not sys.stdin.isatty():
                raise CommandError(
                    "La restauration remplace la base de données : confirmez avec --noinput "
                    "(make restore BACKUP=… NOINPUT=1) quand aucun terminal n'est là."
                )
            answer = input(
                f"La base « {manifest['database']} » du {manifest['created']} va remplacer "
                "la base actuelle, et les médias aussi. Écrivez « oui » pour continuer : "
            )
            if answer.strip().lower() != "oui":
                raise CommandError("Restauration annulée.")
        try:
            moved_aside = backups.restore(backup)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        # The backup brought back the content version of its day: a new one, so that no
        # process serves a page cached since then (a shared Redis may still hold some).
        bump_content_version()
        if moved_aside:
            self.stderr.write(f"Les médias d'avant la restauration sont dans {moved_aside}")
        self.stderr.write(f"Restauration terminée depuis {backup}")
