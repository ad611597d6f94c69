"""What the portal reads of a PDF's accessibility: tags, language, title, text."""

import io

import pytest
from pypdf import PdfReader

from diagnostic.pdf_accessibility import TEXT_SAMPLE_PAGES, read_accessibility, sampled_pages
from tests.diagnostic.factories import pdf_bytes
from tests.diagnostic.pdfs import scanned_pdf, tagged_pdf, text_pdf


def read(data):
    return read_accessibility(io.BytesIO(data))


def test_a_tagged_pdf_shows_every_sign():
    found = read(tagged_pdf())
    assert found.readable
    assert found.structure_tree and found.marked_content
    assert found.language == "fr-FR"
    assert found.title == "Diagnostic socio-économique"
    assert found.displays_title is True
    assert found.has_text is True


def test_an_untagged_pdf_with_text_is_told_apart():
    found = read(text_pdf())
    assert found.readable and found.has_text is True
    assert found.structure_tree is False and found.marked_content is False
    assert found.language == "" and found.title == ""
    assert found.displays_title is False


def test_half_tagged_files_say_which_half_they_have():
    marked_only = read(text_pdf(marked=True))
    assert marked_only.marked_content is True and marked_only.structure_tree is False
    tree_only = read(text_pdf(tagged=True, marked=False))
    assert tree_only.structure_tree is True and tree_only.marked_content is False


def test_a_scan_has_no_text():
    found = read(scanned_pdf(pages=3))
    assert found.readable and found.has_text is False
    # Blank pages carry nothing to read either.
    assert read(pdf_bytes(2)).has_text is False


def test_the_xmp_title_comes_before_the_info_dictionary():
    assert read(text_pdf(title="Titre du dictionnaire", xmp_title="Titre XMP")).title == (
        "Titre XMP"
    )
    assert read(text_pdf(title="Titre du dictionnaire")).title == "Titre du dictionnaire"


def test_a_pdf_locked_by_a_password_is_unreadable_not_refused():
    found = read(text_pdf(password="secret"))
    assert not found.readable
    assert found.has_text is None and found.structure_tree is None


def test_a_pdf_protected_only_against_printing_is_still_read():
    # An empty user password (owner password only) opens for every reader, ours too.
    data = text_pdf(tagged=True, language="fr", owner_password="proprietaire")
    assert PdfReader(io.BytesIO(data)).is_encrypted
    found = read(data)
    assert found.readable and found.structure_tree and found.language == "fr"


def test_text_is_looked_for_on_a_bounded_sample_spread_over_the_file():
    assert sampled_pages(3) == [0, 1, 2]
    pages = sampled_pages(500)
    assert len(pages) == TEXT_SAMPLE_PAGES
    assert pages[0] == 0 and pages[-1] == 499
    # Spread out: a scan behind a typed cover page is still seen as a scan.
    assert all(b - a > 30 for a, b in zip(pages, pages[1:], strict=False))


@pytest.mark.parametrize("pages", [1, 40])
def test_a_long_text_pdf_is_read_as_text(pages):
    assert read(text_pdf(pages=pages)).has_text is True


def test_a_pdf_ua_written_by_weasyprint_reads_as_tagged_and_its_plain_export_does_not():
    """Against a writer we did not write: the rapport d'avancement's own PDF library."""
    weasyprint = pytest.importorskip("weasyprint")
    page = weasyprint.HTML(
        string=(
            '<html lang="fr"><head><title>Rapport d\'avancement</title></head><body>'
            "<h1>Rapport d'avancement</h1><p>Trois chantiers sont en mode action.</p>"
            "</body></html>"
        )
    )
    found = read(page.write_pdf(pdf_variant="pdf/ua-1"))
    assert found.structure_tree and found.marked_content
    assert found.language == "fr" and found.title == "Rapport d'avancement"
    assert found.displays_title and found.has_text
    plain = read(page.write_pdf())
    assert not plain.structure_tree and plain.has_text
