"""A designer who changes a template sees the change on the site: the markup of a form's
field and of a list of actions lives in their templates only, with no copy in Python."""

from pathlib import Path

import pytest

from tests.chantiers.factories import ActionFactory
from tests.factories import ChantierFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


@pytest.fixture
def designer(settings, tmp_path):
    """A templates folder searched before the site's, where a designer's copy goes:
    `designer("includes/form_field.html", old, new)` copies the site's template there
    with `old` replaced by `new`."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    settings.PORTAL_PAGE_CACHE_SECONDS = 0

    def change(name, old, new):
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        assert old in source
        copy = tmp_path / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(source.replace(old, new), encoding="utf-8")

    return change


@pytest.fixture
def chantier():
    chantier = ChantierFactory(title="Épargne locale", slug="epargne")
    ActionFactory(chantier=chantier, title="Fermes ouvertes", progress=40)
    ActionFactory(chantier=chantier, title="Carte des circuits")
    return chantier


def test_a_change_to_the_field_template_shows_in_every_form(client, chantier, designer):
    required = '<span class="required">(obligatoire)</span>'
    marked = '<abbr class="required" title="obligatoire">*</abbr>'
    designer("includes/form_field.html", required, marked)
    for url in ("/chantiers/epargne/", "/nous-rejoindre/", "/suivre/", "/compte/connexion/"):
        html = client.get(url).content.decode()
        assert marked in html, url
        assert required not in html, url


def test_a_change_to_the_list_of_actions_shows_on_the_chantier_and_progress_pages(
    client, chantier, designer
):
    designer(
        "chantiers/includes/action_list.html",
        '<li class="action-item',
        '<li data-designed class="action-item',
    )
    html = client.get("/chantiers/epargne/").content.decode()
    assert html.count("<li data-designed") == 2
    html = client.get("/avancement/").content.decode()
    assert html.count("<li data-designed") == 2
