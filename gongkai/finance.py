"""Finance checks across a village's periods, and the figures a period page shows.

Each period's opening balance is the closing balance of the one before: stated, it must
agree; left out, it is carried over. Accounts come from the site's chart of accounts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

from gongkai.coa import Chart
from gongkai.errors import Location, Report, unknown_name
from gongkai.i18n import N_, Msg
from gongkai.model import ExpenseLine, IncomeLine, Ledger, LedgerFile
from gongkai.source import Positions, dotted

ACCOUNT_KINDS = {"income": N_("an income account of the chart {chart}"),
                 "expense": N_("an expense account of the chart {chart}")}


@dataclass(frozen=True)
class Loaded:
    """A period as read from its file, with the positions of its values for errors."""

    ledger: Ledger
    positions: Positions


@dataclass(frozen=True)
class AccountTotal:
    """The total of one account in a period (or a year), with its share of the side."""

    account: str
    amount: Decimal
    share: Decimal  # of the side's total, 0 to 1, for the bar chart


def check_accounts(data: LedgerFile, chart: Chart, positions: Positions,
                   report: Report) -> None:
    """Report lines whose account is not one of the chart's income or expense accounts."""
    sides: tuple[tuple[str, Sequence[IncomeLine | ExpenseLine]], ...] = (
        ("income", data.income), ("expense", data.expense))
    for side, lines in sides:
        accounts = chart.accounts(side)
        for index, line in enumerate(lines):
            if line.category not in accounts:
                path = (side, index, "category")
                kind = Msg.of(ACCOUNT_KINDS[side], chart=chart.id)
                report.error(positions.locate(path),
                             unknown_name(kind, line.category, accounts), dotted(path))


def chain(loaded: Sequence[Loaded], report: Report) -> list[Ledger]:
    """Resolve each period's opening balance from the period before; newest first."""
    chained: list[Ledger] = []
    for item in sorted(loaded, key=lambda entry: entry.ledger.period):
        previous = chained[-1] if chained else None
        opening = _opening(item, previous, report)
        if opening is None:
            continue
        ledger = replace(item.ledger, opening=opening)
        _check_closing(ledger, item.positions, report)
        chained.append(ledger)
    return chained[::-1]


def _opening(item: Loaded, previous: Ledger | None, report: Report) -> Decimal | None:
    """Return a period's opening balance, reporting a break in the chain."""
    ledger, positions = item.ledger, item.positions
    stated = ledger.data.opening_balance
    if previous is None:
        if stated is None:
            report.error(positions.locate(()), Msg.of(
                N_("the first finance period of a village states its opening balance: add "
                   "“opening_balance: …” (the balance carried over from before)")),
                "opening_balance")
        return stated
    if _check_gap(previous, ledger, report):
        # Across missing periods the balance cannot be carried over, nor checked.
        if stated is None:
            report.error(positions.locate(()), Msg.of(
                N_("periods are missing before this one, so its opening balance cannot be "
                   "carried over: add “opening_balance: …”")), "opening_balance")
        return stated
    if stated is not None and stated != previous.closing:
        report.error(positions.locate(("opening_balance",)), Msg.of(
            N_("the opening balance {stated} does not equal the closing balance {previous} of "
               "{other} (difference {difference}); correct one of the two files"),
            stated=stated, previous=previous.closing, other=previous.source,
            difference=stated - previous.closing), "opening_balance")
    return previous.closing if stated is None else stated


def _check_gap(previous: Ledger, ledger: Ledger, report: Report) -> bool:
    """Report periods that overlap, warn about periods missing between two files; True
    when some are missing."""
    if previous.period.end >= ledger.period.start:
        report.error(Location(ledger.source), Msg.of(
            N_("this period ({period}) overlaps {other} ({other_period}); each month may "
               "be disclosed in one file only"),
            period=ledger.period.name, other=previous.source, other_period=previous.period.name))
    elif previous.period.end + timedelta(days=1) < ledger.period.start:
        report.warning(Location(ledger.source), Msg.of(
            N_("no finance disclosure covers {start} to {end}, between {other} and this "
               "file; publish the missing periods"),
            start=(previous.period.end + timedelta(days=1)).isoformat(),
            end=(ledger.period.start - timedelta(days=1)).isoformat(), other=previous.source))
        return True
    return False


def _check_closing(ledger: Ledger, positions: Positions, report: Report) -> None:
    """Check a stated closing balance against opening + income − expense."""
    stated = ledger.data.closing_balance
    if stated is not None and stated != ledger.closing:
        report.error(positions.locate(("closing_balance",)), Msg.of(
            N_("the closing balance {stated} does not equal opening balance + income − "
               "expense = {computed} (difference {difference}); correct the figures"),
            stated=stated, computed=ledger.closing, difference=stated - ledger.closing),
            "closing_balance")


def account_totals(lines: Sequence[IncomeLine | ExpenseLine],
                   accounts: Sequence[str]) -> tuple[AccountTotal, ...]:
    """Total the lines by account, in the chart's order, leaving out unused accounts."""
    sums: dict[str, Decimal] = {}
    for line in lines:
        sums[line.category] = sums.get(line.category, Decimal("0.00")) + line.amount
    total = sum(sums.values(), Decimal("0.00"))
    order = [a for a in accounts if a in sums] + sorted(a for a in sums if a not in accounts)
    return tuple(AccountTotal(a, sums[a], sums[a] / total if total else Decimal(0))
                 for a in order)
