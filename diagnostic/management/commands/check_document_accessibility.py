"""Read the accessibility of the PDFs stored before the portal read it on upload.

A command rather than a data migration: it opens every stored file (from object storage
when there is one), which a migration should not depend on, and it can be run again at
will: only PDFs never read are read, so a second run reads nothing (`make run` runs it).
"""

from django.core.management.base import BaseCommand

from diagnostic.models import Document
from diagnostic.services import PDF_ACCESSIBILITY_FIELDS, record_pdf_accessibility


class Command(BaseCommand):
    help = (
        "Analyse l'accessibilité (balisage, langue, titre, texte) des PDF déjà déposés "
        "qui ne l'ont pas encore été ; sans effet si on le relance."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--toutes",
            action="store_true",
            help="Analyser de nouveau tous les PDF, même ceux déjà analysés.",
        )

    def handle(self, *args, toutes=False, **options):
        documents = Document.objects.filter(file_format="pdf").exclude(file="")
        if not toutes:
            documents = documents.filter(pdf_checked_at__isnull=True)
        read = missing = 0
        for document in documents.order_by("pk").iterator(chunk_size=100):
            try:
                record_pdf_accessibility(document=document)
            except OSError:
                self.stderr.write(f"Fichier introuvable pour « {document} » : ignoré.")
                missing += 1
                continue
            document.save(update_fields=PDF_ACCESSIBILITY_FIELDS)
            read += 1
        self.stdout.write(
            f"PDF analysés : {read}" + (f", introuvables : {missing}" if missing else "")
        )
