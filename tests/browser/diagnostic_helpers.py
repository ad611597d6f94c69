"""Helpers for the documents, diagnostic and indicators browser tests."""

from django.conf import settings
from django.test import Client


def sign_in(page, live_server, user):
    """Give the browser a signed-in session for `user`.

    The sign-in page (/compte/connexion/) comes with the accounts work; until then the
    session cookie made by Client.force_login stands in for typing the password.
    """
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def horizontal_overflow(page):
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
