"""Tags for the <head> of every page (built in: no {% load %} needed, see settings)."""

from django import template
from django.template.base import NodeList
from django.template.loader_tags import BlockNode

from core import seo, structured_data

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """{% absolute_url chantier.cover_src %} → « https://site/media/… »."""
    return seo.absolute_url(context.get("request"), str(url or ""))


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's address without filters: what search engines and shares should use."""
    request = context.get("request")
    return seo.canonical_url(request) if request is not None else ""


@register.simple_tag(takes_context=True)
def block_text(context, name):
    """The content of another block of the page, as the page defines it.

    base.html writes a block once and reuses it: og:title is the <title> unless the page
    says otherwise. Rendered like Django renders the block itself, {{ block.super }}
    included; empty outside template inheritance.
    """
    return BlockNode(name, NodeList()).render(context)


@register.simple_tag
def json_ld(data):
    """{% json_ld event %}: schema.org data as a <script type="application/ld+json">."""
    return structured_data.script(data) if data else ""


@register.simple_tag(takes_context=True)
def organization_json_ld(context):
    """The publishing body as a schema.org Organization (the home page)."""
    site = seo.site_url(context.get("request"))
    return structured_data.script(structured_data.with_context(structured_data.organization(site)))
