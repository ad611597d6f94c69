"""The RGAA's own texts shown in the admin's grid: criteria, tests and methods (Markdown
linking glossary anchors) and the glossary's definitions (HTML), sanitised by nh3; and the
admin home's warning when the published audit stops counting."""

import nh3
from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from accessibilite.declaration import current_statement, expiry_warning
from core import text

register = template.Library()

GLOSSARY_TAGS = {"p", "ul", "ol", "li", "a", "code", "strong", "em", "span", "abbr", "br"}
GLOSSARY_ATTRIBUTES = {"a": {"href"}, "span": {"lang"}, "abbr": {"title"}}


@register.filter(is_safe=True)
def rgaa_markdown(value, glossary_url):
    """Markdown of the RGAA, its glossary anchors (#slug) pointing to `glossary_url`."""
    linked = (value or "").replace("](#", f"]({glossary_url}#")
    return mark_safe(text.render_markdown(linked))  # noqa: S308 - sanitised by nh3


@register.filter(is_safe=True)
def rgaa_glossary(value):
    """A definition of the glossary, as published (HTML), with nothing unsafe left."""
    cleaned = nh3.clean(value or "", tags=GLOSSARY_TAGS, attributes=GLOSSARY_ATTRIBUTES)
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3


@register.simple_tag(takes_context=True)
def audit_expiry_warning(context):
    """`{% audit_expiry_warning as warning %}`: on the admin's home page, the published
    audit no longer counts or soon will not (accessibilite.declaration); "" otherwise, and
    for those who may not read the audits."""
    request = context.get("request")
    if request is None or not request.user.has_perm("accessibilite.view_audit"):
        return ""
    today = timezone.localdate()
    return expiry_warning(current_statement(today), today)
