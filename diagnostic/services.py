"""Writes on documents that read their files: the PDF's accessibility, on upload."""

from django.utils import timezone

from diagnostic import files
from diagnostic.models import Document
from diagnostic.pdf_accessibility import read_accessibility

PDF_ACCESSIBILITY_FIELDS = (
    "pdf_checked_at",
    "pdf_structure_tree",
    "pdf_marked_content",
    "pdf_language",
    "pdf_title",
    "pdf_displays_title",
    "pdf_has_text",
)


def record_pdf_accessibility(*, document: Document) -> None:
    """Set on the document (without saving it) what its PDF says of its accessibility:
    tags, language, title, text. A file just uploaded is read before it is stored; a
    stored one is opened from storage. Another format, or no file, clears the fields."""
    for name in PDF_ACCESSIBILITY_FIELDS:
        setattr(document, name, "" if name in ("pdf_language", "pdf_title") else None)
    if not document.file:
        return
    stored = document.file._committed
    if stored:
        document.file.open("rb")
    try:
        if files.detect_format(document.file) != "pdf":
            return
        result = read_accessibility(document.file)
    finally:
        if stored:
            document.file.close()
    document.pdf_checked_at = timezone.now()
    document.pdf_structure_tree = result.structure_tree
    document.pdf_marked_content = result.marked_content
    document.pdf_language = result.language
    document.pdf_title = result.title
    document.pdf_displays_title = result.displays_title
    document.pdf_has_text = result.has_text


def save_document(*, document: Document) -> Document:
    """Save a document, reading its file first when one was just attached or removed:
    the way every upload (the admin, the demo, other apps' services) stores a document."""
    if not document.file or not document.file._committed:
        record_pdf_accessibility(document=document)
    document.save()
    return document
