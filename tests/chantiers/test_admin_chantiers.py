"""Chantiers, ecosystems and accounts in the admin."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import roles
from chantiers.models import Chantier, EcosystemMembership
from tests.accounts.helpers import make_account
from tests.factories import (
    ActorFactory,
    ChantierFactory,
    MeetingFactory,
    MembershipFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_client(client):
    client.force_login(make_account("admin"))
    return client


@pytest.fixture
def team_client(client):
    client.force_login(make_account("equipe"))
    return client


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
    return len(queries)


def fill_chantier(chantier, count):
    for n in range(count):
        MembershipFactory(chantier=chantier)
        MeetingFactory(chantier=chantier, starts_at=timezone.now() + timedelta(days=n - 2))


def test_chantier_page_shows_its_intersessions_and_ecosystem(admin_client):
    chantier = ChantierFactory()
    MeetingFactory(chantier=chantier, title="Soirée de lancement")
    SessionFactory(title="Session qui n'est pas une intersession").chantiers.add(chantier)
    MembershipFactory(chantier=chantier, actor=ActorFactory(name="Ferme des Causses"))
    html = admin_client.get(f"/admin/chantiers/chantier/{chantier.pk}/change/").content.decode()
    assert "Intersessions de l&#x27;écosystème" in html
    assert "Soirée de lancement" in html
    assert "Session qui n&#x27;est pas une intersession" not in html
    assert "Ferme des Causses" in html
    # New members are picked with an autocomplete on actors.
    assert 'data-ajax--url="/admin/autocomplete/"' in html
    assert 'data-field-name="actor"' in html
    assert "Voir sur le site" in html
    assert f"/admin/chantiers/intersession/add/?chantier={chantier.pk}" in html
    assert 'class="markdown-help"' in html


def test_the_chantier_page_query_count_does_not_grow_with_its_ecosystem(admin_client):
    small, big = ChantierFactory(), ChantierFactory()
    fill_chantier(small, 3)
    fill_chantier(big, 60)
    few = count_queries(admin_client, f"/admin/chantiers/chantier/{small.pk}/change/")
    many = count_queries(admin_client, f"/admin/chantiers/chantier/{big.pk}/change/")
    assert few == many, f"{few} queries with 3 members, {many} with 60"


def test_the_administration_adds_a_member_to_an_ecosystem_inline(admin_client):
    chantier = ChantierFactory()
    existing = MembershipFactory(chantier=chantier)
    newcomer = ActorFactory()
    data = {
        "title": chantier.title,
        "slug": chantier.slug,
        "status": chantier.status,
        "order": chantier.order,
        "summary": "",
        "description": "",
        "started_on": "",
        "ended_on": "",
        "cover_alt": "",
        "intersessions-TOTAL_FORMS": "0",
        "intersessions-INITIAL_FORMS": "0",
        "intersessions-MIN_NUM_FORMS": "0",
        "intersessions-MAX_NUM_FORMS": "1000",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": existing.pk,
        "memberships-0-chantier": chantier.pk,
        "memberships-0-role": "animation",
        "memberships-0-joined_on": "",
        "memberships-1-chantier": chantier.pk,
        "memberships-1-actor": newcomer.pk,
        "memberships-1-role": "membre",
        "memberships-1-joined_on": "",
    }
    response = admin_client.post(f"/admin/chantiers/chantier/{chantier.pk}/change/", data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][1].formset.errors
    assert set(chantier.memberships.values_list("actor", "role")) == {
        (existing.actor_id, "animation"),
        (newcomer.pk, "membre"),
    }


def test_the_team_manages_memberships_on_their_own_page(team_client):
    chantier, actor = ChantierFactory(), ActorFactory(name="Association Les Semeurs")
    page = team_client.get(f"/admin/chantiers/chantier/{chantier.pk}/change/").content.decode()
    assert f"/admin/chantiers/ecosystemmembership/?chantier__id__exact={chantier.pk}" in page
    response = team_client.post(
        "/admin/chantiers/ecosystemmembership/add/",
        {"chantier": chantier.pk, "actor": actor.pk, "role": "membre", "joined_on": ""},
    )
    assert response.status_code == 302
    assert EcosystemMembership.objects.get().actor == actor
    # The actor autocomplete answers the team (view permission on actors).
    response = team_client.get(
        "/admin/autocomplete/",
        {
            "term": "Semeurs",
            "app_label": "chantiers",
            "model_name": "ecosystemmembership",
            "field_name": "actor",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["text"] == "Association Les Semeurs"


def test_membership_list_query_count_does_not_grow(team_client):
    chantier = ChantierFactory()
    fill_chantier(chantier, 5)
    few = count_queries(team_client, "/admin/chantiers/ecosystemmembership/")
    fill_chantier(chantier, 95)
    assert count_queries(team_client, "/admin/chantiers/ecosystemmembership/") == few


def test_chantier_list_shows_status_counts_demo_and_site_link(admin_client):
    chantier = ChantierFactory(title="Stages territoire avec le lycée de La Vinadie")
    fill_chantier(chantier, 2)
    demo = ChantierFactory(title="Chantier fictif")
    Chantier.objects.filter(pk=demo.pk).update(is_demo=True)
    html = admin_client.get("/admin/chantiers/chantier/").content.decode()
    assert "Stages territoire avec le lycée de La Vinadie" in html
    assert "En action" in html
    assert f'href="{chantier.get_absolute_url()}"' in html
    assert "Voir sur le site" in html
    assert ">démo<" in html


def test_a_real_chantier_shown_under_a_demo_name_says_so(admin_client):
    chantier = ChantierFactory(title="Chantier 4")
    Chantier.objects.filter(pk=chantier.pk).update(demo_title="Un nom de démonstration")
    html = admin_client.get("/admin/chantiers/chantier/").content.decode()
    assert "Un nom de démonstration" in html
    assert ">nom de démo<" in html


def test_chantier_list_query_count_does_not_grow(admin_client):
    for _ in range(5):
        fill_chantier(ChantierFactory(), 2)
    few = count_queries(admin_client, "/admin/chantiers/chantier/")
    for _ in range(60):
        fill_chantier(ChantierFactory(), 2)
    assert count_queries(admin_client, "/admin/chantiers/chantier/") == few


def test_chantier_history_says_who_changed_what(admin_client):
    chantier = ChantierFactory()
    Chantier.objects.get(pk=chantier.pk)
    chantier.status = "en_pause"
    chantier.save()
    html = admin_client.get(f"/admin/chantiers/chantier/{chantier.pk}/history/").content.decode()
    assert "<strong>État&nbsp;:</strong> En action → En pause" in html


# --- Accounts in the admin ------------------------------------------------------------------


def test_user_list_shows_roles_and_keeps_its_query_budget(admin_client):
    for _ in range(5):
        make_account("equipe")
    few = count_queries(admin_client, "/admin/accounts/user/")
    for _ in range(60):
        make_account("elu")
    response = admin_client.get("/admin/accounts/user/")
    assert "Élus" in response.content.decode()
    assert count_queries(admin_client, "/admin/accounts/user/") == few


def test_adding_a_team_member_account_in_the_admin_opens_the_admin_to_them(admin_client):
    from django.contrib.auth.models import Group

    team = Group.objects.get(name=roles.TEAM)
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "Nouveau@Example.org",
            "full_name": "Nouveau Membre",
            "groups": [team.pk],
            "usable_password": "false",
            "password1": "",
            "password2": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = get_user_model().objects.get(email="nouveau@example.org")
    assert user.is_staff
    assert not user.has_usable_password()


def test_the_password_link_action_sends_an_email(admin_client, mailoutbox):
    user = make_account("elu", email="elue@example.org")
    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "send_password_link", "_selected_action": [user.pk]},
        follow=True,
    )
    assert "Lien envoyé à 1 compte" in response.content.decode()
    assert mailoutbox[0].to == ["elue@example.org"]
    assert "/compte/mot-de-passe-oublie/" in mailoutbox[0].body


def test_other_lists_keep_their_query_budget(admin_client):
    from tests.factories import TeamMemberFactory

    for _ in range(5):
        ActorFactory()
        TeamMemberFactory(user=make_account("equipe"))
    urls = ["/admin/chantiers/actor/", "/admin/chantiers/teammember/"]
    few = [count_queries(admin_client, url) for url in urls]
    for _ in range(60):
        ActorFactory()
        TeamMemberFactory(user=make_account("equipe"))
    assert [count_queries(admin_client, url) for url in urls] == few
