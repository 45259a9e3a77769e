"""The books as the law keeps them: a period's 收益 apart from its balance-sheet flows, and
the year's plan (财务收支计划) against what was disclosed of the year."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gongkai.check.finance import SidePart
from gongkai.model.addresses import item_path, plan_path
from gongkai.model.budget import Plan, PlanLine
from gongkai.model.coa import PNL, Chart, chart
from gongkai.model.content import Item, Ledger, Village
from gongkai.model.outputs import Page
from gongkai.plan.views import Signage


def split_shown(parts: Sequence[SidePart]) -> bool:
    """Tell whether a side is shown in parts: whenever any of it passes the balance sheet."""
    return any(part.kind == "flow" for part in parts)


def part_rows(income: Sequence[SidePart], expense: Sequence[SidePart]) -> int:
    """Count the subtotal rows the parts add to a wall sheet's totals (one per part shown)."""
    return sum(len(parts) for parts in (income, expense) if split_shown(parts))


# --- the year plan against the year's actual figures -----------------------------------


@dataclass(frozen=True)
class PlanRow:
    """One account of a year plan: planned, actual to date, and the share of the plan used.

    ``share`` is None for an account with nothing planned; ``over`` marks spending above
    the plan, or outside it (超计划, which the rules ask to flag)."""

    account: str
    code: str
    planned: Decimal
    actual: Decimal
    share: Decimal | None
    over: bool
    note: str = ""

    @property
    def percent(self) -> str:
        """Return the share used as a percentage with one decimal ("" when none planned)."""
        return "" if self.share is None else f"{(self.share * 100).quantize(Decimal('0.1'))}%"


@dataclass(frozen=True)
class PlanSide:
    """One side of a plan: its rows and their totals."""

    side: str
    rows: tuple[PlanRow, ...]
    planned: Decimal
    actual: Decimal


@dataclass(frozen=True)
class PlanView:
    """A year plan beside the year's disclosed periods, as its page and wall sheet show it."""

    plan: Plan
    income: PlanSide
    expense: PlanSide
    periods: tuple[Ledger, ...]  # the year's periods posted by the as-of date, oldest first

    @property
    def through(self) -> Ledger | None:
        """Return the last period the actual figures include (None: none yet)."""
        return self.periods[-1] if self.periods else None

    @property
    def over(self) -> tuple[PlanRow, ...]:
        """Return the expense accounts over (or outside) the plan."""
        return tuple(row for row in self.expense.rows if row.over)


def plan_view(plan: Plan, ledgers: Sequence[Ledger], today: date) -> PlanView:
    """Set a year plan beside the actual figures of its year's periods posted by ``today``."""
    periods = tuple(sorted((ledger for ledger in ledgers if ledger.period.start.year == plan.year
                            and ledger.data.published <= today), key=lambda led: led.period))
    book = chart(plan.chart)
    sides = []
    for side, planned in (("income", plan.data.income), ("expense", plan.data.expense)):
        actual: dict[str, Decimal] = {}
        for ledger in periods:
            for line in getattr(ledger.data, side):
                actual[line.category] = actual.get(line.category, ZERO) + line.amount
        sides.append(_plan_side(side, planned, actual, book))
    return PlanView(plan, sides[0], sides[1], periods)


ZERO = Decimal("0.00")


def _plan_side(side: str, planned: Sequence[PlanLine], actual: dict[str, Decimal],
               book: Chart) -> PlanSide:
    """Build one side's rows: the planned accounts in the plan's order, then the 收益
    accounts spent on (or received) without a plan, in the chart's order; money that only
    passed the balance sheet (a grant held for a project) is left out unless planned."""
    rows = []
    for line in planned:
        done = actual.get(line.account, ZERO)
        rows.append(PlanRow(line.account, _code(book, line.account), line.amount, done,
                            done / line.amount, side == "expense" and done > line.amount,
                            line.note))
    named = {line.account for line in planned}
    for name in [a for a in book.order
                 if a in actual and a not in named and book.class_of(a) in PNL]:
        rows.append(PlanRow(name, _code(book, name), ZERO, actual[name], None,
                            side == "expense"))
    return PlanSide(side, tuple(rows), sum((row.planned for row in rows), ZERO),
                    sum((row.actual for row in rows), ZERO))


def _code(book: Chart, name: str) -> str:
    """Return an account's code in a chart ("" if it has none)."""
    account = book.by_name(name)
    return account.code if account else ""


def year_plan(plans: Sequence[Plan], ledger: Ledger) -> Plan | None:
    """Return the plan a period's wall sheet prints: the plan of its year, when the period
    is the year's last (it ends on 31 December)."""
    end = ledger.period.end
    if (end.month, end.day) != (12, 31):
        return None
    return next((plan for plan in plans if plan.year == end.year), None)


def decision_page(plan: Plan, affairs: Sequence[Item]) -> str | None:
    """Return the page of the 五议 record that approved a plan, if it names one."""
    item = next((item for item in affairs if item.slug == plan.decision_slug), None)
    return item_path(item) if item is not None and plan.decision_slug else None


def year_plan_pages(village: Village, sign: Signage, today: date) -> Iterator[Page]:
    """Yield the page of each year plan: plan, actual to date and share used per account."""
    for plan in village.plans:
        path = plan_path(village.id, plan.year)
        yield Page(path, "plan.html",
                   {"village": sign, "view": plan_view(plan, village.ledgers, today),
                    "decision": decision_page(plan, village.affairs), "as_of": today},
                   plan.source, qr=path)


def poster_plan(village: Village, ledger: Ledger) -> PlanView | None:
    """Return the plan the wall sheet of a year's last period prints, with the actual
    figures of the periods posted by then."""
    plan = year_plan(village.plans, ledger)
    return None if plan is None else plan_view(plan, village.ledgers, ledger.data.published)
