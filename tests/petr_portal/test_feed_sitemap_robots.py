"""/flux.atom, /sitemap.xml and /robots.txt: valid XML with the right entries, no reserved
document anywhere, absolute addresses on PORTAL["SITE_URL"], query budgets."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.utils import timezone

from chantiers.models import Meeting
from diagnostic.models import Document, DocumentKind, Visibility
from petr_portal.sitemaps import PAGES_REVISED_ON
from tests.chantiers import dataset
from tests.diagnostic.factories import DocumentFactory
from tests.factories import ChantierFactory, MeetingFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def atom(client, **kwargs):
    response = client.get("/flux.atom", **kwargs)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(feed):
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "id": entry.findtext(f"{ATOM}id"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "published": entry.findtext(f"{ATOM}published"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "summary": entry.findtext(f"{ATOM}summary"),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


# ---------------------------------------------------------------------------
# Atom


def test_feed_is_valid_atom_with_meetings_minutes_and_public_documents(client):
    chantier = ChantierFactory(title="Épargne locale", slug="epargne")
    MeetingFactory(title="Intersession d'avril", slug="avril", chantier=chantier)
    held = MeetingFactory(
        title="Intersession de mars",
        slug="mars",
        chantier=chantier,
        starts_at=timezone.now() - timedelta(days=3),
    )
    held.minutes = "Nous avons parlé de **l'épargne** <script>x</script>."
    held.save()
    DocumentFactory(title="Étude publique", slug="etude")
    DocumentFactory(title="Note réservée", slug="note", visibility=Visibility.RESERVED)
    DocumentFactory(title="Annoncé sans fichier", slug="sans", file="")

    feed = atom(client)
    assert feed.findtext(f"{ATOM}title").startswith("Actualités du projet de territoire")
    assert feed.findtext(f"{ATOM}id") == "http://testserver/"
    assert feed.find(f"{ATOM}author/{ATOM}name").text == (
        "PETR Figeac Quercy Vallée de la Dordogne"
    )
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/flux.atom"
    assert feed.findtext(f"{ATOM}updated")
    found = entries(feed)
    titles = [entry["title"] for entry in found]
    assert "Intersession\u00a0: Intersession d'avril" in titles
    assert "Intersession\u00a0: Intersession de mars" in titles
    assert "Compte rendu\u00a0: Intersession de mars" in titles
    assert "Document\u00a0: Étude publique" in titles
    assert not any("réservée" in title or "sans fichier" in title for title in titles)
    assert len({entry["id"] for entry in found}) == len(found)  # ids are unique
    minutes = next(entry for entry in found if entry["title"].startswith("Compte rendu"))
    assert minutes["link"] == "http://testserver/agenda/mars/#compte-rendu"
    assert minutes["id"].startswith("tag:petr-fqvd.fr,2026:compte-rendu:")
    # The summary is HTML made from the minutes as plain text: markup never gets through.
    assert "<p>Nous avons parlé de l&#x27;épargne .</p>" in minutes["summary"]
    assert "script" not in minutes["summary"]
    for entry in found:
        assert entry["link"].startswith("http://testserver/")
        assert entry["published"] and entry["updated"]


def test_minutes_are_dated_from_their_first_version_in_the_history(client):
    meeting = MeetingFactory(title="Intersession", slug="i", minutes="")
    meeting.minutes = "Compte rendu."
    meeting.save()
    first = meeting.history.order_by("history_date").last().history_date
    meeting.minutes = "Compte rendu corrigé."
    meeting.save()  # a correction later does not move the publication date
    found = entries(atom(client))
    minutes = next(entry for entry in found if entry["title"].startswith("Compte rendu"))
    assert minutes["published"] == first.isoformat()


def test_the_feed_keeps_the_newest_entries(client):
    chantier = ChantierFactory()
    Meeting.objects.bulk_create(
        Meeting(
            kind="intersession",
            title=f"Réunion {i}",
            slug=f"r-{i}",
            chantier=chantier,
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=2),
        )
        for i in range(50)
    )
    assert len(entries(atom(client))) == 30


def test_every_page_announces_the_feed(client):
    ChantierFactory(slug="c")
    for path in ["/", "/chantiers/", "/chantiers/c/", "/documents/", "/recherche/", "/donnees/"]:
        html = client.get(path).content.decode()
        assert (
            '<link rel="alternate" type="application/atom+xml" '
            'title="Actualités du projet de territoire (Atom)" href="/flux.atom">'
        ) in html, path


def test_feed_addresses_use_the_site_url_setting(client, settings):
    settings.PORTAL = {**settings.PORTAL, "SITE_URL": "https://projet.petr-fqvd.fr"}
    MeetingFactory(slug="r")
    feed = atom(client)
    assert feed.findtext(f"{ATOM}id") == "https://projet.petr-fqvd.fr/"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == (
        "https://projet.petr-fqvd.fr/flux.atom"
    )
    assert entries(feed)[0]["link"] == "https://projet.petr-fqvd.fr/agenda/r/"


# ---------------------------------------------------------------------------
# Sitemap


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    return {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.findall(f"{SITEMAP}url")
    }


def test_sitemap_lists_every_public_page_with_lastmod(client):
    chantier = ChantierFactory(slug="epargne")
    MeetingFactory(slug="avril", chantier=chantier)
    DocumentFactory(slug="etude")
    DocumentFactory(slug="note", visibility=Visibility.RESERVED)
    DocumentFactory(slug="sans-fichier", file="")
    urls = sitemap(client)
    base = "http://testserver"
    for path in [
        "/",
        "/chantiers/",
        "/equipe/",
        "/agenda/",
        "/documents/",
        "/diagnostic/",
        "/indicateurs/",
        "/donnees/",
        "/mentions-legales/",
        "/accessibilite/",
        "/confidentialite/",
        "/chantiers/epargne/",
        "/agenda/avril/",
        "/documents/etude/telecharger/",
    ]:
        assert base + path in urls, path
    assert all(lastmod for lastmod in urls.values())
    assert not any("/note/" in url or "/sans-fichier/" in url for url in urls)
    assert not any(part in url for url in urls for part in ("/admin/", "/compte/", "/recherche/"))
    today = timezone.localdate().isoformat()
    assert urls[base + "/chantiers/epargne/"] == today
    assert urls[base + "/mentions-legales/"] == PAGES_REVISED_ON.isoformat()
    assert urls[base + "/"] == max(today, PAGES_REVISED_ON.isoformat())


def test_sitemap_uses_the_site_url_setting(client, settings):
    settings.PORTAL = {**settings.PORTAL, "SITE_URL": "https://projet.petr-fqvd.fr"}
    ChantierFactory(slug="c")
    urls = sitemap(client)
    assert "https://projet.petr-fqvd.fr/chantiers/c/" in urls
    assert all(url.startswith("https://projet.petr-fqvd.fr/") for url in urls)


def test_sitemap_lastmod_follows_content(client):
    chantier = ChantierFactory(slug="c")
    later = timezone.now() + timedelta(days=400)
    type(chantier).objects.filter(pk=chantier.pk).update(updated_at=later)
    urls = sitemap(client)
    assert urls["http://testserver/chantiers/c/"] == timezone.localdate(later).isoformat()
    assert urls["http://testserver/chantiers/"] == timezone.localdate(later).isoformat()


# ---------------------------------------------------------------------------
# robots.txt


def test_robots_txt_points_to_the_sitemap_and_keeps_private_areas_out(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines and "Disallow: /compte/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert not any(line.strip() == "Disallow: /" for line in lines)
    settings.PORTAL = {**settings.PORTAL, "SITE_URL": "https://projet.petr-fqvd.fr"}
    assert (
        "Sitemap: https://projet.petr-fqvd.fr/sitemap.xml"
        in client.get("/robots.txt").content.decode().splitlines()
    )


# ---------------------------------------------------------------------------
# Query budgets


def _build(chantiers, meetings):
    dataset.build(chantier_count=chantiers, meeting_count=meetings)
    Document.objects.bulk_create(
        Document(
            title=f"Document {i}",
            slug=f"doc-{i}",
            kind=DocumentKind.STUDY,
            file=f"documents/doc-{i}.pdf",
            file_format="pdf",
            published_on=date(2024, 1, 1),
            visibility=Visibility.RESERVED if i % 2 else Visibility.PUBLIC,
        )
        for i in range(meetings // 10)
    )


@pytest.mark.parametrize(
    ("path", "budget"),
    [
        # new meetings, minutes (with their history date), documents, points d'étape
        ("/flux.atom", 4),
        # 7 dates for the pages (the published audit's among them), then count + rows for
        # 4 sections
        ("/sitemap.xml", 15),
        ("/robots.txt", 0),
    ],
)
def test_feed_and_sitemap_budgets_do_not_grow_with_rows(
    client, django_assert_max_num_queries, path, budget
):
    _build(5, 60)
    with django_assert_max_num_queries(budget) as small:
        assert client.get(path).status_code == 200
    Document.objects.all().delete()
    dataset.wipe()
    _build(200, 2000)
    with django_assert_max_num_queries(budget) as large:
        assert client.get(path).status_code == 200
    assert len(small) == len(large)
