"""Open data (/donnees/): the portal's public content as CSV and JSON, under a licence
given by settings.OPEN_DATA_LICENCE.

Exports are streamed: rows are read as plain values with QuerySet.iterator(chunk_size=...)
(a server-side cursor on PostgreSQL) and written in chunks of about CHUNK_BYTES, so memory
stays flat whatever the number of rows (bench/export_memory.py measures it); each dataset
costs one query (two for the diagnostic), never one per row. Values rather than model
instances: a file field ties its instance in a reference cycle, which only the garbage
collector frees, so memory would creep up with the rows.

CSV: comma-separated, UTF-8 with a byte order mark (so that spreadsheets read the accents
right), ISO 8601 dates, dot decimals, « oui »/« non ». JSON: one object with the licence,
the source, the columns and the rows; true/false, numbers, ISO dates, null when empty.
"""

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    Aggregate,
    Case,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models import Sum as SumOf
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from chantiers.models import Chantier, ChantierStatus, Meeting, MeetingKind, MeetingStatus
from core import seo
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

ITERATOR_CHUNK = 500
CHUNK_BYTES = 64 * 1024
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


@dataclass(frozen=True)
class Column:
    name: str
    description: str


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    description: str
    columns: tuple
    # rows(base_url) yields one dict per row, keyed by column name.
    rows: Callable[[str], Iterator[dict]]
    # stats() -> {"rows": int, "updated": datetime | None}, in one query.
    stats: Callable[[], dict]


