"""`{% form_field field %}`: one field of a public form, as chantiers/includes/form_field.html
writes it (label, help, error beside it; a fieldset for a group of choices).

Written in Python because a chantier page holds two forms and ten fields: through the
template engine they cost a sixth of the page (about 2.7 ms of 16 with the demo content).
The markup is the template's, to the character: tests/chantiers/test_form_field.py renders
every field of the public forms both ways, with and without errors. The template stays the
reference for a field's markup; change both together."""

from django import forms, template
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe

from core.form_renderer import input_tag

register = template.Library()

REQUIRED = ' <span class="required">(obligatoire)</span>'


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
