"""Helpers of the participation tests: valid posts, and a cache emptied between tests so
that the rate limit of one test never leaks into the next."""

import pytest
from django.core.cache import cache

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def join_data(**overrides):
    data = {
        "name": "Camille Martin",
        "email": "camille.martin@example.org",
        "commune": "Figeac",
        "participation": "ecosysteme",
        "message": "J'aimerais aider à l'organisation des stages.",
        "consent": "on",
        "site_internet": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def registration_data(**overrides):
    data = {
        "name": "Louis Bernard",
        "email": "louis.bernard@example.org",
        "consent": "on",
        "site_internet": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def html_of(response):
    text = response.content.decode().replace("&#x27;", "'").replace("&nbsp;", " ")
    return text.replace("\u00a0", " ")


def post_registration(client, meeting, htmx=False, **overrides):
    extra = HTMX if htmx else {}
    return client.post(meeting.get_register_url(), registration_data(**overrides), **extra)
