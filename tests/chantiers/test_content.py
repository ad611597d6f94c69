"""load_territoire (real facts, idempotent) and load_demo (demo on top, removable exactly)."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from chantiers import demo, territoire
from chantiers.models import (
    Actor,
    Chantier,
    ChantierStatus,
    EcosystemMembership,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    MeetingStatus,
    Partner,
    Phase,
    TeamMember,
)
from tests.factories import ActorFactory, MeetingFactory, MembershipFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

DEMO_MODELS = (Actor, EcosystemMembership, TeamMember, Meeting, MeetingAttachment, Partner)


def snapshot():
    """Everything real, as comparable values."""
    return {
        "chantiers": sorted(
            Chantier.objects.values_list("slug", "title", "summary", "status", "demo_title")
        ),
        "phases": sorted(Phase.objects.values_list("key", "title", "period", "text")),
        "partners": sorted(Partner.objects.filter(is_demo=False).values_list("key", "name")),
        **{
            model.__name__: sorted(model.objects.filter(is_demo=False).values_list("pk", flat=True))
            for model in DEMO_MODELS
        },
    }


def test_load_territoire_states_the_real_facts_only():
    territoire.load()
    chantiers = list(Chantier.objects.in_order())
    assert [c.slug for c in chantiers] == [
        "epargne-locale",
        "dessine-moi-ton-agriculture",
        "stages-territoire-lycee-la-vinadie",
        "chantier-4",
        "chantier-5",
    ]
    assert chantiers[0].title == "Mobilisation de l'épargne locale pour financer des projets locaux"
    assert chantiers[1].title == "Dessine-moi ton agriculture\u00a0!"
    assert chantiers[2].title == "Stages territoire avec le lycée de La Vinadie"
    assert [c.status for c in chantiers[:3]] == [ChantierStatus.IN_ACTION] * 3
    for chantier in chantiers[3:]:
        assert chantier.status == ChantierStatus.UNKNOWN
        assert chantier.title in ("Chantier 4", "Chantier 5")
        assert "à préciser" in chantier.summary
        assert not chantier.demo_title
    assert not any(c.is_demo for c in chantiers)
    assert list(Phase.objects.values_list("period", flat=True)) == [
        "Printemps 2018",
        "2019",
        "2020",
        "2022",
    ]
    names = " ".join(Partner.objects.values_list("name", flat=True))
    for partner in ("Conseil de développement", "Conseil syndical", "Réseaux & Territoires",
                    "La Clé Proactive", "OPC", "LEREPS"):  # fmt: skip
        assert partner in names
    # Nothing the facts do not give: no team, no actors, no meetings, no web addresses.
    assert not TeamMember.objects.exists() and not Actor.objects.exists()
    assert not Meeting.objects.exists()
    assert not Partner.objects.exclude(url="").exists()


def test_load_territoire_is_idempotent_and_keeps_the_teams_edits():
    territoire.load()
    Chantier.objects.filter(slug="chantier-4").update(title="Un vrai nom", status="en_pause")
    before = snapshot()
    second = territoire.load()
    assert second == {"chantiers": 0, "étapes": 0, "partenaires": 0}
    assert snapshot() == before
    assert Chantier.objects.count() == 5 and Phase.objects.count() == 4


def test_load_demo_builds_a_lively_site_relative_to_today():
    counts = demo.load()
    assert counts["membres de l'équipe-projet"] == 15
    assert 36 <= counts["réunions"] <= 45
    meetings = Meeting.objects.all()
    assert all(m.is_demo for m in meetings)
    today = timezone.localdate()
    assert timezone.localtime(meetings.earliest("starts_at").starts_at).year == 2019
    upcoming = Meeting.objects.upcoming()
    assert upcoming.count() >= 5
    assert timezone.localtime(upcoming.last().starts_at).date() <= today + timedelta(days=150)
    assert Meeting.objects.sessions().exists() and Meeting.objects.intersessions().exists()
    # Every chantier has its ecosystem and its next intersession.
    for chantier in Chantier.objects.all():
        assert chantier.memberships.exists()
        assert Meeting.objects.intersessions().upcoming().filter(chantier=chantier).exists()
    held = Meeting.objects.filter(status=MeetingStatus.HELD)
    assert held.exists() and not held.filter(minutes="").exists()
    assert not held.filter(participants_count=None).exists()
    assert not Meeting.objects.upcoming().filter(status=MeetingStatus.HELD).exists()
    assert not Meeting.objects.upcoming().exclude(minutes="").exists()
    assert Meeting.objects.filter(status=MeetingStatus.CANCELLED).exists()
    assert not Meeting.objects.filter(kind=MeetingKind.INTERSESSION, chantier=None).exists()
    # Chantiers 4 and 5 get demo names; their real title stays.
    fourth = Chantier.objects.get(slug="chantier-4")
    assert (
        fourth.title == "Chantier 4" and fourth.demo_title and fourth.display_title != "Chantier 4"
    )
    assert MeetingAttachment.objects.filter(is_demo=True).count() == 3


def test_demo_dates_follow_today():
    demo.load(today=date(2030, 6, 1))
    last = timezone.localtime(Meeting.objects.latest("starts_at").starts_at).date()
    assert date(2030, 6, 1) < last < date(2030, 10, 1)


def test_load_demo_twice_gives_the_same_content():
    demo.load()
    first = {model.__name__: model.objects.count() for model in DEMO_MODELS}
    slugs = set(Meeting.objects.values_list("slug", flat=True))
    demo.load()
    assert {model.__name__: model.objects.count() for model in DEMO_MODELS} == first
    assert set(Meeting.objects.values_list("slug", flat=True)) == slugs


def test_remove_takes_away_exactly_the_demo_content(settings):
    territoire.load()
    # Real content entered by the team, some of it touching what the demo also touches.
    epargne = Chantier.objects.get(slug="epargne-locale")
    real_meeting = MeetingFactory(chantier=epargne, slug="vraie-reunion")
    real_member = TeamMemberFactory(name="Vraie personne")
    real_member.coordinated_chantiers.add(epargne)
    MembershipFactory(chantier=epargne, actor=ActorFactory(name="Vrai acteur"))
    before = snapshot()

    demo.load()
    assert snapshot() != before
    files = [a.file.name for a in MeetingAttachment.objects.filter(is_demo=True)]
    storage = MeetingAttachment._meta.get_field("file").storage
    assert all(storage.exists(name) for name in files)

    demo.remove()
    assert snapshot() == before
    for model in DEMO_MODELS:
        assert not model.objects.filter(is_demo=True).exists(), model
    assert not Chantier.objects.exclude(demo_title="").exists()
    assert not any(storage.exists(name) for name in files)
    assert not Meeting.history.filter(is_demo=True).exists()
    assert Meeting.objects.filter(pk=real_meeting.pk).exists()
    assert list(real_member.coordinated_chantiers.all()) == [epargne]
    assert not _demo_present()


def test_demo_never_renames_a_chantier_the_team_has_named():
    territoire.load()
    Chantier.objects.filter(slug="chantier-5").update(title="Nom choisi par l'équipe")
    demo.load()
    assert Chantier.objects.get(slug="chantier-5").demo_title == ""
    assert Chantier.objects.get(slug="chantier-4").demo_title


def test_commands_load_and_remove():
    out = StringIO()
    call_command("load_territoire", stdout=out)
    call_command("load_territoire", stdout=out)
    assert "créés 0 chantiers" in out.getvalue()
    assert "diagnostic : créés 4 axes du BLB, 2 documents annoncés." in out.getvalue()
    assert "diagnostic : créés 0 axes du BLB, 0 documents annoncés." in out.getvalue()
    call_command("load_demo", stdout=out)
    assert _demo_present()
    assert "Contenu de démonstration chargé" in out.getvalue()
    assert "diagnostic : créés 5 documents, 1 diagnostics" in out.getvalue()
    call_command("load_demo", "--remove", stdout=out)
    assert not _demo_present()
    assert Chantier.objects.count() == 5 and Phase.objects.count() == 4


def test_the_demo_notice_shows_while_demo_content_is_loaded(client):
    territoire.load()
    assert "Site de démonstration" not in client.get("/").content.decode()
    demo.load()
    for path in ("/", "/chantiers/", "/agenda/", "/mentions-legales/"):
        assert "Site de démonstration" in client.get(path).content.decode(), path
    demo.remove()
    assert "Site de démonstration" not in client.get("/chantiers/").content.decode()


def test_the_demo_notice_costs_one_query_per_page_and_none_per_fragment(
    client, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the demo notice, the footer's accessibility
        client.get("/mentions-legales/")
    with django_assert_num_queries(3):  # the chantiers, the demo notice, the footer's
        client.get("/chantiers/")
    with django_assert_num_queries(1):  # the chantiers only
        client.get("/chantiers/", HTTP_HX_REQUEST="true")


def _demo_present():
    return any(queryset.exists() for queryset in demo.demo_querysets())
