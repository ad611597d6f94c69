"""Both Atom feeds, /flux.atom and /documents/flux.atom, parsed as XML and checked element
by element against what RFC 4287 requires of a feed and of its entries (4.1.1, 4.1.2),
of its person constructs (3.2), its dates (3.3) and its identifiers (4.2.6)."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from tests.diagnostic.factories import DocumentFactory
from tests.factories import ChantierFactory, MeetingFactory

pytestmark = pytest.mark.django_db

NS = "{http://www.w3.org/2005/Atom}"
FEEDS = ["/flux.atom", "/documents/flux.atom"]
# RFC 3339's date-time, restricted as RFC 4287 3.3 says: an uppercase T and Z.
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
# RFC 3987: an IRI has a scheme, then no space and no character outside it.
IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


def children(element, name):
    return element.findall(f"{NS}{name}")


def one(errors, where, element, name):
    """The one child `name` of `element`, or None with the error noted."""
    found = children(element, name)
    if len(found) != 1:
        errors.append(f"{where}: {len(found)} atom:{name} (exactly one required)")
        return None
    return found[0]


def check_id(errors, where, element):
    found = one(errors, where, element, "id")
    if found is not None:
        value = found.text or ""
        if not IRI.fullmatch(value):
            errors.append(f"{where}: atom:id {value!r} is not an IRI")
        elif value.startswith(("http:", "https:")) and not urlsplit(value).netloc:
            errors.append(f"{where}: atom:id {value!r} has no host")


def check_updated(errors, where, element):
    found = one(errors, where, element, "updated")
    if found is not None:
        value = found.text or ""
        if not RFC3339.fullmatch(value):
            errors.append(f"{where}: atom:updated {value!r} is not an RFC 3339 date-time")
        else:
            datetime.fromisoformat(value.replace("Z", "+00:00"))  # a real date and time


def check_text(errors, where, element, name):
    found = one(errors, where, element, name)
    if found is not None and found.get("type", "text") not in ("text", "html", "xhtml"):
        errors.append(f"{where}: atom:{name} has type {found.get('type')!r}")
    if found is not None and not (found.text or "").strip():
        errors.append(f"{where}: atom:{name} is empty")


def check_authors(errors, where, element):
    """Each atom:author is a person construct with exactly one non-empty atom:name."""
    for author in children(element, "author"):
        name = one(errors, f"{where} author", author, "name")
        if name is not None and not (name.text or "").strip():
            errors.append(f"{where}: atom:author has an empty atom:name")
    return bool(children(element, "author"))


def alternate_links(element):
    # A link without rel is rel="alternate" (4.2.7.2).
    links = children(element, "link")
    return [link for link in links if link.get("rel", "alternate") == "alternate"]


def rfc4287_errors(feed):
    """What the feed document lacks or gets wrong of RFC 4287's requirements."""
    errors = []
    if feed.tag != f"{NS}feed":
        return [f"root element is {feed.tag}, not atom:feed"]
    check_id(errors, "feed", feed)
    check_text(errors, "feed", feed, "title")
    check_updated(errors, "feed", feed)
    feed_has_author = check_authors(errors, "feed", feed)
    selves = [link for link in children(feed, "link") if link.get("rel") == "self"]
    if len(selves) != 1 or not IRI.fullmatch(selves[0].get("href", "")):
        errors.append("feed: needs one atom:link rel=self with an absolute href")
    alternates = [(link.get("type"), link.get("hreflang")) for link in alternate_links(feed)]
    if len(set(alternates)) != len(alternates):
        errors.append("feed: two rel=alternate links with the same type and hreflang")
    seen = set()
    for index, entry in enumerate(children(feed, "entry")):
        where = f"entry {index + 1}"
        check_id(errors, where, entry)
        check_text(errors, where, entry, "title")
        check_updated(errors, where, entry)
        if not check_authors(errors, where, entry) and not feed_has_author:
            errors.append(f"{where}: no atom:author, and the feed has none either")
        if not children(entry, "content") and not alternate_links(entry):
            errors.append(f"{where}: neither atom:content nor atom:link rel=alternate")
        for link in alternate_links(entry):
            if not IRI.fullmatch(link.get("href", "")):
                errors.append(f"{where}: link href {link.get('href')!r} is not absolute")
        key = (entry.findtext(f"{NS}id"), entry.findtext(f"{NS}updated"))
        if key in seen:
            errors.append(f"{where}: same atom:id and atom:updated as another entry")
        seen.add(key)
    return errors


@pytest.fixture
def content():
    """Meetings, minutes and public documents: entries in both feeds."""
    chantier = ChantierFactory(title="Épargne locale", slug="epargne")
    MeetingFactory(title="Intersession d'avril", chantier=chantier)
    held = MeetingFactory(
        title="Intersession de mars",
        chantier=chantier,
        starts_at=timezone.now() - timedelta(days=3),
    )
    held.minutes = "Nous avons parlé de **l'épargne**."
    held.save()
    DocumentFactory(title="Étude publique", chantier=chantier)
    DocumentFactory(title="Synthèse des ateliers", published_on=None)


@pytest.mark.parametrize("url", FEEDS)
def test_atom_feed_has_every_element_rfc_4287_requires(client, content, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert len(children(feed, "entry")) >= 2
    assert rfc4287_errors(feed) == []


@pytest.mark.parametrize("url", FEEDS)
def test_the_feed_names_its_author(client, content, url):
    feed = ET.fromstring(client.get(url).content)
    assert [a.findtext(f"{NS}name") for a in children(feed, "author")] == [
        "PETR Figeac Quercy Vallée de la Dordogne"
    ]


def test_the_checker_finds_what_is_missing():
    """The checker itself: a feed without author, an entry without id nor link."""
    feed = ET.fromstring(
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>tag:x.fr,2026:f</id>'
        '<updated>2026-05-29T09:00:00+02:00</updated><link rel="self" href="http://x.fr/f"/>'
        "<entry><title>E</title><updated>29/05/2026</updated></entry></feed>"
    )
    assert rfc4287_errors(feed) == [
        "entry 1: 0 atom:id (exactly one required)",
        "entry 1: atom:updated '29/05/2026' is not an RFC 3339 date-time",
        "entry 1: no atom:author, and the feed has none either",
        "entry 1: neither atom:content nor atom:link rel=alternate",
    ]
