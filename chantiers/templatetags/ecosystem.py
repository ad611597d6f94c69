"""`{% member_items members %}`: the members of one group of a chantier's ecosystem, as the
`<li>` its page used to write with a loop of lookups and an include of the demo badge per
member (tens of members on a chantier page). tests/chantiers/test_progress_lists.py compares
it with that loop, kept in the test."""

from django import template
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe

from chantiers.templatetags.demarche import demo_badge

register = template.Library()


@register.simple_tag
def member_items(memberships):
    """One `<li>` per membership (with its actor): name, organisation, commune, role."""
    items = []
    for membership in memberships:
        actor = membership.actor
        text = esc(actor.name)
        if actor.organisation:
            text += f", {esc(actor.organisation)}"
        if actor.commune:
            text += f' <span class="meta">({esc(actor.commune)})</span>'
        if membership.role != "membre":
            text += f" – <em>{esc(membership.get_role_display().lower())}</em>"
        if actor.is_demo or membership.is_demo:
            text += f" {demo_badge()}"
        items.append(f"\n        <li>{text}</li>\n        ")
    return mark_safe("".join(items))  # noqa: S308 - every value above is escaped
