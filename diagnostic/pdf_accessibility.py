"""What an uploaded PDF says of its own accessibility (RGAA criterion 13.3), read with pypdf.

Four signs a person using a screen reader depends on, each cheap to read:
- tags: a structure tree (/StructTreeRoot in the catalog) and content marked as such
  (/MarkInfo /Marked true); without them a reader gets the text in drawing order;
- a language (/Lang in the catalog), which picks the synthetic voice;
- a title (XMP dc:title or the Info dictionary's /Title), shown instead of the file name
  when /ViewerPreferences /DisplayDocTitle is true;
- text at all: a scanned document is images only, and reads as silence.
These are necessary, not sufficient: a tagged PDF may still be inaccessible, so the team
decides whether the file itself is accessible; this only tells them where to look first.
"""

from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

# Text is looked for on this many pages at most, spread over the whole file: a 500-page
# report is judged in about the time of a short one, and a typed cover page in front of a
# scan does not hide the scan (pages past the cover are sampled too).
TEXT_SAMPLE_PAGES = 12
# Fewer visible characters than this, over the pages read, is a scanner's stamp or a
# page number, not text a person could listen to.
MIN_TEXT_CHARACTERS = 20


@dataclass(frozen=True)
class PdfAccessibility:
    """None (or "") where the file could not tell: encrypted, or damaged past reading."""

    readable: bool
    structure_tree: bool | None = None
    marked_content: bool | None = None
    language: str = ""
    title: str = ""
    displays_title: bool | None = None
    has_text: bool | None = None


UNREADABLE = PdfAccessibility(readable=False)


def read_accessibility(file) -> PdfAccessibility:
    """Read the signs from a PDF (a file object open for reading, at any position)."""
    file.seek(0)
    try:
        reader = PdfReader(file)
        if reader.is_encrypted and not reader.decrypt(""):
            return UNREADABLE
        catalog = reader.root_object
        mark_info = catalog.get("/MarkInfo")
        mark_info = mark_info.get_object() if mark_info is not None else None
        return PdfAccessibility(
            readable=True,
            structure_tree="/StructTreeRoot" in catalog,
            marked_content=isinstance(mark_info, DictionaryObject)
            and bool(mark_info.get("/Marked", False)),
            language=_text(catalog.get("/Lang"))[:35],
            title=_title(reader)[:300],
            displays_title=_displays_title(catalog),
            has_text=_has_text(reader),
        )
    # A damaged or hostile file may fail anywhere in a third-party parser; the upload was
    # already accepted by inspect_document, so the analysis says « illisible » rather than
    # refusing the document.
    except Exception:  # noqa: BLE001
        return UNREADABLE
    finally:
        file.seek(0)


def _text(value):
    if value is None:
        return ""
    return str(value.get_object()).strip()


def _title(reader):
    xmp = None
    try:
        xmp = reader.xmp_metadata
    except Exception:  # noqa: BLE001  (malformed XMP: the Info dictionary may still say)
        xmp = None
    if xmp is not None and xmp.dc_title:
        titles = xmp.dc_title
        title = titles.get("x-default") or next(iter(titles.values()), "")
        if title and title.strip():
            return title.strip()
    info = reader.metadata
    if info is not None and info.title:
        return str(info.title).strip()
    return ""


def _displays_title(catalog):
    preferences = catalog.get("/ViewerPreferences")
    if preferences is None:
        return False
    preferences = preferences.get_object()
    return isinstance(preferences, DictionaryObject) and bool(
        preferences.get("/DisplayDocTitle", False)
    )


def sampled_pages(count, sample=TEXT_SAMPLE_PAGES):
    """Page indexes to look for text on: all of a short file, else first, last and evenly
    between."""
    if count <= sample:
        return list(range(count))
    step = (count - 1) / (sample - 1)
    return sorted({round(i * step) for i in range(sample)})


def _has_text(reader):
    pages = reader.pages
    found = 0
    for index in sampled_pages(len(pages)):
        text = pages[index].extract_text() or ""
        found += sum(1 for character in text if not character.isspace())
        if found >= MIN_TEXT_CHARACTERS:
            return True
    return False
