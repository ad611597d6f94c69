"""The audit grid as files: CSV as Ara (the state's audit tool) exports it (criteria in
rows, the pages of the sample in columns, C / NC / NA / NT), its Table Schema, and JSON
with the computed conformity."""

import csv
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

from accessibilite.conformity import Status
from accessibilite.models import Result
from accessibilite.services import criterion_counts
from core.downloads import content_disposition
from core.export import spreadsheet_safe

CRITERION_COLUMN = "Critères"


class Grid:
    """The audit's pages and every criterion of its version with its result on each page,
    in four queries."""

    def __init__(self, audit):
        self.audit = audit
        self.pages = list(audit.pages.all())
        self.counts = criterion_counts(audit)
        results = Result.objects.filter(page__audit=audit).values_list(
            "page_id", "criterion_id", "status"
        )
        self.status = {(page, criterion): status for page, criterion, status in results}

    def rows(self):
        """(criterion, its result over the sample, [its status on each page])."""
        for criterion, counts in self.counts.items():
            statuses = [
                self.status.get((page.pk, criterion.pk), Status.NOT_TESTED) for page in self.pages
            ]
            yield criterion, counts.status, statuses

    def page_columns(self):
        """The pages' names as the CSV's header writes them."""
        return [spreadsheet_safe(page.name) for page in self.pages]


def _attribution(version):
    return f"{version.attribution}, mise à jour du {version.updated_on:%d/%m/%Y}"


def csv_response(grid, filename):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    writer = csv.writer(response)
    writer.writerow([CRITERION_COLUMN, *grid.page_columns()])
    for criterion, _status, statuses in grid.rows():
        writer.writerow([criterion.code, *statuses])
    return response


def table_schema(grid):
    """The Table Schema (Frictionless) of the CSV file."""
    statuses = list(Status.values)
    return {
        "description": (
            f"Grille de l'audit RGAA du {grid.audit.audited_on:%d/%m/%Y}. "
            f"Critères : {_attribution(grid.audit.version)}, {grid.audit.version.licence}."
        ),
        "fields": [
            {
                "name": CRITERION_COLUMN,
                "type": "string",
                "description": "Le numéro du critère : thématique, point, critère.",
                "constraints": {"required": True, "unique": True, "pattern": r"\d+\.\d+"},
            },
            *(
                {
                    "name": name,
                    "type": "string",
                    "description": f"Résultat sur la page « {page.name} » : "
                    "C conforme, NC non conforme, NA non applicable, NT non testé.",
                    "constraints": {"required": True, "enum": statuses},
                }
                for name, page in zip(grid.page_columns(), grid.pages, strict=True)
            ),
        ],
        "primaryKey": [CRITERION_COLUMN],
    }


def _json_response(data, filename=None):
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1) + "\n",
        content_type="application/json; charset=utf-8",
    )
    if filename:
        response["Content-Disposition"] = content_disposition(filename)
    return response


def schema_response(grid):
    return _json_response(table_schema(grid))


def json_response(grid, filename):
    audit, version = grid.audit, grid.audit.version
    conformity = audit.conformity()
    data = {
        "audit": {
            "date": audit.audited_on,
            "realise_par": audit.auditor,
            "perimetre": audit.scope,
            "publie_le": audit.published_at,
        },
        "referentiel": {
            "version": version.number,
            "source": _attribution(version),
            "adresse": version.source_url,
            "licence": version.licence,
        },
        "conformite": {
            "taux": float(conformity.percent) if conformity.rate is not None else None,
            "fraction": str(conformity.rate) if conformity.rate is not None else None,
            "niveau": conformity.level.label,
            "criteres_conformes": conformity.conforming,
            "criteres_non_conformes": conformity.failing,
            "criteres_non_applicables": conformity.not_applicable,
            "criteres_non_testes": conformity.not_tested,
        },
        "pages": [{"nom": page.name, "adresse": page.url} for page in grid.pages],
        "criteres": [
            {
                "critere": criterion.code,
                "thematique": criterion.theme.title,
                "intitule": criterion.plain_title,
                "resultat": status,
                "pages": dict(zip([page.name for page in grid.pages], statuses, strict=True)),
            }
            for criterion, status, statuses in grid.rows()
        ],
    }
    return _json_response(data, filename)
