"""What the site search finds in this app: chantiers, meetings, actions and their points
d'étape, actors."""

from django.db.models import F, Prefetch, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from chantiers.models import Action, Actor, Chantier, EcosystemMembership, Meeting, PointEtape
from chantiers.templatetags.demarche import datetime_attr, demo_badge, french_date, meeting_when
from chantiers.templatetags.progress_lists import LATE_BADGE
from core.search import Kind, register

# The line under each hit's title (Kind.hit_line): badges, then what places the row.


def _chantier_line(chantier):
    demo = format_html(" {}", demo_badge()) if chantier.has_demo_name or chantier.is_demo else ""
    return format_html(
        '<span class="badge badge--{}"><span class="visually-hidden">État&nbsp;: </span>{}'
        "</span>{}\n",
        chantier.status,
        chantier.get_status_display(),
        demo,
    )


def _meeting_line(meeting):
    status = ""
    if meeting.status != "prevue":
        status = format_html(
            '<span class="badge badge--{}">{}</span>', meeting.status, meeting.get_status_display()
        )
    place = format_html(", {}", meeting.place_commune) if meeting.place_commune else ""
    chantier = ""
    if meeting.chantier:
        chantier = format_html(" · chantier «&nbsp;{}&nbsp;»", meeting.chantier.display_title)
    return format_html(
        '<span class="badge badge--{}">{}</span>\n{}\n{}\n'
        '<span class="meta"><time datetime="{}">{}</time>{}{}</span>\n',
        meeting.kind,
        meeting.get_kind_display(),
        status,
        demo_badge() if meeting.is_demo else "",
        datetime_attr(meeting.starts_at),
        meeting_when(meeting),
        place,
        chantier,
    )


def _actor_line(actor):
    where = ", ".join(filter(None, [actor.organisation, actor.commune]))
    chantiers, ecosystems = _ecosystems(actor), ""
    if chantiers:
        ecosystems = format_html(
            " · écosystème{} {}",
            "" if len(chantiers) == 1 else "s",
            format_html_join(
                ", ",
                "«&nbsp;{}&nbsp;»",
                ((chantier.display_title,) for chantier in chantiers),
            ),
        )
    return format_html(
        '<span class="badge badge--muted">{}</span>\n{}\n<span class="meta">{}{}</span>\n',
        actor.get_kind_display(),
        demo_badge() if actor.is_demo else "",
        where,
        ecosystems,
    )


def _action_line(action):
    late = mark_safe(LATE_BADGE) if action.is_late else ""
    demo = format_html(" {}", demo_badge()) if action.is_demo else ""
    return format_html(
        '<span class="badge badge--{}"><span class="visually-hidden">Statut&nbsp;: </span>{}'
        "</span>{}{}\n"
        '<span class="meta">Action du chantier «&nbsp;{}&nbsp;»</span>\n',
        action.status,
        action.get_status_display(),
        late,
        demo,
        action.chantier.display_title,
    )


def _point_etape_line(point):
    return format_html(
        '{}<span class="meta">Point d\'étape du <time datetime="{}">{}</time> · action '
        "«&nbsp;{}&nbsp;», chantier «&nbsp;{}&nbsp;»</span>\n",
        format_html("{} ", demo_badge()) if point.is_demo else "",
        point.date.isoformat(),
        french_date(point.date, False),
        point.action.title,
        point.action.chantier.display_title,
    )


def _ecosystems(actor):
    """The chantiers whose ecosystem the actor is in, in their order (prefetched)."""
    return [membership.chantier for membership in actor.memberships.all()]


def _actor_url(actor):
    # An actor has no page of its own: the first ecosystem it belongs to, else the team page.
    ecosystems = _ecosystems(actor)
    if ecosystems:
        return ecosystems[0].get_absolute_url() + "#ecosysteme"
    return reverse("chantiers:team")


register(
    Kind(
        "chantiers",
        "Chantiers",
        "chantier",
        "chantiers",
        queryset=lambda user: Chantier.objects.all(),
        url=lambda chantier: chantier.get_absolute_url(),
        hit_line=_chantier_line,
        title=("title", "demo_title"),
        summary=("summary", "demo_summary"),
        body=("description",),
        order=("order", "title"),
        # Chantiers whose real name is unknown show their demo name (labelled).
        title_expression=Coalesce(NullIf(F("demo_title"), Value("")), F("title")),
        position=10,
        stored_vector=True,
    )
)

register(
    Kind(
        "reunions",
        "Réunions",
        "réunion",
        "réunions",
        queryset=lambda user: Meeting.objects.select_related("chantier"),
        url=lambda meeting: meeting.get_absolute_url(),
        hit_line=_meeting_line,
        title=("title",),
        summary=("place_name", "place_commune"),
        body=("agenda", "minutes"),
        order=("-starts_at", "pk"),
        excerpt=("agenda", "minutes"),  # the place is shown beside the date
        position=20,
        stored_vector=True,
    )
)

register(
    Kind(
        "acteurs",
        "Acteurs",
        "acteur",
        "acteurs",
        # Each actor's ecosystems, in one query for the whole group.
        queryset=lambda user: Actor.objects.prefetch_related(
            Prefetch(
                "memberships",
                queryset=EcosystemMembership.objects.select_related("chantier").order_by(
                    "chantier__order", "chantier__title", "pk"
                ),
            )
        ),
        url=_actor_url,
        hit_line=_actor_line,
        title=("name",),
        summary=("organisation",),
        body=("commune",),
        order=("name", "pk"),
        excerpt=(),  # organisation and commune are shown as they are
        position=40,
        stored_vector=True,
    )
)

register(
    Kind(
        "actions",
        "Actions",
        "action",
        "actions",
        queryset=lambda user: Action.objects.select_related("chantier"),
        url=lambda action: action.get_absolute_url(),
        hit_line=_action_line,
        title=("title",),
        summary=("description",),
        body=("abandon_reason",),
        order=("chantier__order", "title", "pk"),
        position=25,
        stored_vector=True,
    )
)

register(
    Kind(
        "points-etape",
        "Points d'étape",
        "point d'étape",
        "points d'étape",
        queryset=lambda user: PointEtape.objects.select_related("action__chantier"),
        url=lambda point: point.get_absolute_url(),
        hit_line=_point_etape_line,
        title=("title",),
        summary=("text",),
        order=("-date", "-pk"),
        excerpt=("text",),
        position=27,
        stored_vector=True,
    )
)
