"""The period of a report: two dates, both included, read in Europe/Paris time.

A point d'étape, a document or a measure dated on the last day belongs to the period; a
meeting belongs to it when it starts between midnight of the first day and midnight after
the last day, Paris time.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.utils import timezone

from core.text import french_date


@dataclass(frozen=True)
class Period:
    starts_on: date
    ends_on: date

    @property
    def days(self):
        return (self.ends_on - self.starts_on).days + 1

    def previous(self):
        """The period of the same length that ends the day before this one starts."""
        ends_on = self.starts_on - timedelta(days=1)
        return Period(ends_on - timedelta(days=self.days - 1), ends_on)

    @property
    def start_moment(self):
        """Midnight at the start of the first day, Paris time."""
        return timezone.make_aware(datetime.combine(self.starts_on, time.min))

    @property
    def end_moment(self):
        """Midnight after the last day, Paris time: the first moment outside the period."""
        return timezone.make_aware(datetime.combine(self.ends_on + timedelta(days=1), time.min))

    def contains_moment(self, moment):
        return self.start_moment <= moment < self.end_moment

    def contains(self, day):
        return self.starts_on <= day <= self.ends_on

    @property
    def query(self):
        """« du=2025-01-01&au=2025-12-31 »: the report's address for this period."""
        return urlencode({"du": self.starts_on.isoformat(), "au": self.ends_on.isoformat()})

    @property
    def label(self):
        """« du 1er janvier 2025 au 31 décembre 2025 »."""
        first = french_date(self.starts_on, weekday=False)
        return f"du {first} au {french_date(self.ends_on, weekday=False)}"

    @property
    def file_label(self):
        """« 2025-01-01 au 2025-12-31 »: in file names, sorted by date."""
        return f"{self.starts_on.isoformat()} au {self.ends_on.isoformat()}"


def last_twelve_months(today):
    """The twelve months that end today: from the day after today's date a year ago."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February: a year before is 28 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return Period(year_ago + timedelta(days=1), today)


def calendar_year(year):
    return Period(date(year, 1, 1), date(year, 12, 31))


def since(last_day, today):
    """From the day after `last_day` to today (None when that is not yet a day)."""
    first = last_day + timedelta(days=1)
    return Period(first, today) if first <= today else None
