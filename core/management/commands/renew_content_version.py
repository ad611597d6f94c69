from django.core.management.base import BaseCommand

from core.cache import bump_content_version


class Command(BaseCommand):
    help = (
        "Rend périmées toutes les pages et tous les fragments gardés en cache, dans tous les "
        "processus : après une mise à jour du code qui change leurs gabarits, quand le cache "
        "est partagé (Redis) et survit au redémarrage du portail."
    )

    def handle(self, *args, **options):
        bump_content_version()
        self.stdout.write("Nouvelle version du contenu : les pages seront écrites à nouveau.")
