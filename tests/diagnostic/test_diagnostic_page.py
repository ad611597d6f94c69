"""/diagnostic/: the method, the chart and its table, national references, CSV."""

import csv
import io

import pytest

from diagnostic.models import NATIONAL_REFERENCE, DocumentKind, RevenueBase
from tests.diagnostic.budget import ANONYMOUS_BUDGET, assert_constant_queries
from tests.diagnostic.factories import DocumentFactory, revenue_diagnostic
from tests.diagnostic.svg import SVG, percent, svgs, tables

pytestmark = pytest.mark.django_db

ITEMS = [
    (RevenueBase.RESIDENTIAL, "Pensions de retraite", 250),
    (RevenueBase.RESIDENTIAL, "Dépenses des touristes", 150),
]


def page(client, **params):
    response = client.get("/diagnostic/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_explains_the_method_and_names_the_reference_source(client):
    html = page(client)
    assert html.count("<h1") == 1
    for text in [
        "Sombart",
        "Laurent Davezies",
        "Magali Talandier",
        "Base productive",
        "Base publique",
        "Base sociale et sanitaire",
        "Base résidentielle",
        "économie présentielle",
        "Sénat r12-271",
        "60&nbsp;%",
    ]:
        assert text in html, text


def test_without_figures_the_page_says_they_are_to_come(client):
    html = page(client)
    assert "Les chiffres du territoire sont à venir" in html
    assert "<svg" not in html.split("<main", 1)[1]  # no chart (the header has an icon)
    assert "n'est pas encore en ligne" in html
    # The national references are shown all the same, with their source.
    rows = tables(html)["tableau-references"]
    assert [percent(row[1]) for row in rows[1:]] == [22, 10, 23, 45]


def test_without_figures_the_page_links_the_diagnostic_pdf(client):
    document = DocumentFactory(title="Diagnostic socio-économique", kind=DocumentKind.DIAGNOSTIC)
    html = page(client)
    assert "Les chiffres du territoire sont à venir" in html
    assert f'href="/documents/{document.slug}/telecharger/"' in html


def test_a_diagnostic_entry_without_file_says_it_is_not_available(client):
    DocumentFactory(title="Diagnostic socio-économique", kind=DocumentKind.DIAGNOSTIC, file="")
    html = page(client)
    assert "Le fichier n'est pas encore disponible" in html


def test_the_chart_carries_the_numbers_of_the_table(client):
    revenue_diagnostic(year=2019, items=ITEMS)
    html = page(client)
    (chart,) = svgs(html)
    assert chart.get("role") == "img"
    title_id, desc_id = chart.get("aria-labelledby").split()
    assert chart.find(f"{SVG}title").get("id") == title_id
    assert chart.find(f"{SVG}desc").get("id") == desc_id
    assert "2019" in chart.find(f"{SVG}title").text
    assert "style" not in ET_attributes(chart)

    territory = chart.findall(f".//{SVG}rect[@class='chart__bar chart__bar--territory']")
    reference = chart.findall(f".//{SVG}rect[@class='chart__bar chart__bar--reference']")
    shares = [float(rect.get("data-share")) for rect in territory]
    references = [float(rect.get("data-share")) for rect in reference]
    assert shares == [30.0, 10.0, 20.0, 40.0]
    assert references == [float(NATIONAL_REFERENCE[b]) for b in NATIONAL_REFERENCE]

    # Widths are proportional to the percentages, on one scale for both series.
    widths = [float(rect.get("width")) for rect in territory + reference]
    values = shares + references
    ratios = {round(width / value, 6) for width, value in zip(widths, values, strict=True)}
    assert len(ratios) == 1

    # The labels drawn beside the bars and the description say the same numbers.
    drawn = [t.text for t in chart.iter(f"{SVG}text") if "chart__value" in t.get("class", "")]
    assert [percent(text) for text in drawn] == [30, 22, 10, 10, 20, 23, 40, 45]
    description = chart.find(f"{SVG}desc").text
    assert "Base résidentielle\u00a0: 40\u00a0% sur le territoire, 45\u00a0% en moyenne" in (
        description
    )

    rows = tables(html)["tableau-bases"]
    assert rows[0] == ["Base", "Montant", "Part du territoire", "Moyenne France"]
    body = rows[1:5]
    assert [row[0] for row in body] == [
        "Base productive",
        "Base publique",
        "Base sociale et sanitaire",
        "Base résidentielle",
    ]
    assert [percent(row[2]) for row in body] == shares
    assert [percent(row[3]) for row in body] == references
    assert [row[1] for row in body] == ["300\u00a0€", "100\u00a0€", "200\u00a0€", "400\u00a0€"]
    assert rows[5][:2] == ["Total", "1\u202f000\u00a0€"]


def ET_attributes(element):
    return {name for node in element.iter() for name in node.attrib}


def test_shares_are_rounded_to_one_decimal():
    diagnostic = revenue_diagnostic(
        amounts={
            RevenueBase.PRODUCTIVE: 1,
            RevenueBase.PUBLIC: 1,
            RevenueBase.SOCIAL: 1,
            RevenueBase.RESIDENTIAL: 0,
        }
    )
    diagnostic = type(diagnostic).objects.with_figures().get(pk=diagnostic.pk)
    assert [str(row["share"]) for row in diagnostic.shares()] == ["33.3", "33.3", "33.3", "0.0"]


def test_sub_items_are_listed_with_their_source(client):
    revenue_diagnostic(items=ITEMS)
    rows = tables(page(client))["tableau-postes"]
    assert ["Pensions de retraite", "250\u00a0€", "Caisse"] in rows
    assert ["Base résidentielle"] in rows
    assert ["Total de la base", "400\u00a0€", "Source residentielle"] in rows


def test_demo_figures_are_labelled_as_demo(client):
    revenue_diagnostic(year=2016, is_demo=True)
    html = page(client)
    assert "Chiffres de démonstration" in html
    assert "(chiffres de démonstration)" in svgs(html)[0].find(f"{SVG}title").text
    assert "Territoire (démo)" in html


def test_real_figures_come_before_demo_ones(client):
    revenue_diagnostic(year=2021, is_demo=True)
    revenue_diagnostic(year=2019)
    html = page(client)
    assert "Les revenus du territoire en 2019" in html
    assert "Chiffres de démonstration" not in html


def test_another_year_can_be_chosen(client):
    revenue_diagnostic(year=2019)
    revenue_diagnostic(year=2015)
    assert 'href="?annee=2015"' in page(client)
    assert "Les revenus du territoire en 2015" in page(client, annee="2015")
    assert "Les revenus du territoire en 2019" in page(client, annee="pas-une-année")


def test_query_budget_does_not_grow_with_figures(client):
    revenue_diagnostic(year=2019, items=ITEMS)

    def add_rows():
        for year in range(2000, 2010):
            revenue_diagnostic(year=year, items=ITEMS * 3)
        for _ in range(5):
            DocumentFactory(kind=DocumentKind.DIAGNOSTIC)

    assert_constant_queries(client, "/diagnostic/", add_rows, ANONYMOUS_BUDGET + 1)


def test_csv_of_the_figures(client):
    revenue_diagnostic(year=2019, items=ITEMS)
    revenue_diagnostic(year=2016, is_demo=True)
    response = client.get("/diagnostic/chiffres.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; ")
    assert 'filename="diagnostic-flux-de-revenus.csv"' in response["Content-Disposition"]
    # The open data export (/donnees/diagnostic.csv): a byte order mark for spreadsheets.
    content = b"".join(response.streaming_content)
    assert content == client.get("/donnees/diagnostic.csv").getvalue()
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    productive_2019 = next(
        r for r in rows if r["annee"] == "2019" and r["base"] == "Base productive"
    )
    assert productive_2019 == {
        "annee": "2019",
        "territoire": "PETR Figeac Quercy Vallée de la Dordogne",
        "base": "Base productive",
        "poste": "",
        "montant_euros": "300",
        "part_du_total_pct": "30.0",
        "source": "Source productive",
        "demonstration": "non",
    }
    pensions = next(r for r in rows if r["poste"] == "Pensions de retraite")
    assert pensions["montant_euros"] == "250"
    assert {r["demonstration"] for r in rows if r["annee"] == "2016"} == {"oui"}


def test_csv_query_budget(client):
    revenue_diagnostic(year=2019, items=ITEMS)

    def add_rows():
        for year in range(2000, 2005):
            revenue_diagnostic(year=year, items=ITEMS)

    assert_constant_queries(client, "/diagnostic/chiffres.csv", add_rows, 2)


def test_french_number_formats():
    from diagnostic.templatetags.diagnostic_tags import euros, euros_compact, fr_percent

    assert euros(1234567) == "1\u202f234\u202f567\u00a0€"
    assert euros_compact(597_000_000) == "597\u00a0M€"
    assert euros_compact(5_430_000) == "5,4\u00a0M€"
    assert euros_compact(35_000) == "35\u202f000\u00a0€"
    assert fr_percent(20.8) == "20,8\u00a0%"
    assert fr_percent(22) == "22\u00a0%"
