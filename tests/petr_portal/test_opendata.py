"""/donnees/: the open data page and its CSV and JSON exports (every row, parseable,
public documents only, streamed with flat memory, constant queries)."""

import csv
import importlib.util
import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from chantiers.models import Meeting, MeetingKind
from core import export
from diagnostic.models import (
    Document,
    DocumentKind,
    IndicatorValue,
    RevenueBase,
    RevenueDiagnostic,
    Visibility,
)
from tests.chantiers import dataset
from tests.chantiers.factories import ActionFactory, PointEtapeFactory
from tests.diagnostic.factories import (
    DocumentFactory,
    IndicatorValueFactory,
    revenue_diagnostic,
)
from tests.factories import (
    ActorFactory,
    ChantierFactory,
    MeetingFactory,
    MembershipFactory,
    SessionFactory,
    TeamMemberFactory,
)

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[2] / "bench" / "export_memory.py"


def download(client, name, fmt):
    response = client.get(f"/donnees/{name}.{fmt}")
    assert response.status_code == 200, (name, fmt)
    assert response.streaming
    body = b"".join(response.streaming_content)
    return response, body


def read_csv(client, name):
    response, body = download(client, name, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"{name}.csv\"; filename*=UTF-8''{name}.csv"
    )
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: spreadsheets read UTF-8
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    return rows


