"""The date filters of long lists write what Django's date filter writes, in French."""

from datetime import UTC, date, datetime

from django.template import Context, Template

TAGS = "{% load diagnostic_tags %}"


def render(source, value):
    return Template(TAGS + source).render(Context({"value": value}))


def test_same_as_the_date_filter_for_every_month_and_days_1_and_31():
    values = [date(2019, month, day) for month in range(1, 13) for day in (1, 28)]
    values += [date(987, 8, 5), datetime(2019, 12, 31, 23, 30, tzinfo=UTC)]  # Paris: 1 Jan 2020
    for value in values:
        assert render("{{ value|long_date }}", value) == render('{{ value|date:"j F Y" }}', value)
        assert render("{{ value|iso_date }}", value) == render("{{ value|date:'Y-m-d' }}", value)
        assert render("{{ value|year }}", value) == render('{{ value|date:"Y" }}', value)
    assert render("{{ value|long_date }}", date(2019, 2, 1)) == "1 février 2019"
    assert render("{{ value|iso_date }}", datetime(2019, 12, 31, 23, 30, tzinfo=UTC)) == (
        "2020-01-01"
    )
    for empty in (None, ""):
        assert render("{{ value|long_date }}{{ value|iso_date }}{{ value|year }}", empty) == ""
