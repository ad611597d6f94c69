"""A large, fake dataset for the benchmark, written with bulk_create (fast, no signal).

    from bench.dataset import load
    load(scale=1.0)   # 200 chantiers, 20,000 meetings, 5,000 actors, 2,000 documents,
                      # 2,000 actions and 10,000 points d'étape

Every row is flagged is_demo=True: it is made-up content, and the pages say so. It goes
on top of whatever is there (the benchmark gives it a database of its own). Meetings are
spread over 2018–2031 so that every page has upcoming and past ones; a tenth of the
documents have a small PDF, a fifth are reserved to elected officials.
"""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from chantiers.models import (
    Action,
    ActionStatus,
    Actor,
    ActorKind,
    Chantier,
    ChantierStatus,
    EcosystemMembership,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MembershipRole,
    PointEtape,
    TeamMember,
)
from diagnostic.models import Document, DocumentKind, Visibility

PARIS = ZoneInfo("Europe/Paris")
DEFAULTS = {
    "chantiers": 200,
    "meetings": 20_000,
    "actors": 5_000,
    "documents": 2_000,
    "actions": 2_000,
}
POINTS_PER_ACTION = 5
TEAM_SIZE = 15
SESSION_SHARE = 10  # one meeting in ten is a Session of the équipe-projet
FIRST_DAY, LAST_DAY = date(2018, 6, 1), date(2031, 12, 31)
BATCH = 2_000
SLUG_PREFIX = "banc-"

# A valid one-page PDF (made by pypdf once), small enough to copy for every document.
SMALL_PDF = (
    b"%PDF-1.3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def counts(scale=1.0):
    """How many rows of each kind for this scale (at least one of each)."""
    return {name: max(1, round(value * scale)) for name, value in DEFAULTS.items()}


@transaction.atomic
def load(scale=1.0, seed=2018, with_files=True):
    rng = random.Random(seed)
    wanted = counts(scale)
    chantiers = _chantiers(rng, wanted["chantiers"])
    actors = _actors(rng, wanted["actors"])
    memberships = _memberships(rng, chantiers, actors)
    _team(rng, chantiers)
    meetings = _meetings(rng, chantiers, wanted["meetings"])
    documents = _documents(rng, chantiers, wanted["documents"], with_files)
    actions, points = _actions(rng, chantiers, wanted["actions"])
    return {
        "actions": actions,
        "points": points,
        "chantiers": len(chantiers),
        "actors": len(actors),
        "memberships": memberships,
        "meetings": meetings,
        "documents": documents,
    }


def _chantiers(rng, count):
    statuses = [s for s in ChantierStatus.values if s != ChantierStatus.UNKNOWN]
    rows = [
        Chantier(
            title=f"Chantier de démonstration {n}",
            slug=f"{SLUG_PREFIX}chantier-{n}",
            order=100 + n,
            summary=f"Un chantier fictif du banc d'essai, numéro {n}.",
            description=(
                "Texte de **démonstration** pour mesurer les pages.\n\n"
                "- un premier point\n- un second point avec un [lien](https://example.org/)"
            ),
            status=rng.choice(statuses),
            started_on=date(2019, 1, 1) + timedelta(days=rng.randrange(1500)),
            is_demo=True,
        )
        for n in range(1, count + 1)
    ]
    return Chantier.objects.bulk_create(rows, batch_size=BATCH)


def _actors(rng, count):
    kinds = ActorKind.values
    communes = ["Figeac", "Gramat", "Souillac", "Saint-Céré", "Capdenac", "Bretenoux"]
    rows = [
        Actor(
            name=f"Acteur de démonstration {n}",
            kind=rng.choice(kinds),
            is_organisation=n % 3 == 0,
            organisation=f"Structure {n % 300}" if n % 2 else "",
            commune=rng.choice(communes),
            is_demo=True,
        )
        for n in range(1, count + 1)
    ]
    return Actor.objects.bulk_create(rows, batch_size=BATCH)


def _memberships(rng, chantiers, actors):
    """Each actor in one or two ecosystems."""
    rows, seen = [], set()
    for actor in actors:
        for chantier in rng.sample(chantiers, min(len(chantiers), rng.choice((1, 2)))):
            if (chantier.pk, actor.pk) in seen:
                continue
            seen.add((chantier.pk, actor.pk))
            rows.append(
                EcosystemMembership(
                    chantier=chantier,
                    actor=actor,
                    role=rng.choice(MembershipRole.values),
                    is_demo=True,
                )
            )
    EcosystemMembership.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _team(rng, chantiers):
    members = TeamMember.objects.bulk_create(
        TeamMember(
            name=f"Membre de démonstration {n}",
            role="Coordination",
            organisation="PETR",
            order=100 + n,
            is_demo=True,
        )
        for n in range(1, TEAM_SIZE + 1)
    )
    through = TeamMember.coordinated_chantiers.through
    links = [
        through(teammember_id=chantier_member.pk, chantier_id=chantier.pk)
        for chantier in chantiers
        for chantier_member in rng.sample(members, 2)
    ]
    through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)


