"""Fixtures of the tests of following a chantier by email: the site's address in the
emails' links, the chantier followed, the team's signed-in client."""

import pytest

from tests.accounts.helpers import make_account
from tests.factories import ChantierFactory


@pytest.fixture(autouse=True)
def _site(settings):
    settings.PORTAL = {**settings.PORTAL, "SITE_URL": "http://testserver"}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def chantier():
    return ChantierFactory(title="Dessine-moi ton agriculture !", slug="agriculture")


@pytest.fixture
def team_client():
    """The team's own browser, beside `client`, the resident's."""
    from django.test import Client

    team = Client()
    team.force_login(make_account("equipe"))
    return team