class GroupConcat(Aggregate):
    """« a, b, c »: GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ', ')"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, ', ' ORDER BY %(expressions)s)",
            **extra_context,
        )


def _aware(value):
    return timezone.localtime(value).isoformat() if value else None


# ---------------------------------------------------------------------------
# Chantiers


CHANTIER_COLUMNS = (
    Column("slug", "Identifiant du chantier (dans son adresse)."),
    Column("intitule", "Intitulé du chantier."),
    Column(
        "intitule_de_demonstration",
        "Nom de démonstration affiché tant que l'intitulé réel reste à préciser.",
    ),
    Column("resume", "Résumé."),
    Column("description", "Description (texte Markdown)."),
    Column("etat", "État : en construction, en action, en pause, terminé ou à préciser."),
    Column("debut", "Date de début (AAAA-MM-JJ), si connue."),
    Column("fin", "Date de fin (AAAA-MM-JJ), si connue."),
    Column("nombre_acteurs", "Nombre d'acteurs de l'écosystème publiés sur le portail."),
    Column("adresse", "Page du chantier sur le portail."),
    Column("mis_a_jour", "Dernière mise à jour (date et heure, heure de Paris)."),
    Column("demonstration", "Contenu de démonstration, pas une information réelle."),
)


def chantier_rows(base_url):
    status = dict(ChantierStatus.choices)
    chantiers = (
        Chantier.objects.with_actor_count()
        .order_by("order", "title")
        .values(
            "slug",
            "title",
            "demo_title",
            "summary",
            "description",
            "status",
            "started_on",
            "ended_on",
            "actor_count",
            "updated_at",
            "is_demo",
        )  # fmt: skip
    )
    for row in chantiers.iterator(chunk_size=ITERATOR_CHUNK):
        yield {
            "slug": row["slug"],
            "intitule": row["title"],
            "intitule_de_demonstration": row["demo_title"],
            "resume": row["summary"],
            "description": row["description"],
            "etat": status.get(row["status"], row["status"]),
            "debut": row["started_on"],
            "fin": row["ended_on"],
            "nombre_acteurs": row["actor_count"],
            "adresse": base_url + reverse("chantiers:chantier_detail", args=[row["slug"]]),
            "mis_a_jour": row["updated_at"],
            "demonstration": row["is_demo"],
        }


def chantier_stats():
    return _stats(Chantier.objects.aggregate(rows=Count("pk"), updated=Max("updated_at")))


# ---------------------------------------------------------------------------
# Meetings


MEETING_COLUMNS = (
    Column("slug", "Identifiant de la réunion (dans son adresse)."),
    Column(
        "type", "Session (journée de l'équipe-projet) ou Intersession (soirée d'un écosystème)."
    ),
    Column("titre", "Titre."),
    Column("debut", "Début (date et heure ISO 8601, heure de Paris)."),
    Column("fin", "Fin (date et heure ISO 8601, heure de Paris)."),
    Column("statut", "Prévue, tenue, annulée ou reportée."),
    Column("lieu", "Nom du lieu."),
    Column("adresse_du_lieu", "Adresse du lieu."),
    Column("commune", "Commune du lieu."),
    Column("chantier", "Intersession : identifiant du chantier dont l'écosystème se réunit."),
    Column("chantiers_concernes", "Session : identifiants des chantiers travaillés."),
    Column("nombre_participants", "Nombre de participants, une fois la réunion tenue."),
    Column("ordre_du_jour", "Ordre du jour (texte Markdown)."),
    Column("compte_rendu", "Compte rendu (texte Markdown), une fois publié."),
    Column("adresse", "Page de la réunion sur le portail."),
    Column("mis_a_jour", "Dernière mise à jour (date et heure, heure de Paris)."),
    Column("demonstration", "Contenu de démonstration, pas une information réelle."),
)


def meeting_rows(base_url):
    kinds, statuses = dict(MeetingKind.choices), dict(MeetingStatus.choices)
    through = Meeting.chantiers.through
    concerned = (
        through.objects.filter(meeting_id=OuterRef("pk"))
        .order_by()
        .values("meeting_id")
        .annotate(slugs=GroupConcat("chantier__slug"))
        .values("slugs")
    )
    meetings = (
        Meeting.objects.annotate(concerned=Subquery(concerned, output_field=TextField()))
        .order_by("starts_at", "pk")
        .values(
            "slug",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "status",
            "place_name",
            "place_address",
            "place_commune",
            "chantier__slug",
            "concerned",
            "participants_count",
            "agenda",
            "minutes",
            "updated_at",
            "is_demo",
        )  # fmt: skip
    )
    for row in meetings.iterator(chunk_size=ITERATOR_CHUNK):
        yield {
            "slug": row["slug"],
            "type": kinds.get(row["kind"], row["kind"]),
            "titre": row["title"],
            "debut": row["starts_at"],
            "fin": row["ends_at"],
            "statut": statuses.get(row["status"], row["status"]),
            "lieu": row["place_name"],
            "adresse_du_lieu": row["place_address"],
            "commune": row["place_commune"],
            "chantier": row["chantier__slug"] or "",
            "chantiers_concernes": row["concerned"] or "",
            "nombre_participants": row["participants_count"],
            "ordre_du_jour": row["agenda"],
            "compte_rendu": row["minutes"],
            "adresse": base_url + reverse("chantiers:meeting_detail", args=[row["slug"]]),
            "mis_a_jour": row["updated_at"],
            "demonstration": row["is_demo"],
        }


def meeting_stats():
    return _stats(Meeting.objects.aggregate(rows=Count("pk"), updated=Max("updated_at")))


# ---------------------------------------------------------------------------
# Public documents (metadata only; reserved documents are never exported)


DOCUMENT_COLUMNS = (
    Column("slug", "Identifiant du document (dans son adresse)."),
    Column("titre", "Titre."),
    Column("type", "Diagnostic socio-économique, rapport final, compte rendu, étude ou autre."),
    Column("resume", "Résumé."),
    Column("chantier", "Identifiant du chantier auquel le document se rattache, s'il y en a un."),
    Column("date_de_publication", "Date de publication (AAAA-MM-JJ), si connue."),
    Column("format", "Format du fichier (PDF, ODT, DOCX, XLSX, CSV), vide tant qu'il manque."),
    Column("taille_octets", "Taille du fichier en octets."),
    Column("nombre_de_pages", "Nombre de pages (PDF)."),
    Column("telechargement", "Adresse de téléchargement du fichier, vide tant qu'il manque."),
    Column("mis_a_jour", "Dernière mise à jour de la fiche (date et heure, heure de Paris)."),
    Column("demonstration", "Contenu de démonstration, pas une information réelle."),
)


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
            "updated_at",
            "is_demo",
        )  # fmt: skip
    )
    for row in documents.iterator(chunk_size=ITERATOR_CHUNK):
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
            "mis_a_jour": row["updated_at"],
            "demonstration": row["is_demo"],
        }


def document_stats():
    return _stats(Document.objects.public().aggregate(rows=Count("pk"), updated=Max("updated_at")))


# ---------------------------------------------------------------------------
# The revenue-flow diagnostic: amounts by base, then the detailed items


DIAGNOSTIC_COLUMNS = (
    Column("annee", "Année des chiffres."),
    Column("territoire", "Territoire concerné."),
    Column("base", "Base économique : productive, publique, sociale et sanitaire, résidentielle."),
    Column("poste", "Vide pour le montant d'une base ; sinon le poste détaillé de cette base."),
    Column("montant_euros", "Montant en euros."),
    Column("part_du_total_pct", "Part de la base dans le total des quatre bases, en %."),
    Column("source", "Source du montant."),
    Column("demonstration", "Chiffres de démonstration, pas des chiffres réels."),
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
    for row in amounts.iterator(chunk_size=ITERATOR_CHUNK):
        share = None
        if row["total"]:
            share = (Decimal(row["amount"]) * 100 / Decimal(row["total"])).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
        yield _diagnostic_row(row, "", share)
    items = (
        RevenueItem.objects.annotate(base_order=_base_order())
        .order_by("diagnostic__is_demo", "-diagnostic__year", "base_order", "order", "label")
        .values(*_DIAGNOSTIC_FIELDS, "label")
    )
    for row in items.iterator(chunk_size=ITERATOR_CHUNK):
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
    Column("axe", "Axe de la boussole : coopération, démocratie, sobriété, habitabilité."),
    Column("indicateur", "Nom de l'indicateur."),
    Column("indicateur_slug", "Identifiant de l'indicateur."),
    Column("unite", "Unité de la valeur."),
    Column("date", "Date de la mesure (AAAA-MM-JJ)."),
    Column("valeur", "Valeur mesurée."),
    Column("source", "Source de la valeur."),
    Column("remarque", "Remarque éventuelle."),
    Column("demonstration", "Valeur de démonstration, pas une mesure réelle."),
)


def indicator_rows(base_url):
    values = IndicatorValue.objects.order_by(
        "indicator__axis__order", "indicator__order", "indicator__name", "measured_on", "pk"
    ).values(
        "indicator__axis__name", "indicator__name", "indicator__slug", "indicator__unit",
        "indicator__is_demo", "measured_on", "value", "source", "note", "is_demo",
    )  # fmt: skip
    for row in values.iterator(chunk_size=ITERATOR_CHUNK):
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
    # Values carry no date of entry: the page shows no update date for them.
    return {"rows": IndicatorValue.objects.count(), "updated": None}


def _stats(aggregate):
    return {"rows": aggregate["rows"], "updated": aggregate["updated"]}


DATASETS = {
    dataset.key: dataset
    for dataset in (
        Dataset(
            "chantiers",
            "Les chantiers",
            "Les cinq chantiers du projet de territoire : intitulé, résumé, état, dates "
            "et taille de leur écosystème d'acteurs.",
            CHANTIER_COLUMNS,
            chantier_rows,
            chantier_stats,
        ),
        Dataset(
            "reunions",
            "Les réunions",
            "Toutes les Sessions et Intersessions : dates, lieux, chantiers, ordres du jour "
            "et comptes rendus.",
            MEETING_COLUMNS,
            meeting_rows,
            meeting_stats,
        ),
        Dataset(
            "documents",
            "Les documents publics",
            "La description des documents publics (titre, type, date, format, taille, "
            "adresse de téléchargement). Les documents réservés aux élus n'y figurent pas.",
            DOCUMENT_COLUMNS,
            document_rows,
            document_stats,
        ),
        Dataset(
            "diagnostic",
            "Le diagnostic des flux de revenus",
            "Les revenus du territoire par base économique et par poste, année par année.",
            DIAGNOSTIC_COLUMNS,
            diagnostic_rows,
            diagnostic_stats,
        ),
        Dataset(
            "indicateurs",
            "Les indicateurs du Bonheur Local Brut",
            "Les valeurs mesurées de chaque indicateur, avec leur source.",
            INDICATOR_COLUMNS,
            indicator_rows,
            indicator_stats,
        ),
    )
}


def catalogue():
    """The datasets with their number of rows and last update: one query each."""
    return [{"dataset": dataset, **dataset.stats()} for dataset in DATASETS.values()]


# ---------------------------------------------------------------------------
# Writing


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _json_value(value):
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if value == "":
        return None
    return value


class _Echo:
    """csv.writer writes here and gets the line back: nothing is kept."""

    def write(self, value):
        return value


def _chunked(pieces):
    """Join small pieces into chunks of about CHUNK_BYTES: fewer, bigger writes."""
    buffer, size = [], 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def csv_lines(dataset, base_url):
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    names = [column.name for column in dataset.columns]
    # The byte order mark tells spreadsheets the file is UTF-8.
    yield "\ufeff" + writer.writerow(names)
    for row in dataset.rows(base_url):
        yield writer.writerow([_csv_value(row[name]) for name in names])


def json_pieces(dataset, base_url):
    licence = settings.OPEN_DATA_LICENCE
    head = {
        "jeu_de_donnees": dataset.title,
        "description": dataset.description,
        "producteur": settings.PORTAL["BODY_NAME"],
        "licence": {"nom": licence["name"], "url": licence["url"], "id": licence["id"]},
        "source": base_url + reverse("open_data"),
        "genere_le": _aware(timezone.now()),
        "colonnes": [{"nom": c.name, "description": c.description} for c in dataset.columns],
    }
    opening = json.dumps(head, ensure_ascii=False, indent=1)
    # The head's closing brace is replaced by the rows, written one by one.
    yield opening[:-2] + ',\n "lignes": ['
    separator = "\n  "
    for row in dataset.rows(base_url):
        values = {name: _json_value(value) for name, value in row.items()}
        yield separator + json.dumps(values, ensure_ascii=False)
        separator = ",\n  "
    yield "\n ]\n}\n"


def export_response(dataset, fmt, request, filename=None):
    base_url = seo.site_url(request)
    pieces = csv_lines(dataset, base_url) if fmt == "csv" else json_pieces(dataset, base_url)
    response = StreamingHttpResponse(_chunked(pieces), content_type=FORMATS[fmt])
    filename = filename or f"{dataset.key}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Open data: any site may read it from a browser (no cookie is ever involved).
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
