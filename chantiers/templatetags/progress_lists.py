"""`{% action_list %}`, `{% journal_list %}`, `{% progress_bar %}`: the lists of actions and
of points d'étape, and a chantier's progress bar, as their includes in chantiers/includes/
write them, to the character.

Written in Python because they are lists: through the template engine, each action cost
about thirty lookups and filters, and /avancement/ or an action's journal spent a third of
their time in them. The templates stay the reference for the markup; change both together
(tests/chantiers/test_progress_lists.py renders both ways and compares)."""

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe

from chantiers.templatetags.demarche import french_date, markdown

register = template.Library()

DEMO_BADGE = ' <span class="badge badge--demo" title="Contenu de démonstration, fictif">démo</span>'
LATE_BADGE = ' <span class="badge badge--late">En retard</span>'


def _number(value):
    """A number as `{{ value }}` writes it (localised)."""
    return esc(localize(value))


def _day(value):
    """`|date:'Y-m-d'` of a date."""
    return value.strftime("%Y-%m-%d") if value else ""


@register.simple_tag
def action_list(actions, nested=False):
    """chantiers/includes/action_list.html: `actions` (each with .url); nested: titles in h4."""
    level = "h4" if nested else "h3"
    items = []
    for action in actions:
        late = action.is_late
        url, title = esc(action.url), esc(action.title)
        progress = action.shown_progress
        end = action.planned_end_on
        facts = ""
        if progress is not None or end:
            facts = '<p class="action-item__facts">'
            if progress is not None:
                facts += f"Avancement&nbsp;: {_number(progress)}&nbsp;%"
                if end:
                    facts += " · "
            if end:
                facts += (
                    f'Fin prévue le <time datetime="{_day(end)}">'
                    f"{esc(french_date(end, False))}</time>"
                )
            facts += "</p>"
        items.append(
            f'\n  <li class="action-item{" action-item--late" if late else ""}">\n'
            f'    <{level} class="action-item__title"><a href="{url}">{title}</a></{level}>\n'
            f'    <p class="action-item__labels"><span class="badge badge--{esc(action.status)}">'
            f'<span class="visually-hidden">Statut&nbsp;: </span>'
            f"{esc(action.get_status_display())}</span>"
            f"{LATE_BADGE if late else ''}{DEMO_BADGE if action.is_demo else ''}</p>\n"
            f"    {facts}\n"
            f"  </li>\n  "
        )
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'\n<ul class="action-list">\n  {"".join(items)}\n</ul>\n'
    )


@register.simple_tag
def journal_list(
    points,
    show_action=False,
    show_chantier=False,
    short=False,
    heading="h3",
    hide_meeting=False,
):
    """chantiers/includes/journal_list.html: points d'étape, newest first (see there)."""
    level = "h4" if heading == "h4" else "h3"
    items = []
    for point in points:
        pk = _number(point.pk)
        action = ""
        if show_action:
            chantier = ""
            if show_chantier:
                chantier = f", chantier {esc(point.action.chantier.display_title)}"
            action = (
                f'<p class="journal-entry__action">Action <a href="{esc(point.action.url)}'
                f'#point-{pk}">{esc(point.action.title)}</a>{chantier}</p>'
            )
        text = ""
        if point.text and not short:
            text = f'<div class="prose">{markdown(point.text)}</div>'
        new_status, new_progress = point.new_status, point.new_progress
        meeting = point.meeting_id and not hide_meeting
        facts = ""
        if new_status or new_progress is not None or meeting:
            facts = '<p class="journal-entry__facts">'
            if new_status:
                facts += (
                    f"Nouveau statut&nbsp;: <strong>{esc(point.get_new_status_display())}</strong>"
                )
            if new_progress is not None:
                if new_status:
                    facts += " · "
                facts += f"Avancement&nbsp;: <strong>{_number(new_progress)}&nbsp;%</strong>"
            if meeting:
                if new_status or new_progress is not None:
                    facts += " · "
                facts += (
                    f'Issu de la réunion <a href="{esc(point.meeting.get_absolute_url())}">'
                    f"{esc(point.meeting.title)}</a>"
                )
            facts += "</p>"
        items.append(
            f'\n  <li class="journal-entry" id="point-{pk}">\n'
            f'    <p class="journal-entry__date"><time datetime="{_day(point.date)}">'
            f"{esc(french_date(point.date, False))}</time>"
            f"{DEMO_BADGE if point.is_demo else ''}</p>\n"
            f'    <{level} class="journal-entry__title">{esc(point.title)}</{level}>\n'
            f"    {action}\n"
            f"    {text}\n"
            f"    {facts}\n"
            f"  </li>\n  "
        )
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'\n<ol class="journal" reversed>\n  {"".join(items)}\n</ol>\n'
    )


@register.simple_tag
def progress_bar(summary, bar_id):
    """chantiers/includes/progress_bar.html: the average progress, in text and as a bar."""
    percent = summary.percent
    if percent is None:
        return mark_safe("\n\n")
    percent, bar_id = _number(percent), esc(bar_id)
    return mark_safe(  # noqa: S308 - every value is escaped
        f'\n\n<div class="progress-meter">\n'
        f'  <label for="{bar_id}">Avancement moyen des actions&nbsp;: '
        f"<strong>{percent}&nbsp;%</strong></label>\n"
        f'  <progress id="{bar_id}" max="100" value="{percent}">{percent}&nbsp;%</progress>\n'
        f"</div>\n\n"
    )
