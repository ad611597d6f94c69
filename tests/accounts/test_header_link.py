"""« Mon espace » in the header's menu for a signed-in person, never for anyone else, with
the page cache on: a cached anonymous header never reaches a signed-in person, and a
signed-in header is never cached for the anonymous."""

import re

import pytest
from django.core.cache import cache

from tests.accounts.helpers import make_account
from tests.factories import ChantierFactory

pytestmark = pytest.mark.django_db

MENU_LINK = '<a href="/compte/">Mon espace</a>'
PAGES = ["/", "/chantiers/", "/chantiers/agriculture/", "/agenda/", "/documents/"]


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ChantierFactory(slug="agriculture")
    cache.clear()
    yield
    cache.clear()


def menu(response):
    html = response.content.decode()
    return re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)


@pytest.mark.parametrize("path", PAGES)
def test_a_signed_in_person_finds_mon_espace_in_the_menu(client, path, django_assert_num_queries):
    client.get(path)
    # The anonymous page, from the cache: its one query reads the content version.
    with django_assert_num_queries(1):
        assert MENU_LINK not in menu(client.get(path))
    client.force_login(make_account("elu"))
    assert MENU_LINK in menu(client.get(path))
    client.logout()
    with django_assert_num_queries(1):
        assert MENU_LINK not in menu(client.get(path))


@pytest.mark.parametrize("path", PAGES)
def test_a_signed_in_visit_first_is_not_cached_for_the_anonymous(client, path):
    client.force_login(make_account("equipe"))
    assert MENU_LINK in menu(client.get(path))
    assert MENU_LINK in menu(client.get(path))
    client.logout()
    assert MENU_LINK not in menu(client.get(path))


def test_mon_espace_is_the_current_page_on_mon_espace(client):
    client.force_login(make_account("elu"))
    nav = menu(client.get("/compte/"))
    assert '<a href="/compte/" aria-current="page">Mon espace</a>' in nav
