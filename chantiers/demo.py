"""Demonstration content on top of the real one, to try the portal.

Every row made here has is_demo=True (chantiers 4 and 5 only get a demo_title), and the
pages label it « démo ». `remove()` deletes exactly that and nothing real. Dates are
computed from today, so the agenda always has past and upcoming meetings.
"""

import io
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chantiers import demo_states, territoire
from chantiers.models import (
    Actor,
    ActorKind,
    Chantier,
    ChantierStatus,
    EcosystemMembership,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    MeetingStatus,
    MembershipRole,
    Partner,
    TeamMember,
    next_occurrence,
    unique_meeting_slug,
)

PARIS = ZoneInfo("Europe/Paris")
NBSP = "\u00a0"
SEED = 2019

# Names for the two chantiers whose real names are unknown: demo only, cleared by remove().
DEMO_NAMES = {
    "chantier-4": (
        "Des produits locaux dans la restauration collective",
        "Exemple fictif : rapprocher cantines, cuisiniers et producteurs du territoire.",
    ),
    "chantier-5": (
        "Se déplacer au quotidien sans voiture individuelle",
        "Exemple fictif : covoiturage, transport à la demande et tiers-lieux.",
    ),
}
SHORT_NAMES = {
    "epargne-locale": "Épargne locale",
    "dessine-moi-ton-agriculture": f"Dessine-moi ton agriculture{NBSP}!",
    "stages-territoire-lycee-la-vinadie": "Stages territoire",
    "chantier-4": "Restauration collective",
    "chantier-5": "Mobilités du quotidien",
}

# (name, kind, is_organisation, organisation, commune): all fictional.
ACTORS = [
    ("Élise Marty", ActorKind.ELECTED, False, "Conseil municipal", "Figeac"),
    ("Jean-Pierre Delpech", ActorKind.ELECTED, False, "Conseil municipal", "Gramat"),
    ("Sylvie Lacombe", ActorKind.ELECTED, False, "Conseil municipal", "Souillac"),
    ("Bernard Cayla", ActorKind.ELECTED, False, "Conseil municipal", "Cajarc"),
    ("Nadia Boussac", ActorKind.ELECTED, False, "Conseil municipal", "Saint-Céré"),
    ("Thomas Vialard", ActorKind.TECHNICIAN, False, "Service développement", "Figeac"),
    ("Claire Roques", ActorKind.TECHNICIAN, False, "Service agriculture", "Gramat"),
    ("Mathieu Gineste", ActorKind.TECHNICIAN, False, "Service économie", "Souillac"),
    ("Aurélie Fabre", ActorKind.TECHNICIAN, False, "Service jeunesse", "Bretenoux"),
    ("Hélène Bouscarrat", ActorKind.CITIZEN, False, "", "Lacapelle-Marival"),
    ("Paul Lafon", ActorKind.CITIZEN, False, "", "Martel"),
    ("Inès Carrière", ActorKind.CITIZEN, False, "", "Assier"),
    ("Louis Besse", ActorKind.CITIZEN, False, "", "Biars-sur-Cère"),
    ("Margot Teulière", ActorKind.CITIZEN, False, "", "Figeac"),
    ("Rémi Calmels", ActorKind.CITIZEN, False, "", "Livernon"),
    ("Odile Lapeyre", ActorKind.CITIZEN, False, "", "Latronquière"),
    ("Karim Benali", ActorKind.CITIZEN, False, "", "Saint-Céré"),
    ("Ferme des Trois Noyers", ActorKind.BUSINESS, True, "", "Leyme"),
    ("Menuiserie Causse et Bois", ActorKind.BUSINESS, True, "", "Gramat"),
    ("Boulangerie du Célé", ActorKind.BUSINESS, True, "", "Cajarc"),
    ("Coopérative des vergers de la Dordogne", ActorKind.BUSINESS, True, "", "Martel"),
    ("Atelier numérique Quercy", ActorKind.BUSINESS, True, "", "Figeac"),
    ("Association Terres partagées", ActorKind.ASSOCIATION, True, "", "Figeac"),
    ("Foyer rural du Ségala", ActorKind.ASSOCIATION, True, "", "Latronquière"),
    ("Club des aînés de la vallée", ActorKind.ASSOCIATION, True, "", "Souillac"),
    ("Covoiturons en Quercy", ActorKind.ASSOCIATION, True, "", "Saint-Céré"),
    ("Épargne solidaire Lot", ActorKind.ASSOCIATION, True, "", "Figeac"),
    ("Collège du Causse", ActorKind.SCHOOL, True, "", "Gramat"),
    ("École élémentaire des Tilleuls", ActorKind.SCHOOL, True, "", "Bretenoux"),
    ("Centre de formation agricole du Ségala", ActorKind.SCHOOL, True, "", "Lacapelle-Marival"),
    ("Chambre consulaire", ActorKind.INSTITUTION, True, "", "Figeac"),
    ("Banque coopérative locale", ActorKind.INSTITUTION, True, "", "Figeac"),
    ("Office de tourisme", ActorKind.INSTITUTION, True, "", "Souillac"),
    ("Julie Malbec", ActorKind.OTHER, False, "Journaliste indépendante", "Cajarc"),
    ("Gérard Issaly", ActorKind.CITIZEN, False, "", "Gramat"),
    ("Sandrine Couderc", ActorKind.TECHNICIAN, False, "Service restauration", "Figeac"),
]

