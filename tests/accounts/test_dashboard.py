"""« Mon espace » for team members, élus, and accounts without a role."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chantiers.models import MeetingStatus
from diagnostic.models import DocumentKind, Visibility
from tests.accounts.helpers import make_account
from tests.diagnostic.factories import DocumentFactory
from tests.factories import ChantierFactory, MeetingFactory, SessionFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

URL = "/compte/"


def test_my_space_needs_signing_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?next=/compte/"


def test_an_elu_without_documents_yet_is_told_so_and_has_no_admin(client):
    client.force_login(make_account("elu", full_name="Anne Élue"))
    html = client.get(URL).content.decode()
    assert "<h1>Mon espace</h1>" in html
    assert "Documents réservés et rapports" in html
    assert "Aucun document réservé ni rapport pour le moment." in html
    assert "Ouvrir l'administration" not in html
    assert "Équipe-projet" not in html


def test_an_elu_finds_the_reserved_documents_and_reports(client):
    DocumentFactory(title="Note aux élus", slug="note-aux-elus", visibility=Visibility.RESERVED)
    DocumentFactory(title="Rapport final de la démarche", kind=DocumentKind.FINAL_REPORT)
    DocumentFactory(title="Étude publique")
    client.force_login(make_account("elu"))
    html = client.get(URL).content.decode()
    assert "Note aux élus" in html
    assert 'href="/documents/note-aux-elus/telecharger/"' in html
    assert "Rapport final de la démarche" in html
    assert "Étude publique" not in html


def test_my_space_for_an_elu_keeps_its_query_budget(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(make_account("elu"))
    counts = []
    for size in (2, 20):
        for _ in range(size - len(counts) * 2):
            DocumentFactory(visibility=Visibility.RESERVED, chantier=ChantierFactory())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 10


def test_an_account_without_role_is_told_whom_to_ask(client):
    client.force_login(make_account())
    html = client.get(URL).content.decode()
    assert "Votre compte n'a pas encore de rôle" in html
    assert "Documents réservés et rapports" not in html
    assert "Ouvrir l'administration" not in html


def test_a_team_member_not_linked_to_the_team_list_gets_the_admin_link(client):
    client.force_login(make_account("equipe"))
    html = client.get(URL).content.decode()
    assert 'href="/admin/"' in html
    assert "pas encore relié à une fiche de l'équipe-projet" in html


def test_my_space_offers_password_change_and_sign_out(client):
    client.force_login(make_account("elu"))
    html = client.get(URL).content.decode()
    assert 'href="/compte/mot-de-passe/"' in html
    assert 'action="/compte/deconnexion/"' in html and 'method="post"' in html


def coordinator_with_meetings(count, chantier=None):
    user = make_account("equipe")
    chantier = chantier or ChantierFactory(title="Dessine-moi ton agriculture !")
    member = TeamMemberFactory(user=user)
    member.coordinated_chantiers.add(chantier)
    now = timezone.now()
    for n in range(count):
        MeetingFactory(chantier=chantier, starts_at=now + timedelta(days=n + 1))
        MeetingFactory(
            chantier=chantier,
            starts_at=now - timedelta(days=n + 2),
            status=MeetingStatus.HELD,
            minutes="",
        )
    session = SessionFactory(starts_at=now + timedelta(days=3))
    session.chantiers.add(chantier)
    return user, chantier


def test_a_coordinator_sees_the_meetings_of_their_chantiers(client):
    user, chantier = coordinator_with_meetings(1)
    MeetingFactory(title="Réunion d'un autre chantier")
    MeetingFactory(
        chantier=chantier,
        title="Réunion passée avec compte rendu",
        starts_at=timezone.now() - timedelta(days=10),
        minutes="Compte rendu.",
    )
    client.force_login(user)
    response = client.get(URL)
    html = response.content.decode()
    assert len(response.context["upcoming"]) == 2  # the intersession and the session
    assert len(response.context["missing_minutes"]) == 1
    assert "Réunion d'un autre chantier" not in html
    assert "Réunion passée avec compte rendu" not in html
    assert "Écrire le compte rendu" in html
    assert f'href="/admin/chantiers/intersession/add/?chantier={chantier.pk}"' in html
    assert chantier.get_absolute_url() in html


def test_my_space_query_count_does_not_grow_with_meetings(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (2, 20):
        user, _ = coordinator_with_meetings(size, chantier=ChantierFactory())
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # + the actions they pilot that wait for news, + the report's last periods, the
    # footer's accessibility statement
    assert counts[1] <= 15


def test_a_reserved_documents_download_link_names_its_format_and_size(client):
    document = DocumentFactory(
        title="Note aux élus", slug="note-aux-elus", visibility=Visibility.RESERVED
    )
    assert document.human_format.startswith("PDF, ")
    client.force_login(make_account("elu"))
    html = client.get(URL).content.decode()
    link = html.split('href="/documents/note-aux-elus/telecharger/"')[1].split("</a>")[0]
    # In the link's name, as the visible text beside it shows it.
    assert f"({document.human_format})" in link
    assert f'aria-hidden="true">{document.human_format}</span>' in html
