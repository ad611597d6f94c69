"""{% form_field %} writes each field of the public forms exactly as the template
chantiers/includes/form_field.html does: unbound, with initial values, with errors."""

import pytest
from django.template.loader import render_to_string

from chantiers.forms import JoinRequestForm, RegistrationForm
from chantiers.templatetags.public_forms import form_field
from tests.factories import ChantierFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _forms():
    ChantierFactory(title="Épargne <locale> & « circuits »", slug="epargne")
    ChantierFactory(title="Mobilités", slug="mobilites", demo_title="Démo")
    meeting = MeetingFactory(registration_open=True)
    return [
        JoinRequestForm(),
        JoinRequestForm(initial={"chantiers": ["epargne"]}),
        JoinRequestForm(data={}),
        JoinRequestForm(data={"name": "A\r\nB", "email": "pas-un-courriel", "chantiers": ["x"]}),
        JoinRequestForm(data={"name": "Ana", "email": "ana@example.org", "chantiers": ["epargne"]}),
        RegistrationForm(meeting=meeting),
        RegistrationForm(meeting=meeting, data={"email": "x"}),
    ]


def test_every_field_is_written_as_the_template_writes_it():
    seen = set()
    for form in _forms():
        for field in form:
            expected = render_to_string("chantiers/includes/form_field.html", {"field": field})
            assert str(form_field(field)) == expected, field.name
            seen.add((field.widget_type, bool(field.errors), bool(field.help_text)))
    # Every branch of the template, with and without errors.
    kinds = {widget for widget, _, _ in seen}
    assert {
        "text",
        "email",
        "textarea",
        "checkbox",
        "checkboxselectmultiple",
        "radioselect",
    } <= kinds
    assert {errors for _, errors, _ in seen} == {True, False}
    assert ("checkboxselectmultiple", True, True) in seen