# (name, role, organisation, chantier slugs coordinated): all fictional.
TEAM = [
    ("Anne Vayssière", "Animation générale de la démarche", "PETR", []),
    ("Marc Delbos", "Coordination du chantier", "Conseil de développement", ["epargne-locale"]),
    ("Sophie Lagarrigue", "Coordination du chantier", "Communauté de communes", ["epargne-locale"]),
    (
        "Lucas Pradines",
        "Coordination du chantier",
        "Chambre consulaire",
        ["dessine-moi-ton-agriculture"],
    ),
    (
        "Camille Bessières",
        "Coordination du chantier",
        "Conseil de développement",
        ["dessine-moi-ton-agriculture"],
    ),
    (
        "Nathalie Rigal",
        "Coordination du chantier",
        "Établissement d'enseignement",
        ["stages-territoire-lycee-la-vinadie"],
    ),
    ("Pierre Albouy", "Coordination du chantier", "PETR", ["chantier-4"]),
    ("Émilie Soulié", "Coordination du chantier", "Communauté de communes", ["chantier-5"]),
    ("Yves Cantarel", "Élu référent", "Conseil syndical", []),
    ("Martine Delmas", "Élue référente", "Conseil syndical", []),
    ("François Lestrade", "Membre", "Conseil de développement", []),
    ("Laure Cassagnes", "Membre", "Conseil de développement", []),
    ("Bruno Fournié", "Membre", "Communauté de communes", ["stages-territoire-lycee-la-vinadie"]),
    ("Chloé Marcouly", "Membre", "Association", []),
    ("David Roumieu", "Membre", "Entreprise", ["chantier-5"]),
]

PLACES = [
    ("Salle des fêtes", "Figeac"),
    ("Salle polyvalente", "Gramat"),
    ("Maison des associations", "Souillac"),
    ("Salle du conseil", "Saint-Céré"),
    ("Tiers-lieu de la gare", "Biars-sur-Cère"),
    ("Salle des fêtes", "Lacapelle-Marival"),
    ("Foyer rural", "Cajarc"),
    ("Salle communale", "Martel"),
]
SESSION_PLACES = [("Espace culturel", "Figeac"), ("Domaine de démonstration", "Gramat")]

INTERSESSION_AGENDA = (
    "- Tour de table et accueil des nouveaux venus\n"
    "- Où en est le chantier depuis la dernière intersession\n"
    "- Travail en petits groupes\n"
    "- Prochaines étapes et répartition des tâches"
)
SESSION_AGENDA = (
    "- Matinée : retour sur les intersessions de chaque chantier\n"
    "- Déjeuner partagé\n"
    "- Après-midi : atelier sur les chantiers concernés\n"
    "- Calendrier des prochaines intersessions"
)
MINUTES = (
    "*Compte rendu de démonstration : ce texte est fictif.*\n\n"
    "{count} personnes étaient présentes.\n\n"
    "**Ce qui a été dit**\n\n"
    "- Chaque groupe a présenté l'avancement de ses actions.\n"
    "- Plusieurs participants ont proposé d'associer de nouveaux acteurs du territoire.\n\n"
    "**Ce qui a été décidé**\n\n"
    "- Les prochaines dates sont fixées dans l'agenda.\n"
    "- Un point d'étape sera présenté à la prochaine session de l'équipe-projet."
)
# Meetings ahead of today, in days, and their kind: the agenda always has something
# coming, and each chantier its next intersession.
UPCOMING = [
    (9, MeetingKind.INTERSESSION),
    (16, MeetingKind.SESSION),
    (23, MeetingKind.INTERSESSION),
    (37, MeetingKind.INTERSESSION),
    (52, MeetingKind.INTERSESSION),
    (66, MeetingKind.SESSION),
    (80, MeetingKind.INTERSESSION),
]
PAST_COUNT = 33
INTERSESSION_LENGTH = timedelta(hours=2, minutes=30)
# Seats of the demo intersessions open to the public, in turn (None: no limit).
DEMO_CAPACITIES = [25, None, 15]


def demo_querysets():
    """Where demo rows of this app show up, for the site-wide notice."""
    return [Meeting.objects.filter(is_demo=True)]


