"""Cover images: checked with Pillow on upload, resized into WebP renditions for srcset."""

import io
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

COVER_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
COVER_MAX_BYTES = 10 * 1024 * 1024
COVER_MIN_WIDTH = 480
# Far below Pillow's own decompression-bomb limit: a cover never needs more.
COVER_MAX_PIXELS = 40_000_000
RENDITION_WIDTHS = (480, 960, 1600)
RENDITION_FOLDER = "chantiers/declinaisons"
COVER_HELP_TEXT = (
    "JPEG, PNG ou WebP, au moins 480 pixels de large, 10 Mo au plus. "
    "Des versions plus légères sont créées automatiquement pour les téléphones."
)


def validate_cover(file):
    """Refuse anything that Pillow cannot read as a reasonable JPEG, PNG or WebP."""
    size = getattr(file, "size", None)
    if size is not None and size > COVER_MAX_BYTES:
        raise ValidationError(
            "L'image pèse plus de 10 Mo : réduisez-la avant de l'envoyer.", code="too_big"
        )
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise ValidationError(
            "Ce fichier n'est pas une image lisible : choisissez un JPEG, un PNG ou un WebP.",
            code="unreadable",
        ) from error
    finally:
        file.seek(0)
    if image_format not in COVER_FORMATS:
        raise ValidationError(
            "Format d'image non accepté (%(format)s) : choisissez un JPEG, un PNG ou un WebP.",
            code="format",
            params={"format": image_format or "inconnu"},
        )
    if width * height > COVER_MAX_PIXELS:
        raise ValidationError(
            "L'image est trop grande (%(width)s × %(height)s pixels) : "
            "40 millions de pixels au plus.",
            code="too_many_pixels",
            params={"width": width, "height": height},
        )
    if width < COVER_MIN_WIDTH:
        raise ValidationError(
            "L'image est trop petite (%(width)s pixels de large) : il en faut au moins 480.",
            code="too_small",
            params={"width": width},
        )


def rendition_widths(original_width):
    """The standard widths below the original, plus the original capped at the largest."""
    widths = [w for w in RENDITION_WIDTHS if w < original_width]
    top = min(original_width, RENDITION_WIDTHS[-1])
    if top not in widths:
        widths.append(top)
    return widths


def build_renditions(field_file):
    """Write WebP copies of the image at each width; return their descriptions."""
    storage = field_file.storage
    stem = PurePosixPath(field_file.name).stem
    with field_file.open("rb") as source, Image.open(source) as opened:
        image = ImageOps.exif_transpose(opened)
        image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
        renditions = []
        for width in rendition_widths(image.width):
            height = max(1, round(image.height * width / image.width))
            resized = image.resize((width, height), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            resized.save(buffer, format="WEBP", quality=80, method=4)
            name = storage.save(
                f"{RENDITION_FOLDER}/{stem}-{width}.webp", ContentFile(buffer.getvalue())
            )
            renditions.append({"width": width, "height": height, "name": name})
    return renditions


def delete_renditions(renditions, storage):
    for rendition in renditions or []:
        storage.delete(rendition["name"])
