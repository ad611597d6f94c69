"""This app's open data (/donnees/): the public documents, the revenue-flow diagnostic and
the Bonheur Local Brut indicators, registered with the export engine in core.export."""

from django.db.models import Case, Count, F, IntegerField, Max, Value, When, Window
from django.db.models import Sum as SumOf
from django.db.models.functions import Greatest
from django.urls import reverse

from core.export import Column, Dataset, register, stream, table_stats
from core.numbers import share_of_total
from diagnostic import files
from diagnostic.models import (
    BASE_ORDER,
    BaseAmount,
    Document,
    DocumentKind,
    IndicatorValue,
    RevenueBase,
    RevenueDiagnostic,
    RevenueItem,
)

# ---------------------------------------------------------------------------
# Public documents (metadata only; reserved documents are never exported)


DOCUMENT_COLUMNS = (
    Column("slug", "string", "Identifiant du document (dans son adresse)."),
    Column("titre", "string", "Titre."),
    Column(
        "type",
        "string",
        "Diagnostic socio-économique, rapport final, compte rendu, étude ou autre.",
    ),
    Column("resume", "string", "Résumé."),
    Column(
        "chantier",
        "string",
        "Identifiant du chantier auquel le document se rattache, s'il y en a un.",
    ),
    Column("date_de_publication", "date", "Date de publication (AAAA-MM-JJ), si connue."),
    Column(
        "format", "string", "Format du fichier (PDF, ODT, DOCX, XLSX, CSV), vide tant qu'il manque."
    ),
    Column("taille_octets", "integer", "Taille du fichier en octets."),
    Column("nombre_de_pages", "integer", "Nombre de pages (PDF)."),
    Column(
        "telechargement", "string", "Adresse de téléchargement du fichier, vide tant qu'il manque."
    ),
    Column(
        "version_accessible",
        "string",
        "Adresse de la version accessible du document (un fichier ou une page), vide s'il "
        "n'en a pas.",
    ),
    Column(
        "mis_a_jour",
        "datetime",
        "Dernière mise à jour de la fiche (date et heure, heure de Paris).",
    ),
    Column("demonstration", "boolean", "Contenu de démonstration, pas une information réelle."),
)


def _accessible_version(row, base_url):
    if row["accessible_file"]:
        return base_url + reverse("diagnostic:document_accessible_download", args=[row["slug"]])
    address = row["accessible_url"]
    return base_url + address if address.startswith("/") else address


def document_rows(base_url):
    kinds = dict(DocumentKind.choices)
    documents = (
        Document.objects.public()
        .in_order()
        .values(
            "slug",
            "title",
            "kind",
            "summary",
            "chantier__slug",
            "published_on",
            "file",
            "file_format",
            "file_size",
            "page_count",
            "accessible_file",
            "accessible_url",
            "updated_at",
            "is_demo",
        )  # fmt: skip
    )
    for row in stream(documents):
        download = reverse("diagnostic:document_download", args=[row["slug"]])
        yield {
            "slug": row["slug"],
            "titre": row["title"],
            "type": kinds.get(row["kind"], row["kind"]),
            "resume": row["summary"],
            "chantier": row["chantier__slug"] or "",
            "date_de_publication": row["published_on"],
            "format": files.FORMATS[row["file_format"]][0] if row["file_format"] else "",
            "taille_octets": row["file_size"],
            "nombre_de_pages": row["page_count"],
            "telechargement": base_url + download if row["file"] else "",
            "version_accessible": _accessible_version(row, base_url),
            "mis_a_jour": row["updated_at"],
            "demonstration": row["is_demo"],
        }


# ---------------------------------------------------------------------------
# The revenue-flow diagnostic: amounts by base, then the detailed items


DIAGNOSTIC_COLUMNS = (
    Column("annee", "integer", "Année des chiffres."),
    Column("territoire", "string", "Territoire concerné."),
    Column(
        "base",
        "string",
        "Base économique : productive, publique, sociale et sanitaire, résidentielle.",
    ),
    Column(
        "poste",
        "string",
        "Vide pour le montant d'une base ; sinon le poste détaillé de cette base.",
    ),
    Column("montant_euros", "integer", "Montant en euros."),
    Column("part_du_total_pct", "number", "Part de la base dans le total des quatre bases, en %."),
    Column("source", "string", "Source du montant."),
    Column("demonstration", "boolean", "Chiffres de démonstration, pas des chiffres réels."),
)


def _base_order():
    return Case(
        *[When(base=base, then=Value(i)) for i, base in enumerate(BASE_ORDER)],
        output_field=IntegerField(),
    )


