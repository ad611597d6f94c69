"""French number formats for the charts and tables, and documents for other apps' pages."""

from django import template

from chantiers.text import MONTHS
from diagnostic import charts
from diagnostic.models import Document, may_see_reserved

register = template.Library()


@register.filter
def fr_number(value, decimals=0):
    return charts.fr_number(value, int(decimals))


@register.filter
def fr_percent(value, decimals=1):
    return charts.fr_percent(value, int(decimals))


@register.filter
def euros(value):
    if value is None:
        return ""
    return f"{charts.fr_number(value)}\u00a0€"


@register.filter
def euros_compact(value):
    """Millions of euros from a million up (« 214 M€ », « 5,4 M€ »), euros below."""
    if value is None:
        return ""
    if abs(value) >= 100_000_000:
        return f"{charts.fr_number(value / 1_000_000, 0)}\u00a0M€"
    if abs(value) >= 1_000_000:
        return f"{charts.fr_number(value / 1_000_000, 1)}\u00a0M€"
    return euros(value)


@register.filter
def indicator_value(value):
    """An indicator's value with as many decimals as it needs."""
    if value is None:
        return ""
    return charts.fr_number(value, charts._decimals(value))


@register.simple_tag
def documents_of(chantier, user):
    """The documents of a chantier this person may see.

    For the chantier page, which lists `chantier.documents` without importing this app:
    `{% load diagnostic_tags %}{% documents_of chantier request.user as documents %}`.
    One query, whatever the number of documents.
    """
    documents = list(Document.objects.filter(chantier=chantier).visible_to(user).in_order())
    # The item template asks each document for its chantier: it is this one, no query.
    for document in documents:
        document.chantier = chantier
    return documents


@register.simple_tag
def may_download_reserved(user):
    return may_see_reserved(user)


@register.filter
def chantier_url(chantier):
    """The chantier's page, or the documents filtered by it while that page does not exist."""
    from django.urls import NoReverseMatch, reverse

    try:
        return chantier.get_absolute_url()
    except NoReverseMatch:
        return f"{reverse('diagnostic:document_list')}?chantier={chantier.slug}"


# Dates of long lists (an indicator's values, documents): what the date filter writes in
# French, without parsing its format for each date.


@register.filter(expects_localtime=True)
def iso_date(value):
    """{{ value|date:'Y-m-d' }}, for <time datetime>."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}" if value else ""


@register.filter(expects_localtime=True)
def long_date(value):
    """{{ value|date:"j F Y" }}: « 12 mars 2019 » (the site is in French only)."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year:04d}" if value else ""


@register.filter(expects_localtime=True)
def year(value):
    """{{ value|date:"Y" }}"""
    return f"{value.year:04d}" if value else ""
