"""slug_url gives what reverse() gives, for every address made of a slug."""

import pytest
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from core.links import slug_url

NAMES = [
    "chantiers:chantier_detail",
    "chantiers:chantier_ics",
    "chantiers:meeting_detail",
    "chantiers:meeting_ics",
    "chantiers:meeting_register",
    "diagnostic:document_download",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("slug", ["epargne-locale", "a", "2019-01-18-session", "x_y-Z9"])
def test_same_address_as_reverse(name, slug):
    assert slug_url(name, slug) == reverse(name, args=[slug])
    assert slug in slug_url(name, slug)


def test_odd_slugs_go_through_reverse():
    # reverse() refuses what the <slug:> pattern refuses, and so does slug_url.
    with pytest.raises(Exception, match="Reverse"):
        slug_url("chantiers:chantier_detail", "é t/é")


def test_the_script_prefix_is_followed():
    try:
        set_script_prefix("/portail/")
        assert slug_url("chantiers:meeting_detail", "m-1") == "/portail/agenda/m-1/"
        assert reverse("chantiers:meeting_detail", args=["m-1"]) == "/portail/agenda/m-1/"
    finally:
        set_script_prefix("/")
    assert slug_url("chantiers:meeting_detail", "m-1") == "/agenda/m-1/"


@override_settings(ROOT_URLCONF="tests.chantiers.other_urls")
def test_another_urlconf_is_followed():
    assert slug_url("chantiers:chantier_detail", "c") == "/ailleurs/c/"
