"""The widgets written in Python give exactly the markup of Django's widget templates."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from chantiers.forms import JoinRequestForm, RegistrationForm
from core import form_renderer
from core.form_renderer import FormRenderer
from tests.factories import ChantierFactory

TEMPLATES = DjangoTemplates()
FAST = FormRenderer()

ATTRS = [
    {},
    {"id": "id_x", "class": "a b", "required": True, "disabled": False, "maxlength": 20},
    {"data-x": "quote \" < > & ' end", "aria-describedby": "h e", "spellcheck": "false"},
    {"title": mark_safe("<b>déjà sûr</b>"), "placeholder": gettext_lazy("Name"), "n": None},
]
CHOICES = [
    ("", "---------"),
    ("a", "Un <b>choix</b> & « autre »"),
    (3, 3),
    ("Groupe & co", [("g1", "Premier"), ("g2", mark_safe("<i>second</i>"))]),
    (None, "Aucun"),
]
SCALARS = [
    None,
    "",
    "texte",
    "guillemets \" < > & '",
    mark_safe("<em>sûr</em>"),
    0,
    1234567,
    1.5,
    True,
    False,
    datetime.date(2026, 11, 29),
    datetime.datetime(2026, 11, 29, 18, 30, tzinfo=datetime.UTC),
]


def _both(widget, name, value, attrs):
    expected = widget.render(name, value, attrs, renderer=TEMPLATES)
    got = widget.render(name, value, attrs, renderer=FAST)
    assert got == expected, (type(widget).__name__, value, attrs)
    return got


INPUTS = [
    forms.TextInput(),
    forms.EmailInput(attrs={"autocomplete": "email"}),
    forms.NumberInput(),
    forms.URLInput(),
    forms.PasswordInput(render_value=True),
    forms.HiddenInput(),
    forms.DateInput(),
    forms.DateTimeInput(),
    forms.TimeInput(),
    forms.SearchInput(),
    forms.TelInput(),
    forms.ColorInput(),
    forms.FileInput(),
    forms.CheckboxInput(),
    forms.Textarea(attrs={"rows": 5}),
]


@pytest.mark.parametrize("widget", INPUTS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("attrs", ATTRS)
def test_inputs_and_textarea(widget, attrs):
    for value in SCALARS:
        _both(widget, "champ", value, attrs)


CHOICE_WIDGETS = [
    forms.Select(),
    forms.SelectMultiple(),
    forms.NullBooleanSelect(),
    forms.RadioSelect(),
    forms.CheckboxSelectMultiple(),
    forms.RadioSelect(attrs={"class": "choices"}),
]


@pytest.mark.parametrize("widget", CHOICE_WIDGETS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [None, "", "a", ["a", "g2"], 3, ["3"], "unknown"])
def test_choice_widgets(widget, attrs, value):
    if isinstance(widget, forms.NullBooleanSelect):
        value = {"a": "true", 3: False}.get(value) if not isinstance(value, list) else True
    else:
        widget.choices = CHOICES
    html = _both(widget, "choix", value, attrs)
    assert html.count("<option") + html.count("<input") >= 3


def _rendered(form_class, data, renderer):
    form = form_class(data=data, renderer=renderer)
    form.is_valid()
    html = []
    for field in form:
        html.append(str(field))
        if field.use_fieldset:
            # {% for choice in field %}{{ choice.tag }} (form_field.html): one by one.
            html += [choice.tag() for choice in field]
    return html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"name": "", "email": "pas-un-courriel", "message": "x" * 2001, "chantiers": ["zz"]},
        {"name": "Zoé <b>", "email": "a@b.fr", "participation": "x", "consent": "on"},
    ],
)
@pytest.mark.parametrize("form_class", [JoinRequestForm, RegistrationForm])
def test_public_forms_render_the_same(form_class, data):
    """Every field of both public forms, valid or in error (aria-invalid,
    aria-describedby, data-swap-focus), as the page and its htmx fragment show them."""
    assert isinstance(get_default_renderer(), FormRenderer)
    ChantierFactory.create_batch(3)
    fast = _rendered(form_class, data, FAST)
    assert fast == _rendered(form_class, data, TEMPLATES)
    assert sum(html.startswith('<input type="radio"') for html in fast) == (
        0
        if form_class is RegistrationForm
        else len(JoinRequestForm.base_fields["participation"].choices)
    )
    if data and not data.get("consent"):
        assert any('aria-invalid="true"' in html for html in fast)


def test_callable_values_and_unknown_templates_go_through_the_templates(monkeypatch):
    calls = []

    def attribute():
        calls.append(1)
        return "appelé"

    _both(forms.TextInput(), "x", "v", {"data-f": attribute})
    assert calls  # the template engine called it, for both renderers
    custom = forms.TextInput()
    custom.template_name = "django/forms/widgets/textarea.html"
    _both(custom, "x", "v", {})
    assert "django/forms/widgets/text.html" in form_renderer.TEMPLATES
    assert "admin/widgets/foreign_key_raw_id.html" not in form_renderer.TEMPLATES
