"""The RGAA's computation on the worked cases: criterion by criterion over the sample, the
rate only once nothing is left to test, the level read from the exact fraction."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from accessibilite.conformity import (
    Conformity,
    CriterionCounts,
    Level,
    Status,
    level_of,
    summarize,
    valid_until,
)
from accessibilite.services import criterion_counts
from tests.accessibilite.factories import audit_with_pages, record

C, NC, NA, NT = Status.CONFORMING, Status.FAILING, Status.NOT_APPLICABLE, Status.NOT_TESTED


def criteria(conforming=0, failing=0, not_applicable=0, pages=1):
    """Criteria judged the same way on every page of a sample of `pages`."""
    return (
        [CriterionCounts(conforming=pages)] * conforming
        + [CriterionCounts(failing=pages)] * failing
        + [CriterionCounts(not_applicable=pages)] * not_applicable
    )


def test_a_criterion_failing_on_one_page_of_ten_is_non_conforme():
    counts = CriterionCounts(conforming=9, failing=1)
    assert counts.status == NC
    conformity = summarize([counts, *criteria(conforming=105, pages=10)])
    assert (conformity.conforming, conformity.failing) == (105, 1)
    assert conformity.rate == Fraction(105, 106)
    assert conformity.level == Level.PARTIAL


def test_a_criterion_non_applicable_everywhere_leaves_the_rate():
    assert CriterionCounts(not_applicable=10).status == NA
    # Conforme where it applies, non applicable elsewhere: conforme.
    assert CriterionCounts(conforming=1, not_applicable=9).status == C
    conformity = summarize(criteria(conforming=105, not_applicable=1, pages=10))
    assert conformity.not_applicable == 1
    assert conformity.rate == 1


def test_one_result_left_to_test_gives_no_rate():
    left = CriterionCounts(conforming=9, not_tested=1)
    assert left.status == NT
    conformity = summarize([left, *criteria(conforming=105, pages=10)])
    assert not conformity.complete
    assert conformity.rate is None and conformity.percent is None
    assert conformity.level == Level.NONE
    # A failure elsewhere on the criterion decides it whatever is left to test.
    assert CriterionCounts(failing=1, not_tested=9).status == NC


def test_27_of_89_is_30_34_percent_non_conforme():
    conformity = summarize(criteria(conforming=27, failing=62, not_applicable=17))
    assert conformity.rate == Fraction(27, 89)
    assert conformity.percent == Decimal("30.34")
    assert conformity.level == Level.NONE


def test_52_of_105_is_non_conforme():
    conformity = summarize(criteria(conforming=52, failing=53, not_applicable=1))
    assert conformity.percent == Decimal("49.52")
    assert conformity.level == Level.NONE


def test_105_of_105_is_totalement_conforme():
    conformity = summarize(criteria(conforming=105, not_applicable=1))
    assert conformity.percent == Decimal("100.00")
    assert conformity.level == Level.TOTAL


def test_the_level_compares_the_exact_fraction():
    assert level_of(Fraction(1, 2)) == Level.PARTIAL
    assert level_of(Fraction(52, 105)) == Level.NONE
    assert level_of(Fraction(105, 106)) == Level.PARTIAL
    assert level_of(None) == Level.NONE
    # Nothing applies at all: no rate, and no conformity to claim.
    assert Conformity(not_applicable=106).rate is None


def test_an_audit_counts_three_years_or_18_months_after_its_version_is_replaced():
    assert valid_until(date(2026, 3, 2)) == date(2029, 3, 1)
    assert valid_until(date(2024, 2, 29)) == date(2027, 2, 27)
    assert valid_until(date(2026, 3, 2), superseded_on=date(2026, 12, 15)) == date(2028, 6, 14)
    assert valid_until(date(2026, 3, 2), superseded_on=date(2029, 1, 1)) == date(2029, 3, 1)


# The same cases through the database: the grid's rows, counted per criterion.


@pytest.mark.django_db
def test_the_grid_counts_nc_on_one_page_of_ten(rgaa):
    audit = audit_with_pages(rgaa, pages=10)
    record(audit, {"*": C, "1.1": [C] * 9 + [NC]})
    counts = {criterion.code: value for criterion, value in criterion_counts(audit).items()}
    assert counts["1.1"] == CriterionCounts(conforming=9, failing=1)
    assert len(counts) == 106
    audit.refresh_from_db()
    assert (audit.conforming, audit.failing, audit.not_applicable, audit.not_tested) == (
        105,
        1,
        0,
        0,
    )
    assert audit.conformity().level == Level.PARTIAL


@pytest.mark.django_db
def test_the_grid_gives_27_of_89(rgaa):
    audit = audit_with_pages(rgaa, pages=2)
    codes = [f"{theme}.{number}" for theme, number in _codes(rgaa)]
    statuses = dict.fromkeys(codes[:27], C)
    statuses.update(dict.fromkeys(codes[27:89], NC))
    statuses["*"] = NA
    record(audit, statuses)
    audit.refresh_from_db()
    assert audit.conformity().percent == Decimal("30.34")
    assert audit.conformity().level == Level.NONE


@pytest.mark.django_db
def test_a_page_without_results_is_left_to_test(rgaa):
    audit = audit_with_pages(rgaa, pages=3)
    record(audit, {"*": [C, C, NT]})
    audit.refresh_from_db()
    assert audit.not_tested == 106
    assert audit.conformity().rate is None
    # An empty sample has tested nothing either.
    empty = audit_with_pages(rgaa, pages=0)
    record(empty, {})
    empty.refresh_from_db()
    assert empty.not_tested == 106


def _codes(version):
    from accessibilite.models import Criterion

    return [
        (criterion.theme.number, criterion.number)
        for criterion in Criterion.objects.of_version(version)
    ]
