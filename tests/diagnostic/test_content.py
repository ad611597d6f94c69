"""load() of territoire.py and demo.py: idempotent, nothing invented, demo removable."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from diagnostic import demo, territoire
from diagnostic.models import (
    Axis,
    BaseAmount,
    Document,
    GlossaryEntry,
    Indicator,
    IndicatorValue,
    RevenueDiagnostic,
    RevenueItem,
    Visibility,
)
from tests.diagnostic.factories import DocumentFactory, revenue_diagnostic
from tests.factories import ChantierFactory

pytestmark = pytest.mark.django_db


def test_territoire_loads_the_compass_and_the_announced_documents_without_files():
    assert territoire.load() == {"axes du BLB": 4, "documents annoncés": 2}
    assert territoire.load() == {"axes du BLB": 0, "documents annoncés": 0}
    assert list(Axis.objects.values_list("name", flat=True)) == [
        "Coopération",
        "Démocratie",
        "Sobriété",
        "Habitabilité",
    ]
    documents = {d.slug: d for d in Document.objects.all()}
    assert set(documents) == {"diagnostic-socio-economique", "rapport-final-de-la-demarche"}
    assert documents["diagnostic-socio-economique"].title == "Diagnostic socio-économique"
    assert documents["rapport-final-de-la-demarche"].title == "Rapport final de la démarche"
    for document in documents.values():
        assert not document.file
        assert document.published_on is None
        assert not document.is_demo
    assert not Indicator.objects.exists()
    assert not RevenueDiagnostic.objects.exists()


def test_territoire_keeps_what_the_team_changed():
    territoire.load()
    Document.objects.filter(slug="diagnostic-socio-economique").update(summary="Texte de l'équipe")
    territoire.load()
    assert Document.objects.get(slug="diagnostic-socio-economique").summary == "Texte de l'équipe"


def test_demo_loads_labelled_documents_figures_and_values(settings):
    ChantierFactory(slug="premier")
    created = demo.load()
    assert created["documents"] == len(demo.DOCUMENTS) and created["diagnostics"] == 1
    assert created["indicateurs"] > 0 and created["valeurs"] > 0
    assert created["entrées de glossaire"] > 0
    assert set(demo.load().values()) == {0}  # idempotent

    documents = Document.objects.filter(is_demo=True)
    assert documents.count() == len(demo.DOCUMENTS)
    assert documents.filter(visibility=Visibility.RESERVED).count() >= 2
    assert documents.filter(chantier__slug="premier").exists()
    for document in documents:
        assert document.title.endswith("(démo)")
        assert document.file_format == "pdf"
        path = Path(settings.MEDIA_ROOT) / document.file.name
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        assert len(reader.pages) == document.page_count
        assert "DÉMONSTRATION" in reader.metadata.subject
        assert reader.metadata.title == document.title

    diagnostic = RevenueDiagnostic.objects.get()
    assert diagnostic.is_demo
    assert BaseAmount.objects.filter(diagnostic=diagnostic).count() == 4
    assert RevenueItem.objects.filter(diagnostic=diagnostic).exists()
    assert not IndicatorValue.objects.filter(is_demo=False).exists()
    assert Indicator.objects.filter(is_demo=True).count() == len(demo.DEMO_INDICATORS)
    assert all(i.name.endswith("(démo)") for i in Indicator.objects.all())
    assert GlossaryEntry.objects.filter(is_demo=True).exists()
    assert _demo_present()


def test_demo_pdf_pages_say_demonstration():
    data = demo.demo_pdf("Essai (démo)", 2)
    assert data.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(data)).pages) == 2


def test_demo_removal_leaves_real_content_and_deletes_demo_files(
    settings, django_capture_on_commit_callbacks
):
    territoire.load()
    real_document = DocumentFactory(title="Vrai document")
    real_figures = revenue_diagnostic(year=2016)  # same year as the demo figures
    demo.load()
    demo_files = [
        Path(settings.MEDIA_ROOT) / d.file.name for d in Document.objects.filter(is_demo=True)
    ]
    assert all(path.exists() for path in demo_files)

    with django_capture_on_commit_callbacks(execute=True):
        demo.remove()

    assert not any(path.exists() for path in demo_files)
    assert not _demo_present()
    assert not Document.objects.filter(is_demo=True).exists()
    assert Document.objects.filter(pk=real_document.pk).exists()
    assert (Path(settings.MEDIA_ROOT) / real_document.file.name).exists()
    assert Document.objects.filter(slug="diagnostic-socio-economique").exists()
    assert list(RevenueDiagnostic.objects.all()) == [real_figures]
    assert Axis.objects.count() == 4
    assert not Indicator.objects.exists()
    assert not GlossaryEntry.objects.exists()


def test_demo_then_territoire_in_any_order():
    demo.load()
    territoire.load()
    assert Axis.objects.count() == 4


def _demo_present():
    return any(queryset.exists() for queryset in demo.demo_querysets())
