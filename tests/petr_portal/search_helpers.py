"""What the search tests share: a title of the real content, the htmx headers of the
two search boxes, and short ways to run a search and read its titles."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from core import search

EPARGNE = "Mobilisation de l'épargne locale pour financer des projets locaux"
HTMX_RESULTS = {"HX-Request": "true", "HX-Target": "search-results"}
HTMX_MAIN = {"HX-Request": "true", "HX-Target": "contenu"}


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def titles(results, kind):
    for group in results.groups:
        if group.kind.key == kind:
            return [re.sub(r"<[^>]+>", "", str(hit.title_html)) for hit in group.hits]
    return []


def run(query, user=None, **kwargs):
    return search.search(query, user or AnonymousUser(), **kwargs)
