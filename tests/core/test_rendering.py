"""core.pagination and core.rendering: the page number and the page-or-fragment answer."""

import pytest
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from core.pagination import MAX_PAGE, page_number
from core.rendering import render_page


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 1),
        ("", 1),
        ("abc", 1),
        ("2.5", 1),
        ("0", 1),
        ("-3", 1),
        ("7", 7),
        ("99999", MAX_PAGE),
    ],
)
def test_page_number_reads_odd_values_as_a_page_in_range(value, expected):
    assert page_number(value) == expected


def test_page_number_caps_at_the_given_maximum():
    assert page_number("12", maximum=5) == 5


def _request(htmx, query=""):
    headers = {"HX-Request": "true"} if htmx else {}
    request = RequestFactory().get(f"/agenda/?{query}", headers=headers)
    request.htmx = HtmxDetails(request)
    return request


@pytest.mark.django_db
def test_render_page_answers_the_whole_page_without_htmx():
    response = render_page(_request(False), "chantiers/join_done.html", {}, "no_such_fragment")
    assert b"<html" in response.content
    assert response["Vary"] == "HX-Request"
    assert "HX-Push-Url" not in response


@pytest.mark.django_db
def test_render_page_answers_the_fragment_and_pushes_a_short_url_for_htmx():
    request = _request(True, "type=&chantier=mobilite")
    response = render_page(
        request,
        "chantiers/join.html",
        {"form": None},
        "join_region",
        push_url=True,
        status=422,
        vary=("HX-Target",),
    )
    assert response.status_code == 422
    assert b"<html" not in response.content
    assert response["Vary"] == "HX-Request, HX-Target"
    assert response["HX-Push-Url"] == "/agenda/?chantier=mobilite"
