"""The page cache on the real public pages: what is cached, and how a change shows at once."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chantiers.models import (
    Chantier,
    EcosystemMembership,
    Intersession,
    JoinRequest,
    Meeting,
    Partner,
    Registration,
    Session,
    TeamMember,
)
from core import cache as page_cache_module
from core.cache import CSRF_PLACEHOLDER, content_version, watch_content_models
from diagnostic.models import Document, GlossaryEntry, Visibility
from petr_portal.apps import CONTENT_APPS, NOT_PUBLIC_MODELS
from tests.chantiers.participation import join_data, registration_data
from tests.diagnostic.factories import DocumentFactory, elu
from tests.factories import (
    ActorFactory,
    ChantierFactory,
    MeetingFactory,
    SessionFactory,
    TeamMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    chantier = ChantierFactory(title="Dessine-moi ton agriculture !", slug="agriculture")
    meeting = MeetingFactory(chantier=chantier, title="Intersession de printemps")
    member = TeamMemberFactory(name="Camille Martin")
    member.coordinated_chantiers.add(chantier)
    document = DocumentFactory(title="Diagnostic public", slug="diagnostic-public")
    reserved = DocumentFactory(
        title="Note réservée aux élus", slug="note-reservee", visibility=Visibility.RESERVED
    )
    return {
        "chantier": chantier,
        "meeting": meeting,
        "member": member,
        "document": document,
        "reserved": reserved,
    }


CACHED_PATHS = [
    "/",
    "/chantiers/",
    "/chantiers/?etat=en_action",
    "/chantiers/agriculture/agenda.ics",
    "/equipe/",
    "/agenda/",
    "/agenda/?type=intersession&page=1",
    "/agenda.ics",
    "/agenda/{meeting}/",
    "/agenda/{meeting}/evenement.ics",
    "/documents/",
    "/documents/?type=etude",
    "/diagnostic/",
    "/indicateurs/",
]


@pytest.mark.parametrize("path", CACHED_PATHS)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_anonymous_public_pages_are_served_from_the_cache(
    client, page_cache, content, path, htmx, django_assert_num_queries
):
    path = path.format(meeting=content["meeting"].slug)
    headers = {"HX-Request": "true"} if htmx else {}
    first = client.get(path, headers=headers)
    assert first.status_code == 200
    # One query: the content version that every process shares.
    with django_assert_num_queries(1):
        second = client.get(path, headers=headers)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def token_in(response):
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content)[1].decode()


@pytest.mark.parametrize(
    "path", ["/chantiers/agriculture/", "/nous-rejoindre/", "/nous-rejoindre/?chantier=agriculture"]
)
def test_a_page_with_a_form_is_cached_without_anyones_token(client, page_cache, content, path):
    # The chantier page carries the join form: it is cached with a placeholder where the
    # token goes, and each visitor gets their own token (and cookie) when it is served.
    first = client.get(path)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(path)
    assert len(queries) == 1, "the page was not served from the cache"
    other_visitor = Client()
    third = other_visitor.get(path)
    tokens = {token_in(r) for r in (first, second, third)}
    assert CSRF_PLACEHOLDER not in "".join(tokens)
    assert all(len(token) == 64 for token in tokens)
    assert client.cookies["csrftoken"].value != other_visitor.cookies["csrftoken"].value
    # What the cache holds has no visitor's token, only the placeholder.
    request = RequestFactory().get(path)
    base_key = page_cache_module._base_key(request, content_version())
    stored = cache.get(page_cache_module._page_key(base_key, request, cache.get(base_key)))
    assert CSRF_PLACEHOLDER.encode() in stored.content
    assert not any(token.encode() in stored.content for token in tokens)


def test_a_form_from_a_cached_page_posts_with_its_visitors_token(page_cache, content):
    Client().get("/chantiers/agriculture/")  # someone else fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/chantiers/agriculture/")
    data = join_data(chantiers=["agriculture"], csrfmiddlewaretoken=token_in(page))
    response = visitor.post("/nous-rejoindre/", data)
    assert response.status_code == 302
    assert JoinRequest.objects.get().email == data["email"]
    # Without the token, the same post is refused and nothing is kept.
    del data["csrfmiddlewaretoken"]
    assert Client(enforce_csrf_checks=True).post("/nous-rejoindre/", data).status_code == 403
    assert JoinRequest.objects.count() == 1


def test_the_registration_box_of_a_cached_meeting_page_takes_the_visitors_token(
    page_cache, content
):
    meeting = content["meeting"]
    meeting.registration_open = True
    meeting.capacity = 20
    meeting.save()
    Client().get(meeting.get_absolute_url())
    visitor = Client(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as queries:
        page = visitor.get(meeting.get_absolute_url())
    assert len(queries) == 1
    data = registration_data(csrfmiddlewaretoken=token_in(page))
    response = visitor.post(meeting.get_absolute_url() + "inscription/", data)
    assert response.status_code == 302, response.status_code
    assert response["Location"] == meeting.get_absolute_url() + "inscription/merci/"
    assert Registration.objects.filter(meeting=meeting).count() == 1


@pytest.mark.parametrize("path", ["/chantiers/?etat=en_action", "/agenda/", "/documents/"])
def test_page_and_htmx_fragment_are_cached_apart(client, page_cache, content, path):
    page = client.get(path)
    fragment = client.get(path, headers={"HX-Request": "true"})
    assert "HX-Request" in page["Vary"] and "HX-Request" in fragment["Vary"]
    assert b"<html" in page.content
    assert b"<html" not in fragment.content
    # Each from the cache, neither in place of the other.
    assert client.get(path, headers={"HX-Request": "true"}).content == fragment.content
    assert client.get(path).content == page.content


def test_a_chantier_change_shows_on_the_next_anonymous_request(client, page_cache, content):
    chantier = content["chantier"]
    paths = ["/", "/chantiers/", "/chantiers/agriculture/", "/agenda/", "/equipe/"]
    for path in paths:
        assert "Dessine-moi ton agriculture" in client.get(path).content.decode()
    chantier.title = "Agriculture de demain"
    chantier.save()
    for path in paths:
        html = client.get(path).content.decode()
        assert "Agriculture de demain" in html, path
        assert "Dessine-moi ton agriculture" not in html, path


def test_a_new_meeting_through_a_proxy_model_shows_in_the_agenda(client, page_cache, content):
    assert "Journée immersive des chantiers" not in client.get("/agenda/").content.decode()
    Session.objects.create(
        title="Journée immersive des chantiers",
        slug="journee-immersive",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=8),
    )
    assert "Journée immersive des chantiers" in client.get("/agenda/").content.decode()
    assert "Journée immersive des chantiers" in client.get("/agenda.ics").content.decode()


def test_a_deleted_meeting_leaves_the_cached_pages(client, page_cache, content):
    meeting = content["meeting"]
    assert meeting.title in client.get("/agenda/").content.decode()
    assert client.get(f"/agenda/{meeting.slug}/").status_code == 200
    meeting.delete()
    assert meeting.title not in client.get("/agenda/").content.decode()
    assert client.get(f"/agenda/{meeting.slug}/").status_code == 404


def test_many_to_many_changes_show_too(client, page_cache, content):
    chantier, member = content["chantier"], content["member"]
    session = SessionFactory(title="Session des chantiers")
    assert client.get("/equipe/").status_code == 200
    first = client.get(f"/chantiers/{chantier.slug}/").content.decode()
    assert "Session des chantiers" not in first
    session.chantiers.add(chantier)
    assert "Session des chantiers" in client.get(f"/chantiers/{chantier.slug}/").content.decode()
    before = client.get("/equipe/").content
    member.coordinated_chantiers.clear()
    assert client.get("/equipe/").content != before


def test_a_new_actor_in_an_ecosystem_shows_on_the_chantier_page(client, page_cache, content):
    chantier = content["chantier"]
    assert "Ferme du Causse" not in client.get(f"/chantiers/{chantier.slug}/").content.decode()
    EcosystemMembership.objects.create(
        chantier=chantier, actor=ActorFactory(name="Ferme du Causse")
    )
    assert "Ferme du Causse" in client.get(f"/chantiers/{chantier.slug}/").content.decode()


def test_a_document_made_reserved_leaves_the_cached_anonymous_list(client, page_cache, content):
    document = content["document"]
    assert document.title in client.get("/documents/").content.decode()
    document.visibility = Visibility.RESERVED
    document.save()
    assert document.title not in client.get("/documents/").content.decode()


def test_reserved_documents_never_reach_the_cached_anonymous_page(client, page_cache, content):
    # An élu fills nothing in the cache...
    client.force_login(elu())
    html = client.get("/documents/").content.decode()
    assert "Note réservée aux élus" in html
    client.logout()
    # ...and the anonymous page, cached or not, never shows the reserved document.
    for _ in range(2):
        html = client.get("/documents/").content.decode()
        assert "Diagnostic public" in html
        assert "Note réservée aux élus" not in html


@pytest.mark.parametrize("path", ["/", "/documents/", "/chantiers/agriculture/", "/agenda/"])
def test_a_signed_in_elu_never_gets_the_cached_anonymous_page(client, page_cache, content, path):
    anonymous = client.get(path)
    client.get(path)  # now cached
    client.force_login(elu())
    signed_in = client.get(path)
    assert signed_in.content != anonymous.content
    # The signed-in page carries the visitor's own CSRF token for htmx.
    assert 'data-hx-headers=\'{"X-CSRFToken": "' in signed_in.content.decode()
    if path == "/documents/":
        assert "Note réservée aux élus" in signed_in.content.decode()


def test_the_cached_anonymous_page_is_the_same_after_an_elu_visit(client, page_cache, content):
    first = client.get("/documents/").content
    client.force_login(elu())
    client.get("/documents/")
    client.logout()
    assert client.get("/documents/").content == first


def test_a_change_in_the_admin_shows_on_the_next_anonymous_request(client, page_cache):
    assert "Sobriété heureuse" not in client.get("/indicateurs/").content.decode()
    admin = UserFactory(is_staff=True, is_superuser=True)
    staff = client.__class__()
    staff.force_login(admin)
    response = staff.post(
        "/admin/diagnostic/glossaryentry/add/",
        {"term": "Sobriété heureuse", "slug": "sobriete-heureuse", "definition": "Une idée."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert GlossaryEntry.objects.filter(slug="sobriete-heureuse").exists()
    assert "Sobriété heureuse" in client.get("/indicateurs/").content.decode()

    entry = GlossaryEntry.objects.get(slug="sobriete-heureuse")
    response = staff.post(f"/admin/diagnostic/glossaryentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert "Sobriété heureuse" not in client.get("/indicateurs/").content.decode()


def test_load_territoire_and_load_demo_make_cached_pages_stale(client, page_cache):
    call_command("load_territoire", stdout=open("/dev/null", "w"))  # noqa: SIM115
    before = content_version()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert content_version() != before
    assert "démo" in client.get("/").content.decode().lower()
    before = content_version()
    call_command("load_demo", "--remove", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert content_version() != before
    before = content_version()
    call_command("load_territoire", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert content_version() != before


def test_watched_models_cover_proxies_and_relations_but_not_history():
    # The same call as PetrPortalConfig.ready: connecting more here would leak into
    # later tests (signals are global).
    watched = set(watch_content_models(CONTENT_APPS, exclude=NOT_PUBLIC_MODELS))
    for model in (Chantier, Meeting, Session, Intersession, TeamMember, Partner, Document):
        assert model in watched
    assert Meeting.chantiers.through in watched
    assert TeamMember.coordinated_chantiers.through in watched
    assert not any(model.__name__.startswith("Historical") for model in watched)
    assert JoinRequest not in watched and JoinRequest.chantiers.through not in watched


def test_unrelated_writes_do_not_empty_the_cache(page_cache):
    before = content_version()
    UserFactory()
    assert content_version() == before