@transaction.atomic
def load(today=None):
    """Replace any previous demo content by a fresh one; return what was created.

    The real content is loaded first if missing: the demo hangs on the real chantiers.
    """
    territoire.load()
    remove()
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    chantiers = {c.slug: c for c in Chantier.objects.filter(is_demo=False).in_order()}
    _name_unknown_chantiers(chantiers)
    actors = Actor.objects.bulk_create(
        Actor(
            name=name,
            kind=kind,
            is_organisation=is_org,
            organisation=organisation,
            commune=commune,
            is_demo=True,
        )
        for name, kind, is_org, organisation, commune in ACTORS
    )
    memberships = _memberships(rng, list(chantiers.values()), actors)
    team = _team(chantiers)
    meetings = _meetings(rng, today, list(chantiers.values()))
    demo_states.apply(meetings, today)
    attachments = _attachments(meetings)
    return {
        "acteurs": len(actors),
        "membres d'écosystème": len(memberships),
        "membres de l'équipe-projet": len(team),
        "réunions": len(meetings),
        "pièces jointes": len(attachments),
    }


@transaction.atomic
def remove():
    """Delete every demo row and clear the demo names; real content stays as it is."""
    attachments = MeetingAttachment.objects.filter(Q(is_demo=True) | Q(meeting__is_demo=True))
    for attachment in attachments:
        attachment.file.delete(save=False)
    removed = {"pièces jointes": _delete(attachments)}
    removed["réunions"] = _delete(Meeting.objects.filter(is_demo=True))
    # Deleting leaves history rows behind; demo meetings must not linger there either.
    Meeting.history.filter(is_demo=True).delete()
    removed["membres d'écosystème"] = _delete(EcosystemMembership.objects.filter(is_demo=True))
    removed["membres de l'équipe-projet"] = _delete(TeamMember.objects.filter(is_demo=True))
    removed["acteurs"] = _delete(Actor.objects.filter(is_demo=True))
    removed["partenaires"] = _delete(Partner.objects.filter(is_demo=True))
    # update(), not save(): demo names are not edits worth keeping in the history.
    removed["noms de démonstration"] = Chantier.objects.filter(
        Q(demo_title__gt="") | Q(demo_summary__gt="")
    ).update(demo_title="", demo_summary="")
    return removed


def _delete(queryset):
    """Delete and count the rows of that model only (not what cascades with them)."""
    return queryset.delete()[1].get(queryset.model._meta.label, 0)


def _name_unknown_chantiers(chantiers):
    for slug, (title, summary) in DEMO_NAMES.items():
        chantier = chantiers.get(slug)
        # Only while the real name is still unknown: a name the team entered wins.
        if (
            chantier
            and chantier.status == ChantierStatus.UNKNOWN
            and chantier.title
            in (
                "Chantier 4",
                "Chantier 5",
            )
        ):
            Chantier.objects.filter(pk=chantier.pk).update(demo_title=title, demo_summary=summary)
            chantier.demo_title, chantier.demo_summary = title, summary


def _memberships(rng, chantiers, actors):
    rows = []
    for chantier in chantiers:
        chosen = rng.sample(actors, k=min(len(actors), rng.randint(7, 11)))
        for index, actor in enumerate(chosen):
            role = MembershipRole.FACILITATION if index == 0 else MembershipRole.MEMBER
            if index == 1 and actor.is_organisation:
                role = MembershipRole.RESOURCE
            rows.append(
                EcosystemMembership(
                    chantier=chantier,
                    actor=actor,
                    role=role,
                    joined_on=date(2019, 1, 1) + timedelta(days=rng.randint(0, 700)),
                    is_demo=True,
                )
            )
    return EcosystemMembership.objects.bulk_create(rows)


def _team(chantiers):
    members = TeamMember.objects.bulk_create(
        TeamMember(name=name, role=role, organisation=organisation, order=index, is_demo=True)
        for index, (name, role, organisation, _) in enumerate(TEAM, start=1)
    )
    through = TeamMember.coordinated_chantiers.through
    through.objects.bulk_create(
        through(teammember_id=member.pk, chantier_id=chantiers[slug].pk)
        for member, (*_, slugs) in zip(members, TEAM, strict=True)
        for slug in slugs
        if slug in chantiers
    )
    return members


def _next_weekday(day, weekdays):
    while day.weekday() not in weekdays:
        day += timedelta(days=1)
    return day


def _meeting_days(today):
    """(day, kind) pairs: PAST_COUNT from January 2019 to last week, then UPCOMING."""
    start, last = date(2019, 1, 14), today - timedelta(days=8)
    span = (last - start).days
    days = []
    for index in range(PAST_COUNT):
        day = start + timedelta(days=round(span * index / (PAST_COUNT - 1)))
        days.append((day, MeetingKind.SESSION if index % 5 == 0 else MeetingKind.INTERSESSION))
    for offset, kind in UPCOMING:
        days.append((today + timedelta(days=offset), kind))
    # Sessions on Fridays (a full day), intersessions on Tuesday or Thursday evenings.
    return [
        (_next_weekday(day, {4} if kind == MeetingKind.SESSION else {1, 3}), kind)
        for day, kind in days
    ]


