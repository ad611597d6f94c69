"""Open data: the export engine. It knows no model: each app registers its datasets
(columns with a type and a description, a function that yields the rows, one that counts
them) with `register`, as pretix's data exporters register themselves; the project's
pages list `datasets()` and write them as CSV or JSON with `export_response`.

Exports are streamed: rows are read as plain values with `stream(queryset)`
(QuerySet.iterator, a server-side cursor on PostgreSQL) and written in chunks of about
CHUNK_BYTES, so memory stays flat whatever the number of rows (bench/export_memory.py
measures it). Values rather than model instances: a file field ties its instance in a
reference cycle, which only the garbage collector frees, so memory would creep up.

CSV: comma-separated, UTF-8 with a byte order mark (so that spreadsheets read the accents
right), ISO 8601 dates, dot decimals, « oui »/« non », text cells guarded against formula
injection (`spreadsheet_safe`). JSON: one object with the licence, the source, the last
update, the columns and the rows; true/false, numbers, ISO dates, null when empty.
"""

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Aggregate, Count, Max, TextField
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from core.downloads import content_disposition

ITERATOR_CHUNK = 500
CHUNK_BYTES = 64 * 1024
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
# The page that presents the files (the project's URLconf names it): the « source ».
SOURCE_URL_NAME = "open_data"
# Table Schema types a column may have (https://specs.frictionlessdata.io/table-schema/).
TYPES = ("string", "integer", "number", "boolean", "date", "datetime")
# Booleans as the CSV writes them, for readers and for the Table Schema.
TRUE_VALUE, FALSE_VALUE = "oui", "non"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # one of TYPES
    description: str

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"Column {self.name}: unknown type {self.type!r}")


@dataclass(frozen=True)
class Dataset:
    key: str  # the file name: /donnees/<key>.csv
    title: str
    description: str
    columns: tuple
    # rows(base_url) yields one dict per row, keyed by column name.
    rows: Callable[[str], Iterator[dict]]
    # stats() -> {"rows": int, "updated": datetime | None}, in one query.
    stats: Callable[[], dict]
    # Where the dataset comes among the others, smallest first.
    position: int = 100


_DATASETS: dict[str, Dataset] = {}


def table_stats(queryset):
    """The `stats` of a dataset whose rows are those of `queryset`, one each: the number
    of rows and the latest `updated_at`, in one query."""
    return lambda: queryset.aggregate(rows=Count("pk"), updated=Max("updated_at"))


def register(dataset):
    """Publish `dataset` (called by each app when it is ready). A dataset registered again
    under the same key replaces the first one."""
    _DATASETS[dataset.key] = dataset
    return dataset


def datasets():
    """The registered datasets, in their display order."""
    return sorted(_DATASETS.values(), key=lambda dataset: (dataset.position, dataset.key))


def get_dataset(key):
    """The dataset registered under `key`, or None."""
    return _DATASETS.get(key)


def catalogue():
    """The datasets with their number of rows and last update: one query each."""
    return [{"dataset": dataset, **dataset.stats()} for dataset in datasets()]


def stream(queryset):
    """The rows of a values() queryset, read ITERATOR_CHUNK at a time."""
    return queryset.iterator(chunk_size=ITERATOR_CHUNK)


class GroupConcat(Aggregate):
    """« a, b, c »: GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ', ')"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, ', ' ORDER BY %(expressions)s)",
            **extra_context,
        )


def local_iso(value):
    """A date and time in ISO 8601, Paris time with its offset; None stays None."""
    return timezone.localtime(value).isoformat() if value else None


# ---------------------------------------------------------------------------
# Spreadsheet formula injection


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...),
# +cmd|..., -2+3, @SUM(...)); a tab or carriage return can hide such a start.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell):
    """A text cell a spreadsheet would read as a formula, with a leading « ' » (which
    spreadsheets show as text); anything else unchanged.

    Only text (str) is guarded: numbers stay numbers, so an int or Decimal -3.5 is written
    as -3.5 and typed readers (the Table Schema says « number ») still read it. Every CSV
    the site writes, open data and the admin's exports, goes through this one function.
    """
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


# ---------------------------------------------------------------------------
# Writing


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return TRUE_VALUE if value else FALSE_VALUE
    if isinstance(value, datetime):
        return local_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    # Dates and booleans above never start with a formula character: only text is guarded.
    return spreadsheet_safe(value)


def _json_value(value):
    if isinstance(value, datetime):
        return local_iso(value)
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
        "source": base_url + reverse(SOURCE_URL_NAME),
        # The Licence Ouverte asks for the source and the date of the last update.
        "mis_a_jour": local_iso(dataset.stats()["updated"]),
        "genere_le": local_iso(timezone.now()),
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


def export_response(dataset, fmt, *, base_url, filename=None):
    """The dataset as a streamed CSV or JSON download; its links start with `base_url`."""
    pieces = csv_lines(dataset, base_url) if fmt == "csv" else json_pieces(dataset, base_url)
    response = StreamingHttpResponse(_chunked(pieces), content_type=FORMATS[fmt])
    filename = filename or f"{dataset.key}.{fmt}"
    response["Content-Disposition"] = content_disposition(filename)
    open_data_headers(response)
    return response


def open_data_headers(response):
    # Open data: any site may read it from a browser (no cookie is ever involved).
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
