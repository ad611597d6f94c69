"""French number formats for the charts and tables."""

from django import template

from core.text import MONTHS
from diagnostic import charts

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
