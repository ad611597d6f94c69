"""Password reset by email (the link works once) and password change."""

import re

import pytest
from django.core import mail

from tests.accounts.helpers import PASSWORD, make_account

pytestmark = pytest.mark.django_db

RESET = "/compte/mot-de-passe-oublie/"
NEW_PASSWORD = "un-nouveau-mot-de-passe-2026"


def reset_link(message):
    return re.search(r"https?://[^/\s]+(/compte/mot-de-passe-oublie/\S+/)", message.body).group(1)


def test_the_reset_form_is_french(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(RESET)
    html = response.content.decode()
    assert "<h1>Choisir un nouveau mot de passe</h1>" in html
    assert f'action="{RESET}"' in html
    assert 'autocomplete="email"' in html


def test_the_reset_flow_sends_a_link_that_works_once(client):
    user = make_account("elu", email="elue@example.org")
    response = client.post(RESET, {"email": "Elue@example.org"})
    assert response["Location"] == "/compte/mot-de-passe-oublie/envoye/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["elue@example.org"]
    assert message.subject == "Votre mot de passe pour le portail du projet de territoire"
    assert "Bonjour" in message.body

    link = reset_link(message)
    response = client.get(link)
    assert response.status_code == 302
    set_password_url = response["Location"]
    assert set_password_url.endswith("/nouveau-mot-de-passe/")
    page = client.get(set_password_url)
    assert page.context["validlink"]
    assert "<h1>Choisir votre mot de passe</h1>" in page.content.decode()
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == "/compte/mot-de-passe-oublie/termine/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The same link a second time: refused, with a way forward.
    response = client.get(link, follow=True)
    html = response.content.decode()
    assert "Ce lien ne fonctionne plus" in html
    assert f'href="{RESET}"' in html


def test_a_mismatched_new_password_is_explained_in_french(client):
    make_account("elu", email="elue@example.org")
    client.post(RESET, {"email": "elue@example.org"})
    set_password_url = client.get(reset_link(mail.outbox[0]))["Location"]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": "autre-chose-2026"}
    )
    assert response.status_code == 200
    assert "Les deux mots de passe ne correspondent pas" in response.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client):
    response = client.post(RESET, {"email": "inconnu@example.org"})
    assert response["Location"] == "/compte/mot-de-passe-oublie/envoye/"
    assert mail.outbox == []


def test_an_inactive_account_gets_no_email(client):
    make_account("elu", email="parti@example.org", is_active=False)
    client.post(RESET, {"email": "parti@example.org"})
    assert mail.outbox == []


def test_an_account_without_password_yet_can_ask_for_a_link(client, django_user_model):
    django_user_model.objects.create_user(email="nouvelle@example.org")
    client.post(RESET, {"email": "nouvelle@example.org"})
    assert len(mail.outbox) == 1


def test_changing_the_password(client):
    user = make_account("equipe")
    assert client.get("/compte/mot-de-passe/").status_code == 302
    client.force_login(user)
    page = client.get("/compte/mot-de-passe/")
    assert "<h1>Changer de mot de passe</h1>" in page.content.decode()
    response = client.post(
        "/compte/mot-de-passe/",
        {"old_password": "faux", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Votre ancien mot de passe est incorrect" in response.content.decode()
    response = client.post(
        "/compte/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/compte/mot-de-passe/modifie/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert "Mot de passe changé" in client.get("/compte/mot-de-passe/modifie/").content.decode()
