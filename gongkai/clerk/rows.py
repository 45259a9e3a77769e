"""Turn a ledger spreadsheet's table into ledger lines: header, rows, totals, problems.

Nothing is guessed: a cell that is not a valid amount or date is a problem naming its
sheet, row and column; an empty amount is never read as 0; totals and running balances
written on the sheet are checked against the lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from gongkai.clerk.cells import Cell, Table
from gongkai.clerk.cellvalues import (
    SheetProblem,
    cell_amount,
    cell_date,
    cell_text,
    shown,
    whole_number,
)
from gongkai.clerk.header import Header, is_blank, normal
from gongkai.clerk.ledgerfile import LineEntry
from gongkai.core.dates import DateError, Period, parse_date
from gongkai.core.errors import quoted
from gongkai.core.i18n import N_, Msg
from gongkai.core.money import MoneyError

# Words in the description (or the first cell) of rows that are not lines.
OPENING_LABELS = ("上期结余", "上月结余", "期初余额", "期初结余", "年初余额", "上年结转",
                  "上期结转", "承前页", "承上页")
PAGE_LABELS = ("过次页", "转次页")                       # totals since the start of the sheet
CUMULATIVE_LABELS = ("本年累计", "累计")                  # totals since 1 January
TOTAL_LABELS = ("本月合计", "本期合计", "本季合计", "本季度合计", "本年合计", "合计", "总计")
# A lone dash is how exports write an empty amount, not a value (see docs/import.md).
_DASHES = frozenset({"-", "--", "—", "——", "－", "–"})


_ACCOUNT_CODE = re.compile(r"^\d+[\s.、]*")
_ACCOUNT_SPLIT = re.compile(r"\s*[-—－_/\\／：:]+\s*")


@dataclass
class Imported:
    """What one table gave: lines, the opening balance, and every problem."""

    sheet: str | None
    income: list[LineEntry] = field(default_factory=list)
    expense: list[LineEntry] = field(default_factory=list)
    opening: Decimal | None = None
    opening_row: int | None = None
    problems: list[SheetProblem] = field(default_factory=list)

    def totals(self) -> tuple[Decimal, Decimal]:
        """Return the income and expense totals."""
        return (sum((line.amount for line in self.income), Decimal("0.00")),
                sum((line.amount for line in self.expense), Decimal("0.00")))


def read_ledger(table: Table, header: Header, period: Period) -> Imported:
    """Read the rows under the header into lines, checking totals and balances."""
    reader = _Reader(table, header, period)
    for index in range(header.row + 1, len(table.rows)):
        reader.row(index, table.rows[index])
    return reader.result


class _Reader:
    """Walks the rows, keeping the running sums the totals rows are checked against."""

    def __init__(self, table: Table, header: Header, period: Period) -> None:
        self.header = header
        self.period = period
        self.result = Imported(table.name)
        self.income = Decimal("0.00")
        self.expense = Decimal("0.00")
        self.balance: Decimal | None = None    # the balance after the row above
        self.month: int | None = None          # a journal writes the month once
        # False once a line's amount could not be read: totals are then not checked, since
        # the sums above are not known (the unreadable cell is reported instead).
        self.sums_known = True
        self.lines = 0

    def problem(self, index: int, role: str | None, message: Msg) -> None:
        column = None
        if role is not None and role in self.header.columns:
            column = self.header.names.get(self.header.columns[role])
        self.result.problems.append(SheetProblem(index + 1, column, message))

    def cell(self, cells: Sequence[Cell], role: str) -> Cell:
        column = self.header.columns.get(role)
        return cells[column] if column is not None and column < len(cells) else None

    def row(self, index: int, cells: Sequence[Cell]) -> None:
        """Read one row: skip it, take it as a line, or check it as an opening or total."""
        if all(is_blank(cell) for cell in cells):
            return
        label = self.label(cells)
        if label in OPENING_LABELS:
            self.opening(index, cells)
        elif label in PAGE_LABELS or label in TOTAL_LABELS:
            self.total(index, cells, label)
        elif label in CUMULATIVE_LABELS:
            # Year-to-date sums equal the sheet's only in a period starting in January.
            if self.period.start.month == 1:
                self.total(index, cells, label)
        else:
            self.line(index, cells)

    def label(self, cells: Sequence[Cell]) -> str | None:
        """Return the opening or totals word this row starts with, if any."""
        first = next((cell for cell in cells if not is_blank(cell)), None)
        for cell in (self.cell(cells, "item"), first):
            if not isinstance(cell, str):
                continue
            text = normal(cell)
            for word in OPENING_LABELS + PAGE_LABELS + CUMULATIVE_LABELS + TOTAL_LABELS:
                # The word alone, or followed by a bracket or colon (本月合计（4月）), so that
                # a line such as 合计电费 stays a line.
                if text == word or (text.startswith(word) and text[len(word)] in "(:["):
                    return word
        return None

    def opening(self, index: int, cells: Sequence[Cell]) -> None:
        """Take the opening balance, or check a 承前页 row against the running balance."""
        role = "balance" if "balance" in self.header.columns else "income"
        amount = self.amount(index, cells, role, signed=True)
        if amount is None:
            if self.problem_free(index):
                self.problem(index, role, Msg.of(N_("expected {expected}, found {found}"),
                                                 expected=Msg(N_("the opening balance")),
                                                 found=Msg(N_("nothing"))))
            return
        if self.result.opening is None and self.lines == 0:
            self.result.opening, self.result.opening_row = amount, index + 1
            self.balance = amount
        elif self.balance is not None and amount != self.balance:
            self.mismatch(index, role, amount, self.balance,
                          N_("the balance brought forward {found} does not equal the balance "
                             "of the rows above, {expected} (difference {difference})"))

    def problem_free(self, index: int) -> bool:
        """Tell whether this row has no problem yet (one row, one missing-value message)."""
        return not any(p.row == index + 1 for p in self.result.problems)

    def total(self, index: int, cells: Sequence[Cell], label: str) -> None:
        """Check a totals row against the lines above it; it is never a line."""
        if not self.sums_known:
            return
        for role, expected in (("income", self.income), ("expense", self.expense)):
            found = self.amount(index, cells, role)
            if found is not None and found != expected:
                self.mismatch(index, role, found, expected,
                              N_("the total {found} does not equal the sum of the lines "
                                 "above, {expected} (difference {difference})"))
        found = self.amount(index, cells, "balance", signed=True)
        if found is not None and self.balance is not None and found != self.balance:
            self.mismatch(index, "balance", found, self.balance,
                          N_("the balance {found} does not equal the opening balance plus "
                             "income minus expense, {expected} (difference {difference})"))

    def mismatch(self, index: int, role: str, found: Decimal, expected: Decimal,
                 msgid: str) -> None:
        self.problem(index, role, Msg.of(msgid, found=f"{found:f}", expected=f"{expected:f}",
                                         difference=f"{abs(found - expected):f}"))

    def line(self, index: int, cells: Sequence[Cell]) -> None:
        """Read one income or expense line."""
        before = len(self.result.problems)
        day = self.day(index, cells)
        income = self.amount(index, cells, "income")
        expense = self.amount(index, cells, "expense")
        item = self.text(index, cells, "item", N_("a description (摘要)"))
        category, subaccount = self.account(index, cells)
        amounts = [(side, value) for side, value in (("income", income), ("expense", expense))
                   if value is not None and value != 0]
        failed = len(self.result.problems) > before
        if not amounts and not failed:
            self.problem(index, None, Msg.of(
                N_("a line needs an amount in “{income}” or in “{expense}”; this row has "
                   "neither"), income=self.name("income"), expense=self.name("expense")))
        elif len(amounts) == 2:
            self.problem(index, None, Msg.of(
                N_("a line has an amount in “{income}” ({first}) and in “{expense}” "
                   "({second}); write them on two rows"), income=self.name("income"),
                expense=self.name("expense"), first=f"{amounts[0][1]:f}",
                second=f"{amounts[1][1]:f}"))
        self.lines += 1
        if len(amounts) != 1:
            self.balance, self.sums_known = None, False
            return
        side, amount = amounts[0]
        signed = amount if side == "income" else -amount
        if side == "income":
            self.income += amount
        else:
            self.expense += amount
        self.check_balance(index, cells, signed)
        if len(self.result.problems) > before or day is None or not item or not category:
            return
        entry = LineEntry(day=day, category=category, item=item, amount=amount,
                          voucher=self.voucher(cells), party=self.optional(cells, "party"),
                          subaccount=subaccount, handled_by=self.optional(cells, "handled_by"))
        (self.result.income if side == "income" else self.result.expense).append(entry)

    def check_balance(self, index: int, cells: Sequence[Cell], signed: Decimal) -> None:
        """Check a line's written balance against the one above plus this line.

        Each row is checked against the balance written on the row above, so one wrong
        figure is reported once, not on every row after it.
        """
        found = self.amount(index, cells, "balance", signed=True)
        expected = None if self.balance is None else self.balance + signed
        if found is not None and expected is not None and found != expected:
            self.mismatch(index, "balance", found, expected,
                          N_("the balance {found} does not equal the balance above plus "
                             "this line, {expected} (difference {difference})"))
        self.balance = found if found is not None else expected

    def name(self, role: str) -> str:
        column = self.header.columns.get(role)
        return self.header.names.get(column, "") if column is not None else ""

    def amount(self, index: int, cells: Sequence[Cell], role: str,
               signed: bool = False) -> Decimal | None:
        """Read an amount cell: None when empty; a problem when it is not an amount."""
        cell = self.cell(cells, role)
        if is_blank(cell) or (isinstance(cell, str) and cell.strip() in _DASHES):
            return None
        try:
            value = cell_amount(cell)
        except MoneyError as exc:
            expected = (N_("an amount with at most two decimal places (yuan and fen)")
                        if exc.reason == "too-many-decimals"
                        else N_("an amount of money such as 1234.50"))
            self.problem(index, role, Msg.of(N_("expected {expected}, found {found}"),
                                             expected=Msg(expected), found=shown(cell)))
            return None
        if value < 0 and not signed:
            self.problem(index, role, Msg.of(N_("expected {expected}, found {found}"),
                                             expected=Msg(N_("an amount above zero")),
                                             found=shown(cell)))
            return None
        return value

    def day(self, index: int, cells: Sequence[Cell]) -> date | None:
        """Read the line's date (one column, or 月 and 日) and check it is in the period."""
        if "date" in self.header.columns:
            role, cell = "date", self.cell(cells, "date")
            if is_blank(cell):
                self.missing(index, "date", N_("a date such as 2025-03-05"))
                return None
            try:
                day = cell_date(cell, self.period.start.year)
            except DateError:
                self.problem(index, "date", Msg.of(N_("expected {expected}, found {found}"),
                                                   expected=Msg(N_("a date such as 2025-03-05")),
                                                   found=shown(cell)))
                return None
        else:
            role = "day"
            found = self.split_day(index, cells)
            if found is None:
                return None
            day = found
        if not self.period.contains(day):
            self.problem(index, role, Msg.of(
                N_("expected a date inside the period {period} ({start} to {end}), found {found}"),
                period=self.period.name, start=self.period.start.isoformat(),
                end=self.period.end.isoformat(), found=quoted(day.isoformat())))
            return None
        return day

    def split_day(self, index: int, cells: Sequence[Cell]) -> date | None:
        """Read a date written in 月 and 日 columns (and 年, if any); the month carries down."""
        year = self.period.start.year
        year_cell = self.cell(cells, "year")
        if not is_blank(year_cell):
            year = whole_number(year_cell, "年") or 0
        month_cell, day_cell = self.cell(cells, "month"), self.cell(cells, "day")
        if not is_blank(month_cell):
            self.month = whole_number(month_cell, "月")
            if self.month is None or not 1 <= self.month <= 12:
                self.problem(index, "month", Msg.of(N_("expected {expected}, found {found}"),
                                                    expected=Msg(N_("a month from 1 to 12")),
                                                    found=shown(month_cell)))
                self.month = None
                return None
        if self.month is None:
            self.missing(index, "month", N_("a month from 1 to 12"))
            return None
        if is_blank(day_cell):
            self.missing(index, "day", N_("a day of the month"))
            return None
        number = whole_number(day_cell, "日")
        if number is None:
            self.problem(index, "day", Msg.of(N_("expected {expected}, found {found}"),
                                              expected=Msg(N_("a day of the month")),
                                              found=shown(day_cell)))
            return None
        try:
            return parse_date(f"{year}-{self.month}-{number}")
        except DateError:
            self.problem(index, "day", Msg.of(N_("expected {expected}, found {found}"),
                                              expected=Msg(N_("a date such as 2025-03-05")),
                                              found=quoted(f"{year}-{self.month}-{number}")))
            return None

    def missing(self, index: int, role: str, expected: str) -> None:
        self.problem(index, role, Msg.of(N_("expected {expected}, found {found}"),
                                         expected=Msg(expected), found=Msg(N_("nothing"))))

    def text(self, index: int, cells: Sequence[Cell], role: str, expected: str) -> str:
        """Read a required text cell."""
        text = cell_text(self.cell(cells, role))
        if not text:
            self.missing(index, role, expected)
        return text

    def optional(self, cells: Sequence[Cell], role: str) -> str | None:
        return cell_text(self.cell(cells, role)) or None

    def account(self, index: int, cells: Sequence[Cell]) -> tuple[str, str | None]:
        """Read the account, and the sub-account from its own column or after a dash.

        ``5502 管理费用-办公费`` gives 管理费用 and 办公费: exports prefix account codes and
        join levels with a dash or a slash.
        """
        if "account" not in self.header.columns:
            return "", None   # reported once, for the whole header
        text = _ACCOUNT_CODE.sub("", unicodedata.normalize("NFKC", cell_text(self.cell(cells,
                                                                                  "account"))))
        if not text:
            self.missing(index, "account", N_("an account (会计科目) such as 管理费用"))
            return "", None
        parts = [part for part in _ACCOUNT_SPLIT.split(text) if part]
        category = _ACCOUNT_CODE.sub("", parts[0]) if parts else text
        sub = self.optional(cells, "subaccount")
        if sub is None and len(parts) > 1:
            sub = "/".join(parts[1:])
        return category, sub

    def voucher(self, cells: Sequence[Cell]) -> str | None:
        """Read the voucher number, joining 字 and 号 columns as 记-001."""
        whole = self.optional(cells, "voucher")
        word = self.optional(cells, "voucher_word")
        number = self.optional(cells, "voucher_number")
        if word and number:
            return f"{word}-{number}"
        return whole or number or word
