"""The A3 wall sheets of a finance period: its lines laid out in columns and sheets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from unicodedata import east_asian_width

from gongkai.model.content import Item, Ledger
from gongkai.model.finance import ExpenseLine, IncomeLine
from gongkai.plan.views import Panel, Posted

POSTER_SHOWN = 6  # what fits a panel of the A3 wall poster


def poster_panel(kind: str, items: tuple[Item, ...], ledger: Ledger) -> Panel:
    """List what was posted from a period's start until its wall sheet went up, newest first."""
    posted = tuple(Posted(item.data.title, item.data.type, item.data.date, item.data.summary)
                   for item in items
                   if ledger.period.start <= item.data.date <= ledger.data.published)
    return Panel(kind, posted[:POSTER_SHOWN], len(posted))


# --- the wall sheets of a finance period ---------------------------------------------------
#
# The rules ask for every line on the wall (逐笔公开), readable from a step away: 14 pt
# text on A3 portrait sheets. How many lines go on each sheet is decided here rather than
# by the browser's page breaks, so that every sheet can say "第 2 页 / 共 4 页", from
# heights measured in the browser (``plan.sheetfit``).


@dataclass(frozen=True)
class SheetLine:
    """One ledger line as the wall sheet lists it: its amount in the income or expense column."""

    date: date
    voucher: str
    category: str
    item: str
    party: str  # the payer of an income line, the payee of an expense line
    income: Decimal | None
    expense: Decimal | None


@dataclass(frozen=True)
class Sheet:
    """One printed sheet of a period's wall poster: its number, out of how many, its lines."""

    number: int
    count: int
    lines: tuple[SheetLine, ...]

    @property
    def continued(self) -> bool:
        """Tell whether this sheet continues the one before (it is marked 续)."""
        return self.number > 1

    @property
    def last(self) -> bool:
        """Tell whether this is the last sheet, which carries the totals and sign-off."""
        return self.number == self.count


def text_width(text: str) -> float:
    """Measure text in Chinese characters: a wide character counts 1, any other about half."""
    return sum(1.0 if east_asian_width(ch) in "WF" else 0.55 for ch in text)


def text_rows(text: str, width: float) -> int:
    """Count the rows a text wraps onto in a column ``width`` characters wide (at least one)."""
    return max(1, -int(-text_width(text) // width))


def sheet_lines(ledger: Ledger) -> tuple[SheetLine, ...]:
    """List a period's lines in date order as a journal does, income first on the same day."""
    lines: list[IncomeLine | ExpenseLine] = [*ledger.data.income, *ledger.data.expense]
    ordered = sorted(lines, key=lambda line: line.date)  # stable: the file's order per day
    return tuple(SheetLine(line.date, line.voucher or "", _account_name(line), line.item,
                           (line.payer if isinstance(line, IncomeLine) else line.payee) or "",
                           line.amount if isinstance(line, IncomeLine) else None,
                           line.amount if isinstance(line, ExpenseLine) else None)
                 for line in ordered)


def _account_name(line: IncomeLine | ExpenseLine) -> str:
    """Name a line's account as the wall sheet shows it: with its sub-account, if any."""
    return f"{line.category}—{line.subaccount}" if line.subaccount else line.category


def split_sheets(rows: Sequence[int], capacity: int, closing: int = 0) -> tuple[int, ...]:
    """Split lines of the given heights into sheets; say how many each sheet holds.

    Lines keep their order and are never cut in two. A sheet takes lines while their
    heights fit ``capacity``; a line taller than a whole sheet has a sheet to itself. The last
    sheet also holds the ``closing`` height (totals and sign-off): when they do not fit
    under its lines, a new sheet takes them, and with them the last line when it fits, so
    the totals never stand alone. No lines at all still make one sheet (of none).
    """
    heights: list[list[int]] = [[]]
    for height in rows:
        if heights[-1] and sum(heights[-1]) + height > capacity:
            heights.append([])
        heights[-1].append(height)
    if heights[-1] and sum(heights[-1]) + closing > capacity:
        last = heights[-1]
        moved = [last.pop()] if len(last) > 1 and last[-1] + closing <= capacity else []
        heights.append(moved)
    return tuple(len(sheet) for sheet in heights)
