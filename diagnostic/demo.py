"""Demonstration content of this app, for trying the portal (`load_demo`, `load_demo --remove`).

Everything made here has is_demo=True, « (démo) » in its title and « DÉMONSTRATION »
written on every page of its PDF. remove() deletes only those rows and their files.
"""

import io
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from chantiers.models import Chantier
from diagnostic import services
from diagnostic.models import (
    Axis,
    BaseAmount,
    Document,
    DocumentKind,
    GlossaryEntry,
    Indicator,
    IndicatorValue,
    RevenueBase,
    RevenueDiagnostic,
    RevenueItem,
    Visibility,
)
from diagnostic.territoire import AXES

DEMO_SOURCE = "Chiffre fictif de démonstration"

DOCUMENTS = [
    {
        "slug": "demo-diagnostic-version-de-travail",
        "title": "Diagnostic socio-économique – version de travail (démo)",
        "kind": DocumentKind.DIAGNOSTIC,
        "visibility": Visibility.PUBLIC,
        "summary": "Document fictif : il montre comment le diagnostic se télécharge.",
        "pages": 6,
        "days_ago": 400,
        "chantier": None,
    },
    {
        "slug": "demo-rapport-final-projet",
        "title": "Rapport final – projet soumis aux élus (démo)",
        "kind": DocumentKind.FINAL_REPORT,
        "visibility": Visibility.RESERVED,
        "summary": "Document fictif réservé aux élus, pour essayer l'accès réservé.",
        "pages": 4,
        "days_ago": 30,
        "chantier": None,
    },
    {
        "slug": "demo-note-aux-elus-financement",
        "title": "Note aux élus sur le financement des chantiers (démo)",
        "kind": DocumentKind.OTHER,
        "visibility": Visibility.RESERVED,
        "summary": "Document fictif réservé aux élus.",
        "pages": 2,
        "days_ago": 60,
        "chantier": 0,
    },
    {
        "slug": "demo-compte-rendu-intersession",
        "title": "Compte rendu d'intersession (démo)",
        "kind": DocumentKind.MINUTES,
        "visibility": Visibility.PUBLIC,
        "summary": "Document fictif : le compte rendu d'une soirée de travail d'un écosystème.",
        "pages": 3,
        "days_ago": 90,
        "chantier": 0,
    },
    {
        "slug": "demo-etude-circuits-courts",
        "title": "Étude sur les circuits courts alimentaires (démo)",
        "kind": DocumentKind.STUDY,
        "visibility": Visibility.PUBLIC,
        "summary": "Document fictif : une étude versée au dossier d'un chantier.",
        "pages": 5,
        "days_ago": 200,
        "chantier": 1,
    },
]

DEMO_YEAR = 2016
# A fictitious rural profile, in euros: the residential base weighs most.
DEMO_AMOUNTS = {
    RevenueBase.PRODUCTIVE: Decimal("214000000"),
    RevenueBase.PUBLIC: Decimal("131000000"),
    RevenueBase.SOCIAL: Decimal("248000000"),
    RevenueBase.RESIDENTIAL: Decimal("597000000"),
}
DEMO_ITEMS = [
    (RevenueBase.RESIDENTIAL, "Pensions de retraite", Decimal("352000000")),
    (RevenueBase.RESIDENTIAL, "Dépenses des touristes et résidences secondaires", "139000000"),
    (RevenueBase.RESIDENTIAL, "Salaires des actifs travaillant hors du territoire", "106000000"),
    (RevenueBase.SOCIAL, "Remboursements de soins", Decimal("141000000")),
    (RevenueBase.SOCIAL, "Allocations chômage", Decimal("52000000")),
    (RevenueBase.SOCIAL, "Aides sociales", Decimal("55000000")),
]

# (axis key, slug, name, unit, higher is better, values by year)
DEMO_INDICATORS = [
    (
        "cooperation",
        "demo-projets-en-cooperation",
        "Projets portés à plusieurs structures (démo)",
        "projets",
        True,
        [8, 11, 15, 19],
    ),
    (
        "democratie",
        "demo-participation-intersessions",
        "Participation aux intersessions (démo)",
        "personnes",
        True,
        [64, 58, 81, 97],
    ),
    (
        "sobriete",
        "demo-energie-batiments-publics",
        "Énergie consommée par les bâtiments publics (démo)",
        "MWh",
        False,
        [5120, 4980, 4710, 4655],
    ),
    (
        "habitabilite",
        "demo-acces-medecin",
        "Temps d'accès moyen à un médecin généraliste (démo)",
        "minutes",
        False,
        ["11.5", "12.0", "12.4", "11.8"],
    ),
]
DEMO_YEARS = [2022, 2023, 2024, 2025]

