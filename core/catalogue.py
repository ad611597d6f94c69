"""The registered open-data datasets described for machines, from their declarations
(core.export): a new dataset appears in both without a line here.

- A Frictionless Data Package (https://specs.frictionlessdata.io/data-package/): one
  tabular resource per CSV file with its Table Schema (names, types, descriptions), so
  `frictionless validate datapackage.json` checks every file against what we declare.
- A DCAT catalogue in JSON-LD (https://www.w3.org/TR/vocab-dcat-3/), the vocabulary
  data.gouv.fr harvests: a dcat:Dataset per dataset, a dcat:Distribution per file.

The Licence Ouverte asks reusers to cite the source and the date of the last update:
both are given for the package and for every file (`sources` and `last_modified`;
dct:publisher and dct:modified).
"""

from dataclasses import dataclass

from core.export import FALSE_VALUE, TRUE_VALUE, local_iso

CSV_MEDIA_TYPE = "text/csv"
JSON_MEDIA_TYPE = "application/json"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
FRENCH = "http://publications.europa.eu/resource/authority/language/FRA"
PUBLISHER_NODE = "_:editeur"


@dataclass(frozen=True)
class Publication:
    """What every description states about who publishes, under what licence, where."""

    name: str  # the package's identifier: lower case, digits, « - »
    title: str
    description: str
    publisher: str  # the body's name
    publisher_id: str  # its SIREN, digits only
    licence: dict  # settings.OPEN_DATA_LICENCE: name, url, id
    page_url: str  # the open-data page, absolute: the source to cite


def last_update(entries):
    """The latest update among the datasets, or None when none has one."""
    dates = [entry["updated"] for entry in entries if entry["updated"]]
    return max(dates) if dates else None


# ---------------------------------------------------------------------------
# Frictionless Data Package


def _field(column):
    field = {"name": column.name, "type": column.type, "description": column.description}
    if column.type == "boolean":
        field["trueValues"], field["falseValues"] = [TRUE_VALUE], [FALSE_VALUE]
    return field


def _licences(publication):
    licence = publication.licence
    return [{"name": licence["id"], "path": licence["url"], "title": licence["name"]}]


def _sources(publication):
    return [
        {"title": f"{publication.publisher}, projet de territoire", "path": publication.page_url}
    ]


def data_package(publication, entries, *, generated_at):
    """The Data Package as a dict; `entries` are core.export.catalogue()'s, and each CSV
    file's path is relative to the package (« chantiers.csv » beside datapackage.json)."""
    resources = []
    for entry in entries:
        dataset = entry["dataset"]
        resource = {
            "name": dataset.key,
            "path": f"{dataset.key}.csv",
            "profile": "tabular-data-resource",
            "title": dataset.title,
            "description": dataset.description,
            "format": "csv",
            "mediatype": CSV_MEDIA_TYPE,
            # The file starts with a byte order mark for spreadsheets; readers skip it.
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"'},
            "schema": {
                "fields": [_field(column) for column in dataset.columns],
                "missingValues": [""],
            },
            "licenses": _licences(publication),
            "sources": _sources(publication),
        }
        if entry["updated"]:
            resource["last_modified"] = local_iso(entry["updated"])
        resources.append(resource)
    package = {
        "profile": "tabular-data-package",
        "name": publication.name,
        "title": publication.title,
        "description": publication.description,
        "homepage": publication.page_url,
        "language": "fr",
        "licenses": _licences(publication),
        "sources": _sources(publication),
        "contributors": [
            {"title": publication.publisher, "role": "publisher", "path": publication.page_url}
        ],
        "created": local_iso(generated_at),
    }
    updated = last_update(entries)
    if updated:
        package["last_modified"] = local_iso(updated)
    package["resources"] = resources
    return package


# ---------------------------------------------------------------------------
# DCAT in JSON-LD


CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _text(value):
    return {"@value": value, "@language": "fr"}


def _modified(moment):
    return {"dct:modified": {"@value": local_iso(moment), "@type": "xsd:dateTime"}}


def dcat_catalogue(publication, entries, *, catalogue_url, file_url):
    """The DCAT catalogue as a JSON-LD dict. `file_url(dataset, fmt)` is a file's absolute
    address; each dataset's page is its entry on the open-data page (#jeu-<key>)."""
    licence = {"@id": publication.licence["url"]}
    publisher = {"@id": PUBLISHER_NODE}
    datasets = []
    for entry in entries:
        dataset = entry["dataset"]
        landing = f"{publication.page_url}#jeu-{dataset.key}"
        modified = _modified(entry["updated"]) if entry["updated"] else {}
        distributions = [
            {
                "@id": f"{landing}-{fmt}",
                "@type": "dcat:Distribution",
                "dct:title": _text(f"{dataset.title} ({fmt.upper()})"),
                "dct:format": fmt.upper(),
                "dcat:mediaType": {"@id": IANA_MEDIA_TYPES + media_type},
                "dcat:downloadURL": {"@id": file_url(dataset, fmt)},
                "dcat:accessURL": {"@id": file_url(dataset, fmt)},
                "dct:license": licence,
                **modified,
            }
            for fmt, media_type in (("csv", CSV_MEDIA_TYPE), ("json", JSON_MEDIA_TYPE))
        ]
        datasets.append(
            {
                "@id": landing,
                "@type": "dcat:Dataset",
                "dct:identifier": dataset.key,
                "dct:title": _text(dataset.title),
                "dct:description": _text(dataset.description),
                "dct:publisher": publisher,
                "dct:license": licence,
                "dct:language": {"@id": FRENCH},
                "dcat:landingPage": {"@id": landing},
                **modified,
                "dcat:distribution": distributions,
            }
        )
    updated = last_update(entries)
    return {
        "@context": CONTEXT,
        "@graph": [
            {
                "@id": PUBLISHER_NODE,
                "@type": "foaf:Organization",
                "foaf:name": publication.publisher,
                "dct:identifier": publication.publisher_id,
            },
            {
                "@id": catalogue_url,
                "@type": "dcat:Catalog",
                "dct:title": _text(publication.title),
                "dct:description": _text(publication.description),
                "dct:publisher": publisher,
                "dct:license": licence,
                "dct:language": {"@id": FRENCH},
                "foaf:homepage": {"@id": publication.page_url},
                **(_modified(updated) if updated else {}),
                "dcat:dataset": datasets,
            },
        ],
    }
