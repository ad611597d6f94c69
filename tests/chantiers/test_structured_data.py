"""schema.org in JSON-LD: each meeting page's Event, the home page's Organization and
/agenda.json, parsed (json, then rdflib's JSON-LD parser) and checked field by field."""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from chantiers.models import AttendanceMode, MeetingStatus, RegistrationStatus
from tests.chantiers.factories import OpenIntersessionFactory, RegistrationFactory
from tests.factories import ChantierFactory, MeetingFactory, SessionFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
SCHEMA = Namespace("https://schema.org/")
LD_SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def json_ld(response):
    assert response.status_code == 200
    [text] = LD_SCRIPT.findall(response.content.decode())
    return json.loads(text)


def graph(data):
    """The data read as RDF by rdflib, schema.org's context given inline (no network)."""
    document = {**data, "@context": {"@vocab": "https://schema.org/"}}
    return Graph().parse(data=json.dumps(document), format="json-ld")


@pytest.fixture
def winter_evening():
    starts_at = datetime(2031, 1, 14, 18, 30, tzinfo=PARIS)
    chantier = ChantierFactory(title="Épargne locale", slug="epargne")
    return OpenIntersessionFactory(
        chantier=chantier,
        title="Intersession d'hiver",
        slug="hiver",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2, minutes=30),
        place_name="Salle des fêtes",
        place_address="2 place Carnot",
        place_commune="Figeac",
        agenda="- **Accueil**\n- Ateliers",
        capacity=20,
        step_free_access=True,
        accessibility_notes="Parking devant la salle.",
    )


def test_a_meeting_page_carries_its_event_field_by_field(client, winter_evening):
    RegistrationFactory.create_batch(5, meeting=winter_evening)
    data = json_ld(client.get("/agenda/hiver/"))
    organizer = data.pop("organizer")
    assert data == {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": "http://testserver/agenda/hiver/#evenement",
        "name": "Intersession d'hiver",
        "url": "http://testserver/agenda/hiver/",
        "startDate": "2031-01-14T18:30:00+01:00",
        "endDate": "2031-01-14T21:00:00+01:00",
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": "Salle des fêtes",
            "address": {
                "@type": "PostalAddress",
                "addressCountry": "FR",
                "streetAddress": "2 place Carnot",
                "addressLocality": "Figeac",
            },
            "amenityFeature": [
                {
                    "@type": "LocationFeatureSpecification",
                    "name": "Accès de plain-pied",
                    "value": True,
                }
            ],
            "description": "Parking devant la salle.",
        },
        "inLanguage": "fr",
        "isAccessibleForFree": True,
        "description": "- Accueil\n- Ateliers",
        "offers": {
            "@type": "Offer",
            "price": 0,
            "priceCurrency": "EUR",
            "url": "http://testserver/agenda/hiver/#je-participe",
            "availability": "https://schema.org/InStock",
            "validThrough": "2031-01-14T18:30:00+01:00",
        },
        "maximumAttendeeCapacity": 20,
        "remainingAttendeeCapacity": 15,
    }
    assert organizer == {
        "@type": "Organization",
        "@id": "http://testserver/#organisation",
        "name": "PETR Figeac Quercy Vallée de la Dordogne",
        "url": "http://testserver/",
        "email": "developpement@petr-fqvd.fr",
        "telephone": "+33 5 65 14 08 69",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "Figeac",
            "addressCountry": "FR",
        },
        "identifier": {"@type": "PropertyValue", "propertyID": "SIREN", "value": "200052397"},
    }


def test_rdflib_reads_the_event_and_its_organizer(client, winter_evening):
    rdf = graph(json_ld(client.get("/agenda/hiver/")))
    event = URIRef("http://testserver/agenda/hiver/#evenement")
    assert (event, RDF.type, SCHEMA.Event) in rdf
    assert str(rdf.value(event, SCHEMA.startDate)) == "2031-01-14T18:30:00+01:00"
    organizer = rdf.value(event, SCHEMA.organizer)
    assert str(rdf.value(organizer, SCHEMA.name)) == "PETR Figeac Quercy Vallée de la Dordogne"
    place = rdf.value(event, SCHEMA.location)
    address = rdf.value(place, SCHEMA.address)
    assert str(rdf.value(address, SCHEMA.addressLocality)) == "Figeac"


