"""Property-based tests of the site's forms (tests/security/forms.py).

The sign-in form (/compte/connexion/, issue 4) and the join form (/nous-rejoindre/,
issue 6) are tested as soon as their pages exist; POST forms found on any public page
(registrations on meeting pages...) are tested too, without a line to add here.
"""

import pytest
from django.test import Client

from tests.security.forms import assert_form_survives_random_input, post_forms
from tests.security.routes import public_urls

pytestmark = pytest.mark.django_db(transaction=False)

KNOWN_FORM_PAGES = ["/compte/connexion/", "/nous-rejoindre/"]


def test_the_sign_in_survives_random_input_and_never_signs_in(sample_content, settings):
    # The admin's own sign-in page sends people to this one. Throttling (django-axes) is
    # off here: it would lock the fuzzer out after five tries and record them, which its
    # own tests cover (tests/accounts).
    settings.AXES_ENABLED = False
    form = assert_form_survives_random_input(
        "/compte/connexion/?next=/admin/", max_examples=40, success_statuses=()
    )
    assert {"username", "password"} <= set(form.fields)


@pytest.mark.parametrize("path", KNOWN_FORM_PAGES)
def test_known_forms_survive_random_input(sample_content, settings, path):
    # Throttling and rate limits have their own tests; here they would stop the fuzzer.
    settings.AXES_ENABLED = False
    settings.PORTAL_FORM_RATE_LIMIT = 0
    assert_form_survives_random_input(path, max_examples=40)


def test_every_post_form_on_a_public_page_survives_random_input(sample_content, settings):
    settings.PORTAL_FORM_RATE_LIMIT = 0
    settings.AXES_ENABLED = False
    tested = []
    for url in public_urls(sample_content).values():
        response = Client().get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        for index, _ in enumerate(post_forms(response.content.decode(), url)):
            assert_form_survives_random_input(url, max_examples=20, index=index)
            tested.append((url, index))
    # The join form, on its own page and on every chantier page, at least.
    assert ("/nous-rejoindre/", 0) in tested
    assert any(url.startswith("/chantiers/") for url, _ in tested)


def test_post_forms_are_found_with_their_fields():
    html = """<form method="post" action="/envoi/"><input type="hidden" name="csrfmiddlewaretoken"
    value="t"><input name="nom"><select name="chantier"><option value="">--</option>
    <option value="a">A</option></select><textarea name="message"></textarea>
    <input type="checkbox" name="accord" value="oui"><button>Envoyer</button></form>
    <form method="get"><input name="q"></form>"""
    (form,) = post_forms(html, "/page/")
    assert form.action == "/envoi/"
    assert form.hidden == {"csrfmiddlewaretoken": "t"}
    assert form.fields == {"nom": None, "chantier": ["", "a"], "message": None, "accord": ["oui"]}