_DIAGNOSTIC_FIELDS = (
    "diagnostic__year", "diagnostic__territory", "diagnostic__source", "diagnostic__is_demo",
    "base", "amount", "source", "is_demo",
)  # fmt: skip


def diagnostic_rows(base_url):
    amounts = (
        BaseAmount.objects.annotate(
            total=Window(SumOf("amount"), partition_by=[F("diagnostic_id")]),
            base_order=_base_order(),
        )
        .order_by("diagnostic__is_demo", "-diagnostic__year", "base_order")
        .values(*_DIAGNOSTIC_FIELDS, "total")
    )
    for row in stream(amounts):
        yield _diagnostic_row(row, "", share_of_total(row["amount"], row["total"]))
    items = (
        RevenueItem.objects.annotate(base_order=_base_order())
        .order_by("diagnostic__is_demo", "-diagnostic__year", "base_order", "order", "label")
        .values(*_DIAGNOSTIC_FIELDS, "label")
    )
    for row in stream(items):
        yield _diagnostic_row(row, row["label"], None)


def _diagnostic_row(row, label, share):
    return {
        "annee": row["diagnostic__year"],
        "territoire": row["diagnostic__territory"],
        "base": RevenueBase(row["base"]).label,
        "poste": label,
        "montant_euros": row["amount"],
        "part_du_total_pct": share,
        "source": row["source"] or row["diagnostic__source"],
        "demonstration": row["diagnostic__is_demo"] or row["is_demo"],
    }


def diagnostic_stats():
    figures = RevenueDiagnostic.objects.aggregate(
        amounts=Count("amounts", distinct=True),
        items=Count("items", distinct=True),
        updated=Max("updated_at"),
    )
    return {"rows": figures["amounts"] + figures["items"], "updated": figures["updated"]}


# ---------------------------------------------------------------------------
# Bonheur Local Brut indicators


INDICATOR_COLUMNS = (
    Column(
        "axe", "string", "Axe de la boussole : coopération, démocratie, sobriété, habitabilité."
    ),
    Column("indicateur", "string", "Nom de l'indicateur."),
    Column("indicateur_slug", "string", "Identifiant de l'indicateur."),
    Column("unite", "string", "Unité de la valeur."),
    Column("date", "date", "Date de la mesure (AAAA-MM-JJ)."),
    Column("valeur", "number", "Valeur mesurée."),
    Column("source", "string", "Source de la valeur."),
    Column("remarque", "string", "Remarque éventuelle."),
    Column("demonstration", "boolean", "Valeur de démonstration, pas une mesure réelle."),
)


def indicator_rows(base_url):
    values = IndicatorValue.objects.order_by(
        "indicator__axis__order", "indicator__order", "indicator__name", "measured_on", "pk"
    ).values(
        "indicator__axis__name", "indicator__name", "indicator__slug", "indicator__unit",
        "indicator__is_demo", "measured_on", "value", "source", "note", "is_demo",
    )  # fmt: skip
    for row in stream(values):
        yield {
            "axe": row["indicator__axis__name"],
            "indicateur": row["indicator__name"],
            "indicateur_slug": row["indicator__slug"],
            "unite": row["indicator__unit"],
            "date": row["measured_on"],
            "valeur": row["value"],
            "source": row["source"],
            "remarque": row["note"],
            "demonstration": row["is_demo"] or row["indicator__is_demo"],
        }


def indicator_stats():
    # A value's last update is its own or its indicator's (name, unit), whichever is later.
    return IndicatorValue.objects.aggregate(
        rows=Count("pk"), updated=Max(Greatest("updated_at", "indicator__updated_at"))
    )


register(
    Dataset(
        "documents",
        "Les documents publics",
        "La description des documents publics (titre, type, date, format, taille, "
        "adresse de téléchargement). Les documents réservés aux élus n'y figurent pas.",
        DOCUMENT_COLUMNS,
        document_rows,
        table_stats(Document.objects.public()),
        position=30,
    )
)
register(
    Dataset(
        "diagnostic",
        "Le diagnostic des flux de revenus",
        "Les revenus du territoire par base économique et par poste, année par année.",
        DIAGNOSTIC_COLUMNS,
        diagnostic_rows,
        diagnostic_stats,
        position=40,
    )
)
register(
    Dataset(
        "indicateurs",
        "Les indicateurs du Bonheur Local Brut",
        "Les valeurs mesurées de chaque indicateur, avec leur source.",
        INDICATOR_COLUMNS,
        indicator_rows,
        indicator_stats,
        position=50,
    )
)
