"""A village's finance overview by year and its archive of every disclosure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gongkai.check.finance import AccountTotal, account_totals
from gongkai.core.dates import Period
from gongkai.model.addresses import ledger_path
from gongkai.model.coa import Chart, chart
from gongkai.model.content import Ledger, Village
from gongkai.plan.views import ItemLink, LedgerLink, by_year, item_link, ledger_link


@dataclass(frozen=True)
class PeriodTotals:
    """One finance period's totals, as the year overview tabulates and charts them."""

    path: str
    period: Period
    income: Decimal
    expense: Decimal
    closing: Decimal | None  # None: not known (the opening balance was not kept)


@dataclass(frozen=True)
class FinanceYear:
    """One year of a village's finances, for its overview: periods oldest first, totals."""

    year: int
    periods: tuple[PeriodTotals, ...]
    income: Decimal
    expense: Decimal
    income_totals: tuple[AccountTotal, ...]
    expense_totals: tuple[AccountTotal, ...]


def finance_years(ledgers: Sequence[Ledger], accounts: Chart) -> tuple[FinanceYear, ...]:
    """Sum each year of a village's finance periods, newest year first."""
    years: list[FinanceYear] = []
    for year, group in by_year(ledgers, lambda ledger: ledger.period.start.year):
        periods = tuple(sorted(group, key=lambda ledger: ledger.period))
        accounts = chart(periods[-1].chart)  # a year's periods share one chart
        income = [line for ledger in periods for line in ledger.data.income]
        expense = [line for ledger in periods for line in ledger.data.expense]
        years.append(FinanceYear(
            year, tuple(PeriodTotals(ledger_path(ledger), ledger.period, ledger.data.total_income,
                                     ledger.data.total_expense, ledger.closing)
                        for ledger in periods),
            sum((ledger.data.total_income for ledger in periods), Decimal("0.00")),
            sum((ledger.data.total_expense for ledger in periods), Decimal("0.00")),
            account_totals(income, accounts.order), account_totals(expense, accounts.order)))
    return tuple(years)


@dataclass(frozen=True)
class ArchiveEntry:
    """One disclosure in a village's archive: when it was posted, what kind, which one."""

    posted: date
    kind: str
    entry: LedgerLink | ItemLink


def archive_years(village: Village,
                  today: date) -> tuple[tuple[int, tuple[ArchiveEntry, ...]], ...]:
    """List everything a village disclosed by the year it was posted, newest first."""
    found: list[tuple[date, str, str, LedgerLink | ItemLink]] = [
        (ledger.data.published, "finance", ledger.source, ledger_link(ledger))
        for ledger in village.ledgers]
    found += [(item.data.date, item.kind, item.source, item_link(item, today))
              for item in (*village.party, *village.affairs)]
    found.sort(key=lambda row: row[:3], reverse=True)
    entries = (ArchiveEntry(posted, kind, link) for posted, kind, _source, link in found)
    return by_year(entries, lambda entry: entry.posted.year)
