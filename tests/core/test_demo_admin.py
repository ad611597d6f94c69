"""Every admin list of a model with the demo flag shows demo rows the same way."""

import pytest
from django.contrib import admin

from core.admin import DemoAdminMixin, DemoFilter
from core.demo import DemoFlag

DEMO_MODEL_ADMINS = [
    (model, model_admin)
    for model, model_admin in admin.site._registry.items()
    if issubclass(model, DemoFlag)
]


def test_the_demo_models_are_in_the_admin():
    labels = {model._meta.label for model, _ in DEMO_MODEL_ADMINS}
    assert {"chantiers.Chantier", "chantiers.Intersession", "diagnostic.Document"} <= labels


@pytest.mark.parametrize(
    ("model", "model_admin"), DEMO_MODEL_ADMINS, ids=lambda value: getattr(value, "__name__", "")
)
def test_demo_rows_get_the_demo_column_and_filter(model, model_admin, rf):
    assert isinstance(model_admin, DemoAdminMixin)
    assert "demo_label" in model_admin.list_display
    assert DemoFilter in model_admin.get_list_filter(rf.get("/"))
