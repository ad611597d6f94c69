"""The report's PDF read back by readers we did not write: pypdf (the structure tree,
MarkInfo, the language, the outline, the fonts) and poppler (pdfinfo, pdftotext). Built
the way a visitor gets it: asked for, built by the worker, then downloaded."""

import io
import shutil
import subprocess
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from tests.diagnostic.report_content import MARCH, build_month
from tests.diagnostic.report_worker import run_worker

pytestmark = pytest.mark.django_db

PDFUA_ID = "http://www.aiim.org/pdfua/ns/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
TITLE = (
    "Rapport d'avancement du 1er\u00a0mars 2025 au 31\u00a0mars 2025 – "
    "Projet de territoire du PETR Figeac Quercy Vallée de la Dordogne"
)


@pytest.fixture(scope="module")
def poppler():
    if not shutil.which("pdfinfo") or not shutil.which("pdftotext"):
        pytest.fail("poppler-utils (pdfinfo, pdftotext) is needed: apt-get install poppler-utils")


@pytest.fixture
def built(client, django_capture_on_commit_callbacks, tmp_path):
    """(the chantiers' titles in order, the PDF's bytes, its path)."""
    rows = build_month()
    url = f"/avancement/rapport.pdf?{MARCH.query}"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 202  # handed to the worker
    run_worker()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "Rapport%20d%27avancement%202025-03-01%20au%202025-03-31.pdf" in disposition
    data = b"".join(response.streaming_content)
    path = tmp_path / "rapport.pdf"
    path.write_bytes(data)
    return [rows["epargne"].title, rows["agriculture"].title], data, path


def pdfinfo(path):
    output = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return dict(line.split(":", 1) for line in output.splitlines() if ":" in line)


def pdftotext(path):
    output = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return " ".join(output.replace("\u00a0", " ").split())


def test_the_pdf_is_tagged_in_french_with_the_report_s_title(built, poppler):
    _, data, path = built
    catalog = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/StructTreeRoot"]["/K"]  # a tree, not an empty root
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "fr"
    info = pdfinfo(path)
    assert info["Tagged"].strip() == "yes"
    assert info["Title"].strip() == TITLE
    assert PdfReader(io.BytesIO(data)).metadata.title == TITLE
    # It says it follows PDF/UA-1, in its XMP metadata.
    metadata = PdfReader(io.BytesIO(data)).xmp_metadata
    assert metadata is not None
    root = ElementTree.fromstring(metadata.stream.get_data())
    parts = {
        element.get(f"{{{PDFUA_ID}}}part") or element.findtext(f"{{{PDFUA_ID}}}part")
        for element in root.iter(f"{{{RDF}}}Description")
    }
    assert "1" in parts


def test_its_text_has_every_chantier_and_the_period(built, poppler):
    titles, _, path = built
    text = pdftotext(path)
    assert "du 1er mars 2025 au 31 mars 2025" in text
    for title in titles:
        assert title in text
    assert "Réunions tenues" in text and "non renseigné" in text
    assert "Note réservée" not in text  # reserved to elected officials: not in the report


def test_it_opens_with_a_bookmark_per_chantier_and_its_fonts_embedded(built):
    titles, data, _ = built
    reader = PdfReader(io.BytesIO(data))
    outline = reader.outline
    top = [entry.title for entry in outline if not isinstance(entry, list)]
    assert top == ["Synthèse", "Les chantiers", "Indicateurs", "Comment ce rapport est établi"]
    chantiers = outline[top.index("Les chantiers") + 1]
    assert isinstance(chantiers, list)
    assert [entry.title for entry in chantiers] == titles
    # Each chantier's bookmark opens the page where it starts (a page of its own).
    pages = [reader.get_destination_page_number(entry) for entry in chantiers]
    assert pages == sorted(set(pages))
    # Its fonts are embedded.
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            # Type 0 fonts (WeasyPrint's) keep their descriptor in their descendant font.
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[font["/BaseFont"]] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all(fonts.values()), fonts