def test_summer_time_has_its_offset(client):
    starts_at = datetime(2031, 7, 8, 18, 30, tzinfo=PARIS)
    MeetingFactory(slug="ete", starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    data = json_ld(client.get("/agenda/ete/"))
    assert (data["startDate"], data["endDate"]) == (
        "2031-07-08T18:30:00+02:00",
        "2031-07-08T20:30:00+02:00",
    )
    assert "offers" not in data  # no registration


def test_statuses_cancelled_postponed_and_rescheduled(client):
    cancelled = MeetingFactory(slug="annulee", status=MeetingStatus.CANCELLED)
    postponed = MeetingFactory(slug="reportee", status=MeetingStatus.POSTPONED)
    moved = OpenIntersessionFactory(slug="deplacee", status=MeetingStatus.POSTPONED)
    new_date = OpenIntersessionFactory(
        slug="nouvelle-date",
        chantier=moved.chantier,
        starts_at=moved.starts_at + timedelta(weeks=2),
        ends_at=moved.ends_at + timedelta(weeks=2),
    )
    moved.rescheduled_to = new_date
    moved.save()
    status = {
        m.slug: json_ld(client.get(m.get_absolute_url()))
        for m in (cancelled, postponed, moved, new_date)
    }
    assert status["annulee"]["eventStatus"] == "https://schema.org/EventCancelled"
    assert status["reportee"]["eventStatus"] == "https://schema.org/EventPostponed"
    assert status["deplacee"]["eventStatus"] == "https://schema.org/EventRescheduled"
    assert "offers" not in status["deplacee"]  # registration closed there
    assert status["nouvelle-date"]["eventStatus"] == "https://schema.org/EventRescheduled"
    assert status["nouvelle-date"]["previousStartDate"] == (
        moved.starts_at.astimezone(PARIS).replace(microsecond=0).isoformat()
    )


def test_online_and_hybrid_locations(client):
    online = MeetingFactory(
        slug="en-ligne",
        attendance_mode=AttendanceMode.ONLINE,
        video_url="https://visio.example.org/cache",
    )
    hybrid = MeetingFactory(
        slug="hybride",
        attendance_mode=AttendanceMode.MIXED,
        video_url="https://visio.example.org/publique",
        video_url_public=True,
    )
    data = json_ld(client.get("/agenda/en-ligne/"))
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    # The link is not published: the page where registrants learn it stands for it.
    assert data["location"] == {
        "@type": "VirtualLocation",
        "url": "http://testserver/agenda/en-ligne/",
    }
    data = json_ld(client.get(hybrid.get_absolute_url()))
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    place, virtual = data["location"]
    assert place["@type"] == "Place" and place["address"]["addressLocality"] == "Figeac"
    assert virtual == {"@type": "VirtualLocation", "url": "https://visio.example.org/publique"}
    assert online.pk


def test_a_full_meeting_offers_no_more_seats(client):
    meeting = OpenIntersessionFactory(slug="pleine", capacity=2)
    RegistrationFactory.create_batch(2, meeting=meeting)
    RegistrationFactory(meeting=meeting, status=RegistrationStatus.WAITING)
    data = json_ld(client.get("/agenda/pleine/"))
    assert data["offers"]["availability"] == "https://schema.org/SoldOut"
    assert data["remainingAttendeeCapacity"] == 0


def test_nothing_typed_by_the_team_can_close_the_script(client):
    MeetingFactory(slug="piege", title="</script><script>alert(1)</script> & <!--")
    html = client.get("/agenda/piege/").content.decode()
    [text] = LD_SCRIPT.findall(html)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & <!--"


def test_the_home_page_carries_the_organization(client):
    data = json_ld(client.get("/"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization"
    assert data["name"] == "PETR Figeac Quercy Vallée de la Dordogne"
    assert data["identifier"]["value"] == "200052397"
    # The street address is unknown (a setting): nothing is invented.
    assert "streetAddress" not in data["address"]


def test_a_street_address_set_by_the_team_is_given(client, settings):
    settings.PORTAL = {**settings.PORTAL, "STREET_ADDRESS": "1 rue de l'Exemple"}
    data = json_ld(client.get("/"))
    assert data["address"]["streetAddress"] == "1 rue de l'Exemple"


# ---- /agenda.json ----


def test_agenda_json_lists_the_events_of_the_feed_window(client, winter_evening):
    SessionFactory(slug="session", status=MeetingStatus.CANCELLED)
    old = MeetingFactory(
        slug="ancienne",
        starts_at=datetime(2001, 3, 1, 18, tzinfo=PARIS),
        ends_at=datetime(2001, 3, 1, 20, tzinfo=PARIS),
    )
    response = client.get("/agenda.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "DataFeed"
    assert data["url"] == "http://testserver/agenda/"
    assert data["license"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    assert data["publisher"]["@id"] == "http://testserver/#organisation"
    events = {e["url"]: e for e in data["dataFeedElement"]}
    assert set(events) == {
        "http://testserver/agenda/session/",
        "http://testserver/agenda/hiver/",
    }, "the feed's window: the last year and what is to come"
    assert old.slug not in json.dumps(data)
    # The same fields as the page, with the organiser given once.
    page = json_ld(client.get("/agenda/hiver/"))
    page.pop("@context")
    page["organizer"] = {"@id": page["organizer"]["@id"]}
    assert events["http://testserver/agenda/hiver/"] == page
    assert events["http://testserver/agenda/session/"]["eventStatus"] == (
        "https://schema.org/EventCancelled"
    )
    rdf = graph(data)
    assert len(list(rdf.subjects(RDF.type, SCHEMA.Event))) == 2


def test_agenda_json_answers_head_like_get():
    MeetingFactory()
    client = Client()
    get, head = client.get("/agenda.json"), client.head("/agenda.json")
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == get["Content-Type"]
    assert head["Content-Length"] == str(len(get.content))


def test_agenda_json_is_listed_on_the_open_data_page(client):
    html = client.get("/donnees/").content.decode()
    assert '<a href="/agenda.json"><code>agenda.json</code></a>' in html


def test_agenda_json_query_count_does_not_grow(client, django_assert_max_num_queries):
    def measure():
        with django_assert_max_num_queries(3) as captured:
            assert client.get("/agenda.json").status_code == 200
        return len(captured)

    OpenIntersessionFactory.create_batch(2)
    small = measure()
    for meeting in OpenIntersessionFactory.create_batch(30):
        RegistrationFactory(meeting=meeting)
    assert measure() == small
