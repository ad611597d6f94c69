"""The RGAA's official computation, on plain numbers (no query here).

A criterion is judged over every page of the sample: non conforme as soon as one page
fails it, otherwise non testé while a page is left to test, conforme when it is conforme
or non applicable everywhere and conforme at least once, non applicable when it is non
applicable everywhere. The rate is conformes ÷ (conformes + non conformes), given only
when no criterion is left non testé; the level compares that exact fraction (a Fraction,
never a float): 100 % totalement, at least 50 % partiellement, below non conforme.

An audit stops counting three years after it was made, or 18 months after a newer RGAA
replaced the version it followed: the site is then « non conforme » again.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import models


class Status(models.TextChoices):
    CONFORMING = "C", "Conforme"
    FAILING = "NC", "Non conforme"
    NOT_APPLICABLE = "NA", "Non applicable"
    NOT_TESTED = "NT", "Non testé"


class Level(models.TextChoices):
    TOTAL = "totalement conforme", "totalement conforme"
    PARTIAL = "partiellement conforme", "partiellement conforme"
    NONE = "non conforme", "non conforme"


AUDIT_LIFETIME_YEARS = 3
SUPERSEDED_GRACE_MONTHS = 18


@dataclass(frozen=True)
class CriterionCounts:
    """How many pages of the sample gave each result to one criterion."""

    conforming: int = 0
    failing: int = 0
    not_applicable: int = 0
    not_tested: int = 0

    @property
    def status(self):
        if self.failing:
            return Status.FAILING
        # No page at all judged it (an empty sample) counts as a page left to test.
        if self.not_tested or not (self.conforming or self.not_applicable):
            return Status.NOT_TESTED
        if self.conforming:
            return Status.CONFORMING
        return Status.NOT_APPLICABLE


@dataclass(frozen=True)
class Conformity:
    """How many criteria are conformes, non conformes, non applicables, non testés."""

    conforming: int = 0
    failing: int = 0
    not_applicable: int = 0
    not_tested: int = 0

    @property
    def complete(self):
        return self.not_tested == 0

    @property
    def rate(self):
        """The exact fraction, or None while a criterion is left to test (or none applies)."""
        applicable = self.conforming + self.failing
        if not self.complete or not applicable:
            return None
        return Fraction(self.conforming, applicable)

    @property
    def level(self):
        return level_of(self.rate)

    @property
    def percent(self):
        """The rate in percent with two decimals (Decimal), for display."""
        return percent(self.rate)


def summarize(criteria):
    """The Conformity of criteria given as CriterionCounts."""
    totals = dict.fromkeys(Status.values, 0)
    for counts in criteria:
        totals[counts.status] += 1
    return Conformity(
        conforming=totals[Status.CONFORMING],
        failing=totals[Status.FAILING],
        not_applicable=totals[Status.NOT_APPLICABLE],
        not_tested=totals[Status.NOT_TESTED],
    )


def level_of(rate):
    """The level of an exact rate; without a rate the site cannot claim any conformity."""
    if rate is None or rate < Fraction(1, 2):
        return Level.NONE
    if rate == 1:
        return Level.TOTAL
    return Level.PARTIAL


def percent(rate):
    """27/89 → Decimal("30.34"). Rounding half up cannot cross a level: with at most a few
    hundred criteria no fraction below 1/2 (or 1) is close enough to round up to it, and
    the level is read from the fraction anyway."""
    if rate is None:
        return None
    value = Decimal(rate.numerator * 100) / Decimal(rate.denominator)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def add_months(day, months):
    """The same day `months` later, the last day of the month when it has no such day."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(audited_on, superseded_on=None):
    """The last day an audit counts: three years after it was made, or 18 months after
    the publication of the RGAA version that replaced its own, whichever comes first."""
    until = add_months(audited_on, 12 * AUDIT_LIFETIME_YEARS) - timedelta(days=1)
    if superseded_on is not None:
        until = min(until, add_months(superseded_on, SUPERSEDED_GRACE_MONTHS) - timedelta(days=1))
    return until
