"""Form widgets rendered in Python, with exactly the markup of Django's widget templates.

Through the templates, each <input>, <option> or radio button costs a template render, two
includes and a loop over its attributes: the « Nous rejoindre » form and the « Je
participe » box took about a third of a chantier page's processor time. The functions below
write what django/forms/templates/django/forms/widgets/*.html write, character for
character (tests/petr_portal/test_form_renderer.py renders each widget both ways). Any other
template (a custom widget, the admin's), or a value the template engine would treat
specially (a callable), still goes through the template engine.
"""

from html import escape

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime

WIDGETS = "django/forms/widgets/"


class _UseTemplate(Exception):
    """Something these functions do not mimic: render with the template instead."""


def _plain(value):
    if callable(value):
        # The template engine would call it.
        raise _UseTemplate
    return value


def _text(value):
    """{{ value }}: localised, then escaped unless marked safe. html.escape is what
    Django's escape calls, without its check for lazy strings (already made str here)."""
    if not isinstance(value, str):
        value = localize(template_localtime(_plain(value)))
        value = value if isinstance(value, str) else str(value)
    return value if isinstance(value, SafeData) else escape(value)


def _formatted(value):
    """{{ value|stringformat:'s' }}: the filter keeps a safe value safe."""
    value = _plain(value)
    try:
        text = "%s" % (str(value) if isinstance(value, tuple) else value)
    except (ValueError, TypeError):
        return ""
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs):
    """attrs.html"""
    if "items" in attrs:
        # {{ attrs.items }} would look up that key, not the method.
        raise _UseTemplate
    out = []
    for name, value in attrs.items():
        value = _plain(value)
        if value is True:
            out.append(f" {_text(name)}")
        elif value is not False:
            out.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(out)


def _input(widget):
    """input.html"""
    value = _plain(widget["value"])
    shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711 (as the template)
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>\n"
    )


def input_tag(widget):
    """An <input> as input.html writes it (without the line break the renderer strips):
    what BoundWidget.tag() gives for a checkbox or radio button of a list."""
    return _input(widget).strip()


def _input_option(widget):
    """input_option.html: a radio button or a checkbox of a list, its label around it or not."""
    if not widget.get("wrap_label"):
        return _input(widget) + "\n"
    target = widget["attrs"].get("id")
    opening = f'<label for="{_text(target)}">' if target else "<label>"
    return f"{opening}{_input(widget)} {_text(widget['label'])}</label>\n"


def _option(option):
    """{% include option.template_name with widget=option %}"""
    render = TEMPLATES.get(option["template_name"])
    if render is None:
        raise _UseTemplate
    return render(option)


def _multiple_input(widget):
    """multiple_input.html: radio buttons or checkboxes."""
    target = widget["attrs"].get("id")
    css_class = widget["attrs"].get("class")
    out = ["<div"]
    if target:
        out.append(f' id="{_text(target)}"')
    if css_class:
        out.append(f' class="{_text(css_class)}"')
    out.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            out.append(f"<div>\n    {_option(option)}</div>")
        if group:
            out.append("\n  </div>")
    out.append("\n</div>\n")
    return "".join(out)


def _select(widget):
    """select.html"""
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f'\n  <optgroup label="{_text(group)}">')
        for option in options:
            out.append(f"\n  {_option(option)}")
        if group:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


def _select_option(widget):
    """select_option.html"""
    return (
        f'<option value="{_formatted(widget["value"])}"{_attrs(widget["attrs"])}>'
        f"{_text(widget['label'])}</option>\n"
    )


def _textarea(widget):
    """textarea.html"""
    value = _plain(widget["value"])
    return (
        f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_text(value) if value else ''}</textarea>\n"
    )


def _including(render):
    """A template made of one include and its own line break (text.html, radio.html…)."""
    return lambda widget: render(widget) + "\n"


TEMPLATES = {
    WIDGETS + "input.html": _input,
    WIDGETS + "input_option.html": _input_option,
    WIDGETS + "multiple_input.html": _multiple_input,
    WIDGETS + "select.html": _select,
    WIDGETS + "select_option.html": _select_option,
    WIDGETS + "textarea.html": _textarea,
    **{
        f"{WIDGETS}{name}.html": _including(_input)
        for name in (
            "checkbox",
            "color",
            "date",
            "datetime",
            "email",
            "file",
            "hidden",
            "number",
            "password",
            "search",
            "tel",
            "text",
            "time",
            "url",
        )
    },
    WIDGETS + "checkbox_option.html": _including(_input_option),
    WIDGETS + "radio_option.html": _including(_input_option),
    WIDGETS + "checkbox_select.html": _including(_multiple_input),
    WIDGETS + "radio.html": _including(_multiple_input),
}


class FormRenderer(DjangoTemplates):
    """Django's default renderer, with the common widgets written in Python (FORM_RENDERER)."""

    def render(self, template_name, context, request=None):
        render = TEMPLATES.get(template_name)
        if render is not None and set(context) == {"widget"}:
            try:
                # BaseRenderer.render strips the template's output the same way.
                return render(context["widget"]).strip()
            except _UseTemplate:
                pass
        return super().render(template_name, context, request=request)
