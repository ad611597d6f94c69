"""« Je participe » from a chantier page: a link to it in « Sur cette page », and, without
JavaScript, a refused post answered on the chantier page, errors shown and input kept."""

import re

import pytest

from chantiers.models import Registration
from core.models import FormPostCount
from tests.chantiers.factories import RegistrationFactory
from tests.chantiers.participation import (  # noqa: F401
    HTMX,
    _empty_cache,
    html_of,
    registration_data,
)
from tests.factories import ChantierFactory

pytestmark = pytest.mark.django_db

CHANTIER_URL = "/chantiers/agriculture/"


def title_of(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def post_from(client, meeting, depuis=CHANTIER_URL, extra=None, **overrides):
    data = registration_data(**overrides)
    if depuis is not None:
        data["depuis"] = depuis
    return client.post(meeting.get_register_url(), data, **(extra or {}))


def test_sur_cette_page_links_to_je_participe(client, meeting):
    html = html_of(client.get(CHANTIER_URL))
    nav = html.split('aria-label="Sur cette page"')[1].split("</nav>")[0]
    assert '<a href="#je-participe">Je participe à la prochaine intersession</a>' in nav
    assert 'id="je-participe"' in html


def test_no_link_to_je_participe_without_an_open_intersession(client):
    ChantierFactory(slug="agriculture")
    html = html_of(client.get(CHANTIER_URL))
    assert 'href="#je-participe"' not in html


def test_the_chantier_page_form_says_where_it_was_sent_from(client, meeting):
    chantier_form = html_of(client.get(CHANTIER_URL)).split('id="inscription"')[1]
    assert f'<input type="hidden" name="depuis" value="{CHANTIER_URL}">' in chantier_form
    assert 'name="depuis"' not in html_of(client.get(meeting.get_absolute_url()))


def test_errors_without_javascript_are_shown_on_the_chantier_page(client, meeting):
    response = post_from(client, meeting, name="", email="louis@example")
    assert response.status_code == 200
    html = html_of(response)
    assert "<h1>Dessine-moi ton agriculture !</h1>" in html
    assert title_of(html).startswith("Erreur – Dessine-moi ton agriculture ! – Chantiers")
    box = html.split('id="je-participe"')[1].split("</section>")[0]
    assert 'class="error-summary"' in box
    assert 'value="louis@example"' in box
    assert "checked" in re.search(r'<input type="checkbox" name="consent"[^>]*>', box).group(0)
    # Sent again from there, it still comes back there.
    assert f'name="depuis" value="{CHANTIER_URL}"' in box
    # The rest of the chantier page is there too.
    assert 'id="rejoindre-formulaire"' in html and 'id="passees"' in html
    assert not Registration.objects.exists()


def test_a_full_meeting_offers_its_waiting_list_from_the_chantier_page(client, meeting):
    RegistrationFactory.create_batch(3, meeting=meeting)
    html = html_of(client.get(CHANTIER_URL))
    box = html.split('id="je-participe"')[1].split("</section>")[0]
    assert "M'inscrire sur la liste d'attente" in box
    response = post_from(client, meeting, email="tard@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/agenda/printemps/inscription/merci/"
    assert Registration.objects.get(email="tard@example.org").is_waiting
    assert Registration.objects.seated().count() == 3


def test_a_refused_post_is_explained_on_the_chantier_page(client, meeting):
    response = post_from(client, meeting, site_internet="x")
    assert response.status_code == 400
    html = html_of(response)
    assert title_of(html).startswith("Envoi refusé – Dessine-moi ton agriculture !")
    box = html.split('id="je-participe"')[1].split("</section>")[0]
    assert "Envoi refusé" in box and 'value="Louis Bernard"' in box
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "depuis",
    [None, "", "https://exemple.invalid/chantiers/agriculture/", "/chantiers/autre/", "//x"],
)
def test_any_other_origin_gets_the_meeting_page(client, meeting, depuis):
    ChantierFactory(slug="autre")
    html = html_of(post_from(client, meeting, depuis=depuis, name=""))
    assert "<h1>Intersession de printemps</h1>" in html
    assert 'class="error-summary"' in html


def test_htmx_gets_the_box_only_whatever_the_origin(client, meeting):
    html = html_of(post_from(client, meeting, extra=HTMX, name=""))
    assert "<h1>" not in html and 'class="error-summary"' in html


def test_a_valid_registration_from_the_chantier_page_still_says_thanks(client, meeting):
    response = post_from(client, meeting)
    assert response.status_code == 302
    assert response["Location"] == "/agenda/printemps/inscription/merci/"
    assert Registration.objects.count() == 1


def test_the_chantier_page_with_errors_keeps_its_query_budget(
    client, meeting, django_assert_max_num_queries
):
    counts = []
    for extra_registrations in (0, 2):
        RegistrationFactory.create_batch(extra_registrations, meeting=meeting)
        # + the chantier's actions and its latest point d'étape, and the post counted for
        # the rate limit (two statements on a window's first post, as each is here)
        FormPostCount.objects.all().delete()
        with django_assert_max_num_queries(12) as captured:
            response = post_from(client, meeting, name="")
        assert "<h1>Dessine-moi ton agriculture !</h1>" in html_of(response)
        counts.append(len(captured))
    assert counts[0] == counts[1]
