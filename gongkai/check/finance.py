"""Finance checks across a village's periods, and the figures a period page shows.

Each period's opening balance is the closing balance of the one before: stated, it must
agree; left out, it is carried over. Accounts come from the site's chart of accounts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

from gongkai.core.errors import Location, Report
from gongkai.core.i18n import N_, Msg
from gongkai.model.coa import PNL, Chart
from gongkai.model.content import Ledger
from gongkai.model.finance import ExpenseLine, IncomeLine, LedgerFile
from gongkai.read.source import Positions
from gongkai.read.yamlfile import dotted

# The three signatures a voucher carries (经手人, 证明人, 审批人), in that order.
SIGNOFF_ROLES = (("handled_by", N_("handler")), ("witnessed_by", N_("witness")),
                 ("approved_by", N_("approver")))


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


Line = IncomeLine | ExpenseLine


@dataclass(frozen=True)
class SubGroup:
    """The lines of one sub-account (明细科目) of an account, with their total; the
    lines written without a sub-account have ``name`` None."""

    name: str | None
    amount: Decimal
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class AccountGroup:
    """The lines of one account in a period, by sub-account, with the account's total."""

    account: str
    amount: Decimal
    subs: tuple[SubGroup, ...]

    @property
    def count(self) -> int:
        """Count the account's lines."""
        return sum(len(sub.lines) for sub in self.subs)


def check_signoff(data: LedgerFile, above: Decimal | None, positions: Positions,
                  report: Report) -> None:
    """Report expense lines above ``rules.signoff_above`` that lack a sign-off name."""
    if above is None:
        return
    for index, line in enumerate(data.expense):
        if line.amount <= above:
            continue
        given = dict(line.signoff)
        for key, role in SIGNOFF_ROLES:
            if key not in given:
                report.error(positions.locate(("expense", index)), Msg.of(
                    N_("an expense line above {above} yuan names its {role} (rules.signoff_above "
                       "in site_config.yaml); this line of {amount} yuan has no “{key}: …”"),
                    above=above, role=Msg.of(role), amount=line.amount, key=key),
                    dotted(("expense", index, key)))


# Marks that join several names into one: “李芳，赵强” or “李芳、赵强” is two reviewers.
_NAME_JOINS = ("，", "、", "；", ";", "／", "/")


def check_review(data: LedgerFile, positions: Positions, report: Report) -> None:
    """Report a review that cannot be right: names run together (an error: the page would
    show two reviewers as one), or a review dated after posting (a warning)."""
    review = data.reviewed_by
    if review is None:
        return
    for index, name in enumerate(review.names):
        mark = next((join for join in _NAME_JOINS if join in name), None)
        if mark is not None:
            parts = [part.strip() for part in re.split("|".join(map(re.escape, _NAME_JOINS)),
                                                       name) if part.strip()]
            report.error(positions.locate(("reviewed_by", "names", index)), Msg.of(
                N_("{found} reads as one name; write each reviewer separately, with an "
                   "English comma between them: [{names}]"),
                found=f"“{name}”", names=", ".join(parts)),
                dotted(("reviewed_by", "names", index)))
    if review.date is not None and review.date > data.published:
        report.warning(positions.locate(("reviewed_by", "date")), Msg.of(
            N_("the review is dated {date}, after the disclosure was posted on {published}: "
               "the committee reviews a disclosure before it is posted; check both dates"),
            date=review.date.isoformat(), published=data.published.isoformat()),
            "reviewed_by.date")



def chain(loaded: Sequence[Loaded], report: Report) -> list[Ledger]:
    """Resolve each period's opening balance from the period before; newest first."""
    chained: list[Ledger] = []
    for item in sorted(loaded, key=lambda entry: entry.ledger.period):
        previous = chained[-1] if chained else None
        known, opening = _resolve_opening(item, previous, report)
        if not known:
            continue
        ledger = replace(item.ledger, opening=opening)
        _check_closing(ledger, item.positions, report)
        chained.append(ledger)
    return chained[::-1]


