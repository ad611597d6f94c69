"""/indicateurs/ in Chromium: compass, indicators with charts and tables, glossary."""

import pytest

from diagnostic import demo, territoire
from tests.browser.diagnostic_helpers import horizontal_overflow

pytestmark = pytest.mark.django_db(transaction=True)


def test_indicators_without_values_are_accessible(page, live_server, assert_accessible):
    territoire.load()
    response = page.goto(live_server.url + "/indicateurs/")
    assert response.status == 200
    assert page.get_by_role("img", name="La boussole du Bonheur Local Brut").is_visible()
    assert_accessible(page)


def test_indicators_with_demo_values_are_accessible(page, live_server, assert_accessible):
    territoire.load()
    demo.load()
    page.goto(live_server.url + "/indicateurs/")
    assert page.get_by_text("Indicateurs et valeurs de démonstration").is_visible()
    charts = page.get_by_role("img", name="Évolution de l'indicateur")
    assert charts.count() == len(demo.DEMO_INDICATORS)
    page.get_by_text("Méthode de calcul").first.click()
    assert_accessible(page)


def test_indicators_fit_a_phone_screen(phone_page, live_server, assert_accessible):
    demo.load()
    phone_page.goto(live_server.url + "/indicateurs/")
    assert horizontal_overflow(phone_page) <= 0
    assert_accessible(phone_page)
