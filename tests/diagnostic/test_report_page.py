"""/avancement/rapport/: the report of a period as a page, its period form and shortcuts,
demo content labelled and gone once removed, its queries, where people find it."""

import io
from datetime import date, timedelta
from html import unescape

import pytest
from django.core.management import call_command
from django.utils import timezone

from chantiers.models import Chantier
from diagnostic.models import ReportPdf
from diagnostic.report.period import last_twelve_months
from tests.chantiers.factories import ActionFactory, PointEtapeFactory
from tests.diagnostic.factories import DocumentFactory, IndicatorValueFactory, elu
from tests.diagnostic.report_content import MARCH, build_month, meeting, paris
from tests.factories import ChantierFactory, UserFactory

pytestmark = pytest.mark.django_db

REPORT = "/avancement/rapport/"


def html_of(client, query=""):
    """The page, its entities read (« &amp; » as « & »)."""
    response = client.get(f"{REPORT}{query}")
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_report_of_a_period_lists_every_chantier_and_says_its_period(client):
    rows = build_month()
    html = html_of(client, f"?{MARCH.query}")
    assert "Rapport d'avancement du projet de territoire" in html
    assert "du 1er\u00a0mars 2025 au 31\u00a0mars 2025" in html
    assert "du 29\u00a0janvier 2025 au 28\u00a0février 2025" in html  # the previous period
    for chantier in (rows["epargne"], rows["agriculture"]):
        assert f'id="rapport-{chantier.slug}">{chantier.title}</h3>' in html
    # Only public content: the reserved note is neither listed nor counted.
    assert "Note réservée" not in html
    assert "non renseigné" in html  # the evening meeting without attendance
    assert f'href="/avancement/rapport.pdf?{MARCH.query}"' in html


def test_by_default_the_last_twelve_months(client):
    period = last_twelve_months(timezone.localdate())
    html = html_of(client)
    assert period.label in html
    assert f'value="{period.starts_on.isoformat()}"' in html
    assert f'href="{REPORT}?{period.query}" aria-current="page"' in html


def test_the_shortcuts_past_year_and_since_the_last_pinned_report(client):
    from diagnostic.models import PinnedReport

    today = timezone.localdate()
    html = html_of(client)
    assert f"?du={today.year - 1}-01-01&au={today.year - 1}-12-31" in html
    assert "Depuis le dernier rapport" not in html
    document = DocumentFactory(title="Rapport d'activité")
    last_day = today - timedelta(days=40)
    PinnedReport.objects.create(document=document, starts_on=date(2020, 1, 1), ends_on=last_day)
    html = html_of(client)
    assert "Depuis le dernier rapport figé («\u00a0Rapport d'activité\u00a0»)" in html
    assert f"?du={(last_day + timedelta(days=1)).isoformat()}&au={today.isoformat()}" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?du=2025-03-31&au=2025-03-01", "Le dernier jour précède le premier"),
        ("?du=hier&au=2025-03-01", "Le premier jour n'est pas une date"),
        ("?du=2025-03-01", "Indiquez le dernier jour de la période."),
        ("?du=1990-01-01&au=2025-03-01", "entre l'an 2000 et 2100"),
        ("?du=2001-01-01&au=2025-03-01", "dix ans au plus"),
    ],
)
def test_a_period_to_correct_is_said_in_french_and_builds_nothing(client, query, message):
    ChantierFactory(title="Chantier à ne pas montrer")
    html = html_of(client, query)
    assert message in html
    assert 'class="error-summary"' in html
    assert "Chantier à ne pas montrer" not in html
    assert not ReportPdf.objects.exists()


def test_french_dates_are_read_too(client):
    html = html_of(client, "?du=01/03/2025&au=31/03/2025")
    assert "du 1er\u00a0mars 2025 au 31\u00a0mars 2025" in html


def test_demo_content_is_labelled_then_gone_once_removed(client):
    call_command("load_territoire", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    demo_titles = [c.demo_title for c in Chantier.objects.exclude(demo_title="")]
    assert demo_titles
    html = html_of(client)
    assert "Ce rapport comprend du contenu de démonstration" in html
    assert 'class="badge badge--demo"' in html
    assert all(title in html for title in demo_titles)

    call_command("load_demo", "--remove", stdout=io.StringIO())
    html = html_of(client)
    assert "Ce rapport comprend du contenu de démonstration" not in html
    assert "badge--demo" not in html
    assert not any(title in html for title in demo_titles)
    # The real chantiers are still there.
    for chantier in Chantier.objects.all():
        assert chantier.display_title in html


def _more_rows(count):
    """`count` more chantiers, each with actions, points d'étape, meetings, documents and
    measures in March 2025."""
    for n in range(count):
        chantier = ChantierFactory()
        for k in range(3):
            action = ActionFactory(chantier=chantier, starts_on=date(2025, 3, 2))
            PointEtapeFactory(action=action, date=date(2025, 3, 3 + k), new_status="realisee")
        meeting(chantier, f"Réunion {n}", paris(date(2025, 3, 4), 18), 5)
        DocumentFactory(chantier=chantier, published_on=date(2025, 3, 5))
        IndicatorValueFactory(measured_on=date(2025, 3, 6 + n % 20))


def test_the_page_s_queries_do_not_grow_with_rows(client, django_assert_max_num_queries):
    rows = build_month()
    meeting(rows["epargne"], "À venir", timezone.now() + timedelta(days=10), status="prevue")
    path = f"{REPORT}?{MARCH.query}"
    # chantiers, actions, points, meetings held (+ their Sessions' chantiers), to come
    # (+ theirs), documents, measures, revenue year, figures of meetings, points d'étape
    # and followers, the last pinned report, the demo notice, the footer's accessibility
    # statement.
    with django_assert_max_num_queries(16) as few:
        assert client.get(path).status_code == 200
    _more_rows(12)
    with django_assert_max_num_queries(16) as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few)


def test_the_avancement_page_leads_to_the_report(client):
    html = unescape(client.get("/avancement/").content.decode())
    assert f'href="{REPORT}"' in html
    assert "Rapport d'avancement" in html


def test_mon_espace_lists_the_report_and_its_last_periods_for_elus_and_the_team(client):
    from tests.accounts.helpers import make_account

    ReportPdf.objects.create(starts_on=MARCH.starts_on, ends_on=MARCH.ends_on, content_version="v1")
    for person in (elu(), make_account("equipe", email="equipe@example.org")):
        client.force_login(person)
        html = unescape(client.get("/compte/").content.decode())
        assert f'href="{REPORT}"' in html
        assert f'href="{REPORT}?{MARCH.query}"' in html
        assert f'href="/avancement/rapport.pdf?{MARCH.query}"' in html
    client.force_login(UserFactory())
    assert f'href="{REPORT}"' not in client.get("/compte/").content.decode()