def _aware(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def _meetings(rng, today, chantiers):
    if not chantiers:
        return []
    meetings, session_chantiers, numbers, last_evening = [], [], {}, {}
    # The demo's addresses are made as the admin makes them, clear of any real meeting's.
    slugs = set(Meeting.objects.values_list("slug", flat=True))
    intersession_cycle, started_future = 0, False
    for index, (day, kind) in enumerate(_meeting_days(today)):
        is_past = day < today
        if not is_past and not started_future:
            # Upcoming intersessions start again from the first chantier: each gets one.
            started_future, intersession_cycle = True, 0
        status = MeetingStatus.HELD if is_past else MeetingStatus.PLANNED
        if index == 12:
            status = MeetingStatus.CANCELLED
        if kind == MeetingKind.SESSION:
            chantier = None
            concerned = rng.sample(chantiers, k=min(len(chantiers), 3))
            numbers["session"] = numbers.get("session", 0) + 1
            title = f"Session n°{NBSP}{numbers['session']} de l'équipe-projet"
            place = SESSION_PLACES[numbers["session"] % len(SESSION_PLACES)]
            starts_at, ends_at = _aware(day, 9), _aware(day, 17)
            agenda, participants = SESSION_AGENDA, rng.randint(11, 16)
        else:
            chantier = chantiers[intersession_cycle % len(chantiers)]
            intersession_cycle += 1
            concerned = []
            numbers[chantier.slug] = numbers.get(chantier.slug, 0) + 1
            short = SHORT_NAMES.get(chantier.slug, chantier.display_title)
            title = f"Intersession n°{NBSP}{numbers[chantier.slug]} – {short}"
            place = PLACES[rng.randrange(len(PLACES))]
            starts_at, ends_at = _aware(day, 18, 30), _aware(day, 21)
            if not is_past and chantier.slug in last_evening:
                # The ecosystem meets again four weeks after its last evening, as the team
                # plans it with « Dupliquer » in the admin.
                starts_at = next_occurrence(
                    last_evening[chantier.slug], now=_aware(today + timedelta(days=1), 0)
                )
                ends_at = starts_at + INTERSESSION_LENGTH
            last_evening[chantier.slug] = starts_at
            agenda, participants = INTERSESSION_AGENDA, rng.randint(9, 34)
        slug = unique_meeting_slug(title, starts_at, taken=slugs)
        slugs.add(slug)
        held = status == MeetingStatus.HELD
        # Upcoming intersessions take registrations (« Je participe »), some with a limit.
        open_to_public = kind == MeetingKind.INTERSESSION and status == MeetingStatus.PLANNED
        capacity = DEMO_CAPACITIES[index % len(DEMO_CAPACITIES)] if open_to_public else None
        meetings.append(
            Meeting(
                kind=kind,
                title=title,
                slug=slug,
                chantier=chantier,
                starts_at=starts_at,
                ends_at=ends_at,
                place_name=place[0],
                place_commune=place[1],
                agenda=agenda,
                minutes=MINUTES.format(count=participants) if held else "",
                status=status,
                participants_count=participants if held else None,
                registration_open=open_to_public,
                capacity=capacity,
                is_demo=True,
            )
        )
        session_chantiers.append(concerned)
    meetings = Meeting.objects.bulk_create(meetings)
    through = Meeting.chantiers.through
    through.objects.bulk_create(
        through(meeting_id=meeting.pk, chantier_id=chantier.pk)
        for meeting, concerned in zip(meetings, session_chantiers, strict=True)
        for chantier in concerned
    )
    return meetings


def _demo_pdf(title):
    """A one-page PDF saying it is a demonstration file (Pillow writes PDFs)."""
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(page)
    draw.text((60, 80), "Document de demonstration", fill="black")
    draw.text((60, 110), title.encode("ascii", "replace").decode(), fill="black")
    buffer = io.BytesIO()
    page.save(buffer, format="PDF")
    return buffer.getvalue()


def _attachments(meetings):
    held = [m for m in meetings if m.status == MeetingStatus.HELD][-3:]
    attachments = []
    for meeting in held:
        attachment = MeetingAttachment(
            meeting=meeting, title="Support de présentation (démo)", is_demo=True
        )
        attachment.file.save(
            f"demo-{meeting.slug}.pdf", ContentFile(_demo_pdf(meeting.title)), save=False
        )
        attachment.save()
        attachments.append(attachment)
    return attachments
