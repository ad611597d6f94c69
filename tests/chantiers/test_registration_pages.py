"""« Je participe » beyond the meeting page: the box on the chantier page, the cancel
link, the query budgets, the agenda's marks and the demo's open intersessions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chantiers.models import MeetingKind, MeetingStatus, Registration
from core.models import FormPostCount
from tests.chantiers.factories import OpenIntersessionFactory, RegistrationFactory
from tests.chantiers.participation import (  # noqa: F401
    HTMX,
    _empty_cache,
    html_of,
    registration_data,
)
from tests.chantiers.participation import (
    post_registration as post,
)
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


# ---- On the chantier page ----


def test_chantier_page_offers_je_participe_for_its_next_open_intersession(client, meeting):
    MeetingFactory(chantier=meeting.chantier, starts_at=meeting.starts_at - timedelta(days=2))
    later = OpenIntersessionFactory(
        chantier=meeting.chantier, starts_at=meeting.starts_at + timedelta(days=30)
    )
    RegistrationFactory(meeting=meeting)
    html = html_of(client.get(meeting.chantier.get_absolute_url()))
    box = html.split('id="je-participe"')[1].split("</section>")[0]
    assert "Je participe à la prochaine intersession" in box
    assert 'href="/agenda/printemps/">Intersession de printemps</a>' in box
    assert "Il reste <strong>2 places</strong> sur 3." in box
    assert 'data-hx-post="/agenda/printemps/inscription/"' in box
    assert later.get_register_url() not in html


def test_chantier_page_without_open_intersession_has_no_box(client):
    meeting = MeetingFactory()
    closed = OpenIntersessionFactory(chantier=meeting.chantier, status=MeetingStatus.CANCELLED)
    html = html_of(client.get(meeting.chantier.get_absolute_url()))
    assert 'id="je-participe"' not in html
    assert closed.get_register_url() not in html


def test_chantier_page_shows_a_full_next_intersession_as_full(client, meeting):
    RegistrationFactory.create_batch(3, meeting=meeting)
    html = html_of(client.get(meeting.chantier.get_absolute_url()))
    assert "Cette intersession est complète" in html.split('id="je-participe"')[1]


# ---- Cancelling ----


def test_cancel_link_asks_then_cancels_and_frees_the_seat(client, meeting):
    registration = RegistrationFactory(meeting=meeting)
    url = registration.get_cancel_url()
    assert url == f"/agenda/printemps/desinscription/{registration.cancel_token}/"
    response = client.get(url)
    html = html_of(response)
    assert response.status_code == 200
    assert "<h1>Annuler mon inscription</h1>" in html
    assert f'<form method="post" action="{url}"' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert Registration.objects.active().count() == 1  # a GET changes nothing

    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == url
    registration.refresh_from_db()
    assert registration.cancelled_at is not None
    assert "<h1>Inscription annulée</h1>" in html_of(client.get(url))
    assert "Il reste <strong>3 places</strong> sur 3." in html_of(
        client.get(meeting.get_absolute_url())
    )
    # Posting again changes nothing.
    cancelled_at = registration.cancelled_at
    client.post(url)
    registration.refresh_from_db()
    assert registration.cancelled_at == cancelled_at
    # The person may register again.
    post(client, meeting, email=registration.email)
    assert Registration.objects.active().count() == 1


def test_cancel_link_needs_the_right_token_and_meeting(client, meeting):
    registration = RegistrationFactory(meeting=meeting)
    other = OpenIntersessionFactory()
    assert client.get(f"/agenda/printemps/desinscription/{'x' * 32}/").status_code == 404
    wrong_meeting = f"/agenda/{other.slug}/desinscription/{registration.cancel_token}/"
    assert client.get(wrong_meeting).status_code == 404
    assert client.post(wrong_meeting).status_code == 404
    assert Registration.objects.active().count() == 1


def test_a_started_meeting_can_no_longer_be_cancelled(client, meeting):
    registration = RegistrationFactory(meeting=meeting)
    meeting.starts_at = timezone.now() - timedelta(minutes=5)
    meeting.save()
    url = registration.get_cancel_url()
    assert "ne peut plus être annulée" in html_of(client.get(url))
    client.post(url)
    registration.refresh_from_db()
    assert registration.cancelled_at is None


# ---- Query budgets ----


def _registration_pages(client, meeting, cancel_url, django_assert_max_num_queries):
    counts = {}
    # Every whole page: + the footer's accessibility statement.
    for name, method, path, extra, data, budget in [
        # + the actions decided there and the points d'étape it gave
        ("meeting page", "get", meeting.get_absolute_url(), {}, None, 7),
        # + the chantier's actions and its latest point d'étape
        ("chantier page", "get", meeting.chantier.get_absolute_url(), {}, None, 11),
        # Each post counted for the rate limit: two statements (the first of a window);
        # whole pages read the footer's accessibility statement.
        ("errors fragment", "post", meeting.get_register_url(), HTMX, {"name": ""}, 5),
        ("errors page", "post", meeting.get_register_url(), {}, {"name": ""}, 9),
        ("confirmation fragment", "post", meeting.get_register_url(), HTMX, {}, 10),
        ("done page", "get", meeting.get_register_url() + "merci/", {}, None, 3),
        ("cancel page", "get", cancel_url, {}, None, 3),
    ]:
        payload = registration_data(**(data or {})) if method == "post" else None
        FormPostCount.objects.all().delete()
        with django_assert_max_num_queries(budget) as captured:
            if payload is None:
                response = client.get(path, **extra)
            else:
                response = client.post(path, payload, **extra)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(captured)
        Registration.objects.filter(email="louis.bernard@example.org").delete()
    return counts


def test_registration_query_budgets_do_not_grow_with_registrations(
    client, django_assert_max_num_queries
):
    meeting = OpenIntersessionFactory(capacity=None, kind=MeetingKind.INTERSESSION)
    kept = RegistrationFactory(meeting=meeting)
    small = _registration_pages(
        client, meeting, kept.get_cancel_url(), django_assert_max_num_queries
    )
    RegistrationFactory.create_batch(150, meeting=meeting)
    large = _registration_pages(
        client, meeting, kept.get_cancel_url(), django_assert_max_num_queries
    )
    assert small == large


def test_agenda_marks_meetings_open_to_the_public(client, meeting):
    MeetingFactory(title="Sans inscription")
    html = html_of(client.get("/agenda/"))
    items = html.split('<li class="meeting-item')
    [open_item] = [item for item in items if "Intersession de printemps" in item]
    [other_item] = [item for item in items if "Sans inscription" in item]
    assert "Ouverte au public, sur inscription" in open_item
    assert "Ouverte au public" not in other_item


def test_demo_content_opens_its_upcoming_intersessions(client):
    from chantiers import demo
    from chantiers.models import Meeting

    demo.load()
    upcoming = Meeting.objects.intersessions().upcoming().not_cancelled()
    assert upcoming.exists()
    assert not upcoming.filter(registration_open=False).exists()
    assert not Meeting.objects.sessions().filter(registration_open=True).exists()
    assert upcoming.filter(capacity__isnull=True).exists()
    assert upcoming.filter(capacity__isnull=False).exists()
    chantier = upcoming.first().chantier
    html = html_of(client.get(chantier.get_absolute_url()))
    assert "Je participe à la prochaine intersession" in html


@pytest.mark.parametrize(
    ("state", "text"),
    [
        ("close", "Votre inscription n'a pas été enregistrée : Les inscriptions sont closes"),
    ],
)
def test_a_meeting_closed_between_the_check_and_the_lock_is_told(
    client, meeting, monkeypatch, state, text
):
    from chantiers import services

    def lost(*args, **kwargs):
        raise services.RegistrationRefused(state)

    monkeypatch.setattr(services, "register", lost)
    response = post(client, meeting, htmx=True)
    html = html_of(response)
    assert response.status_code == 200
    assert text in html and "data-swap-focus" in html
    assert "<form" not in html
