"""The site's form renderer (FORM_RENDERER)."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Django's renderer reading the site's templates, where every field of every form is
    written by one template: `{{ field.as_field_group }}` writes includes/form_field.html.

    TemplatesSetting rather than Django's default renderer: it looks in the templates
    folder like any page does, for that template as for a widget template a designer
    overrides there."""

    field_template_name = "includes/form_field.html"
