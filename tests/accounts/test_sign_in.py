"""Sign-in, sign-out and the way into the admin."""

import pytest
from django.urls import reverse

from tests.accounts.helpers import PASSWORD, make_account

pytestmark = pytest.mark.django_db

LOGIN = "/compte/connexion/"


def test_urls_are_french_and_named():
    assert reverse("accounts:login") == LOGIN
    assert reverse("accounts:dashboard") == "/compte/"
    assert reverse("accounts:logout") == "/compte/deconnexion/"
    assert reverse("accounts:password_reset") == "/compte/mot-de-passe-oublie/"
    assert reverse("accounts:password_change") == "/compte/mot-de-passe/"


def test_sign_in_page_is_a_french_accessible_form(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Connexion</h1>" in html
    assert f'action="{LOGIN}"' in html
    assert '<label for="id_username">Adresse électronique' in html
    assert 'type="email" name="username"' in html and 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html
    assert "Mot de passe oublié" in html


def test_signing_in_leads_to_my_space(client):
    user = make_account("elu", email="elue@example.org")
    response = client.post(LOGIN, {"username": "Elue@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/compte/"
    assert client.get("/compte/").context["user"] == user


def test_signing_in_honours_a_local_next_but_not_another_site(client):
    make_account("elu", email="elue@example.org")
    data = {"username": "elue@example.org", "password": PASSWORD}
    response = client.post(f"{LOGIN}?next=/agenda/", {**data, "next": "/agenda/"})
    assert response["Location"] == "/agenda/"
    client.logout()
    response = client.post(LOGIN, {**data, "next": "https://exemple.com/"})
    assert response["Location"] == "/compte/"


def test_a_wrong_password_gets_a_french_message_and_keeps_the_address(client):
    make_account("elu", email="elue@example.org")
    response = client.post(LOGIN, {"username": "elue@example.org", "password": "faux"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Adresse électronique ou mot de passe incorrect" in html
    assert 'role="alert"' in html
    assert 'value="elue@example.org"' in html
    assert "_auth_user_id" not in client.session


def test_an_empty_form_names_the_missing_fields(client):
    response = client.post(LOGIN, {"username": "", "password": ""})
    html = response.content.decode()
    assert 'href="#id_username"' in html and 'href="#id_password"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_username_error"' in html


def test_an_inactive_account_cannot_sign_in(client):
    make_account("equipe", email="parti@example.org", is_active=False)
    response = client.post(LOGIN, {"username": "parti@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_says_so(client):
    user = make_account("elu")
    client.force_login(user)
    assert client.get("/compte/deconnexion/").status_code == 405
    response = client.post("/compte/deconnexion/", follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Vous êtes déconnecté·e" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_test_client_login_still_works(client):
    # django-axes needs a request; the test client's login() has none.
    user = make_account("equipe")
    assert client.login(email=user.email, password=PASSWORD)


def test_the_admin_sends_anonymous_visitors_to_the_portal_sign_in(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == f"{LOGIN}?next=/admin/"
    response = client.get("/admin/chantiers/intersession/add/?chantier=3")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=")
    assert "intersession/add/" in response["Location"]


def test_a_team_member_signs_in_and_reaches_the_admin(client):
    make_account("equipe", email="equipe@example.org")
    response = client.post(
        LOGIN, {"username": "equipe@example.org", "password": PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_signed_in_visitor_of_the_sign_in_page_is_told_so(client):
    user = make_account("elu", email="elue@example.org")
    client.force_login(user)
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "Vous êtes connecté·e avec l'adresse elue@example.org" in response.content.decode()
