"""chantiers.services: the race for the last seat (for real, two connections at once), the
emails, and the purge of personal data past its retention period."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from chantiers import services
from chantiers.models import (
    JoinRequest,
    JoinRequestStatus,
    Participation,
    Registration,
)
from core.models import OutboxEmail, OutboxStatus
from tests.chantiers.factories import (
    JoinRequestFactory,
    OpenIntersessionFactory,
    RegistrationFactory,
)
from tests.chantiers.races import at_once, needs_row_locks, race_on_sqlite_file
from tests.factories import ChantierFactory
from tests.mail import deliver


def _register_at_once(meeting, people, pause=0.3):
    """Each person registers at once (tests.chantiers.races): their outcome by email."""

    def attempt(email):
        try:
            return services.register(meeting.pk, name=email, email=email)
        except services.RegistrationRefused as refused:
            return refused.state

    actions = [lambda email=email: attempt(email) for email in people]
    return dict(zip(people, at_once(actions, pause), strict=True))


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_seat_at_once_exactly_one_gets_it():
    meeting = OpenIntersessionFactory(capacity=3)
    RegistrationFactory.create_batch(2, meeting=meeting)
    results = _register_at_once(meeting, ["anne@example.org", "bruno@example.org"])
    winners = [r for r in results.values() if not r.waiting]
    waiting = [r for r in results.values() if r.waiting]
    assert len(winners) == 1 and len(waiting) == 1, results
    assert Registration.objects.seated().filter(meeting=meeting).count() == 3
    assert list(Registration.objects.waiting()) == [waiting[0].registration]
    # The one who got the seat is told so; the other that they wait.
    deliver()
    subjects = {m.to[0]: m.subject.split(" :")[0] for m in mail.outbox}
    assert subjects == {
        winners[0].registration.email: "Inscription confirmée",
        waiting[0].registration.email: "Liste d'attente",
    }


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_many_people_at_once_never_overbook():
    meeting = OpenIntersessionFactory(capacity=2)
    people = [f"p{index}@example.org" for index in range(5)]
    results = _register_at_once(meeting, people, pause=0.1)
    got_in = [r for r in results.values() if not r.waiting]
    assert len(got_in) == 2
    assert Registration.objects.seated().filter(meeting=meeting).count() == 2
    assert Registration.objects.waiting().filter(meeting=meeting).count() == 3


def test_the_race_on_a_sqlite_file_gives_the_last_seat_to_exactly_one(tmp_path):
    outcome = race_on_sqlite_file(tmp_path)
    # One gets the seat, the other goes on the waiting list: neither gets an error.
    assert sorted([outcome["anne@example.org"], outcome["bruno@example.org"]]) == [
        "attente",
        "inscrit",
    ], outcome
    assert outcome["seated"] == 3
    assert outcome["transaction_mode"] == "IMMEDIATE"


@pytest.mark.django_db
def test_the_lock_is_taken_on_the_meeting_row():
    """The query really says FOR UPDATE where the database has it (PostgreSQL)."""
    from django.test.utils import CaptureQueriesContext

    meeting = OpenIntersessionFactory(capacity=3)
    with CaptureQueriesContext(connection) as queries:
        services.register(meeting.pk, name="A", email="a@example.org")
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    if connection.features.has_select_for_update:
        assert 'FOR UPDATE OF "chantiers_meeting"' in sql
    else:
        assert connection.vendor == "sqlite"
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.django_db
def test_the_last_seat_in_turn_goes_to_the_first():
    meeting = OpenIntersessionFactory(capacity=1)
    first = services.register(meeting.pk, name="A", email="a@example.org")
    assert first.created and first.meeting.seats_taken == 1
    second = services.register(meeting.pk, name="B", email="b@example.org")
    assert second.created and second.waiting
    # Once the first cancels, the seat goes to the first waiting.
    assert services.cancel_registration(first.registration)
    assert not services.cancel_registration(first.registration)
    second.registration.refresh_from_db()
    assert not second.registration.is_waiting
    assert second.registration.promoted_at is not None


@pytest.mark.django_db
def test_a_registration_is_kept_and_its_email_waits_when_the_mail_server_fails(monkeypatch):
    meeting = OpenIntersessionFactory()

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP injoignable")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    result = services.register(meeting.pk, name="A", email="a@example.org")
    assert Registration.objects.filter(pk=result.registration.pk).exists()
    report = deliver()
    assert (report.sent, report.retried) == (0, 1)
    [waiting] = OutboxEmail.objects.all()
    assert (waiting.status, waiting.attempts) == (OutboxStatus.PENDING, 1)
    assert "SMTP injoignable" in waiting.last_error
    monkeypatch.undo()
    assert deliver(now=waiting.next_attempt_at).sent == 1
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


@pytest.mark.django_db
def test_join_request_keeps_its_chantiers_and_mails_the_team():
    chantiers = [ChantierFactory(), ChantierFactory()]
    join_request = services.submit_join_request(
        name="Anne",
        email="anne@example.org",
        commune="Cajarc",
        chantiers=chantiers,
        participation=Participation.INFORMED,
        message="",
    )
    assert set(join_request.chantiers.all()) == set(chantiers)
    deliver()
    [email] = mail.outbox
    assert "(pas de message)" in email.body
    assert f"http://127.0.0.1:8000/admin/chantiers/joinrequest/{join_request.pk}/" in email.body


# ---- Purge of personal data ----


def test_months_before_clamps_to_the_end_of_the_month():
    moment = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
    assert services.months_before(moment, 1) == datetime(2026, 2, 28, 12, 0, tzinfo=UTC)
    assert services.months_before(moment, 24) == datetime(2024, 3, 31, 12, 0, tzinfo=UTC)
    assert services.months_before(moment, 25) == datetime(2024, 2, 29, 12, 0, tzinfo=UTC)
    assert services.months_before(moment, 15) == datetime(2024, 12, 31, 12, 0, tzinfo=UTC)


@pytest.fixture
def old_and_new():
    now = timezone.now()
    old, recent = now - timedelta(days=2 * 365 + 10), now - timedelta(days=300)
    chantier = ChantierFactory()
    stale = JoinRequestFactory(created_at=old, last_activity_at=old, message="Mon idée")
    stale.chantiers.add(chantier)
    followed = JoinRequestFactory(created_at=old, last_activity_at=recent)  # status changed
    fresh = JoinRequestFactory(created_at=recent, last_activity_at=recent)
    past = OpenIntersessionFactory(starts_at=old, ends_at=old + timedelta(hours=2))
    came = RegistrationFactory(meeting=past, created_at=old - timedelta(days=3))
    withdrew = RegistrationFactory(
        meeting=past, created_at=old - timedelta(days=4), cancelled_at=old - timedelta(days=1)
    )
    soon = OpenIntersessionFactory()
    upcoming = RegistrationFactory(meeting=soon)
    return locals()


@pytest.mark.django_db
def test_purge_anonymises_what_is_past_retention_and_keeps_the_rest(old_and_new, settings):
    settings.PERSONAL_DATA_RETENTION_MONTHS = 24
    report = services.purge_personal_data()
    assert (
        report.join_requests_anonymised,
        report.registrations_anonymised,
        report.registrations_deleted,
    ) == (1, 1, 1)
    stale = JoinRequest.objects.get(pk=old_and_new["stale"].pk)
    assert (stale.name, stale.email, stale.commune, stale.message, stale.team_notes) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert stale.anonymised_at is not None and stale.status == JoinRequestStatus.ARCHIVED
    # What stays is not personal: the date, the chantiers chosen, the way of taking part.
    assert stale.chantiers.count() == 1 and stale.participation == Participation.ECOSYSTEM
    assert str(stale).startswith("Demande anonymisée du ")
    for key in ("followed", "fresh"):
        kept = JoinRequest.objects.get(pk=old_and_new[key].pk)
        assert kept.email and kept.anonymised_at is None
    came = Registration.objects.get(pk=old_and_new["came"].pk)
    assert (came.name, came.email, came.cancel_token) == ("", "", None)
    assert came.anonymised_at is not None
    assert not Registration.objects.filter(pk=old_and_new["withdrew"].pk).exists()
    assert Registration.objects.get(pk=old_and_new["upcoming"].pk).email
    # The meeting keeps its number of registrants.
    assert old_and_new["past"].registrations.active().count() == 1
    # Running it again changes nothing more.
    again = services.purge_personal_data()
    assert (again.join_requests_anonymised, again.registrations_anonymised) == (0, 0)


@pytest.mark.django_db
def test_purge_follows_the_retention_setting(old_and_new, settings):
    settings.PERSONAL_DATA_RETENTION_MONTHS = 36
    report = services.purge_personal_data()
    assert (report.join_requests_anonymised, report.registrations_anonymised) == (0, 0)
    settings.PERSONAL_DATA_RETENTION_MONTHS = 6
    report = services.purge_personal_data()
    assert report.join_requests_anonymised == 3


@pytest.mark.django_db
def test_purge_command_reports_and_dry_run_changes_nothing(old_and_new, capsys):
    call_command("purge_personal_data", "--dry-run")
    out = capsys.readouterr().out
    assert "Durée de conservation : 24 mois" in out
    assert "Demandes de participation anonymisées : 1" in out
    assert "Essai à blanc" in out
    assert JoinRequest.objects.not_anonymised().count() == 3
    call_command("purge_personal_data")
    out = capsys.readouterr().out
    assert "Inscriptions annulées supprimées : 1" in out
    assert JoinRequest.objects.not_anonymised().count() == 2


@pytest.mark.django_db
def test_two_registrations_with_the_same_address_are_refused_by_the_database():
    from django.db import IntegrityError, transaction

    registration = RegistrationFactory(email="a@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(meeting=registration.meeting, email="A@Example.org")
    # Cancelled and anonymised rows do not count.
    registration.cancelled_at = timezone.now()
    registration.save()
    RegistrationFactory(meeting=registration.meeting, email="a@example.org")
    RegistrationFactory(meeting=registration.meeting, email="", anonymised_at=timezone.now())
    RegistrationFactory(meeting=registration.meeting, email="", anonymised_at=timezone.now())