def _resolve_opening(item: Loaded, previous: Ledger | None,
                     report: Report) -> tuple[bool, Decimal | None]:
    """Return whether the period can be shown and its opening balance (None: unknown).

    A period states "unknown" when no balance was kept before it (a first period, or
    one after missing periods); the periods after it carry the unknown over until one
    states a figure."""
    stated = item.ledger.data.opening_balance
    gap = previous is not None and _check_gap(previous, item.ledger, report)
    if isinstance(stated, str):  # "unknown"
        if previous is not None and not gap and previous.closing is not None:
            report.error(item.positions.locate(("opening_balance",)), Msg.of(
                N_("the opening balance is known: it is the closing balance {previous} of "
                   "{other}; write that figure or leave “opening_balance” out"),
                previous=previous.closing, other=previous.source), "opening_balance")
            return True, previous.closing
        return True, None
    if previous is not None and not gap and previous.closing is None:
        # After a period whose balance is unknown, a stated figure starts the chain anew.
        return True, stated
    opening = _opening(item, stated, previous, gap, report)
    return opening is not None, opening


def _opening(item: Loaded, stated: Decimal | None, previous: Ledger | None, gap: bool,
             report: Report) -> Decimal | None:
    """Return a period's opening balance, reporting a break in the chain."""
    positions = item.positions
    if previous is None:
        if stated is None:
            report.error(positions.locate(()), Msg.of(
                N_("the first finance period of a village states its opening balance: add "
                   "“opening_balance: …” (the balance carried over from before), or "
                   "“opening_balance: unknown” if it was not kept")),
                "opening_balance")
        return stated
    if gap:
        # Across missing periods the balance cannot be carried over, nor checked.
        if stated is None:
            report.error(positions.locate(()), Msg.of(
                N_("periods are missing before this one, so its opening balance cannot be "
                   "carried over: add “opening_balance: …”")), "opening_balance")
        return stated
    closing = previous.closing
    if closing is None:  # not reached: an unknown balance is handled by _resolve_opening
        return stated
    if stated is not None and stated != closing:
        report.error(positions.locate(("opening_balance",)), Msg.of(
            N_("the opening balance {stated} does not equal the closing balance {previous} of "
               "{other} (difference {difference}); correct one of the two files"),
            stated=stated, previous=closing, other=previous.source,
            difference=stated - closing), "opening_balance")
    return closing if stated is None else stated


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
    stated, computed = ledger.data.closing_balance, ledger.closing
    if ledger.opening is None or computed is None:
        return  # with the opening unknown, a stated closing balance cannot be checked
    if stated is not None and stated != computed:
        report.error(positions.locate(("closing_balance",)), Msg.of(
            N_("the closing balance {stated} does not equal opening balance + income − "
               "expense = {computed} (difference {difference}); correct the figures"),
            stated=stated, computed=computed, difference=stated - computed),
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


def account_groups(lines: Sequence[Line], accounts: Sequence[str]) -> tuple[AccountGroup, ...]:
    """Group the lines by account, in the chart's order, then by sub-account: lines
    without one first, then each sub-account in the order it first appears."""
    by_account: dict[str, dict[str | None, list[Line]]] = {}
    for line in lines:
        named = by_account.setdefault(line.category, {None: []})
        named.setdefault(line.subaccount, []).append(line)
    order = [a for a in accounts if a in by_account] + sorted(
        a for a in by_account if a not in accounts)
    groups = []
    for account in order:
        subs = tuple(SubGroup(name, _sum(group), tuple(group))
                     for name, group in by_account[account].items() if group)
        groups.append(AccountGroup(account, sum((sub.amount for sub in subs), Decimal("0.00")),
                                   subs))
    return tuple(groups)


def _sum(lines: Sequence[Line]) -> Decimal:
    """Add up the amounts of some lines."""
    return sum((line.amount for line in lines), Decimal("0.00"))


@dataclass(frozen=True)
class SidePart:
    """One side's lines through one kind of account, with their subtotal: ``pnl`` for the
    收益 accounts (income, expense), ``flow`` for money passing through the balance sheet
    (a fund raised, a grant held for a project, a debt settled) or into a cost account."""

    kind: str
    amount: Decimal
    totals: tuple[AccountTotal, ...]
    groups: tuple[AccountGroup, ...]


def side_parts(lines: Sequence[Line], book: Chart) -> tuple[SidePart, ...]:
    """Split a side's lines into the 收益 part and the balance-sheet part, each present
    only when it has lines, 收益 first; the parts add up to the side's total."""
    parts = []
    for kind in ("pnl", "flow"):
        chosen = [line for line in lines
                  if (book.class_of(line.category) in PNL) == (kind == "pnl")]
        if chosen:
            parts.append(SidePart(kind, _sum(chosen), account_totals(chosen, book.order),
                                  account_groups(chosen, book.order)))
    return tuple(parts)
