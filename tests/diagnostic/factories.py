"""Factories and sample files for the diagnostic app's tests."""

import io
import zipfile
from datetime import date

import factory
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from diagnostic import models
from tests.factories import UserFactory


def pdf_bytes(pages=1, title="Document d'essai"):
    """A small valid PDF with blank pages (fast; demo_pdf is tested on its own)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bytes(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_bytes():
    return zip_bytes(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                'package/2006/content-types"><Override PartName="/word/document.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.'
                'wordprocessingml.document.main+xml"/></Types>'
            ),
            "word/document.xml": "<w:document/>",
        }
    )


def xlsx_bytes():
    return zip_bytes(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0"?><Types><Override PartName="/xl/workbook.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.'
                'spreadsheetml.sheet.main+xml"/></Types>'
            ),
            "xl/workbook.xml": "<workbook/>",
        }
    )


def odt_bytes():
    return zip_bytes(
        {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office/>"}
    )


def png_bytes(size=(800, 600), color="darkgreen"):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def elu(**kwargs):
    user = UserFactory(**kwargs)
    group, _ = Group.objects.get_or_create(name="Élus")
    user.groups.add(group)
    return user


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Document

    title = factory.Sequence(lambda n: f"Document numéro {n}")
    slug = factory.Sequence(lambda n: f"document-{n}")
    kind = models.DocumentKind.STUDY
    summary = "Un document du projet de territoire."
    published_on = date(2024, 3, 1)
    visibility = models.Visibility.PUBLIC
    file = factory.LazyFunction(lambda: ContentFile(pdf_bytes(2), name="essai.pdf"))


class AxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Axis
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"axe-{n}")
    name = factory.Sequence(lambda n: f"Axe {n}")
    order = factory.Sequence(lambda n: n)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Indicator

    axis = factory.SubFactory(AxisFactory)
    name = factory.Sequence(lambda n: f"Indicateur {n}")
    slug = factory.Sequence(lambda n: f"indicateur-{n}")
    unit = "personnes"
    definition = "Une définition."


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    measured_on = factory.Sequence(lambda n: date(2000 + n % 90, 1, 1))
    value = 10
    source = "Relevé de l'équipe"


def revenue_diagnostic(year=2019, amounts=None, is_demo=False, items=()):
    amounts = amounts or {
        models.RevenueBase.PRODUCTIVE: 300,
        models.RevenueBase.PUBLIC: 100,
        models.RevenueBase.SOCIAL: 200,
        models.RevenueBase.RESIDENTIAL: 400,
    }
    diagnostic = models.RevenueDiagnostic.objects.create(
        year=year, source="Étude de l'équipe", is_demo=is_demo
    )
    for base, amount in amounts.items():
        models.BaseAmount.objects.create(
            diagnostic=diagnostic, base=base, amount=amount, source=f"Source {base}"
        )
    for base, label, amount in items:
        models.RevenueItem.objects.create(
            diagnostic=diagnostic, base=base, label=label, amount=amount, source="Caisse"
        )
    return diagnostic
