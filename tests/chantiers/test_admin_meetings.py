"""Sessions and Intersessions in the admin: lists, forms, « Dupliquer », history."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from chantiers.models import Intersession, Meeting, MeetingKind, MeetingStatus, Session
from tests.accounts.helpers import make_account
from tests.chantiers.admin_helpers import meeting_change_data, meeting_data
from tests.factories import ChantierFactory, MeetingFactory, SessionFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
ADD_INTERSESSION = "/admin/chantiers/intersession/add/"
INTERSESSIONS = "/admin/chantiers/intersession/"
SESSIONS = "/admin/chantiers/session/"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def member():
    return make_account("equipe", full_name="Camille Équipe")


@pytest.fixture
def team_client(client, member):
    client.force_login(member)
    return client


def in_days(days, hour=18):
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=PARIS)


# --- Adding and editing --------------------------------------------------------------


def test_the_team_adds_an_intersession_and_the_address_is_made_for_it(team_client, member):
    chantier = ChantierFactory()
    starts = in_days(10)
    response = team_client.post(
        ADD_INTERSESSION,
        meeting_data(starts, starts + timedelta(hours=2), chantier=chantier.pk),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting = Meeting.objects.get()
    assert meeting.kind == MeetingKind.INTERSESSION
    assert meeting.chantier == chantier
    assert meeting.slug == f"intersession-de-l-ecosysteme-{starts:%Y-%m-%d}"
    assert meeting.starts_at == starts
    record = meeting.history.get()
    assert record.history_user == member
    assert record.history_type == "+"


def test_two_meetings_with_the_same_title_and_day_get_distinct_addresses(team_client):
    chantier = ChantierFactory()
    starts = in_days(10)
    data = meeting_data(starts, starts + timedelta(hours=2), chantier=chantier.pk)
    team_client.post(ADD_INTERSESSION, data)
    team_client.post(ADD_INTERSESSION, data)
    slugs = sorted(Meeting.objects.values_list("slug", flat=True))
    assert slugs[1] == f"{slugs[0]}-2"


def test_an_intersession_needs_a_chantier(team_client):
    starts = in_days(10)
    response = team_client.post(ADD_INTERSESSION, meeting_data(starts, starts))
    assert response.status_code == 200
    assert "chantier" in response.context["adminform"].form.errors
    assert not Meeting.objects.exists()


def test_a_meeting_cannot_end_before_it_starts(team_client):
    starts = in_days(10)
    response = team_client.post(
        ADD_INTERSESSION,
        meeting_data(starts, starts - timedelta(hours=1), chantier=ChantierFactory().pk),
    )
    assert response.status_code == 200
    assert "La fin de la réunion doit suivre son début." in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_team_adds_a_session_for_several_chantiers(team_client):
    first, second = ChantierFactory(), ChantierFactory()
    page = team_client.get("/admin/chantiers/session/add/").content.decode()
    assert 'name="chantiers"' in page and 'name="chantier"' not in page
    starts = in_days(20, hour=9)
    data = meeting_data(starts, starts + timedelta(hours=8), title="Session d'automne")
    data["chantiers"] = [first.pk, second.pk]
    response = team_client.post("/admin/chantiers/session/add/", data)
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.kind == MeetingKind.SESSION
    assert set(session.chantiers.all()) == {first, second}


def test_writing_the_minutes_after_the_meeting_is_kept_in_the_history(team_client, member):
    meeting = MeetingFactory(starts_at=in_days(-2), status=MeetingStatus.PLANNED)
    url = f"{INTERSESSIONS}{meeting.pk}/change/"
    page = team_client.get(url).content.decode()
    assert 'name="slug"' not in page  # the address no longer changes
    assert "Dupliquer" in page and "history/" in page
    response = team_client.post(
        url,
        meeting_change_data(
            meeting,
            minutes="## Ce qui a été décidé\n- Un marché",
            status="tenue",
            participants_count="23",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert meeting.minutes.startswith("## Ce qui a été décidé")
    assert meeting.status == MeetingStatus.HELD
    assert meeting.participants_count == 23
    latest = meeting.history.latest()
    assert latest.history_user == member and latest.history_type == "~"

    history = team_client.get(f"{INTERSESSIONS}{meeting.pk}/history/")
    assert history.status_code == 200
    html = history.content.decode()
    assert "Camille Équipe" in html
    assert "<strong>Compte rendu&nbsp;:</strong> (vide) → ## Ce qui a été décidé" in html
    assert "<strong>Statut&nbsp;:</strong> Prévue → Tenue" in html
    assert "/admin/accounts/user/" not in html  # the team cannot open accounts


def test_text_areas_have_markdown_help_beside_them(team_client):
    html = team_client.get(ADD_INTERSESSION).content.decode()
    assert html.count('class="markdown-help"') == 2  # agenda and minutes
    assert "Aide à la mise en forme (Markdown)" in html
    assert "css/admin-portal.css" in html
    assert "À remplir après la réunion" in html  # the model's French help text


# --- Lists ------------------------------------------------------------------------------


def test_the_intersession_list_shows_date_chantier_status_and_place(team_client):
    chantier = ChantierFactory(title="Mobilisation de l'épargne locale")
    MeetingFactory(
        chantier=chantier,
        title="Soirée épargne",
        place_name="Médiathèque",
        place_commune="Cajarc",
        starts_at=in_days(3),
    )
    SessionFactory(title="Une session")
    html = team_client.get(INTERSESSIONS).content.decode()
    for text in (
        "Soirée épargne",
        "Mobilisation de l&#x27;épargne locale",
        "Prévue",
        "Médiathèque, Cajarc",
        "column-when",
        "column-status",
        "column-place",
    ):
        assert text in html
    assert "Une session" not in html


def test_list_filters_by_status_chantier_moment_and_year(team_client):
    chantier = ChantierFactory()
    upcoming = MeetingFactory(chantier=chantier, starts_at=in_days(5))
    past = MeetingFactory(starts_at=in_days(-400), status=MeetingStatus.HELD)
    html = team_client.get(INTERSESSIONS).content.decode()
    for title in ("moment", "année", "statut", "chantier", "contenu de démonstration"):
        assert f"Par {title}" in html or f"par {title}" in html.lower()

    def listed(query):
        response = team_client.get(INTERSESSIONS + query)
        return set(response.context["cl"].result_list)

    assert listed("?moment=a-venir") == {upcoming}
    assert listed("?moment=passees") == {past}
    assert listed(f"?annee={past.starts_at.year}") == {past}
    assert listed("?status__exact=tenue") == {past}
    assert listed(f"?chantier__id__exact={chantier.pk}") == {upcoming}


def test_list_search_by_title_and_place(team_client):
    one = MeetingFactory(title="Atelier semences", place_commune="Cajarc")
    two = MeetingFactory(title="Soirée lycée", place_name="Lycée de La Vinadie")
    listed = lambda q: set(team_client.get(f"{INTERSESSIONS}?q={q}").context["cl"].result_list)  # noqa: E731
    assert listed("semences") == {one}
    assert listed("cajarc") == {one}
    assert listed("Vinadie") == {two}


def test_list_has_a_date_hierarchy(team_client):
    meeting = MeetingFactory(starts_at=in_days(5))
    response = team_client.get(f"{INTERSESSIONS}?starts_at__year={meeting.starts_at.year}")
    assert meeting in response.context["cl"].result_list
    assert 'class="toplinks"' in response.content.decode()


def test_demo_meetings_are_listed_as_such(team_client):
    real = MeetingFactory(title="Réunion réelle")
    demo = MeetingFactory(title="Réunion fictive")
    Meeting.objects.filter(pk=demo.pk).update(is_demo=True)
    response = team_client.get(INTERSESSIONS)
    assert "column-demo_label" in response.content.decode()
    assert ">démo<" in response.content.decode()
    assert set(team_client.get(f"{INTERSESSIONS}?demo=oui").context["cl"].result_list) == {demo}
    assert set(team_client.get(f"{INTERSESSIONS}?demo=non").context["cl"].result_list) == {real}


def test_minutes_to_write_are_shown_in_the_list(team_client):
    MeetingFactory(starts_at=in_days(-3), minutes="")
    assert "à écrire" in team_client.get(INTERSESSIONS).content.decode()


# --- Query budgets ------------------------------------------------------------------------


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [INTERSESSIONS, SESSIONS])
def test_meeting_lists_query_count_does_not_grow_with_rows(team_client, url):
    chantiers = [ChantierFactory() for _ in range(3)]

    def add(count):
        for n in range(count):
            MeetingFactory(chantier=chantiers[n % 3], starts_at=in_days(n - count // 2))
            session = SessionFactory(starts_at=in_days(n - count // 2, hour=9))
            session.chantiers.add(*chantiers[: n % 3 + 1])

    add(5)
    few = count_queries(team_client, url)
    add(95)
    many = count_queries(team_client, url)
    assert few == many, f"{url}: {few} queries for 5 rows, {many} for 100"
    assert many <= 14


def test_filtered_and_searched_lists_keep_the_budget(team_client):
    for n in range(30):
        MeetingFactory(starts_at=in_days(n))
    for query in ("?moment=a-venir", f"?annee={in_days(1).year}", "?q=Salle", "?demo=non"):
        assert count_queries(team_client, INTERSESSIONS + query) <= 14


# --- « Dupliquer » --------------------------------------------------------------------------


def test_dupliquer_prepares_the_next_meeting_without_saving_it(team_client):
    chantier = ChantierFactory()
    source = MeetingFactory(
        chantier=chantier,
        title="Soirée de l'écosystème",
        starts_at=in_days(-60),
        place_name="Foyer rural",
        place_commune="Assier",
        agenda="- Point d'étape",
        minutes="Compte rendu de la dernière fois.",
        status=MeetingStatus.HELD,
    )
    response = team_client.post(
        INTERSESSIONS, {"action": "duplicate", "_selected_action": [source.pk]}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{ADD_INTERSESSION}?dupliquer={source.pk}"
    assert Meeting.objects.count() == 1

    page = team_client.get(response["Location"])
    form = page.context["adminform"].form
    starts = form.initial["starts_at"]
    assert starts > timezone.now()
    assert (starts - source.starts_at) % timedelta(weeks=4) == timedelta(0)
    assert starts.astimezone(PARIS).weekday() == source.starts_at.astimezone(PARIS).weekday()
    assert form.initial["ends_at"] - starts == source.ends_at - source.starts_at
    assert form.initial["chantier"] == chantier.pk
    assert form.initial["place_commune"] == "Assier"
    assert form.initial["agenda"] == "- Point d'étape"
    assert form.initial["status"] == MeetingStatus.PLANNED
    assert "minutes" not in form.initial
    html = page.content.decode()
    assert "Soirée de l&#x27;écosystème" in html
    messages = [str(m) for m in get_messages(page.wsgi_request)]
    assert any("Nouvelle réunion préparée" in m for m in messages)


def test_dupliquer_a_session_keeps_its_chantiers(team_client):
    chantiers = [ChantierFactory(), ChantierFactory()]
    source = SessionFactory(starts_at=in_days(2, hour=9))
    source.chantiers.add(*chantiers)
    page = team_client.get(f"/admin/chantiers/session/add/?dupliquer={source.pk}")
    assert sorted(page.context["adminform"].form.initial["chantiers"]) == sorted(
        c.pk for c in chantiers
    )
    assert page.context["adminform"].form.initial["starts_at"] == source.starts_at + timedelta(
        weeks=4
    )


def test_dupliquer_asks_for_exactly_one_meeting(team_client):
    meetings = [MeetingFactory(), MeetingFactory()]
    response = team_client.post(
        INTERSESSIONS,
        {"action": "duplicate", "_selected_action": [m.pk for m in meetings]},
        follow=True,
    )
    assert "Choisissez une seule réunion à dupliquer" in response.content.decode()
    assert Meeting.objects.count() == 2


def test_dupliquer_ignores_an_unknown_or_other_kind_source(team_client):
    session = SessionFactory()
    form = team_client.get(f"{ADD_INTERSESSION}?dupliquer={session.pk}").context["adminform"].form
    assert "title" not in form.initial
    form = team_client.get(f"{ADD_INTERSESSION}?dupliquer=abc").context["adminform"].form
    assert "title" not in form.initial


def test_the_admin_keeps_intersessions_and_sessions_apart():
    session, intersession = SessionFactory(), MeetingFactory()
    assert list(Intersession.objects.all()) == [intersession]
    assert list(Session.objects.all()) == [session]