def read_json(client, name):
    response, body = download(client, name, "json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(body)


@pytest.fixture
def content():
    epargne = ChantierFactory(
        title="Mobilisation de l'épargne locale", slug="epargne", started_on=date(2020, 1, 6)
    )
    agriculture = ChantierFactory(title="Dessine-moi ton agriculture !", slug="agriculture")
    MembershipFactory(chantier=epargne, actor=ActorFactory())
    MembershipFactory(chantier=epargne, actor=ActorFactory())
    MeetingFactory(
        title="Intersession, « épargne »",
        slug="i1",
        chantier=epargne,
        agenda='- Point 1, avec une virgule\n- Point "2"\n- Ligne\nsur deux lignes',
        minutes="Compte rendu ; point-virgule.",
        participants_count=12,
    )
    session = SessionFactory(title="Session n° 1", slug="s1")
    session.chantiers.set([epargne, agriculture])
    action = ActionFactory(chantier=epargne, title="Une caisse locale", slug="caisse", progress=40)
    action.team_pilots.add(TeamMemberFactory(name="Camille Martin"))
    action.meetings.add(session)
    PointEtapeFactory(action=action, title="Statuts rédigés", new_progress=40, meeting=session)
    DocumentFactory(title="Étude publique", slug="etude", chantier=epargne)
    DocumentFactory(
        title="Annoncé", slug="annonce", file="", published_on=None, accessible_url="/diagnostic/"
    )
    DocumentFactory(title="Note réservée aux élus", slug="note", visibility=Visibility.RESERVED)
    revenue_diagnostic(
        2019, items=[(RevenueBase.RESIDENTIAL, "Pensions de retraite", 250)], is_demo=True
    )
    IndicatorValueFactory(
        indicator__name="Lieux de coopération", value=Decimal("12.50"), note="Première mesure"
    )
    IndicatorValueFactory(value=3)


def test_open_data_page_lists_every_dataset_with_its_licence(client, content):
    response = client.get("/donnees/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1 and "<h1>Données ouvertes</h1>" in html
    assert 'href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/" rel="license"' in html
    assert "Licence Ouverte 2.0 (Etalab)" in html
    for name in ["chantiers", "reunions", "documents", "diagnostic", "indicateurs"]:
        assert f'href="/donnees/{name}.csv"' in html
        assert f'href="/donnees/{name}.json"' in html
    assert "2 lignes" in html  # chantiers, public documents
    assert "<code>nombre_acteurs</code>" in html


def test_licence_comes_from_the_setting(client, settings, content):
    settings.OPEN_DATA_LICENCE = {
        "name": "ODbL 1.0",
        "url": "https://opendatacommons.org/licenses/odbl/1-0/",
        "id": "ODbL-1.0",
    }
    html = client.get("/donnees/").content.decode()
    assert "ODbL 1.0" in html and "Licence Ouverte" not in html
    assert read_json(client, "chantiers")["licence"] == {
        "nom": "ODbL 1.0",
        "url": "https://opendatacommons.org/licenses/odbl/1-0/",
        "id": "ODbL-1.0",
    }


def test_chantiers_export(client, content):
    rows = read_csv(client, "chantiers")
    assert [row["slug"] for row in rows] == ["epargne", "agriculture"]
    epargne = rows[0]
    assert epargne["intitule"] == "Mobilisation de l'épargne locale"
    assert epargne["etat"] == "En action"
    assert epargne["debut"] == "2020-01-06" and epargne["fin"] == ""
    assert epargne["nombre_acteurs"] == "2"
    assert epargne["adresse"] == "http://testserver/chantiers/epargne/"
    assert epargne["demonstration"] == "non"
    data = read_json(client, "chantiers")
    assert data["jeu_de_donnees"] == "Les chantiers"
    assert data["source"] == "http://testserver/donnees/"
    assert [column["nom"] for column in data["colonnes"]] == list(rows[0])
    first = data["lignes"][0]
    assert first["nombre_acteurs"] == 2 and first["demonstration"] is False
    assert first["fin"] is None and first["debut"] == "2020-01-06"


def test_meetings_export_keeps_commas_quotes_and_line_breaks(client, content):
    rows = {row["slug"]: row for row in read_csv(client, "reunions")}
    assert set(rows) == {"i1", "s1"}
    intersession = rows["i1"]
    assert intersession["titre"] == "Intersession, « épargne »"
    # A spreadsheet would run a cell starting with « - » as a formula: guarded by « ' ».
    assert intersession["ordre_du_jour"] == (
        '\'- Point 1, avec une virgule\n- Point "2"\n- Ligne\nsur deux lignes'
    )
    assert intersession["chantier"] == "epargne"
    assert intersession["nombre_participants"] == "12"
    assert intersession["debut"].endswith(("+01:00", "+02:00"))  # Paris time, with offset
    session = rows["s1"]
    assert session["chantier"] == ""
    assert sorted(session["chantiers_concernes"].split(", ")) == ["agriculture", "epargne"]
    data = read_json(client, "reunions")
    assert {row["slug"] for row in data["lignes"]} == {"i1", "s1"}
    # JSON is not opened by spreadsheets: the text stays as the team wrote it.
    agenda = next(row["ordre_du_jour"] for row in data["lignes"] if row["slug"] == "i1")
    assert agenda.startswith("- Point 1")


def test_documents_export_holds_public_documents_only(client, content):
    rows = read_csv(client, "documents")
    assert sorted(row["slug"] for row in rows) == ["annonce", "etude"]
    etude = next(row for row in rows if row["slug"] == "etude")
    assert etude["format"] == "PDF" and int(etude["taille_octets"]) > 0
    assert etude["telechargement"] == "http://testserver/documents/etude/telecharger/"
    assert etude["chantier"] == "epargne"
    assert etude["version_accessible"] == ""
    announced = next(row for row in rows if row["slug"] == "annonce")
    assert announced["version_accessible"] == "http://testserver/diagnostic/"
    assert announced["telechargement"] == "" and announced["date_de_publication"] == ""
    data = read_json(client, "documents")
    assert "note" not in {row["slug"] for row in data["lignes"]}
    assert "réservée" not in json.dumps(data, ensure_ascii=False)


def test_diagnostic_export(client, content):
    rows = read_csv(client, "diagnostic")
    bases = [row for row in rows if not row["poste"]]
    assert [row["base"] for row in bases] == [
        "Base productive",
        "Base publique",
        "Base sociale et sanitaire",
        "Base résidentielle",
    ]
    assert [row["part_du_total_pct"] for row in bases] == ["30.0", "10.0", "20.0", "40.0"]
    item = next(row for row in rows if row["poste"])
    assert item == {
        "annee": "2019",
        "territoire": "PETR Figeac Quercy Vallée de la Dordogne",
        "base": "Base résidentielle",
        "poste": "Pensions de retraite",
        "montant_euros": "250",
        "part_du_total_pct": "",
        "source": "Caisse",
        "demonstration": "oui",
    }
    data = read_json(client, "diagnostic")
    assert len(data["lignes"]) == 5
    assert data["lignes"][0]["montant_euros"] == 300


def test_indicators_export(client, content):
    rows = read_csv(client, "indicateurs")
    assert len(rows) == 2
    measured = next(row for row in rows if row["indicateur"] == "Lieux de coopération")
    assert measured["valeur"] == "12.50" and measured["remarque"] == "Première mesure"
    values = {
        row["indicateur"]: row["valeur"] for row in read_json(client, "indicateurs")["lignes"]
    }
    assert values["Lieux de coopération"] == 12.5


def test_empty_datasets_still_parse(client):
    for name in [declared.key for declared in export.datasets()]:
        assert read_csv(client, name) == []
        assert read_json(client, name)["lignes"] == []


def test_unknown_dataset_or_format_is_a_404(client):
    assert client.get("/donnees/inconnu.csv").status_code == 404
    assert client.get("/donnees/chantiers.xlsx").status_code == 404
    assert client.get("/donnees/chantiers").status_code == 404


def test_exports_hold_every_row(client):
    chantier = ChantierFactory()
    start = timezone.now()
    Meeting.objects.bulk_create(
        Meeting(
            kind=MeetingKind.INTERSESSION,
            title=f"Intersession {i}",
            slug=f"i-{i}",
            chantier=chantier,
            starts_at=start + timedelta(hours=i),
            ends_at=start + timedelta(hours=i + 2),
        )
        for i in range(1234)
    )
    assert len(read_csv(client, "reunions")) == 1234
    assert len(read_json(client, "reunions")["lignes"]) == 1234


# ---------------------------------------------------------------------------
# Query budgets


def _build(chantiers, meetings):
    dataset.build(chantier_count=chantiers, meeting_count=meetings)
    Document.objects.bulk_create(
        Document(
            title=f"Document {i}",
            slug=f"doc-{i}",
            kind=DocumentKind.STUDY,
            visibility=Visibility.RESERVED if i % 2 else Visibility.PUBLIC,
        )
        for i in range(meetings // 10)
    )
    value = IndicatorValueFactory()
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=value.indicator,
            measured_on=date(1970, 1, 1) + timedelta(days=i),
            value=i,
            source="Relevé",
        )
        for i in range(meetings)
    )
    revenue_diagnostic(2019, items=[(RevenueBase.PUBLIC, f"Poste {i}", i) for i in range(20)])


def _wipe():
    Document.objects.all().delete()
    IndicatorValue.objects.all().delete()
    RevenueDiagnostic.objects.all().delete()
    dataset.wipe()


# The rows: one query (two for the diagnostic); JSON also states the last update: one more.
# The page reads the footer's accessibility statement too.
BUDGETS = [("/donnees/", 9), ("/donnees/datapackage.json", 8), ("/donnees/catalogue.jsonld", 8)] + [
    (f"/donnees/{name}.{fmt}", (2 if name == "diagnostic" else 1) + (fmt == "json"))
    for name in [declared.key for declared in export.datasets()]
    for fmt in export.FORMATS
]


def _measure(client, django_assert_max_num_queries):
    counts = {}
    for path, budget in BUDGETS:
        with django_assert_max_num_queries(budget) as captured:
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, path
        counts[path] = len(captured)
    return counts


def test_open_data_budgets_do_not_grow_with_rows(
    client, django_assert_max_num_queries, monkeypatch
):
    # Small chunks: the large dataset is read in many chunks, still in one query.
    monkeypatch.setattr(export, "ITERATOR_CHUNK", 50)
    _build(5, 60)
    small = _measure(client, django_assert_max_num_queries)
    _wipe()
    _build(200, 2000)
    large = _measure(client, django_assert_max_num_queries)
    assert small == large


# ---------------------------------------------------------------------------
# Memory (the benchmark's own functions, on fewer rows)


def _bench():
    spec = importlib.util.spec_from_file_location("export_memory", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_export_memory_stays_flat(monkeypatch):
    bench = _bench()
    monkeypatch.setattr(export, "ITERATOR_CHUNK", 50)
    monkeypatch.setattr(export, "CHUNK_BYTES", 8 * 1024)
    bench.populate(10)
    for name, fmt in bench.EXPORTS:
        bench.streamed_peak(name, fmt)  # warm up
    bench.populate(200)
    small = {each: bench.streamed_peak(*each) for each in bench.EXPORTS}
    bench.populate(2000)
    large = {each: bench.streamed_peak(*each) for each in bench.EXPORTS}
    for each in bench.EXPORTS:
        small_peak, small_size, _ = small[each]
        large_peak, large_size, _ = large[each]
        assert large_size > 5 * small_size, each  # ten times the rows, as much more data
        assert large_peak < 1.5 * small_peak, (each, small_peak, large_peak)
    assert bench.listed_peak("reunions") > 3 * small[("reunions", "csv")][0]
