"""Every page: a meaningful <title>, a meta description, a canonical link and Open Graph
tags; a chantier with a cover shares its image."""

import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from PIL import Image

from tests.diagnostic.factories import revenue_diagnostic
from tests.factories import ChantierFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def head(html):
    """The <head>'s title, meta description, canonical and og:/twitter: values."""
    part = html.split("</head>", 1)[0]
    tags = {"title": unescape(re.search(r"<title>(.*?)</title>", part, re.S).group(1))}
    for name, value in re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', part):
        tags.setdefault(name, unescape(value))
    canonical = re.search(r'<link rel="canonical" href="([^"]*)"', part)
    tags["canonical"] = canonical.group(1) if canonical else None
    return tags


def page_head(client, path, **kwargs):
    response = client.get(path, **kwargs)
    assert response.status_code == 200, path
    return head(response.content.decode())


def jpeg(width=1600, height=900):
    out = io.BytesIO()
    Image.new("RGB", (width, height), "darkgreen").save(out, "JPEG")
    return SimpleUploadedFile("couverture.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def pages():
    chantier = ChantierFactory(
        title="Mobilisation de l'épargne locale",
        slug="epargne",
        summary="Mobiliser l'épargne du territoire pour des projets locaux.",
    )
    MeetingFactory(title="Intersession de mars", slug="mars", chantier=chantier)
    revenue_diagnostic(2019)
    return [
        "/",
        "/chantiers/",
        "/chantiers/epargne/",
        "/equipe/",
        "/agenda/",
        "/agenda/mars/",
        "/documents/",
        "/diagnostic/",
        "/indicateurs/",
        "/recherche/",
        "/donnees/",
        "/mentions-legales/",
        "/accessibilite/",
        "/confidentialite/",
    ]


def test_every_page_has_title_description_canonical_and_open_graph(client, pages):
    titles = set()
    for path in pages:
        tags = page_head(client, path)
        assert tags["title"].endswith(
            "Projet de territoire du PETR Figeac Quercy Vallée de la Dordogne"
        )
        titles.add(tags["title"])
        assert len(tags["description"]) > 50, path
        assert tags["canonical"] == f"http://testserver{path}", path
        assert tags["og:url"] == tags["canonical"], path
        assert tags["og:title"] and tags["og:description"], path
        assert tags["og:type"] in {"website", "article"}, path
        assert tags["og:site_name"] == (
            "Projet de territoire du PETR Figeac Quercy Vallée de la Dordogne"
        )
        assert tags["og:locale"] == "fr_FR"
        assert tags["twitter:card"] in {"summary", "summary_large_image"}
    assert len(titles) == len(pages)  # each page its own title


def test_open_graph_defaults_to_the_page_title_and_description(client):
    tags = page_head(client, "/equipe/")
    assert tags["og:title"] == tags["title"]
    assert tags["og:description"] == tags["description"]


def test_chantier_preview_has_its_title_summary_and_cover(client):
    chantier = ChantierFactory(
        title="Mobilisation de l'épargne locale",
        slug="epargne",
        summary="Mobiliser l'épargne du territoire pour des projets locaux.",
        cover=jpeg(),
        cover_alt="Une halle de marché",
    )
    tags = page_head(client, "/chantiers/epargne/")
    assert tags["og:title"] == "Mobilisation de l'épargne locale"
    assert tags["og:description"] == "Mobiliser l'épargne du territoire pour des projets locaux."
    assert tags["og:type"] == "article"
    chantier.refresh_from_db()
    assert chantier.cover_renditions
    assert tags["og:image"] == f"http://testserver{chantier.cover_src}"
    assert tags["og:image:width"] == str(chantier.cover_size[0])
    assert tags["og:image:height"] == str(chantier.cover_size[1])
    assert tags["og:image:alt"] == "Une halle de marché"
    assert tags["twitter:card"] == "summary_large_image"


def test_chantier_without_cover_has_no_image(client):
    ChantierFactory(slug="c")
    tags = page_head(client, "/chantiers/c/")
    assert "og:image" not in tags and tags["twitter:card"] == "summary"


def test_meeting_preview(client):
    MeetingFactory(title="Intersession de mars", slug="mars")
    tags = page_head(client, "/agenda/mars/")
    assert tags["og:title"] == "Intersession de mars"
    assert tags["og:description"].startswith("Intersession du projet de territoire")


def test_canonical_drops_filters_and_keeps_pages(client):
    assert page_head(client, "/chantiers/", data={"etat": "en_action"})["canonical"] == (
        "http://testserver/chantiers/"
    )
    assert page_head(client, "/agenda/", data={"page": "1"})["canonical"] == (
        "http://testserver/agenda/"
    )
    assert page_head(client, "/documents/", data={"page": "2", "type": "etude"})["canonical"] == (
        "http://testserver/documents/?page=2"
    )
    assert page_head(client, "/recherche/", data={"q": "épargne"})["canonical"] == (
        "http://testserver/recherche/"
    )


def test_absolute_addresses_use_the_site_url_setting(client, settings):
    settings.PORTAL = {**settings.PORTAL, "SITE_URL": "https://projet.petr-fqvd.fr"}
    ChantierFactory(slug="epargne", cover=jpeg())
    tags = page_head(client, "/chantiers/epargne/")
    assert tags["canonical"] == "https://projet.petr-fqvd.fr/chantiers/epargne/"
    assert tags["og:url"] == "https://projet.petr-fqvd.fr/chantiers/epargne/"
    assert tags["og:image"].startswith("https://projet.petr-fqvd.fr/media/")


def test_absolute_url_leaves_absolute_addresses_alone(rf):
    request = rf.get("/", HTTP_HOST="localhost")
    template = Template("{% absolute_url url %}")
    for url, expected in [
        ("/media/a.webp", "http://localhost/media/a.webp"),
        ("https://cdn.example.org/a.webp", "https://cdn.example.org/a.webp"),
        ("//cdn.example.org/a.webp", "http://cdn.example.org/a.webp"),
        ("", ""),
    ]:
        assert template.render(Context({"request": request, "url": url})) == expected


def test_block_text_renders_a_block_of_the_page():
    from django.template import engines

    engine = engines["django"].engine
    parent = engine.from_string(
        "{% block a %}parent{% endblock %}|{% block b %}[{% block_text 'a' %}]{% endblock %}"
    )
    child = engine.from_string(
        "{% extends parent %}{% block a %}enfant+{{ block.super }}{% endblock %}"
    )
    assert child.render(Context({"parent": parent})) == "enfant+parent|[enfant+parent]"
    assert engine.from_string("[{% block_text 'absent' %}]").render(Context()) == "[]"
