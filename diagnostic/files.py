"""Uploaded files judged by their content, never by their name.

A document may be a PDF, an ODT, a DOCX, an XLSX or a CSV. Office files are zip
archives: we look inside for the declared type instead of trusting the extension.
Only small, bounded reads are made, so a hostile archive cannot exhaust memory.
"""

import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

ACCEPTED_LABEL = "PDF, ODT, DOCX, XLSX ou CSV"

# format key -> (label shown to people, Content-Type, extension)
FORMATS = {
    "pdf": ("PDF", "application/pdf", "pdf"),
    "odt": ("ODT", "application/vnd.oasis.opendocument.text", "odt"),
    "docx": (
        "DOCX",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xlsx": (
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "csv": ("CSV", "text/csv; charset=utf-8", "csv"),
}
FORMAT_CHOICES = [(key, label) for key, (label, _type, _ext) in FORMATS.items()]

_OOXML_MAIN_TYPES = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Inner files we read are small; anything bigger is not what it claims to be.
_MAX_INNER_READ = 512 * 1024
_TEXT_SNIFF = 64 * 1024
_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_WIDTH = 480


@dataclass(frozen=True)
class FileInfo:
    format: str
    size: int
    page_count: int | None


def max_upload_bytes():
    return int(getattr(settings, "DOCUMENT_MAX_UPLOAD_MB", 50)) * 1024 * 1024


def human_size(size):
    """« 2,3 Mo », « 850 ko », « 12 octets »: French units, decimal comma, non-breaking space."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size}\u00a0octet" + ("s" if size > 1 else "")
    if size < 1024 * 1024:
        return f"{round(size / 1024)}\u00a0ko"
    megabytes = size / (1024 * 1024)
    text = f"{megabytes:.1f}".replace(".", ",").removesuffix(",0")
    return f"{text}\u00a0Mo"


def _read_head(file, length):
    file.seek(0)
    head = file.read(length)
    file.seek(0)
    return head


def _file_size(file):
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(0)
    return size


def _zip_format(file):
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    with archive:
        names = {info.filename: info for info in archive.infolist()}
        mimetype = names.get("mimetype")
        if mimetype is not None and mimetype.file_size <= 200:
            if archive.read(mimetype).strip() == _ODT_MIMETYPE:
                return "odt"
            return None
        content_types = names.get("[Content_Types].xml")
        if content_types is not None and content_types.file_size <= _MAX_INNER_READ:
            text = archive.read(content_types)
            for key, main_type in _OOXML_MAIN_TYPES.items():
                if main_type in text:
                    return key
    return None


def _decode_text(head):
    # The sniffed head may cut a multi-byte character in two at its end.
    tails = (0, 1, 2, 3) if len(head) >= _TEXT_SNIFF else (0,)
    for cut in tails:
        try:
            return head[: len(head) - cut].decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
    try:
        return head.decode("cp1252")
    except UnicodeDecodeError:
        return None


def _is_csv_text(head):
    if not head or b"\x00" in head:
        return False
    text = _decode_text(head)
    if text is None or any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):
        return False
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return any(sep in first_line for sep in ",;\t")


def _pdf_page_count(file):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    file.seek(0)
    try:
        reader = PdfReader(file)
        if reader.is_encrypted:
            return None
        return len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ValidationError(
            "Ce fichier commence comme un PDF mais il est illisible ou endommagé : "
            "enregistrez-le de nouveau en PDF puis réessayez.",
            code="broken_pdf",
        ) from exc
    finally:
        file.seek(0)


def detect_format(file):
    """The format key of the content (pdf, odt, docx, xlsx, csv), or None."""
    head = _read_head(file, _TEXT_SNIFF)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        file.seek(0)
        try:
            return _zip_format(file)
        finally:
            file.seek(0)
    if _is_csv_text(head):
        return "csv"
    return None


def inspect_document(file):
    """Check an uploaded document and tell its format, size and page count.

    Raises ValidationError with a French message for an empty, oversized, unknown or
    mislabelled file.
    """
    name = PurePath(getattr(file, "name", "") or "fichier").name
    size = _file_size(file)
    if not size:
        raise ValidationError("Le fichier « %(name)s » est vide.", params={"name": name})
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            "Le fichier « %(name)s » pèse %(size)s : la limite est de %(limit)s.",
            code="too_big",
            params={"name": name, "size": human_size(size), "limit": human_size(limit)},
        )
    kind = detect_format(file)
    if kind is None:
        raise ValidationError(
            "Le contenu du fichier « %(name)s » n'est pas un document %(accepted)s : "
            "vérifiez le fichier (son nom ne suffit pas, c'est son contenu qui compte).",
            code="unknown_format",
            params={"name": name, "accepted": ACCEPTED_LABEL},
        )
    claimed = PurePath(name).suffix.lower().lstrip(".")
    if claimed in FORMATS and claimed != kind:
        raise ValidationError(
            "Le fichier « %(name)s » porte l'extension .%(claimed)s mais son contenu est "
            "un document %(actual)s : renommez-le ou choisissez le bon fichier.",
            code="mislabelled",
            params={"name": name, "claimed": claimed, "actual": FORMATS[kind][0]},
        )
    pages = _pdf_page_count(file) if kind == "pdf" else None
    return FileInfo(format=kind, size=size, page_count=pages)


def validate_document_file(file):
    # Files already stored were checked when they were uploaded.
    if getattr(file, "_committed", False) and getattr(file, "instance", None) is not None:
        return
    inspect_document(file)


def validate_cover_image(file):
    """A cover must really be a JPEG, PNG or WebP image that Pillow can read."""
    if getattr(file, "_committed", False) and getattr(file, "instance", None) is not None:
        return
    from PIL import Image, UnidentifiedImageError

    name = PurePath(getattr(file, "name", "") or "image").name
    if _file_size(file) > 10 * 1024 * 1024:
        raise ValidationError("L'image « %(name)s » dépasse 10 Mo.", params={"name": name})
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            "Le fichier « %(name)s » n'est pas une image lisible (JPEG, PNG ou WebP).",
            code="bad_image",
            params={"name": name},
        ) from exc
    finally:
        file.seek(0)
    if image_format not in _IMAGE_FORMATS:
        raise ValidationError(
            "L'image « %(name)s » doit être au format JPEG, PNG ou WebP.",
            code="bad_image_format",
            params={"name": name},
        )


def make_thumbnail(file):
    """A JPEG thumbnail THUMBNAIL_WIDTH pixels wide at most, as bytes."""
    from PIL import Image, ImageOps

    file.seek(0)
    with Image.open(file) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((THUMBNAIL_WIDTH, THUMBNAIL_WIDTH * 2))
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82, optimize=True)
    file.seek(0)
    return out.getvalue()


def image_extension(file):
    from PIL import Image

    file.seek(0)
    with Image.open(file) as image:
        extension = _IMAGE_FORMATS.get(image.format, "jpg")
    file.seek(0)
    return extension


def extension(file_format):
    """The extension files of this format key are stored and downloaded with."""
    return FORMATS.get(file_format, (None, None, "bin"))[2]


def content_type(file_format):
    return FORMATS[file_format][1] if file_format in FORMATS else "application/octet-stream"


def document_upload_to(instance, filename):
    """documents/<year>/<random>.<ext>: the uploader's name never reaches the disk."""
    return f"documents/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension(instance.file_format)}"


def accessible_upload_to(instance, filename):
    """Beside the documents, named the same way from the accessible version's own format."""
    name = uuid.uuid4().hex
    return f"documents/{timezone.now():%Y}/{name}.{extension(instance.accessible_file_format)}"


def cover_upload_to(instance, filename):
    return f"couvertures/{uuid.uuid4().hex}.{getattr(instance, '_cover_extension', 'jpg')}"


def thumbnail_upload_to(instance, filename):
    return f"couvertures/miniatures/{uuid.uuid4().hex}.jpg"
