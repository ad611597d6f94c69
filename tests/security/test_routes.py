"""The list of public URLs the bad-input tests use is the whole URL conf."""

import pytest
from django.urls import get_resolver

from tests.security.checks import assert_sane
from tests.security.routes import SAMPLES, named_routes, public_urls

pytestmark = pytest.mark.django_db


def test_every_named_route_has_a_sample_url(sample_content):
    urls = public_urls(sample_content)
    assert set(urls) == {name for name, _ in named_routes()}
    # The pages the issue names are there.
    for path in ("/", "/chantiers/", "/agenda/", "/documents/", "/diagnostic/", "/indicateurs/"):
        assert path in urls.values()


def test_samples_name_only_existing_routes():
    assert set(SAMPLES) <= {name for name, _ in named_routes()}


def test_the_admin_is_left_to_its_own_tests():
    assert not any(name.startswith("admin:") for name, _ in named_routes())
    assert any(p.pattern.regex.pattern.startswith("^admin/") for p in get_resolver().url_patterns)


def test_every_public_url_answers_a_visitor(client, sample_content, unchanged_database):
    with unchanged_database():
        for name, url in public_urls(sample_content).items():
            response = client.get(url)
            assert_sane(response, url)
            # The sample cancel and follow links carry an unknown token: a calm 404.
            # Sign-out is POST only (405 to a GET).
            unknown_token = (200, 302, 404)
            allowed = {
                "chantiers:registration_cancel": unknown_token,
                "chantiers:follow_confirm": unknown_token,
                "chantiers:follow_manage": unknown_token,
                "chantiers:follow_unsubscribe": unknown_token,
            }.get(name, (200, 302, 405) if name == "accounts:logout" else (200, 302))
            assert response.status_code in allowed, (name, url, response.status_code)
            if response.status_code == 302:
                # Pages reserved to people who sign in redirect to the sign-in page; the
                # registration endpoint (a POST target) sends a GET back to its meeting;
                # the report's PDF without a period, to the last twelve months'.
                meeting_page = url.removesuffix("inscription/")
                assert response["Location"].startswith(
                    ("/compte/connexion/", f"{meeting_page}#", f"{url}?du=")
                ), (name, url)
