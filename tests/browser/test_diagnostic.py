"""/diagnostic/ in Chromium: accessible chart and table, with demo figures and without."""

import pytest

from diagnostic import demo, territoire
from tests.browser.diagnostic_helpers import horizontal_overflow

pytestmark = pytest.mark.django_db(transaction=True)


def test_diagnostic_without_figures_is_accessible(page, live_server, assert_accessible):
    territoire.load()
    response = page.goto(live_server.url + "/diagnostic/")
    assert response.status == 200
    assert page.get_by_text("Les chiffres du territoire sont à venir").is_visible()
    assert_accessible(page)


def test_diagnostic_with_demo_figures_is_accessible(page, live_server, assert_accessible):
    territoire.load()
    demo.load()
    page.goto(live_server.url + "/diagnostic/")
    chart = page.get_by_role("img", name="Part de chaque base dans les revenus du territoire")
    assert chart.is_visible()
    assert chart.bounding_box()["height"] > 100
    assert page.get_by_text("Chiffres de démonstration :").is_visible()
    assert page.get_by_role("table", name="Revenus par base").is_visible()
    assert_accessible(page)


def test_diagnostic_fits_a_phone_screen(phone_page, live_server, assert_accessible):
    demo.load()
    phone_page.goto(live_server.url + "/diagnostic/")
    assert horizontal_overflow(phone_page) <= 0
    assert_accessible(phone_page)
