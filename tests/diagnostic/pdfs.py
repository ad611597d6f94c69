"""PDFs as the team uploads them, written with pypdf and Pillow: with text and tags (as a
word processor exports « PDF balisé »), with text and no tags, and images only (a scan)."""

import io

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from pypdf.xmp import XmpInformation

LINES = (
    "Diagnostic socio-économique du territoire",
    "Les revenus qui entrent sur le territoire et ceux qui y sont dépensés.",
)


def _name(value):
    return NameObject(value)


def _helvetica():
    return DictionaryObject(
        {
            _name("/Type"): _name("/Font"),
            _name("/Subtype"): _name("/Type1"),
            _name("/BaseFont"): _name("/Helvetica"),
            _name("/Encoding"): _name("/WinAnsiEncoding"),
        }
    )


def _text_operations(lines, marked):
    operations = []
    if marked:
        # The page's text is one paragraph, marked content 0, which the structure points to.
        mcid = DictionaryObject({_name("/MCID"): NumberObject(0)})
        operations.append(([_name("/P"), mcid], b"BDC"))
    operations += [
        ([], b"BT"),
        ([_name("/F1"), NumberObject(12)], b"Tf"),
        ([NumberObject(16)], b"TL"),
        ([NumberObject(72), NumberObject(770)], b"Td"),
    ]
    for line in lines:
        operations += [([ByteStringObject(line.encode("cp1252"))], b"Tj"), ([], b"T*")]
    operations.append(([], b"ET"))
    if marked:
        operations.append(([], b"EMC"))
    return operations


def text_pdf(
    *,
    pages=1,
    lines=LINES,
    tagged=False,
    marked=None,
    language="",
    title="",
    xmp_title="",
    display_title=False,
    password="",
    owner_password="",
):
    """A PDF with real text on every page. `tagged`: a structure tree (a Document holding
    one paragraph per page) and /MarkInfo /Marked true; `marked` alone overrides the
    latter, for a half-tagged file. `password` locks it; `owner_password` alone only
    restricts what a reader may do (print, copy), as many exports do."""
    marked = tagged if marked is None else marked
    writer = PdfWriter()
    paragraphs = ArrayObject()
    for _ in range(pages):
        page = writer.add_blank_page(width=595, height=842)
        page[_name("/Resources")] = DictionaryObject(
            {_name("/Font"): DictionaryObject({_name("/F1"): _helvetica()})}
        )
        content = ContentStream(None, writer)
        content.operations = _text_operations(lines, marked)
        page.replace_contents(content)
        if tagged:
            paragraphs.append(
                DictionaryObject(
                    {
                        _name("/Type"): _name("/StructElem"),
                        _name("/S"): _name("/P"),
                        _name("/Pg"): page.indirect_reference,
                        _name("/K"): NumberObject(0),
                    }
                )
            )
    catalog = writer.root_object
    if tagged:
        document = DictionaryObject(
            {
                _name("/Type"): _name("/StructElem"),
                _name("/S"): _name("/Document"),
                _name("/K"): paragraphs,
            }
        )
        catalog[_name("/StructTreeRoot")] = DictionaryObject(
            {_name("/Type"): _name("/StructTreeRoot"), _name("/K"): document}
        )
    if marked:
        catalog[_name("/MarkInfo")] = DictionaryObject({_name("/Marked"): BooleanObject(True)})
    if language:
        catalog[_name("/Lang")] = TextStringObject(language)
    if title:
        writer.add_metadata({"/Title": title})
    if xmp_title:
        xmp = XmpInformation.create()
        xmp.dc_title = {"x-default": xmp_title}
        writer.xmp_metadata = xmp
    if display_title:
        writer.create_viewer_preferences().display_doctitle = True
    if password or owner_password:
        writer.encrypt(
            user_password=password, owner_password=owner_password or None, algorithm="RC4-128"
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def tagged_pdf(**kwargs):
    """Tagged, in French, titled and showing its title: what a careful export gives."""
    defaults = {
        "tagged": True,
        "language": "fr-FR",
        "title": "Diagnostic socio-économique",
        "display_title": True,
    }
    return text_pdf(**{**defaults, **kwargs})


def scanned_pdf(pages=1, size=(620, 877)):
    """Pages that are pictures of text, as a scanner writes them: nothing to read aloud."""
    from PIL import Image, ImageDraw

    images = []
    for _ in range(pages):
        image = Image.new("L", size, 255)
        draw = ImageDraw.Draw(image)
        for row in range(12):
            draw.text((60, 80 + row * 40), "Compte rendu de la reunion (numerise)", fill=0)
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=75)
    return out.getvalue()
