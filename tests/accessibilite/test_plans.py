"""The schéma pluriannuel covers three years at most, a plan one year; each is a document
or an address."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accessibilite.models import AccessibilityPlan, PlanKind
from tests.accounts.helpers import make_account

pytestmark = pytest.mark.django_db


def plan(**fields):
    values = {
        "kind": PlanKind.SCHEMA,
        "title": "Schéma du PETR",
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2028, 12, 31),
        "url": "https://exemple.invalid/schema.pdf",
        **fields,
    }
    return AccessibilityPlan(**values)


def test_a_schema_of_three_years_is_accepted():
    plan().full_clean()


def test_a_schema_longer_than_three_years_is_refused_in_french():
    with pytest.raises(ValidationError) as refused:
        plan(ends_on=date(2029, 1, 1)).full_clean()
    assert refused.value.message_dict["ends_on"] == [
        "Un schéma pluriannuel couvre trois ans au plus : choisissez une fin de période "
        "moins de trois ans après son début."
    ]


def test_a_plan_covers_a_year_and_needs_a_document_or_an_address():
    plan(kind=PlanKind.PLAN, ends_on=date(2026, 12, 31)).full_clean()
    with pytest.raises(ValidationError) as refused:
        plan(kind=PlanKind.PLAN, ends_on=date(2027, 1, 1), url="").full_clean()
    assert "Un plan annuel couvre un an au plus" in refused.value.message_dict["ends_on"][0]
    assert refused.value.message_dict["url"] == ["Déposez le document ou indiquez son adresse."]
    with pytest.raises(ValidationError) as refused:
        plan(ends_on=date(2025, 1, 1)).full_clean()
    assert refused.value.message_dict["ends_on"] == ["La fin de la période précède son début."]


def test_the_team_records_a_schema_in_the_admin_and_sees_the_refusal(client):
    client.force_login(make_account("equipe"))
    data = {
        "kind": "schema",
        "title": "Schéma 2026-2029",
        "starts_on": "01/01/2026",
        "ends_on": "01/01/2030",
        "url": "https://exemple.invalid/schema.pdf",
    }
    response = client.post("/admin/accessibilite/accessibilityplan/add/", data)
    assert response.status_code == 200
    assert "Un schéma pluriannuel couvre trois ans au plus" in response.content.decode()
    assert not AccessibilityPlan.objects.exists()
    data["ends_on"] = "31/12/2028"
    assert client.post("/admin/accessibilite/accessibilityplan/add/", data).status_code == 302
    assert AccessibilityPlan.objects.get().title == "Schéma 2026-2029"
