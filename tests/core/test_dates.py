"""Dates as clerks write them, and period file names."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from gongkai.core.dates import DateError, parse_date, parse_period


@pytest.mark.parametrize("typed", [
    date(2025, 3, 5), "2025-03-05", "2025-3-5", "2025/3/5", "2025.03.05", "2025年3月5日",
    "２０２５年３月５日", " 2025-03-05 ",
])
def test_date_spellings(typed: object) -> None:
    assert parse_date(typed) == date(2025, 3, 5)


@pytest.mark.parametrize(("typed", "reason"), [
    ("2025-02-30", "calendar"), ("2025-13-01", "calendar"), ("3月5日", "format"),
    ("20250305", "format"), (20250305, "type"), (datetime(2025, 3, 5, 8, 0), "datetime"),
])
def test_not_dates(typed: object, reason: str) -> None:
    with pytest.raises(DateError, match=reason):
        parse_date(typed)


@pytest.mark.parametrize(("name", "start", "end", "kind"), [
    ("2025-03", date(2025, 3, 1), date(2025, 3, 31), "month"),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month"),
    ("2025-Q1", date(2025, 1, 1), date(2025, 3, 31), "quarter"),
    ("2025-Q4", date(2025, 10, 1), date(2025, 12, 31), "quarter"),
    ("2025", date(2025, 1, 1), date(2025, 12, 31), "year"),
])
def test_periods(name: str, start: date, end: date, kind: str) -> None:
    period = parse_period(name)
    assert period is not None
    assert (period.start, period.end, period.kind) == (start, end, kind)
    assert period.contains(start) and period.contains(end)


@pytest.mark.parametrize("name", ["2025-3", "2025-13", "2025-00", "2025-Q5", "25-03", "2025-03-01", "0000", "0000-03"])
def test_not_periods(name: str) -> None:
    assert parse_period(name) is None


def test_periods_sort_by_time() -> None:
    names = ["2025-Q1", "2024", "2025-02", "2024-12"]
    ordered = sorted(p for p in map(parse_period, names) if p)
    assert [p.name for p in ordered] == ["2024", "2024-12", "2025-Q1", "2025-02"]
