"""The admin: download counts for staff, demo rows listed as such, figures entered inline."""

import pytest

from tests.diagnostic.factories import DocumentFactory, revenue_diagnostic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_fr(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_document_list_shows_download_counts_and_demo_rows(admin_client_fr):
    DocumentFactory(title="Étude réelle", downloads=17)
    DocumentFactory(title="Étude (démo)", is_demo=True)
    response = admin_client_fr.get("/admin/diagnostic/document/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Téléchargements" in html
    assert '<td class="field-downloads">17</td>' in html
    assert html.count('<td class="field-demo_label">démo</td>') == 1
    assert "PDF, " in html


def test_demo_rows_can_be_filtered(admin_client_fr):
    DocumentFactory(title="Étude réelle")
    DocumentFactory(title="Étude (démo)", is_demo=True)
    html = admin_client_fr.get("/admin/diagnostic/document/?demo=oui").content.decode()
    assert "Étude (démo)" in html
    assert "Étude réelle" not in html
    html = admin_client_fr.get("/admin/diagnostic/document/?demo=non").content.decode()
    assert "Étude (démo)" not in html
    assert "Étude réelle" in html


def test_document_form_shows_counts_read_only(admin_client_fr):
    document = DocumentFactory(downloads=5)
    html = admin_client_fr.get(f"/admin/diagnostic/document/{document.pk}/change/").content.decode()
    assert 'name="downloads"' not in html
    assert ">5<" in html


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/admin/diagnostic/revenuediagnostic/", "Étude de l&#x27;équipe"),
        ("/admin/diagnostic/revenuediagnostic/add/", 'name="amounts-TOTAL_FORMS"'),
        ("/admin/diagnostic/indicator/", "0 indicateur"),
        ("/admin/diagnostic/indicator/add/", 'name="values-TOTAL_FORMS"'),
        ("/admin/diagnostic/axis/", "0 axe"),
        ("/admin/diagnostic/glossaryentry/", "0 glossaire du BLB"),
        ("/admin/diagnostic/document/add/", 'name="file"'),
    ],
)
def test_admin_pages_open(admin_client_fr, path, heading):
    revenue_diagnostic()
    response = admin_client_fr.get(path)
    assert response.status_code == 200
    assert heading in response.content.decode()