DEMO_GLOSSARY = [
    (
        "demo-cooperation",
        "Coopération (démo)",
        "Définition fictive de démonstration : agir avec d'autres plutôt que côte à côte.",
    ),
    (
        "demo-habitabilite",
        "Habitabilité (démo)",
        "Définition fictive de démonstration : ce qui rend un lieu bon à vivre pour tous.",
    ),
    (
        "demo-sobriete",
        "Sobriété (démo)",
        "Définition fictive de démonstration : répondre aux besoins en ménageant les ressources.",
    ),
]


def demo_pdf(title, pages):
    """A PDF drawn with Pillow, « DÉMONSTRATION » across every page."""
    from PIL import Image, ImageDraw

    width, height = 827, 1169  # A4 at 100 dpi
    font, fold = _font()
    big, medium, small = font(64, bold=True), font(30), font(22)
    images = []
    for number in range(1, pages + 1):
        image = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(image)
        draw.rectangle((40, 40, width - 40, height - 40), outline=0, width=3)
        draw.text((width / 2, 160), fold("DÉMONSTRATION"), font=big, fill=0, anchor="mm")
        draw.text((width / 2, 250), "Document fictif", font=medium, fill=60, anchor="mm")
        y = 340
        for line in _wrap(fold(title), 40):
            draw.text((80, y), line, font=medium, fill=0)
            y += 42
        body = [
            "Ce fichier a été créé automatiquement pour essayer le portail",
            "du projet de territoire. Il ne contient aucune donnée réelle.",
            "",
            "PETR Figeac Quercy Vallée de la Dordogne",
        ]
        y += 40
        for line in body:
            draw.text((80, y), fold(line), font=small, fill=40)
            y += 32
        draw.text((width / 2, height - 200), fold("DÉMONSTRATION"), font=big, fill=200, anchor="mm")
        draw.text(
            (width / 2, height - 80), f"Page {number} sur {pages}", font=small, fill=0, anchor="mm"
        )
        images.append(image)
    out = io.BytesIO()
    images[0].save(
        out,
        "PDF",
        save_all=True,
        append_images=images[1:],
        resolution=100,
        title=title,
        author="Portail du projet de territoire (démonstration)",
        subject="DÉMONSTRATION : document fictif",
        keywords="DÉMONSTRATION, démo",
    )
    return out.getvalue()


FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation"]
FONT_FILES = [
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
]


def _font():
    """A font with French accents when the system has one; Pillow's own (ASCII) otherwise."""
    import unicodedata
    from pathlib import Path

    from PIL import ImageFont

    for folder in FONT_DIRS:
        for regular, bold in FONT_FILES:
            if (Path(folder) / regular).exists() and (Path(folder) / bold).exists():

                def font(size, bold=False, folder=folder, regular=regular, bold_name=bold):
                    return ImageFont.truetype(
                        str(Path(folder) / (bold_name if bold else regular)), size
                    )

                return font, lambda text: text

    def fold(text):
        text = text.replace("–", "-").replace("’", "'")
        return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")

    return (lambda size, bold=False: ImageFont.load_default(size=size)), fold


def _wrap(text, width):
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


