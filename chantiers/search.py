"""What the site search finds in this app: chantiers, meetings, actions and their points
d'étape, actors."""

from django.db.models import F, Prefetch, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse

from chantiers.models import Action, Actor, Chantier, EcosystemMembership, Meeting, PointEtape
from core.search import Kind, register


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
        hit_template="chantiers/includes/search_hit_chantier.html",
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
        hit_template="chantiers/includes/search_hit_meeting.html",
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
        hit_template="chantiers/includes/search_hit_actor.html",
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
        hit_template="chantiers/includes/search_hit_action.html",
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
        hit_template="chantiers/includes/search_hit_point_etape.html",
        title=("title",),
        summary=("text",),
        order=("-date", "-pk"),
        excerpt=("text",),
        position=27,
        stored_vector=True,
    )
)
