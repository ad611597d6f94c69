"""Template filters of the démarche: safe Markdown, French dates of meetings."""

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from core import text

register = template.Library()


@register.filter(is_safe=True)
def markdown(value):
    """Markdown typed by the team, as sanitised HTML (nh3 removes anything unsafe)."""
    return mark_safe(text.render_markdown(value or ""))  # noqa: S308 - sanitised by nh3


@register.filter
def meeting_when(meeting):
    """« mardi 12 mars 2019, 18 h 30 – 21 h »."""
    return text.meeting_when(meeting.starts_at, meeting.ends_at)


@register.filter
def french_date(value, weekday=True):
    """« mardi 12 mars 2019 » (a date or a datetime, in Europe/Paris time)."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return text.french_date(value, weekday=weekday)


@register.filter
def datetime_attr(value):
    """The `datetime` attribute of <time>: « 2019-03-12T18:30:00+01:00 », Europe/Paris
    time, to the second (HTML refuses the microseconds `|date:'c'` writes)."""
    if not hasattr(value, "hour"):
        return value.isoformat() if value else ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
