"""Filters for the admin's templates (templates/admin/): every input gets a name."""

from django import template

from chantiers.widgets import labelled_widget

register = template.Library()


@register.filter
def labelled(bound_field, row=""):
    """`{{ field.field|labelled }}`, or `|labelled:"pièce jointe 2"` in a table row."""
    return labelled_widget(bound_field, row)


@register.filter
def numbered(name, number):
    """« pièce jointe » and 2 → « pièce jointe 2 »: which row of a table an input is in."""
    return f"{name} {number}"
