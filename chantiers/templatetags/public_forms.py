"""`{% form_field field %}`: one field of a public form, as chantiers/includes/form_field.html
writes it (label, help, error beside it; a fieldset for a group of choices).

Written in Python because a chantier page holds two forms and ten fields: through the
template engine they cost a sixth of the page (about 2.7 ms of 16 with the demo content).
The markup is the template's, to the character: tests/chantiers/test_form_field.py renders
every field of the public forms both ways, with and without errors. The template stays the
reference for a field's markup; change both together."""

from collections import OrderedDict

from django import forms, template
from django.utils.functional import Promise
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeData, mark_safe

from core.form_renderer import input_tag

register = template.Library()

REQUIRED = ' <span class="required">(obligatoire)</span>'
# Unbound forms kept written (form_fields), the least recently used dropped first.
MAX_UNBOUND = 128
_unbound = OrderedDict()


@register.simple_tag
def form_field(field):
    errors = field.errors
    auto_id = esc(field.auto_id)
    help_text = field.help_text
    required = REQUIRED if field.field.required else ""
    error_class = " field--error" if errors else ""
    help_html = f'<p class="help" id="{auto_id}_helptext">{esc(help_text)}</p>' if help_text else ""
    error_html = (
        f'<p class="field-error" id="{auto_id}_error"><span class="visually-hidden">'
        f"Erreur&nbsp;: </span>{' '.join(esc(error) for error in errors)}</p>"
        if errors
        else ""
    )
    if field.use_fieldset:
        described = ""
        if help_text or errors:
            ids = " ".join(
                ([f"{auto_id}_helptext"] if help_text else [])
                + ([f"{auto_id}_error"] if errors else [])
            )
            described = f' aria-describedby="{ids}"'
        choices = "".join(
            f'<div class="choice">{tag}<label for="{esc(target)}">{esc(label)}</label></div>\n    '
            for tag, target, label in _choices(field)
        )
        body = (
            f'<fieldset class="field field--group{error_class}"{described}>\n'
            f"  <legend>{esc(field.label)}{required}</legend>\n"
            f"  {help_html}\n"
            f"  {error_html}\n"
            f'  <div class="choices">\n'
            f"    {choices}\n"
            f"  </div>\n"
            f"</fieldset>"
        )
    elif field.widget_type == "checkbox":
        body = (
            f'<div class="field field--checkbox{error_class}">\n'
            f"  {error_html}\n"
            f'  <div class="choice">{field}<label for="{esc(field.id_for_label)}">'
            f"{esc(field.label)}{required}</label></div>\n"
            f"  {help_html}\n"
            f"</div>"
        )
    else:
        body = (
            f'<div class="field{error_class}">\n'
            f'  <label for="{esc(field.id_for_label)}">{esc(field.label)}{required}</label>\n'
            f"  {help_html}\n"
            f"  {error_html}\n"
            f"  {field}\n"
            f"</div>"
        )
    return mark_safe(f"\n\n\n{body}\n\n\n")  # noqa: S308 - every value above is escaped


def _choices(field):
    """(input, its id, label) of each choice of a group, as `{% for choice in field %}` and
    `choice.tag` give them. Chantiers' checkboxes are written here from Django's own
    attributes, without a BoundWidget and a render each: 200 checkboxes cost 4.7 ms."""
    widget = field.field.widget
    if type(widget) is not forms.CheckboxSelectMultiple or not isinstance(
        field.field,
        forms.ModelChoiceField,  # model choices are never grouped
    ):
        return ((choice.tag(), choice.id_for_label, choice.choice_label) for choice in field)
    # BoundField.subwidgets, then ChoiceWidget.optgroups and create_option, flattened.
    target = widget.attrs.get("id") or field.auto_id
    attrs = widget.build_attrs(
        widget.attrs, field.build_widget_attrs({"id": target} if target else {})
    )
    selected = set(widget.format_value(field.value()))
    out = []
    for index, (value, label) in enumerate(widget.choices):
        value = "" if value is None else value
        option_attrs = dict(attrs)
        if str(value) in selected:
            option_attrs.update(widget.checked_attribute)
        if "id" in option_attrs:
            option_attrs["id"] = widget.id_for_label(option_attrs["id"], str(index))
        option = {"type": widget.input_type, "name": field.html_name, "value": value}
        out.append((input_tag({**option, "attrs": option_attrs}), option_attrs.get("id"), label))
    return out


@register.simple_tag
def form_fields(form):
    """Every field of a form, `{% for field in form %}{% form_field field %}{% endfor %}`.

    An unbound form (the « Nous rejoindre » and « Je participe » forms of every chantier
    page) writes the same fields for every visitor who is offered the same choices with
    the same initial values: a fifth of a chantier page's processor time to write them
    each time. They are kept written, per process, under everything they are written
    from (_unbound_key): the form's class and ids, and each field's label, help, initial
    value, attributes and choices, read afresh on each request. A bound form (errors,
    values typed) is written each time."""
    if not form:  # no form in the context: nothing, as the loop wrote
        return ""
    key = _unbound_key(form)
    if key is None:
        return _written(form)
    html = _unbound.get(key)
    if html is None:
        html = _unbound[key] = _written(form)
        while len(_unbound) > MAX_UNBOUND:
            _unbound.popitem(last=False)
    return html


def _written(form):
    return mark_safe("".join(form_field(field) for field in form))  # noqa: S308 - escaped


def _unbound_key(form):
    """What an unbound form's fields are written from, as a hashable value; None for a
    bound form, or one whose parts cannot be compared (then it is written each time)."""
    if form.is_bound:
        return None
    try:
        parts = _parts(form)
    except _Unkeyable:
        return None
    key = tuple(parts)
    hash(key)  # every part is a string, a number, a class or a tuple of these
    return key


def _parts(form):
    parts = [
        type(form),
        form.auto_id,
        form.prefix,
        form.label_suffix,
        form.use_required_attribute,
        _frozen(form.initial),
    ]
    for name, field in form.fields.items():
        widget = field.widget
        parts += [
            name,
            type(field),
            type(widget),
            str(field.label),
            str(field.help_text),
            isinstance(field.help_text, SafeData),
            field.required,
            field.disabled,
            _frozen(field.initial),
            _frozen(widget.attrs),
            _frozen(getattr(field, "_choices", None) or getattr(widget, "choices", None)),
        ]
    return parts


class _Unkeyable(Exception):
    """A value the form's fields are written from that may differ each time it is read."""


def _frozen(value):
    """Lists, tuples and dicts as tuples, recursively; strings, numbers and the like as
    they are. Anything else (a callable initial value, an iterator of choices that reads
    the database) cannot be compared from one request to the next."""
    if isinstance(value, dict):
        return tuple((key, _frozen(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Promise):  # a label to translate: its text now
        return str(value)
    raise _Unkeyable(type(value).__name__)
