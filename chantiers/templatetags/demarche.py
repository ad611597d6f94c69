"""Template filters of the démarche: safe Markdown, French dates of meetings."""

from functools import cache

from django import template
from django.template.loader import get_template
from django.utils import timezone
from django.utils.html import conditional_escape as esc
from django.utils.html import format_html
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


@cache
def _demo_badge():
    """chantiers/includes/demo_badge.html, a constant: rendered once."""
    return get_template("chantiers/includes/demo_badge.html").render()


@register.simple_tag
def demo_badge():
    """`{% include "chantiers/includes/demo_badge.html" %}` without an include: lists
    show it on each row, and each include costs a context push and a template lookup."""
    return mark_safe(_demo_badge())  # noqa: S308 - a constant template


@register.simple_tag(takes_context=True)
def meeting_item(
    context, meeting, hide_chantier=False, show_chantiers=False, numbered=False, focus_me=False
):
    """One meeting in a list: `{% for meeting in … %}{% meeting_item meeting %}{% endfor %}`.

    Written here rather than in a template: lists show up to twenty of them, and through the
    template engine each cost as much as the rest of the page's content (about thirty
    lookups and filters). The markup is what chantiers/includes/meeting_item.html was.
    hide_chantier: on the chantier's own page; show_chantiers: list a session's chantiers
    (prefetched); numbered: id passee-N, counted from `past_start`; focus_me: the first
    item takes the focus after an htmx swap.
    """
    forloop = context.get("forloop") or {}
    attrs = ""
    if numbered:
        attrs += f' id="passee-{forloop.get("counter", 1) + int(context.get("past_start") or 0)}"'
    if focus_me and forloop.get("first"):
        attrs += ' data-focus-on-swap tabindex="-1"'
    cancelled = " meeting-item--cancelled" if meeting.is_cancelled else ""
    place = meeting.place
    place = f'<br><span class="meeting-item__place">{esc(place)}</span>' if place else ""
    status = ""
    if meeting.is_cancelled or meeting.is_postponed:
        status = (
            f'<span class="badge badge--{esc(meeting.status)}">'
            f"{esc(meeting.get_status_display())}</span>"
        )
    is_open = meeting.registration_open and meeting.status == "prevue" and not meeting.is_past
    opened = '<span class="badge badge--open">Ouverte au public, sur inscription</span>'
    # The time zone looked up once (a context variable read each time otherwise).
    zone = timezone.get_current_timezone()
    starts = timezone.localtime(meeting.starts_at, zone).replace(microsecond=0).isoformat()
    when = text.meeting_when(meeting.starts_at, meeting.ends_at, zone)
    kind = esc(meeting.get_kind_display())
    return mark_safe(  # noqa: S308 - every value below is escaped
        f'\n<li class="meeting-item{cancelled}"{attrs}>\n'
        f'  <h3 class="meeting-item__title"><a href="{esc(meeting.get_absolute_url())}">'
        f"{esc(meeting.title)}</a></h3>\n"
        f'  <p class="meeting-item__when"><time datetime="{starts}">'
        f"{esc(when)}</time>{place}</p>\n"
        f'  <p class="meeting-item__labels">\n'
        f'    <span class="badge badge--{esc(meeting.kind)}">{kind}</span>\n'
        f"    {status}\n"
        f"    {opened if is_open else ''}\n"
        f"    {_demo_badge() if meeting.is_demo else ''}\n"
        f"    {_meeting_chantiers(meeting, hide_chantier, show_chantiers)}\n"
        f"  </p>\n"
        f"</li>\n"
    )


def _meeting_chantiers(meeting, hide_chantier, show_chantiers):
    """Whose meeting it is: the chantier of an intersession, the team for a session.
    (The line break of the first three cases is the one the template had.)"""
    team = '<span class="meeting-item__chantier">Équipe-projet</span>'
    if hide_chantier:
        return (team if meeting.is_session else "") + "\n    "
    if meeting.chantier:
        chantier = meeting.chantier
        return (
            f'<span class="meeting-item__chantier">Chantier&nbsp;: <a href="'
            f'{esc(chantier.get_absolute_url())}">{esc(chantier.display_title)}</a></span>\n    '
        )
    if show_chantiers:
        concerned = meeting.concerned_chantiers
        if not concerned:
            return team + "\n    "
        links = ", ".join(
            f'<a href="{esc(c.get_absolute_url())}">{esc(c.display_title)}</a>' for c in concerned
        )
        plural = "" if len(concerned) == 1 else "s"
        return (
            f'<span class="meeting-item__chantier">Équipe-projet, chantier{plural}&nbsp;: '
            f"{links}</span>\n    "
        )
    return team


@register.filter
def chantier_links(chantiers):
    """« <a href="…">Épargne</a>, <a href="…">Mobilités</a> »: links to the chantiers, by their
    shown name (a team member's chantiers, tens of them on the team page)."""
    return mark_safe(  # noqa: S308 - every value is escaped
        ", ".join(
            f'<a href="{esc(c.get_absolute_url())}">{esc(c.display_title)}</a>' for c in chantiers
        )
    )


@register.simple_tag
def status_badge(chantier):
    """chantiers/includes/status_badge.html without an include: lists of chantiers show it
    on each row."""
    return format_html(
        '<span class="badge badge--status badge--{}"><span class="visually-hidden">'
        "État&nbsp;: </span>{}</span>\n",
        chantier.status,
        chantier.get_status_display(),
    )
