"""/indicateurs/: the research-action, the compass, indicators with charts and tables, glossary."""

import csv
import io
from datetime import date

import pytest

from diagnostic import territoire
from diagnostic.models import Axis, GlossaryEntry
from tests.diagnostic.budget import ANONYMOUS_BUDGET, assert_constant_queries
from tests.diagnostic.factories import IndicatorFactory, IndicatorValueFactory
from tests.diagnostic.svg import SVG, svgs, tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def axes():
    territoire.load()
    return {axis.key: axis for axis in Axis.objects.all()}


def page(client):
    response = client.get("/indicateurs/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_presents_the_research_action_and_the_compass(client, axes):
    html = page(client)
    assert html.count("<h1") == 1
    for text in [
        "Gabriel Colletis",
        "LEREPS",
        "Université Toulouse Capitole",
        "9&nbsp;février 2022",
        "Glossaire du BLB",
        "cartographie positive",
    ]:
        assert text in html, text
    compass = svgs(html)[0]
    assert compass.get("role") == "img"
    labels = [t.text for t in compass.iter(f"{SVG}text")]
    assert labels == ["Coopération", "Démocratie", "Sobriété", "Habitabilité"]
    assert "Coopération, Démocratie, Sobriété, Habitabilité" in compass.find(f"{SVG}desc").text


def test_without_indicators_the_page_says_they_are_to_come(client, axes):
    html = page(client)
    assert "Les indicateurs du BLB et leurs valeurs sont à venir" in html
    assert "Le glossaire partagé du BLB sera publié ici" in html
    assert html.count("Les indicateurs de cet axe sont à venir") == 4


def test_an_indicator_shows_its_latest_value_trend_chart_and_table(client, axes):
    indicator = IndicatorFactory(
        axis=axes["sobriete"],
        name="Énergie consommée",
        slug="energie",
        unit="MWh",
        higher_is_better=False,
    )
    for year, value in [(2022, 5120), (2023, "4980.5"), (2024, 4710)]:
        IndicatorValueFactory(indicator=indicator, measured_on=date(year, 6, 30), value=value)
    html = page(client)
    assert "4\u202f710&nbsp;MWh" in html
    assert 'au <time datetime="2024-06-30">30 juin 2024</time>' in html
    assert "en baisse depuis la mesure précédente, ce qui va dans le bon sens" in html

    chart = next(s for s in svgs(html) if s.get("aria-labelledby", "").startswith("courbe-energie"))
    assert "Énergie consommée" in chart.find(f"{SVG}title").text
    points = chart.findall(f".//{SVG}circle[@class='chart__point']")
    drawn = [float(p.get("data-value")) for p in points]
    assert drawn == [5120, 4980.5, 4710]
    # Higher values are drawn higher (smaller y).
    ys = [float(p.get("cy")) for p in points]
    assert ys[0] < ys[1] < ys[2]

    rows = next(t for t in tables(html).values() if t and t[0] == ["Date", "Valeur", "Source"])
    assert [row[1] for row in rows[1:]] == ["5\u202f120", "4\u202f980,5", "4\u202f710"]
    assert [float(r[1].replace("\u202f", "").replace(",", ".")) for r in rows[1:]] == drawn
    assert rows[1][2] == "Relevé de l'équipe"


def test_a_rising_indicator_that_should_rise_is_good_news(axes):
    indicator = IndicatorFactory(axis=axes["cooperation"], higher_is_better=True)
    IndicatorValueFactory(indicator=indicator, measured_on=date(2022, 1, 1), value=3)
    IndicatorValueFactory(indicator=indicator, measured_on=date(2023, 1, 1), value=5)
    trend = type(indicator).objects.with_values().get(pk=indicator.pk).trend
    assert trend == {"direction": "up", "label": "en hausse", "good": True}


def test_demo_values_are_labelled(client, axes):
    indicator = IndicatorFactory(axis=axes["democratie"], name="Participation (démo)", is_demo=True)
    IndicatorValueFactory(indicator=indicator, is_demo=True)
    html = page(client)
    assert "Indicateurs et valeurs de démonstration" in html
    assert "(valeur fictive)" in html
    assert "(démo)" in html


def test_the_glossary_is_listed(client, axes):
    GlossaryEntry.objects.create(term="Habitabilité", slug="habitabilite", definition="Vivre bien.")
    html = page(client)
    assert '<dt id="glossaire-habitabilite">Habitabilité' in html
    assert "Vivre bien." in html


def test_query_budget_does_not_grow_with_indicators(client, axes):
    IndicatorValueFactory(indicator=IndicatorFactory(axis=axes["sobriete"]))

    def add_rows():
        for axis in axes.values():
            for _ in range(3):
                indicator = IndicatorFactory(axis=axis)
                for year in range(2018, 2025):
                    IndicatorValueFactory(indicator=indicator, measured_on=date(year, 1, 1))
        for n in range(5):
            GlossaryEntry.objects.create(term=f"Terme {n}", slug=f"terme-{n}", definition="…")

    assert_constant_queries(client, "/indicateurs/", add_rows, ANONYMOUS_BUDGET)


def test_csv_of_the_values(client, axes):
    indicator = IndicatorFactory(axis=axes["habitabilite"], name="Accès au médecin", unit="min")
    IndicatorValueFactory(indicator=indicator, measured_on=date(2024, 6, 30), value="11.5")
    response = client.get("/indicateurs/valeurs.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="indicateurs-bonheur-local-brut.csv"; '
        "filename*=UTF-8''indicateurs-bonheur-local-brut.csv"
    )
    # The open data export (/donnees/indicateurs.csv): a byte order mark for spreadsheets.
    content = b"".join(response.streaming_content)
    assert content == client.get("/donnees/indicateurs.csv").getvalue()
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [
        {
            "axe": "Habitabilité",
            "indicateur": "Accès au médecin",
            "indicateur_slug": indicator.slug,
            "unite": "min",
            "date": "2024-06-30",
            "valeur": "11.50",
            "source": "Relevé de l'équipe",
            "remarque": "",
            "demonstration": "non",
        }
    ]


def test_csv_query_budget(client, axes):
    IndicatorValueFactory(indicator=IndicatorFactory(axis=axes["sobriete"]))

    def add_rows():
        for _ in range(10):
            IndicatorValueFactory(indicator=IndicatorFactory(axis=axes["democratie"]))

    assert_constant_queries(client, "/indicateurs/valeurs.csv", add_rows, 1)
