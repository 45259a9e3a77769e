"""Dates as clerks write them, and disclosure periods (month, quarter, year)."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
# \d admits full-width digits (２０２５-０３), which int() reads; the Q may be lower case.
_PERIOD = re.compile(r"^(\d{4})(?:[-－](?:(\d{2})|[Qq]([1-4])))?$")


class DateError(ValueError):
    """A value that is not a calendar date."""


def parse_date(value: object) -> date:
    """Parse 2025-03-05, 2025-3-5, 2025/3/5 or 2025年3月5日 (full-width digits too)."""
    if isinstance(value, datetime):
        raise DateError("datetime")
    if isinstance(value, date):
        return _plausible(value)
    if not isinstance(value, str):
        raise DateError("type")
    match = _DATE.match(unicodedata.normalize("NFKC", value).strip())
    if not match:
        raise DateError("format")
    year, month, day = (int(part) for part in match.groups())
    try:
        return _plausible(date(year, month, day))
    except ValueError:
        raise DateError("calendar") from None


def month_overrun(value: object) -> tuple[int, int, int] | None:
    """For a date written well but past its month's end (2026-02-30), return the year, the
    month and how many days that month has; None for anything else."""
    if not isinstance(value, str):
        return None
    match = _DATE.match(unicodedata.normalize("NFKC", value).strip())
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not (1900 <= year <= 2199 and 1 <= month <= 12):
        return None
    days = calendar.monthrange(year, month)[1]
    return (year, month, days) if day > days else None


def _plausible(day: date) -> date:
    """Refuse years no disclosure can have (9999-12-31 would overflow date arithmetic)."""
    if not 1900 <= day.year <= 2199:
        raise DateError("calendar")
    return day


@dataclass(frozen=True, order=True)
class Period:
    """A finance period: a month, a quarter or a whole year."""

    start: date
    end: date
    name: str

    @property
    def kind(self) -> str:
        """Return "month", "quarter" or "year"."""
        if "Q" in self.name:
            return "quarter"
        return "month" if "-" in self.name else "year"

    def contains(self, day: date) -> bool:
        """Tell whether a day falls inside the period."""
        return self.start <= day <= self.end


def parse_period(name: str) -> Period | None:
    """Parse a period file name (YYYY-MM, YYYY-Qn or YYYY); None if it is not one."""
    match = _PERIOD.match(name)
    if not match:
        return None
    year = int(match.group(1))
    if year < 1:
        return None
    month, quarter = match.group(2), match.group(3)
    # The canonical name, so that a name typed with full-width digits gets the same
    # address, and is seen to clash with, the plain one.
    if month:
        first = int(month)
        if not 1 <= first <= 12:
            return None
        last, canonical = first, f"{year:04d}-{first:02d}"
    elif quarter:
        first = 3 * int(quarter) - 2
        last, canonical = first + 2, f"{year:04d}-Q{quarter}"
    else:
        first, last, canonical = 1, 12, f"{year:04d}"
    end = date(year, last, calendar.monthrange(year, last)[1])
    return Period(date(year, first, 1), end, canonical)


def working_days(start: date, end: date) -> int:
    """Count the days from start to end, both included, that are not Saturday or Sunday."""
    if end < start:
        return 0
    weeks, extra = divmod((end - start).days + 1, 7)
    count = weeks * 5
    for offset in range(extra):
        if (start.weekday() + offset) % 7 < 5:
            count += 1
    return count


def add_working_days(start: date, count: int) -> date:
    """Return the ``count``-th day after start that is not a Saturday or Sunday."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day