def _meetings(rng, chantiers, count):
    span = (LAST_DAY - FIRST_DAY).days
    statuses = MeetingStatus.values
    rows, sessions = [], []
    for n in range(1, count + 1):
        day = FIRST_DAY + timedelta(days=rng.randrange(span))
        is_session = n % SESSION_SHARE == 0
        start = datetime(day.year, day.month, day.day, 9 if is_session else 18, 30, tzinfo=PARIS)
        meeting = Meeting(
            kind=MeetingKind.SESSION if is_session else MeetingKind.INTERSESSION,
            title=f"{'Session' if is_session else 'Intersession'} de démonstration {n}",
            slug=f"{SLUG_PREFIX}reunion-{n}",
            chantier=None if is_session else rng.choice(chantiers),
            starts_at=start,
            ends_at=start + timedelta(hours=8 if is_session else 2, minutes=30),
            place_name="Salle des fêtes",
            place_commune="Figeac",
            agenda="- Point d'étape\n- Suite du travail\n- **Prochaine réunion**",
            minutes="Compte rendu de démonstration." if n % 4 == 0 else "",
            status=rng.choice(statuses),
            participants_count=rng.randrange(8, 40) if n % 4 == 0 else None,
            is_demo=True,
        )
        rows.append(meeting)
        if is_session:
            sessions.append(meeting)
    Meeting.objects.bulk_create(rows, batch_size=BATCH)
    through = Meeting.chantiers.through
    links = [
        through(meeting_id=session.pk, chantier_id=chantier.pk)
        for session in sessions
        for chantier in rng.sample(chantiers, min(len(chantiers), 3))
    ]
    through.objects.bulk_create(links, batch_size=BATCH)
    return len(rows)


def _documents(rng, chantiers, count, with_files):
    stored = ""
    if with_files:
        stored = default_storage.save("documents/banc-essai.pdf", ContentFile(SMALL_PDF))
    kinds = DocumentKind.values
    rows = []
    for n in range(1, count + 1):
        has_file = bool(stored) and n % 10 == 0
        rows.append(
            Document(
                title=f"Document de démonstration {n}",
                slug=f"{SLUG_PREFIX}document-{n}",
                kind=rng.choice(kinds),
                summary="Un document fictif du banc d'essai.",
                file=stored if has_file else "",
                file_format="pdf" if has_file else "",
                file_size=len(SMALL_PDF) if has_file else None,
                page_count=1 if has_file else None,
                published_on=FIRST_DAY + timedelta(days=rng.randrange(2500)),
                chantier=rng.choice(chantiers) if n % 3 else None,
                visibility=Visibility.RESERVED if n % 5 == 0 else Visibility.PUBLIC,
                is_demo=True,
            )
        )
    Document.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _actions(rng, chantiers, count):
    """Actions spread over the chantiers in turn (chantier-1 gets the first), each with
    POINTS_PER_ACTION points d'étape over the last year."""
    today = date.today()
    statuses = ActionStatus.values
    rows = []
    for n in range(1, count + 1):
        status = rng.choice(statuses)
        start = today - timedelta(days=rng.randrange(30, 700))
        rows.append(
            Action(
                chantier=chantiers[(n - 1) % len(chantiers)],
                title=f"Action de démonstration {n}",
                slug=f"{SLUG_PREFIX}action-{n}",
                description="Une action fictive du banc d'essai.",
                status=status,
                abandon_reason="Exemple fictif." if status == ActionStatus.ABANDONED else "",
                starts_on=start,
                planned_end_on=start + timedelta(days=rng.randrange(30, 900)),
                progress=rng.randrange(0, 101),
                is_demo=True,
            )
        )
    actions = Action.objects.bulk_create(rows, batch_size=BATCH)
    points = [
        PointEtape(
            action=action,
            date=today - timedelta(days=rng.randrange(0, 365)),
            title=f"Point d'étape {k}",
            text="Ce qui s'est passé, en quelques lignes fictives.",
            is_demo=True,
        )
        for action in actions
        for k in range(1, POINTS_PER_ACTION + 1)
    ]
    PointEtape.objects.bulk_create(points, batch_size=BATCH)
    return len(actions), len(points)
