"""Acceptance, through the test client: a team member created with `create_account` signs
in, adds an intersession with its agenda, records its minutes after the meeting, and
residents see both on /agenda/, the meeting page and the chantier page right away.
"""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from chantiers.models import Meeting, MeetingStatus, TeamMember
from tests.chantiers.admin_helpers import meeting_change_data, meeting_data
from tests.factories import ChantierFactory

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-pour-l-equipe"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_new_team_member_keeps_an_intersession_up_to_date(client, settings):
    settings.SITE_URL = "http://testserver"
    chantier = ChantierFactory(title="Dessine-moi ton agriculture !", slug="agriculture")

    # An administrator creates the account; the team member picks a password.
    out = StringIO()
    call_command("create_account", "camille@example.org", "--role", "equipe", stdout=out)
    link = re.search(r"http://testserver(\S+)", out.getvalue()).group(1)
    set_password = client.get(link)["Location"]
    client.post(set_password, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    # The administration links the account to the team list and the chantier.
    member = TeamMember.objects.create(
        name="Camille", user=get_user_model().objects.get(email="camille@example.org")
    )
    member.coordinated_chantiers.add(chantier)
    response = client.post(
        "/compte/connexion/",
        {"username": "camille@example.org", "password": PASSWORD, "next": "/admin/"},
    )
    assert response["Location"] == "/admin/"

    # The intersession, with its agenda, added in the admin.
    starts = timezone.now().replace(microsecond=0, second=0) + timedelta(days=14)
    response = client.post(
        "/admin/chantiers/intersession/add/",
        meeting_data(
            starts,
            starts + timedelta(hours=2),
            title="Soirée « circuits courts »",
            chantier=chantier.pk,
            agenda="- Tour de table des fermes\n- **Carte** des points de vente",
        ),
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()

    agenda = client.get(reverse("chantiers:agenda")).content.decode()
    assert "Soirée « circuits courts »" in agenda
    page = client.get(chantier.get_absolute_url()).content.decode()
    assert "Soirée « circuits courts »" in page
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert "Tour de table des fermes" in detail
    assert "<strong>Carte</strong>" in detail
    space = client.get("/compte/").content.decode()
    assert "Soirée « circuits courts »" in space

    # After the meeting: the minutes.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() - timedelta(days=1) + timedelta(hours=2),
    )
    meeting.refresh_from_db()
    response = client.post(
        f"/admin/chantiers/intersession/{meeting.pk}/change/",
        meeting_change_data(
            meeting,
            status=MeetingStatus.HELD,
            minutes="Vingt fermes présentes. *Prochaine étape* : une carte commune.",
            participants_count="31",
        ),
    )
    assert response.status_code == 302

    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert "Vingt fermes présentes." in detail
    assert "<em>Prochaine étape</em>" in detail
    agenda = client.get(reverse("chantiers:agenda")).content.decode()
    assert "Soirée « circuits courts »" in agenda
    page = client.get(chantier.get_absolute_url()).content.decode()
    assert "Soirée « circuits courts »" in page

    # What the group does not allow stays closed.
    delete = f"/admin/chantiers/chantier/{chantier.pk}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get("/admin/accounts/user/").status_code == 403
