"""What the tests of the public pages share: htmx's header, a page's text as read, and
meetings a few days in the past or to come."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import MeetingFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def html_of(response):
    text = response.content.decode().replace("&#x27;", "'").replace("&nbsp;", " ")
    return text.replace("\u00a0", " ")


def past(days, **kwargs):
    starts_at = timezone.now() - timedelta(days=days)
    return MeetingFactory(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), **kwargs)


def soon(days, **kwargs):
    starts_at = timezone.now() + timedelta(days=days)
    return MeetingFactory(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), **kwargs)
