"""Markdown is rendered safely; dates are written the French way, in Europe/Paris time."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template

from chantiers.templatetags.demarche import datetime_attr
from core.text import french_date, markdown_to_text, meeting_when, render_markdown


def plain(text):
    return text.replace("\u00a0", " ")


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[clic](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">a</a>',
        "<iframe src='https://example.org'></iframe>",
        '<p style="color:red">x</p>',
    ],
)
def test_markdown_removes_anything_dangerous(dangerous):
    html = render_markdown(f"Texte {dangerous} fin")
    for bad in ("<script", "onerror", "javascript:", "onclick", "<iframe", "style="):
        assert bad not in html.lower()
    assert "Texte" in html and "fin" in html


def test_markdown_keeps_formatting_and_safe_links():
    html = render_markdown("**gras** et *italique*\n\n- un\n- deux\n\n[PETR](https://example.org)")
    assert "<strong>gras</strong>" in html and "<em>italique</em>" in html
    assert "<li>un</li>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">PETR</a>' in html


def test_markdown_headings_start_below_the_page_headings():
    html = render_markdown("# Grand titre\n\n## Sous-titre")
    assert "<h1" not in html and "<h2" not in html
    assert "<h3>Grand titre</h3>" in html and "<h4>Sous-titre</h4>" in html
    assert "id=" not in html


def test_markdown_filter_in_templates_is_safe_html():
    rendered = Template("{% load demarche %}{{ text|markdown }}").render(
        Context({"text": "**oui** <script>x</script>"})
    )
    assert "<strong>oui</strong>" in rendered and "<script" not in rendered
    assert Template("{% load demarche %}[{{ text|markdown }}]").render(Context({})) == "[]"


def test_markdown_to_text_has_no_markup():
    text = markdown_to_text("## Ordre du jour\n\n- **Accueil** & café\n- Travail <b>en groupes</b>")
    assert text == "Ordre du jour\n\n- Accueil & café\n- Travail en groupes"


def test_french_dates():
    assert plain(french_date(date(2019, 3, 12))) == "mardi 12 mars 2019"
    assert plain(french_date(date(2020, 8, 1))) == "samedi 1er août 2020"
    assert plain(french_date(date(2022, 2, 9), weekday=False)) == "9 février 2022"


def test_meeting_when_is_in_paris_time_in_winter_and_summer():
    # 17:30 UTC is 18:30 in Paris in winter (UTC+1)...
    winter = meeting_when(
        datetime(2019, 3, 12, 17, 30, tzinfo=UTC), datetime(2019, 3, 12, 20, tzinfo=UTC)
    )
    assert plain(winter) == "mardi 12 mars 2019, 18 h 30 – 21 h"
    # ... and 16:30 UTC is 18:30 in summer (UTC+2).
    summer = meeting_when(
        datetime(2021, 6, 15, 16, 30, tzinfo=UTC), datetime(2021, 6, 15, 19, tzinfo=UTC)
    )
    assert plain(summer) == "mardi 15 juin 2021, 18 h 30 – 21 h"
    # Times never break from their unit, nor the end from the start.
    assert "18\u00a0h\u00a030\u00a0– 21\u00a0h" in winter


def test_meeting_over_two_days():
    text = meeting_when(datetime(2023, 5, 5, 7, tzinfo=UTC), datetime(2023, 5, 6, 14, tzinfo=UTC))
    assert plain(text) == "du vendredi 5 mai 2023, 9 h, au samedi 6 mai 2023, 16 h"


def test_datetime_attribute_is_to_the_second_in_paris_time():
    # HTML's <time datetime> refuses more than three digits of a second: `|date:'c'`
    # wrote six for a time saved with microseconds (updated_at).
    saved = datetime(2026, 7, 14, 8, 5, 9, 123456, tzinfo=UTC)
    assert datetime_attr(saved) == "2026-07-14T10:05:09+02:00"
    assert datetime_attr(datetime(2026, 1, 5, 17, 30, tzinfo=UTC)) == "2026-01-05T18:30:00+01:00"
    assert datetime_attr(date(2024, 6, 30)) == "2024-06-30"
    assert datetime_attr(None) == ""
