"""The team's admin for participation: join requests by status, CSV exports, registrations."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from chantiers.models import JoinRequest, JoinRequestStatus, Registration
from tests.chantiers.factories import JoinRequestFactory, RegistrationFactory
from tests.factories import ChantierFactory

pytestmark = pytest.mark.django_db

JOIN_URL = "/admin/chantiers/joinrequest/"
REGISTRATION_URL = "/admin/chantiers/registration/"


def read_csv(response):
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff"), "a BOM, so that spreadsheets read UTF-8"
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def test_join_requests_are_listed_and_filtered_by_status(admin_client):
    JoinRequestFactory(name="Nouvelle Personne")
    JoinRequestFactory(name="Personne Contactée", status=JoinRequestStatus.CONTACTED)
    response = admin_client.get(JOIN_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nouvelle Personne" in html and "Personne Contactée" in html
    assert "Intégrée" in html and "Archivée" in html  # the status filter's choices
    html = admin_client.get(JOIN_URL + "?status__exact=contactee").content.decode()
    assert "Personne Contactée" in html and "Nouvelle Personne" not in html


def test_join_requests_export_as_csv(admin_client):
    chantier = ChantierFactory(title="Épargne locale")
    first = JoinRequestFactory(name="Anne", commune="Cajarc", message='=HYPERLINK("x")')
    first.chantiers.add(chantier)
    second = JoinRequestFactory(name="Bruno", status=JoinRequestStatus.INTEGRATED)
    JoinRequestFactory(name="Pas choisie")
    response = admin_client.post(
        JOIN_URL, {"action": "export_csv", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="demandes-de-participation-' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == [
        "reçue le",
        "nom",
        "courriel",
        "commune",
        "chantiers",
        "façon de participer",
        "message",
        "statut",
        "dernière activité",
    ]
    assert [row[1] for row in rows[1:]] == ["Anne", "Bruno"]
    assert rows[1][3:5] == ["Cajarc", "Épargne locale"]
    assert rows[1][6] == '\'=HYPERLINK("x")', "a formula is never run by the spreadsheet"
    assert rows[2][7] == "Intégrée"


def test_changing_the_status_restarts_the_retention(admin_client):
    old = timezone.now() - timedelta(days=400)
    join_request = JoinRequestFactory(created_at=old, last_activity_at=old)
    response = admin_client.get(f"{JOIN_URL}{join_request.pk}/change/")
    assert response.status_code == 200
    data = {
        "name": join_request.name,
        "email": join_request.email,
        "commune": join_request.commune,
        "participation": join_request.participation,
        "message": join_request.message,
        "status": JoinRequestStatus.CONTACTED,
        "team_notes": "Appelée le 3.",
    }
    response = admin_client.post(f"{JOIN_URL}{join_request.pk}/change/", data)
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.CONTACTED
    assert join_request.last_activity_at > timezone.now() - timedelta(minutes=1)


def test_status_actions_mark_several_requests(admin_client):
    requests = JoinRequestFactory.create_batch(3)
    admin_client.post(
        JOIN_URL,
        {"action": "mark_archived", "_selected_action": [r.pk for r in requests[:2]]},
    )
    statuses = dict(JoinRequest.objects.values_list("pk", "status"))
    assert [statuses[r.pk] for r in requests] == ["archivee", "archivee", "nouvelle"]


def test_join_request_list_queries_do_not_grow(admin_client, django_assert_max_num_queries):
    chantier = ChantierFactory()

    def measure():
        with django_assert_max_num_queries(12) as captured:
            assert admin_client.get(JOIN_URL).status_code == 200
        return len(captured)

    for item in JoinRequestFactory.create_batch(3):
        item.chantiers.add(chantier)
    small = measure()
    for item in JoinRequestFactory.create_batch(40):
        item.chantiers.add(chantier)
    assert measure() == small


def test_registrations_are_listed_filtered_exported_and_cancelled(admin_client):
    kept = RegistrationFactory(name="Anne Présente")
    gone = RegistrationFactory(
        name="Bruno Parti", meeting=kept.meeting, cancelled_at=timezone.now()
    )
    html = admin_client.get(REGISTRATION_URL).content.decode()
    assert "Anne Présente" in html and "Bruno Parti" in html
    html = admin_client.get(REGISTRATION_URL + "?etat=annulee").content.decode()
    assert "Bruno Parti" in html and "Anne Présente" not in html
    assert admin_client.get(REGISTRATION_URL + "add/").status_code == 403

    response = admin_client.post(
        REGISTRATION_URL, {"action": "export_csv", "_selected_action": [kept.pk, gone.pk]}
    )
    rows = read_csv(response)
    assert rows[0] == ["réunion", "date", "nom", "courriel", "inscrit·e le", "annulée le", "état"]
    assert [row[2] for row in rows[1:]] == ["Anne Présente", "Bruno Parti"]
    assert rows[1][5] == "" and rows[2][5] != ""

    admin_client.post(
        REGISTRATION_URL, {"action": "cancel_selected", "_selected_action": [kept.pk]}
    )
    assert Registration.objects.active().count() == 0


# ---- The team (group « Équipe projet ») and the intersession's admin page ----


@pytest.fixture
def team_client(client, settings):
    from tests.accounts.helpers import make_account

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(make_account("equipe"))
    return client


def test_the_team_sees_and_follows_join_requests_and_registrations(team_client):
    html = team_client.get("/admin/").content.decode()
    assert f'href="{JOIN_URL}"' in html and f'href="{REGISTRATION_URL}"' in html
    join_request = JoinRequestFactory()
    RegistrationFactory(name="Anne Présente")
    assert "Anne Présente" in team_client.get(REGISTRATION_URL).content.decode()
    page = team_client.get(f"{JOIN_URL}{join_request.pk}/change/").content.decode()
    assert 'name="status"' in page
    # Following requests, not deleting them: the purge takes care of old ones.
    assert team_client.get(f"{JOIN_URL}{join_request.pk}/delete/").status_code == 403


def test_the_team_opens_an_intersession_to_the_public(team_client):
    from tests.chantiers.admin_helpers import meeting_change_data
    from tests.factories import MeetingFactory

    meeting = MeetingFactory()
    url = f"/admin/chantiers/intersession/{meeting.pk}/change/"
    html = team_client.get(url).content.decode()
    assert "Ouverture au public" in html
    assert 'name="registration_open"' in html and 'name="capacity"' in html
    response = team_client.post(
        url, meeting_change_data(meeting, registration_open="on", capacity="20")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    assert meeting.registration_open and meeting.capacity == 20
    # The session's page does not offer it: only intersessions open to the public.
    from tests.factories import SessionFactory

    session = SessionFactory()
    html = team_client.get(f"/admin/chantiers/session/{session.pk}/change/").content.decode()
    assert 'name="registration_open"' not in html


def test_the_intersession_page_lists_its_registrations(team_client, django_assert_max_num_queries):
    from tests.chantiers.factories import OpenIntersessionFactory

    meeting = OpenIntersessionFactory(capacity=None)
    RegistrationFactory(meeting=meeting, name="Anne Présente", email="anne@example.org")
    RegistrationFactory(meeting=meeting, name="Bruno Parti", cancelled_at=timezone.now())
    url = f"/admin/chantiers/intersession/{meeting.pk}/change/"

    def measure():
        # + the points d'étape written from the meeting, the meeting's chantier and the
        # actions to choose from, and the meetings to come offered as a new date
        with django_assert_max_num_queries(13) as captured:
            response = team_client.get(url)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    team_client.get(url)  # caches warmed up (content types, permissions)
    few, html = measure()
    assert "Inscriptions du public" in html
    assert "Anne Présente" in html and "anne@example.org" in html and "Bruno Parti" in html
    assert 'name="registrations-TOTAL_FORMS"' in html
    RegistrationFactory.create_batch(60, meeting=meeting)
    many, _ = measure()
    assert many == few


def test_the_intersession_list_counts_registrations(team_client):
    from tests.chantiers.factories import OpenIntersessionFactory
    from tests.factories import MeetingFactory

    limited = OpenIntersessionFactory(title="Avec places", capacity=20)
    RegistrationFactory.create_batch(2, meeting=limited)
    RegistrationFactory(meeting=limited, cancelled_at=timezone.now())
    free = OpenIntersessionFactory(title="Sans limite", capacity=None)
    RegistrationFactory(meeting=free)
    MeetingFactory(title="Fermée")
    html = team_client.get("/admin/chantiers/intersession/").content.decode()
    rows = {
        title: next(row for row in html.split("<tr") if f">{title}</a>" in row)
        for title in ("Avec places", "Sans limite", "Fermée")
    }

    assert "2 / 20" in rows["Avec places"]
    assert "1 inscrit<" in rows["Sans limite"]
    assert 'field-registrations">—' in rows["Fermée"]


def test_dupliquer_keeps_the_opening_to_the_public(team_client):
    from tests.chantiers.factories import OpenIntersessionFactory

    source = OpenIntersessionFactory(capacity=12)
    response = team_client.post(
        "/admin/chantiers/intersession/", {"action": "duplicate", "_selected_action": [source.pk]}
    )
    form = team_client.get(response["Location"]).context["adminform"].form
    assert form.initial["registration_open"] is True
    assert form.initial["capacity"] == 12
