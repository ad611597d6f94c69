"""The grid as files: CSV as Ara exports it (criteria in rows, pages in columns), read by
`frictionless validate` against its Table Schema, and JSON with the computed rate."""

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from accessibilite import services
from accessibilite.conformity import Status
from accessibilite.models import SamplePage
from tests.accessibilite.factories import audit_with_pages, record
from tests.accounts.helpers import make_account

pytestmark = pytest.mark.django_db

C, NC, NA, NT = Status.CONFORMING, Status.FAILING, Status.NOT_APPLICABLE, Status.NOT_TESTED


def published(rgaa):
    audit = audit_with_pages(rgaa, pages=2)
    # A page name a spreadsheet would run as a formula.
    SamplePage.objects.filter(audit=audit, name="Page 2").update(name="=Agenda")
    record(audit, {"*": NA, "1.1": [C, NC], "1.2": C, "3.2": C, "11.1": [NC, NA]})
    services.publish(audit=audit)
    return audit


def frictionless():
    """The frictionless command of the virtualenv running the tests."""
    found = Path(sys.executable).with_name("frictionless")
    return str(found) if found.exists() else shutil.which("frictionless")


def test_no_published_audit_no_grid(client):
    for path in ("grille.csv", "grille.json", "grille.schema.json"):
        assert client.get(f"/accessibilite/{path}").status_code == 404


def test_the_csv_has_criteria_in_rows_and_pages_in_columns(client, rgaa):
    published(rgaa)
    response = client.get("/accessibilite/grille.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="audit-rgaa-2026-03-02.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Critères", "Page 1", "'=Agenda"]
    assert rows[1] == ["1.1", "C", "NC"]
    assert rows[2] == ["1.2", "C", "C"]
    assert len(rows) == 107
    assert rows[-1][0] == "13.12"
    assert {cell for row in rows[1:] for cell in row[1:]} <= {"C", "NC", "NA", "NT"}


def test_the_csv_passes_frictionless_validate_with_its_schema(client, rgaa, tmp_path):
    published(rgaa)
    (tmp_path / "grille.csv").write_bytes(client.get("/accessibilite/grille.csv").content)
    schema = json.loads(client.get("/accessibilite/grille.schema.json").content)
    assert [field["name"] for field in schema["fields"]] == ["Critères", "Page 1", "'=Agenda"]
    assert "Direction interministérielle du numérique — RGAA 4.1.2" in schema["description"]
    (tmp_path / "grille.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    command = [frictionless(), "validate", "grille.csv", "--schema", "grille.schema.json"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    # The validator does read the cells: a result outside C / NC / NA / NT is an error.
    text = (tmp_path / "grille.csv").read_text(encoding="utf-8").replace("1.1,C,NC", "1.1,C,X")
    (tmp_path / "grille.csv").write_text(text, encoding="utf-8")
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "constraint-error" in result.stdout


def test_the_json_gives_the_computed_rate(client, rgaa):
    published(rgaa)
    data = json.loads(client.get("/accessibilite/grille.json").content)
    # 1.2 and 3.2 conformes, 1.1 and 11.1 non conformes: 2 of 4.
    assert data["conformite"] == {
        "taux": 50.0,
        "fraction": "1/2",
        "niveau": "partiellement conforme",
        "criteres_conformes": 2,
        "criteres_non_conformes": 2,
        "criteres_non_applicables": 102,
        "criteres_non_testes": 0,
    }
    assert data["referentiel"]["source"] == (
        "Direction interministérielle du numérique — RGAA 4.1.2, mise à jour du 18/04/2023"
    )
    first = data["criteres"][0]
    assert first["critere"] == "1.1" and first["resultat"] == "NC"
    assert first["pages"] == {"Page 1": "C", "=Agenda": "NC"}
    assert first["intitule"].startswith("Chaque image porteuse d’information")
    assert (
        data["pages"][0] == {"nom": "Page 1", "adresse": "/page-0/"}
        or data["pages"][0]["nom"] == "Page 1"
    )


def test_the_admin_exports_any_audit_and_the_public_only_the_published(client, rgaa):
    audit = audit_with_pages(rgaa, pages=1)
    record(audit, {"1.1": C})
    client.force_login(make_account("equipe"))
    response = client.get(f"/admin/accessibilite/audit/{audit.pk}/grille.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == ["1.1", "C"] and rows[2] == ["1.2", "NT"]
    data = json.loads(client.get(f"/admin/accessibilite/audit/{audit.pk}/grille.json").content)
    assert data["conformite"]["taux"] is None and data["conformite"]["criteres_non_testes"] == 105
    assert client.get(f"/admin/accessibilite/audit/{audit.pk}/grille.xls").status_code == 404
    client.logout()
    assert client.get("/accessibilite/grille.csv").status_code == 404
