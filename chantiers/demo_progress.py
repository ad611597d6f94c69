"""Demonstration actions and their journals, on every chantier (after chantiers.demo).

FACTS.md gives no action: every one made here is fictional, is_demo=True, and labelled
« démo » on the pages. Between them they show every status, one action late and one
abandoned with its reason. Dates are computed from today, and the journals are written
through the service, as the team's would be: statuses and progress follow the points.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chantiers.models import (
    Action,
    ActionStatus,
    Actor,
    Chantier,
    Meeting,
    MeetingKind,
    PointEtape,
    TeamMember,
)
from chantiers.services.progress import record_point_etape

FICTIONAL = "*Exemple fictif, pour la démonstration du portail.*"

# Per chantier, in turn: (title, status, start in days from today, planned end in days,
# progress, points d'étape as (days ago, title, new status, new progress)).
# The first action of the first chantier is late (its planned end has passed).
ACTIONS = [
    (
        "Réunir les premiers partenaires",
        ActionStatus.IN_PROGRESS,
        -240,
        -20,
        None,
        [
            (200, "Lancement de l'action", ActionStatus.IN_PROGRESS, 10),
            (120, "Trois partenaires rencontrés", "", 35),
            (45, "Premier bilan en intersession", "", 50),
        ],
    ),
    (
        "Publier un guide pratique",
        ActionStatus.DONE,
        -400,
        -60,
        None,
        [
            (330, "Plan du guide validé", ActionStatus.IN_PROGRESS, 30),
            (150, "Relecture par l'écosystème", "", 80),
            (70, "Guide publié", ActionStatus.DONE, 100),
        ],
    ),
    (
        "Organiser une journée de découverte",
        ActionStatus.PLANNED,
        30,
        150,
        None,
        [(10, "Date et lieu à l'étude", "", None)],
    ),
    (
        "Cartographier les initiatives existantes",
        ActionStatus.PAUSED,
        -300,
        90,
        None,
        [
            (250, "Recensement commencé", ActionStatus.IN_PROGRESS, 20),
            (60, "Mise en pause faute de disponibilités", ActionStatus.PAUSED, None),
        ],
    ),
]
ABANDONED = (
    "Créer une plateforme en ligne dédiée",
    "L'écosystème a préféré s'appuyer sur des outils existants plutôt que d'en créer un "
    "nouveau, trop coûteux à entretenir (exemple fictif).",
)


def demo_querysets():
    """Where demo rows of this part show up, for the site-wide notice."""
    return [Action.objects.filter(is_demo=True)]


@transaction.atomic
def load(today=None):
    """Replace any previous demo actions by fresh ones; return what was created."""
    remove()
    today = today or timezone.localdate()
    chantiers = list(Chantier.objects.filter(is_demo=False).in_order())
    team = list(TeamMember.objects.filter(is_demo=True).prefetch_related("coordinated_chantiers"))
    actors = list(Actor.objects.filter(is_demo=True).order_by("name"))
    actions, points = [], 0
    for index, chantier in enumerate(chantiers):
        coordinators = [m for m in team if chantier in m.coordinated_chantiers.all()]
        meetings = list(
            Meeting.objects.filter(is_demo=True, kind=MeetingKind.INTERSESSION, chantier=chantier)
            .filter(ends_at__lt=timezone.now())
            .order_by("-starts_at")[:3]
        )
        # Rotate the plans so that chantiers do not all look the same.
        plans = ACTIONS[index % len(ACTIONS) :] + ACTIONS[: index % len(ACTIONS)]
        for number, (title, status, start, end, progress, journal) in enumerate(plans[:3]):
            action = _action(chantier, title, today, start, end, progress)
            _pilots(action, coordinators, actors, index + number)
            if meetings:
                action.meetings.add(meetings[number % len(meetings)])
            for days_ago, point_title, new_status, new_progress in journal:
                # Chantiers a few days apart, so that the project's journal alternates.
                days_ago += 3 * index + number
                record_point_etape(
                    action=action,
                    on=today - timedelta(days=days_ago),
                    title=point_title,
                    text=FICTIONAL,
                    new_status=new_status,
                    new_progress=new_progress,
                    meeting=_meeting_before(meetings, today - timedelta(days=days_ago)),
                    is_demo=True,
                    # The demo is no news: it emails no follower.
                    tell_followers=False,
                )
                points += 1
            if action.status != status:
                Action.objects.filter(pk=action.pk).update(status=status)
            actions.append(action)
        if index == 0:
            actions.append(_abandoned(chantier, today))
            points += 1
    return {"actions": len(actions), "points d'étape": points}


def _action(chantier, title, today, start, end, progress):
    return Action.objects.create(
        chantier=chantier,
        title=title,
        slug=_slug(title),
        description=f"{FICTIONAL}\n\nUne action du chantier, pour montrer son suivi.",
        status=ActionStatus.PLANNED,
        starts_on=today + timedelta(days=start),
        planned_end_on=today + timedelta(days=end),
        progress=progress,
        is_demo=True,
    )


def _abandoned(chantier, today):
    title, reason = ABANDONED
    action = _action(chantier, title, today, -500, -200, None)
    record_point_etape(
        action=action,
        on=today - timedelta(days=210),
        title="Abandon de l'action",
        text=reason,
        new_status=ActionStatus.ABANDONED,
        is_demo=True,
        tell_followers=False,
    )
    action.refresh_from_db()
    return action


def _meeting_before(meetings, day):
    """The latest of these meetings (newest first) held on `day` or in the month before."""
    for meeting in meetings:
        held_on = timezone.localdate(meeting.starts_at)
        if held_on <= day:
            return meeting if (day - held_on).days <= 31 else None
    return None


def _pilots(action, coordinators, actors, turn):
    if coordinators:
        action.team_pilots.add(coordinators[turn % len(coordinators)])
    if actors:
        action.actor_pilots.add(actors[(turn * 7) % len(actors)])


def _slug(title):
    from django.utils.text import slugify

    return slugify(title.replace("'", " "))[:200]


@transaction.atomic
def remove():
    """Delete every demo action and point d'étape, and their history rows."""
    points = PointEtape.objects.filter(Q(is_demo=True) | Q(action__is_demo=True))
    removed = {"points d'étape": points.delete()[1].get(PointEtape._meta.label, 0)}
    actions = Action.objects.filter(is_demo=True)
    removed["actions"] = actions.delete()[1].get(Action._meta.label, 0)
    # Deleting leaves history rows behind; demo content must not linger there either.
    PointEtape.history.filter(is_demo=True).delete()
    Action.history.filter(is_demo=True).delete()
    return removed
