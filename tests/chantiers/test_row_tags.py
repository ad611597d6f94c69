"""The tags that stand for an include in lists write the include's very markup."""

import pytest
from django.template import Context, Template

from chantiers.models import ChantierStatus, ProgressSummary
from tests.factories import ChantierFactory

pytestmark = pytest.mark.django_db


def _render(source, **context):
    return Template("{% load demarche %}" + source).render(Context(context))


@pytest.mark.parametrize("status", ChantierStatus.values)
def test_status_badge_is_the_include(status):
    chantier = ChantierFactory(status=status)
    assert _render("{% status_badge chantier %}", chantier=chantier) == _render(
        '{% include "chantiers/includes/status_badge.html" %}', chantier=chantier
    )


@pytest.mark.parametrize("statuses", [[], [("en_cours", 1, 0, 40)], [("realisee", 2, 0, 100)]])
def test_progress_bar_is_the_include(statuses):
    summary = ProgressSummary()
    for status in statuses:
        summary.add(*status)
    context = {"summary": summary, "slug": "epargne & <locale>"}
    # The tag of progress_lists, which the home page loads too.
    tag = '{% load progress_lists %}{% progress_bar summary "avancement-"|add:slug %}'
    assert _render(tag, **context) == _render(
        '{% include "chantiers/includes/progress_bar.html" with bar_id="avancement-"|add:slug %}',
        **context,
    )


def test_demo_badge_is_the_include():
    assert _render("{% demo_badge %}") == _render(
        '{% include "chantiers/includes/demo_badge.html" %}'
    )
