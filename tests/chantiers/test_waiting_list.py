"""The waiting list of a full meeting: who waits, in what order, who gets the seat a
cancellation frees (and the email that tells them), and the race when several things
happen at once (threads on PostgreSQL; a subprocess on a SQLite file)."""

import threading

import pytest
from django.core import mail
from icalendar import Calendar

from chantiers import services
from chantiers.models import MeetingStatus, Registration, RegistrationStatus
from tests.chantiers.factories import OpenIntersessionFactory, RegistrationFactory
from tests.chantiers.participation import _empty_cache, html_of  # noqa: F401
from tests.chantiers.races import at_once, needs_row_locks, race_on_sqlite_file
from tests.mail import deliver

WAITING = RegistrationStatus.WAITING


def _full(capacity=2, waiting=2):
    meeting = OpenIntersessionFactory(capacity=capacity, title="Soirée pleine", slug="pleine")
    seated = RegistrationFactory.create_batch(capacity, meeting=meeting)
    queue = [
        RegistrationFactory(meeting=meeting, status=WAITING, name=f"Attente {n}")
        for n in range(1, waiting + 1)
    ]
    return meeting, seated, queue


def _statuses(meeting):
    return {
        r.name: r.status
        for r in Registration.objects.active().filter(meeting=meeting).order_by("pk")
    }


@pytest.mark.django_db
def test_a_cancellation_gives_the_seat_to_the_first_waiting_who_is_emailed(client):
    meeting, seated, queue = _full()
    response = client.post(seated[0].get_cancel_url())
    assert response.status_code == 302
    queue[0].refresh_from_db()
    queue[1].refresh_from_db()
    assert queue[0].status == RegistrationStatus.CONFIRMED and queue[0].promoted_at
    assert queue[1].status == WAITING
    deliver()  # the worker sends what the outbox holds
    [email] = mail.outbox
    assert email.to == [queue[0].email]
    assert email.subject == "Une place s'est libérée : Soirée pleine"
    assert "Une place s'est libérée pour vous" in email.body
    assert f"http://127.0.0.1:8000{queue[0].get_cancel_url()}" in email.body
    [(filename, content, _)] = email.attachments
    assert filename == "pleine.ics"
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert str(event["UID"]) == meeting.uid
    # Still full: the seat changed hands.
    html = html_of(client.get(meeting.get_absolute_url()))
    assert "1 personne attend déjà une place." in html


@pytest.mark.django_db
def test_leaving_the_waiting_list_moves_nobody_and_says_so(client):
    meeting, _, queue = _full()
    page = html_of(client.get(queue[0].get_cancel_url()))
    assert "<h1>Quitter la liste d'attente</h1>" in page
    client.post(queue[0].get_cancel_url())
    assert _statuses(meeting) == {
        **{r.name: RegistrationStatus.CONFIRMED for r in Registration.objects.seated()},
        "Attente 2": WAITING,
    }
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("status", [MeetingStatus.CANCELLED, MeetingStatus.POSTPONED])
def test_no_promotion_for_a_meeting_called_off(status):
    meeting, seated, queue = _full()
    meeting.status = status
    meeting.save()
    services.cancel_registration(seated[0])
    queue[0].refresh_from_db()
    assert queue[0].is_waiting
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_waiting_list_is_first_come_first_served():
    meeting = OpenIntersessionFactory(capacity=1)
    results = [
        services.register(meeting.pk, name=n, email=f"{n}@example.org") for n in ("a", "b", "c")
    ]
    assert [r.waiting for r in results] == [False, True, True]
    assert [r.registration.waiting_position for r in results[1:]] == [1, 2]
    # Asking again does not take a second place in the queue.
    again = services.register(meeting.pk, name="c", email="C@example.org")
    assert not again.created and again.registration.waiting_position == 2
    services.cancel_registration(results[0].registration)
    assert _statuses(meeting) == {"b": RegistrationStatus.CONFIRMED, "c": WAITING}


@pytest.mark.django_db
def test_the_admin_shows_the_waiting_list_and_its_cancel_action_promotes(admin_client):
    meeting, seated, queue = _full()
    page = admin_client.get(f"/admin/chantiers/intersession/{meeting.pk}/change/")
    html = page.content.decode()
    rows = html.split('id="registrations-group"')[1]
    assert rows.index(seated[1].name) < rows.index("Attente 1") < rows.index("Attente 2")
    assert rows.count("Liste d&#x27;attente") == 2
    listing = admin_client.get("/admin/chantiers/intersession/").content.decode()
    assert "2 / 2 (+ 2 en attente)" in listing
    waiting_only = admin_client.get("/admin/chantiers/registration/?etat=attente")
    assert "Attente 1" in waiting_only.content.decode()
    assert seated[0].name not in waiting_only.content.decode()
    admin_client.post(
        "/admin/chantiers/registration/",
        {"action": "cancel_selected", "_selected_action": [seated[0].pk, seated[1].pk]},
    )
    assert _statuses(meeting) == {
        "Attente 1": RegistrationStatus.CONFIRMED,
        "Attente 2": RegistrationStatus.CONFIRMED,
    }
    deliver()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in queue)


# ---- Races ----


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_cancellations_at_once_promote_two_people_once_each():
    meeting, seated, queue = _full(capacity=2, waiting=2)
    at_once([lambda r=r: services.cancel_registration(r) for r in seated])
    assert _statuses(meeting) == {
        "Attente 1": RegistrationStatus.CONFIRMED,
        "Attente 2": RegistrationStatus.CONFIRMED,
    }
    deliver()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in queue)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_a_newcomer_never_takes_the_seat_of_the_first_waiting():
    meeting, seated, queue = _full(capacity=1, waiting=1)
    at_once(
        [
            lambda: services.cancel_registration(seated[0]),
            lambda: services.register(meeting.pk, name="Nouvelle", email="nouvelle@example.org"),
        ]
    )
    assert _statuses(meeting) == {"Attente 1": RegistrationStatus.CONFIRMED, "Nouvelle": WAITING}


def _positions_race(meeting):
    """Two people register for a full meeting at once. The first to take the meeting's
    lock read the clock after the second (their requests' `now`): positions must follow
    the order of the lock, not of the clocks."""
    from datetime import timedelta

    from django.utils import timezone

    early = timezone.now()

    def late_clock():
        return services.register(
            meeting.pk, name="Tardive", email="b@example.org", now=early + timedelta(seconds=1)
        )

    def early_clock():
        threading.Event().wait(0.1)  # the other thread takes the lock first
        return services.register(meeting.pk, name="Matinale", email="a@example.org", now=early)

    return [result.registration.waiting_position for result in at_once([late_clock, early_clock])]


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_people_waiting_at_once_never_share_a_position():
    meeting, _, _ = _full(capacity=1, waiting=0)
    assert sorted(_positions_race(meeting)) == [1, 2]
    assert list(meeting.registrations.waiting().values_list("name", flat=True)) == [
        "Tardive",
        "Matinale",
    ]


def test_the_waiting_positions_race_on_a_sqlite_file(tmp_path):
    outcome = race_on_sqlite_file(tmp_path, "positions")
    assert outcome["errors"] == []
    assert sorted(outcome["positions"]) == [1, 2]
    assert outcome["transaction_mode"] == "IMMEDIATE"


def test_the_promotion_race_on_a_sqlite_file(tmp_path):
    outcome = race_on_sqlite_file(tmp_path, "promotion")
    assert outcome["errors"] == []
    assert outcome["statuses"] == {"Attente 1": "inscrite", "Attente 2": "inscrite"}
    assert outcome["transaction_mode"] == "IMMEDIATE"
