"""Bulk datasets for query budgets: the same shape at 5 chantiers and at 200 + 2,000 meetings.

Shape kept identical whatever the size, so the pages run the same queries: chantier c-0
has upcoming and past meetings (more than one « voir plus » page), the agenda has fewer
upcoming meetings than a page holds, sessions concern three chantiers, and reunion-0 is
an upcoming intersession of c-0 while reunion-4 is a session. Every chantier has actions
in every status, one of them late; c-0 has as many actions as there are chantiers, and its
action a-0 as many points d'étape, some from meetings (reunion-10 decided it).
"""

from datetime import date, timedelta

from django.utils import timezone

from chantiers.models import (
    Action,
    ActionStatus,
    Actor,
    ActorKind,
    Chantier,
    ChantierStatus,
    EcosystemMembership,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    MeetingStatus,
    Partner,
    PartnerKind,
    Phase,
    PointEtape,
    TeamMember,
)

UPCOMING = 10
STATUSES = [ChantierStatus.IN_ACTION, ChantierStatus.UNKNOWN, ChantierStatus.IN_CONSTRUCTION]


def wipe():
    models = [PointEtape, Action, MeetingAttachment, Meeting, EcosystemMembership]
    models += [TeamMember, Actor]
    for model in models:
        model.objects.all().delete()
    for model in (Chantier, Partner, Phase):
        model.objects.all().delete()


def build(chantier_count, meeting_count):
    now = timezone.now()
    chantiers = Chantier.objects.bulk_create(
        Chantier(
            title=f"Chantier {i}",
            slug=f"c-{i}",
            order=i,
            summary="Résumé du chantier.",
            description="Une **description**.",
            status=STATUSES[i % len(STATUSES)],
        )
        for i in range(chantier_count)
    )
    actors = Actor.objects.bulk_create(
        Actor(name=f"Acteur {i}", kind=list(ActorKind.values)[i % len(ActorKind.values)])
        for i in range(chantier_count * 3)
    )
    EcosystemMembership.objects.bulk_create(
        EcosystemMembership(chantier=chantiers[i // 3], actor=actor)
        for i, actor in enumerate(actors)
    )
    team = TeamMember.objects.bulk_create(
        TeamMember(name=f"Membre {i}", role="Coordination", order=i) for i in range(15)
    )
    through = TeamMember.coordinated_chantiers.through
    through.objects.bulk_create(
        through(teammember_id=member.pk, chantier_id=chantiers[i % chantier_count].pk)
        for i, member in enumerate(team)
    )
    Partner.objects.bulk_create(
        Partner(key=f"p-{i}", name=f"Partenaire {i}", kind=kind)
        for i, kind in enumerate(PartnerKind.values)
    )
    Phase.objects.bulk_create(
        Phase(
            key=f"ph-{i}", title=f"Étape {i}", period=str(2018 + i), starts_on=date(2018 + i, 1, 1)
        )
        for i in range(4)
    )
    meetings = []
    for i in range(meeting_count):
        # The first meetings are ahead, one a day; the others go back six hours apart.
        ahead = i < UPCOMING
        starts_at = now + timedelta(days=i + 1) if ahead else now - timedelta(hours=6 * i)
        is_session = i % 5 == 4
        meetings.append(
            Meeting(
                kind=MeetingKind.SESSION if is_session else MeetingKind.INTERSESSION,
                title=f"Réunion {i}",
                slug=f"reunion-{i}",
                chantier=None if is_session else chantiers[i % chantier_count],
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=2),
                place_name="Salle des fêtes",
                place_commune="Figeac",
                agenda="- Premier point\n- Second point",
                minutes="" if i < UPCOMING else "Compte rendu **court**.",
                status=MeetingStatus.CANCELLED if i == 2 else MeetingStatus.PLANNED,
            )
        )
    meetings = Meeting.objects.bulk_create(meetings)
    m2m = Meeting.chantiers.through
    m2m.objects.bulk_create(
        m2m(meeting_id=meeting.pk, chantier_id=chantiers[(i + k) % chantier_count].pk)
        for i, meeting in enumerate(meetings)
        if meeting.kind == MeetingKind.SESSION
        for k in range(3)
    )
    MeetingAttachment.objects.bulk_create(
        MeetingAttachment(meeting=meetings[0], title=f"Pièce {k}", file=f"reunions/p{k}.pdf")
        for k in range(3)
    )
    _actions(chantiers, meetings, team, actors)
    return chantiers, meetings


def _actions(chantiers, meetings, team, actors):
    today = timezone.localdate()
    statuses = list(ActionStatus.values)
    rows = []
    for c, chantier in enumerate(chantiers):
        count = len(chantiers) if c == 0 else len(statuses)
        for i in range(count):
            status = statuses[i % len(statuses)]
            rows.append(
                Action(
                    chantier=chantier,
                    title=f"Action {i}",
                    slug=f"a-{i}",
                    description="Une *action*.",
                    status=status,
                    abandon_reason="Trop coûteuse." if status == ActionStatus.ABANDONED else "",
                    starts_on=today - timedelta(days=100),
                    # Every action in progress is late: its planned end has passed.
                    planned_end_on=today + timedelta(days=-5 if i % 5 == 1 else 30 + i),
                    progress=(i * 10) % 100,
                )
            )
    actions = Action.objects.bulk_create(rows)
    first = actions[0]
    Action.team_pilots.through.objects.bulk_create(
        Action.team_pilots.through(action_id=a.pk, teammember_id=team[k % len(team)].pk)
        for k, a in enumerate(actions)
    )
    Action.actor_pilots.through.objects.bulk_create(
        Action.actor_pilots.through(action_id=a.pk, actor_id=actors[k % len(actors)].pk)
        for k, a in enumerate(actions)
    )
    Action.meetings.through.objects.bulk_create(
        Action.meetings.through(action_id=a.pk, meeting_id=meetings[UPCOMING].pk)
        for a in actions[: len(chantiers)]
    )
    points = [
        PointEtape(
            action=first,
            date=today - timedelta(days=k),
            title=f"Point {k}",
            text="Ce qui s'est **passé**.",
            new_progress=min(k, 100),
            meeting=meetings[UPCOMING] if k % 2 else None,
        )
        for k in range(len(chantiers))
    ]
    points += [
        PointEtape(action=action, date=today - timedelta(days=3), title="Point", text="Texte.")
        for action in actions[1:]
    ]
    PointEtape.objects.bulk_create(points)
