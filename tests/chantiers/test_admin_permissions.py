"""Who may open what in the admin: the team sees only what its group allows."""

import pytest

from tests.accounts.helpers import make_account
from tests.factories import ChantierFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def team_client(client):
    client.force_login(make_account("equipe"))
    return client


def test_the_admin_is_titled_for_the_portal_and_in_french(team_client):
    html = team_client.get("/admin/").content.decode()
    assert "Administration du projet de territoire" in html
    assert '<html lang="fr"' in html
    assert 'href="/compte/"' in html  # « Mon espace »


def test_a_team_member_sees_only_what_the_group_allows(team_client):
    html = team_client.get("/admin/").content.decode()
    for entry in (
        "/admin/chantiers/session/",
        "/admin/chantiers/intersession/",
        "/admin/chantiers/chantier/",
        "/admin/chantiers/ecosystemmembership/",
    ):
        assert f'href="{entry}"' in html
    for hidden in ("/admin/accounts/user/", "/admin/auth/group/", "/admin/axes/"):
        assert hidden not in html
    assert "/admin/chantiers/chantier/add/" not in html


def test_a_team_member_cannot_open_users_nor_groups(team_client):
    assert team_client.get("/admin/accounts/user/").status_code == 403
    assert team_client.get("/admin/auth/group/").status_code == 403
    assert team_client.get("/admin/accounts/user/add/").status_code == 403


def test_a_team_member_cannot_delete_nor_change_a_chantier(team_client):
    chantier = ChantierFactory()
    base = f"/admin/chantiers/chantier/{chantier.pk}"
    assert team_client.get(f"{base}/delete/").status_code == 403
    assert team_client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert team_client.post(f"{base}/change/", {"title": "Autre"}).status_code == 403
    assert team_client.get("/admin/chantiers/chantier/add/").status_code == 403
    chantier.refresh_from_db()
    assert chantier.title != "Autre"
    # Viewing is allowed, read-only.
    response = team_client.get(f"{base}/change/")
    assert response.status_code == 200
    assert 'name="title"' not in response.content.decode()


def test_a_team_member_cannot_delete_meetings(team_client):
    meeting = MeetingFactory()
    url = f"/admin/chantiers/intersession/{meeting.pk}/delete/"
    assert team_client.get(url).status_code == 403
    html = team_client.get("/admin/chantiers/intersession/").content.decode()
    assert "delete_selected" not in html


@pytest.mark.parametrize("role", ["elu", None])
def test_an_elu_or_an_account_without_group_cannot_open_the_admin(client, role):
    client.force_login(make_account(role))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    for url in ("/admin/chantiers/intersession/", "/admin/chantiers/intersession/add/"):
        response = client.get(url)
        assert response.status_code == 302
    # The admin's own page then says the account has no access.
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 200
    assert "autorisé à accéder à cette page" in response.content.decode()


def test_staff_without_group_sees_nothing_to_change(client):
    client.force_login(make_account(is_staff=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "/admin/chantiers/" not in response.content.decode()
    assert client.get("/admin/chantiers/intersession/").status_code == 403


def test_administration_manages_users(client):
    client.force_login(make_account("admin"))
    html = client.get("/admin/").content.decode()
    assert 'href="/admin/accounts/user/"' in html
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/chantiers/chantier/add/").status_code == 200