@transaction.atomic
def load(today=None):
    """Create the demo documents, figures, indicators and glossary that are missing;
    return counts by kind (load_demo prints them). Running it again creates nothing."""
    today = today or date.today()
    created = dict.fromkeys(
        ("documents", "diagnostics", "indicateurs", "valeurs", "entrées de glossaire"), 0
    )
    chantiers = list(Chantier.objects.in_order()[:2])
    for entry in DOCUMENTS:
        if Document.objects.filter(slug=entry["slug"]).exists():
            continue
        chantier_index = entry["chantier"]
        document = Document(
            slug=entry["slug"],
            title=entry["title"],
            kind=entry["kind"],
            visibility=entry["visibility"],
            summary=entry["summary"],
            published_on=today - timedelta(days=entry["days_ago"]),
            chantier=(
                chantiers[chantier_index]
                if chantier_index is not None and chantier_index < len(chantiers)
                else None
            ),
            is_demo=True,
        )
        # Assigned, not saved: stored like any upload, inspected and read for its
        # accessibility (a PDF drawn as images: « texte : aucun », as a scan would be).
        document.file = ContentFile(
            demo_pdf(entry["title"], entry["pages"]), name=f"{entry['slug']}.pdf"
        )
        services.save_document(document=document)
        created["documents"] += 1

    if not RevenueDiagnostic.objects.filter(is_demo=True, year=DEMO_YEAR).exists():
        diagnostic = RevenueDiagnostic.objects.create(
            year=DEMO_YEAR,
            source=DEMO_SOURCE,
            notes="Chiffres inventés pour la démonstration : ils ne décrivent pas le territoire.",
            document=Document.objects.filter(slug=DOCUMENTS[0]["slug"]).first(),
            is_demo=True,
        )
        BaseAmount.objects.bulk_create(
            BaseAmount(
                diagnostic=diagnostic, base=base, amount=amount, source=DEMO_SOURCE, is_demo=True
            )
            for base, amount in DEMO_AMOUNTS.items()
        )
        RevenueItem.objects.bulk_create(
            RevenueItem(
                diagnostic=diagnostic,
                base=base,
                label=label,
                amount=Decimal(amount),
                source=DEMO_SOURCE,
                order=order,
                is_demo=True,
            )
            for order, (base, label, amount) in enumerate(DEMO_ITEMS)
        )
        created["diagnostics"] += 1

    axes = _axes()
    for axis_key, slug, name, unit, higher_is_better, values in DEMO_INDICATORS:
        indicator, was_created = Indicator.objects.get_or_create(
            slug=slug,
            defaults={
                "axis": axes[axis_key],
                "name": name,
                "unit": unit,
                "higher_is_better": higher_is_better,
                "definition": "Indicateur fictif, inventé pour montrer la présentation.",
                "method": "Aucune : les valeurs sont inventées pour la démonstration.",
                "is_demo": True,
            },
        )
        created["indicateurs"] += was_created
        for year, value in zip(DEMO_YEARS, values, strict=True):
            _value, was_created = IndicatorValue.objects.get_or_create(
                indicator=indicator,
                measured_on=date(year, 6, 30),
                defaults={"value": Decimal(str(value)), "source": DEMO_SOURCE, "is_demo": True},
            )
            created["valeurs"] += was_created

    for slug, term, definition in DEMO_GLOSSARY:
        _entry, was_created = GlossaryEntry.objects.get_or_create(
            slug=slug, defaults={"term": term, "definition": definition, "is_demo": True}
        )
        created["entrées de glossaire"] += was_created
    return created


def _axes():
    """The BLB axes, created if load_territoire has not run yet (they are real content)."""
    axes = {}
    for order, (key, name) in enumerate(AXES, start=1):
        axes[key], _ = Axis.objects.get_or_create(key=key, defaults={"name": name, "order": order})
    return axes


def remove():
    """Delete demo rows of this app and their files; real content stays."""
    documents = list(Document.objects.filter(is_demo=True))
    with transaction.atomic():
        IndicatorValue.objects.filter(is_demo=True).delete()
        indicators, _ = Indicator.objects.filter(is_demo=True).delete()
        glossary, _ = GlossaryEntry.objects.filter(is_demo=True).delete()
        diagnostics, _ = RevenueDiagnostic.objects.filter(is_demo=True).delete()
        Document.objects.filter(pk__in=[d.pk for d in documents]).delete()
        # Files go only once their rows are gone for good.
        transaction.on_commit(lambda: [d.delete_files() for d in documents])
    return {
        "documents": len(documents),
        "indicateurs": indicators,
        "entrées de glossaire": glossary,
        "diagnostics (avec leurs montants)": diagnostics,
    }


def demo_querysets():
    """Where demo rows of this app show up, for the site-wide notice."""
    return [
        Document.objects.filter(is_demo=True),
        RevenueDiagnostic.objects.filter(is_demo=True),
        Indicator.objects.filter(is_demo=True),
    ]
