"""/donnees/datapackage.json and /donnees/catalogue.jsonld: the open data described for
machines, checked by readers we did not write (frictionless, rdflib's JSON-LD parser),
built from the apps' dataset declarations; and the spreadsheet guard of every CSV."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from frictionless import validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from chantiers.models import JoinRequest
from core import export
from tests.chantiers.factories import JoinRequestFactory
from tests.checkers import vnu_messages
from tests.diagnostic.factories import IndicatorValueFactory
from tests.factories import MeetingFactory
from tests.petr_portal.test_opendata import content  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.django_db,
    # rdflib's own JSON-LD parser uses its deprecated ConjunctiveGraph: not ours to fix.
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]

LICENCE = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
IANA = Namespace("https://www.iana.org/assignments/media-types/")
BASE = "http://testserver"


@pytest.fixture
def rich_content(content):  # noqa: F811
    """The open-data content, plus text a spreadsheet would run and negative numbers."""
    MeetingFactory(title='=HYPERLINK("http://exemple.invalid","clic")', slug="formule")
    MeetingFactory(title="@SUM(A1:A2)", place_name="\tcaché", slug="arobase")
    IndicatorValueFactory(value=Decimal("-3.5"), note="-baisse", source="+source")


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return b"".join(response.streaming_content) if response.streaming else response.content


def package(client):
    return json.loads(get(client, "/donnees/datapackage.json"))


def write_package(client, directory):
    """datapackage.json and every file it names, side by side, as a reader downloads them."""
    data = package(client)
    (directory / "datapackage.json").write_text(json.dumps(data), encoding="utf-8")
    for resource in data["resources"]:
        (directory / resource["path"]).write_bytes(get(client, f"/donnees/{resource['path']}"))
    return data


def test_frictionless_validates_the_package_and_every_file(client, rich_content, tmp_path):
    data = write_package(client, tmp_path)
    assert [r["name"] for r in data["resources"]] == [d.key for d in export.datasets()]
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.stats["rows"] for task in report.tasks] == [
        entry["rows"] for entry in export.catalogue()
    ]


def test_frictionless_reads_the_files_against_the_declared_types(client, content, tmp_path):  # noqa: F811
    # A validator that does not read the files would accept this too: it must not.
    data = write_package(client, tmp_path)
    chantiers = next(r for r in data["resources"] if r["name"] == "chantiers")
    slug = next(f for f in chantiers["schema"]["fields"] if f["name"] == "slug")
    slug["type"] = "integer"
    (tmp_path / "datapackage.json").write_text(json.dumps(data), encoding="utf-8")
    report = validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    errors = report.flatten(["fieldName", "type"])
    assert ["slug", "type-error"] in errors
    assert {tuple(error) for error in errors} == {("slug", "type-error")}


def test_the_package_describes_each_file_from_its_declaration(client, content):  # noqa: F811
    data = package(client)
    assert data["profile"] == "tabular-data-package"
    assert data["licenses"] == [
        {
            "name": "etalab-2.0",
            "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            "title": "Licence Ouverte 2.0 (Etalab)",
        }
    ]
    source = {
        "title": "PETR Figeac Quercy Vallée de la Dordogne, projet de territoire",
        "path": f"{BASE}/donnees/",
    }
    assert data["sources"] == [source]
    stats = {entry["dataset"].key: entry for entry in export.catalogue()}
    for resource in data["resources"]:
        dataset = export.get_dataset(resource["name"])
        assert resource["path"] == f"{dataset.key}.csv"
        assert resource["title"] == dataset.title
        fields = resource["schema"]["fields"]
        assert [(f["name"], f["type"], f["description"]) for f in fields] == [
            (column.name, column.type, column.description) for column in dataset.columns
        ]
        # The Licence Ouverte's two conditions, for every file: source and last update.
        assert resource["sources"] == [source]
        updated = stats[dataset.key]["updated"]
        assert resource["last_modified"] == timezone.localtime(updated).isoformat()
    assert data["last_modified"] == max(r["last_modified"] for r in data["resources"])
    meetings = next(r for r in data["resources"] if r["name"] == "reunions")
    demo = next(f for f in meetings["schema"]["fields"] if f["name"] == "demonstration")
    assert (demo["trueValues"], demo["falseValues"]) == (["oui"], ["non"])


def test_every_json_file_states_its_source_and_last_update(client, content):  # noqa: F811
    for entry in export.catalogue():
        data = json.loads(get(client, f"/donnees/{entry['dataset'].key}.json"))
        assert data["source"] == f"{BASE}/donnees/"
        assert data["producteur"] == "PETR Figeac Quercy Vallée de la Dordogne"
        assert data["mis_a_jour"] == timezone.localtime(entry["updated"]).isoformat()


def test_indicator_values_are_updated_when_their_indicator_is(client):
    value = IndicatorValueFactory()
    indicateurs = export.get_dataset("indicateurs")
    assert indicateurs.stats() == {"rows": 1, "updated": value.updated_at}
    value.indicator.name = "Nouveau nom"
    value.indicator.save()  # the name is in every row of the file
    assert value.indicator.updated_at > value.updated_at
    assert indicateurs.stats()["updated"] == value.indicator.updated_at


def test_a_new_dataset_appears_everywhere_without_a_line_in_the_portal(client, monkeypatch):
    declared = export.Dataset(
        "essai",
        "Un jeu d'essai",
        "Déclaré par une application.",
        (export.Column("nom", "string", "Un nom."), export.Column("n", "integer", "Un nombre.")),
        rows=lambda base_url: iter([{"nom": "=1+1", "n": -3}]),
        stats=lambda: {"rows": 1, "updated": timezone.now()},
        position=1,
    )
    monkeypatch.setitem(export._DATASETS, "essai", declared)
    assert package(client)["resources"][0]["schema"]["fields"][1] == {
        "name": "n",
        "type": "integer",
        "description": "Un nombre.",
    }
    graph = Graph().parse(data=get(client, "/donnees/catalogue.jsonld"), format="json-ld")
    assert (URIRef(f"{BASE}/donnees/#jeu-essai"), RDF.type, DCAT.Dataset) in graph
    assert 'id="jeu-essai"' in get(client, "/donnees/").decode()
    assert get(client, "/donnees/essai.csv").decode("utf-8-sig") == "nom,n\r\n'=1+1,-3\r\n"


def test_csv_cells_that_a_spreadsheet_would_run_are_guarded_numbers_are_not(client, rich_content):
    meetings = {
        row["slug"]: row
        for row in csv.DictReader(
            io.StringIO(get(client, "/donnees/reunions.csv").decode("utf-8-sig"))
        )
    }
    assert meetings["formule"]["titre"] == '\'=HYPERLINK("http://exemple.invalid","clic")'
    assert meetings["arobase"]["titre"] == "'@SUM(A1:A2)"
    assert meetings["arobase"]["lieu"] == "'\tcaché"
    values = list(
        csv.DictReader(io.StringIO(get(client, "/donnees/indicateurs.csv").decode("utf-8-sig")))
    )
    negative = next(row for row in values if row["remarque"] == "'-baisse")
    assert negative["valeur"] == "-3.50" and negative["source"] == "'+source"
    # JSON is read by programs, not spreadsheets: it keeps the text and the number as is.
    lines = json.loads(get(client, "/donnees/indicateurs.json"))["lignes"]
    assert {"valeur": -3.5, "remarque": "-baisse", "source": "+source"}.items() <= next(
        line for line in lines if line["valeur"] == -3.5
    ).items()


def test_admin_csv_exports_use_the_same_guard(admin_client):
    # Through the admin, wherever its code lives: a tab or a carriage return is guarded too.
    JoinRequestFactory(name="\tcaché", commune="-Figeac", message="\r=1+1")
    response = admin_client.post(
        "/admin/chantiers/joinrequest/",
        {"action": "export_csv", "_selected_action": JoinRequest.objects.values_list("pk")[0]},
    )
    body = response.content.decode("utf-8-sig")
    header, row = csv.reader(io.StringIO(body, newline=""), delimiter=";")
    assert header[1] == "nom"
    assert (row[1], row[3], row[6]) == ("'\tcaché", "'-Figeac", "'\r=1+1")


def test_dcat_catalogue_in_json_ld(client, content):  # noqa: F811
    response = client.get("/donnees/catalogue.jsonld")
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    graph = Graph().parse(data=response.content, format="json-ld")
    catalog = URIRef(f"{BASE}/donnees/catalogue.jsonld")
    assert (catalog, RDF.type, DCAT.Catalog) in graph
    assert graph.value(catalog, DCTERMS.license) == LICENCE
    publisher = graph.value(catalog, DCTERMS.publisher)
    assert graph.value(publisher, RDF.type) == FOAF.Organization
    assert graph.value(publisher, FOAF.name) == Literal("PETR Figeac Quercy Vallée de la Dordogne")
    assert graph.value(publisher, DCTERMS.identifier) == Literal("200052397")
    stats = {entry["dataset"].key: entry for entry in export.catalogue()}
    datasets = set(graph.objects(catalog, DCAT.dataset))
    assert {str(graph.value(d, DCTERMS.identifier)) for d in datasets} == set(stats)
    latest = max(entry["updated"] for entry in stats.values())
    assert graph.value(catalog, DCTERMS.modified).toPython() == latest
    for dataset in datasets:
        key = str(graph.value(dataset, DCTERMS.identifier))
        assert (dataset, RDF.type, DCAT.Dataset) in graph
        assert str(graph.value(dataset, DCTERMS.title)) == export.get_dataset(key).title
        assert graph.value(dataset, DCTERMS.publisher) == publisher
        assert graph.value(dataset, DCTERMS.license) == LICENCE
        assert graph.value(dataset, DCTERMS.modified).toPython() == stats[key]["updated"]
        media = {}
        for distribution in graph.objects(dataset, DCAT.distribution):
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            assert graph.value(distribution, DCTERMS.license) == LICENCE
            assert graph.value(distribution, DCTERMS.modified).toPython() == stats[key]["updated"]
            url = str(graph.value(distribution, DCAT.downloadURL))
            assert str(graph.value(distribution, DCAT.accessURL)) == url
            media[url] = graph.value(distribution, DCAT.mediaType)
        assert media == {
            f"{BASE}/donnees/{key}.csv": IANA["text/csv"],
            f"{BASE}/donnees/{key}.json": IANA["application/json"],
        }
        for url, media_type in media.items():
            file = client.get(url.removeprefix(BASE))
            assert file.status_code == 200
            assert file["Content-Type"].split(";")[0] == str(media_type).removeprefix(IANA)


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/donnees/datapackage.json", "application/json; charset=utf-8"),
        ("/donnees/catalogue.jsonld", "application/ld+json; charset=utf-8"),
    ],
)
def test_get_and_head(client, content, path, content_type):  # noqa: F811
    got = client.get(path)
    head = client.head(path)
    assert got.status_code == head.status_code == 200
    assert got["Content-Type"] == head["Content-Type"] == content_type
    assert json.loads(got.content) and head.content == b""
    assert client.post(path).status_code == 405


def test_open_data_page_links_the_descriptions_and_states_source_and_update(client, content):  # noqa: F811
    html = get(client, "/donnees/").decode()
    assert 'href="/donnees/datapackage.json"' in html
    assert 'href="/donnees/catalogue.jsonld"' in html
    for entry in export.catalogue():
        key, updated = entry["dataset"].key, timezone.localtime(entry["updated"])
        item = re.search(rf'<li class="dataset card" id="jeu-{key}">.*?</li>', html, re.S).group()
        assert "Source&nbsp;: PETR Figeac Quercy Vallée de la Dordogne" in item
        stamp = updated.replace(microsecond=0).isoformat()
        assert f'<time datetime="{stamp}">' in item


def test_open_data_page_is_valid_html(client, content, tmp_path):  # noqa: F811
    page = tmp_path / "donnees.html"
    page.write_bytes(get(client, "/donnees/"))
    assert vnu_messages([page]) == []
