"""`create_account EMAIL --role equipe|elu|admin [--name]` and its one-time link."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts import roles

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un-nouveau-mot-de-passe-2026"


def create(*args):
    out = StringIO()
    call_command("create_account", *args, stdout=out)
    return out.getvalue()


def link_path(output):
    return re.search(r"^http://testserver(/compte/\S+)$", output, re.M).group(1)


@pytest.mark.parametrize(
    ("role", "group", "is_staff"),
    [
        ("equipe", roles.TEAM, True),
        ("elu", roles.ELUS, False),
        ("admin", roles.ADMINISTRATION, True),
    ],
)
def test_creates_the_account_in_its_group_without_password(role, group, is_staff, settings):
    settings.SITE_URL = "http://testserver"
    output = create("Marie.Dupont@Example.org", "--role", role, "--name", "Marie Dupont")
    user = get_user_model().objects.get(email="marie.dupont@example.org")
    assert user.full_name == "Marie Dupont"
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert user.is_staff is is_staff
    assert not user.is_superuser
    assert not user.has_usable_password()
    assert f"Compte créé : marie.dupont@example.org (groupe « {group} »)" in output
    assert "une seule fois" in output


def test_the_printed_link_sets_the_password_once(client, settings):
    settings.SITE_URL = "http://testserver"
    output = create("equipe@example.org", "--role", "equipe")
    path = link_path(output)
    set_password_url = client.get(path)["Location"]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="equipe@example.org")
    assert user.check_password(NEW_PASSWORD)
    # Then the team member signs in with it; the link is spent.
    response = client.post(
        "/compte/connexion/", {"username": "equipe@example.org", "password": NEW_PASSWORD}
    )
    assert response["Location"] == "/compte/"
    client.logout()
    assert "Ce lien ne fonctionne plus" in client.get(path, follow=True).content.decode()


def test_the_base_url_comes_from_the_settings_or_the_option(settings):
    settings.SITE_URL = "https://projet.example.org"
    assert "https://projet.example.org/compte/mot-de-passe-oublie/" in create(
        "a@example.org", "--role", "elu"
    )
    assert "https://autre.example.org/compte/" in create(
        "b@example.org", "--role", "elu", "--base-url", "https://autre.example.org/"
    )


def test_an_existing_address_is_refused():
    create("elue@example.org", "--role", "elu")
    with pytest.raises(CommandError, match="Un compte existe déjà"):
        create("ELUE@example.org", "--role", "admin")
    assert get_user_model().objects.count() == 1


def test_bad_input_is_refused_and_creates_nothing():
    with pytest.raises(CommandError, match="Adresse électronique invalide"):
        create("pas-une-adresse", "--role", "elu")
    with pytest.raises(CommandError):
        create("x@example.org", "--role", "maire")
    with pytest.raises(CommandError):
        create("x@example.org")
    assert not get_user_model().objects.exists()


def test_no_password_is_taken_on_the_command_line():
    with pytest.raises(CommandError):
        create("x@example.org", "--role", "elu", "--password", "secret")
