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


def _loop(form):
    return "".join(str(form_field(field)) for field in form)


def _offered(**kwargs):
    """The join form as a chantier page builds it: its choices read once, as a list."""
    form = JoinRequestForm(**kwargs)
    form.fields["chantiers"].choices = [("epargne", "Épargne <locale>"), ("mobilites", "Démo")]
    return form


def test_an_unbound_form_is_written_once_then_kept_for_the_same_choices(monkeypatch):
    from chantiers.templatetags import public_forms

    monkeypatch.setattr(public_forms, "_unbound", type(public_forms._unbound)())
    forms = [*_forms(), _offered(initial={"chantiers": ["epargne"]}), _offered()]
    for form in forms:
        assert str(public_forms.form_fields(form)) == _loop(form)
    # Kept: the registration form and the two join forms whose choices were given; the
    # join forms reading their choices from the database and the bound ones are not.
    assert len(public_forms._unbound) == 3
    calls = []
    monkeypatch.setattr(public_forms, "form_field", lambda f: calls.append(f) or "")
    again = _offered(initial={"chantiers": ["epargne"]})
    kept = public_forms._unbound[public_forms._unbound_key(again)]
    assert public_forms.form_fields(again) == kept and "checked" in kept
    assert calls == []  # not written again
    public_forms.form_fields(_offered(data={}))
    assert len(calls) == len(JoinRequestForm.base_fields)  # bound: written each time


def test_what_an_unbound_form_is_written_from_is_in_its_key():
    from chantiers.templatetags.public_forms import _unbound_key

    ChantierFactory(slug="epargne")
    form = JoinRequestForm(initial={"chantiers": ["epargne"]})
    form.fields["chantiers"].choices = [("epargne", "Épargne")]
    key = _unbound_key(form)
    assert key is not None
    renamed = JoinRequestForm(initial={"chantiers": ["epargne"]})
    renamed.fields["chantiers"].choices = [("epargne", "Épargne locale")]
    other = JoinRequestForm(initial={"chantiers": []})
    other.fields["chantiers"].choices = [("epargne", "Épargne")]
    assert len({key, _unbound_key(renamed), _unbound_key(other)}) == 3
    # Choices still to be read from the database: not kept.
    assert _unbound_key(JoinRequestForm()) is None
    assert _unbound_key(JoinRequestForm(data={})) is None
