"""Turn a ledger spreadsheet's table into ledger lines: header, rows, totals, problems.

Nothing is guessed: a cell that is not a valid amount or date is a problem naming its
sheet, row and column; an empty amount is never read as 0; totals and running balances
written on the sheet are checked against the lines.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from gongkai.clerk.cells import Cell, Table
from gongkai.clerk.ledgerfile import LineEntry
from gongkai.core.dates import DateError, Period, parse_date
from gongkai.core.errors import quoted
from gongkai.core.i18n import N_, Msg
from gongkai.core.money import CENT, MAX_AMOUNT, MoneyError, parse_money

# The header spellings of village accounting exports and cash journals, best first
# (documented in docs/import.md). Headers are compared without spaces, in NFKC (so
# full-width brackets are plain), with a trailing unit such as （元） removed.
SPELLINGS: dict[str, tuple[str, ...]] = {
    "date": ("日期", "凭证日期", "记账日期", "业务日期", "制单日期"),
    "year": ("年",),
    "month": ("月",),
    "day": ("日",),
    "voucher": ("凭证号", "凭证字号", "凭证编号", "记账凭证号", "凭证号码", "凭证"),
    "item": ("摘要", "内容", "事由", "项目"),
    "account": ("科目", "会计科目", "科目名称", "总账科目", "对方科目", "一级科目"),
    "subaccount": ("明细科目", "二级科目", "明细科目名称"),
    "income": ("收入", "收入金额", "借方", "借方金额"),
    "expense": ("支出", "支出金额", "贷方", "贷方金额"),
    "party": ("对方单位", "收款单位", "付款单位", "往来单位", "收付款单位", "收(付)款单位"),
    "balance": ("余额", "结余", "余额金额"),
}
# Under a 凭证 heading, a journal splits the voucher into its word (记) and number (001).
VOUCHER_PARTS = {"字": "voucher_word", "号": "voucher_number"}
_ROLE_OF = {spelling: role for role, names in SPELLINGS.items() for spelling in names}
_UNIT = re.compile(r"\((?:元|人民币元|单位:元|金额单位:元)\)$|/元$")

# Words in the description (or the first cell) of rows that are not lines.
OPENING_LABELS = ("上期结余", "上月结余", "期初余额", "期初结余", "年初余额", "上年结转",
                  "上期结转", "承前页", "承上页")
PAGE_LABELS = ("过次页", "转次页")                       # totals since the start of the sheet
CUMULATIVE_LABELS = ("本年累计", "累计")                  # totals since 1 January
TOTAL_LABELS = ("本月合计", "本期合计", "本季合计", "本季度合计", "本年合计", "合计", "总计")
# A lone dash is how exports write an empty amount, not a value (see docs/import.md).
_DASHES = frozenset({"-", "--", "—", "——", "－", "–"})
# Float cells carry binary noise (0.1 + 0.2 = 0.30000000000000004); within this of a whole
# fen it is noise, beyond it a real third decimal the clerk must resolve.
FLOAT_NOISE = Decimal("0.000001")
HEADER_SEARCH = 30  # rows searched for the header (title rows come first)

_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_CLOCK = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_ACCOUNT_CODE = re.compile(r"^\d+[\s.、]*")
_ACCOUNT_SPLIT = re.compile(r"\s*[-—－_/\\／：:]+\s*")


@dataclass(frozen=True)
class SheetProblem:
    """One problem in the spreadsheet: where (row, column header) and what."""

    row: int | None
    column: str | None
    message: Msg


@dataclass
class Header:
    """Where the header is and which column holds what."""

    row: int                          # 0-based index of its last row
    columns: dict[str, int]           # role -> 0-based column
    names: dict[int, str]             # column -> its header text, for messages


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


def normal(text: str) -> str:
    """Normalise a header or label for comparison: NFKC, no spaces, no unit."""
    plain = "".join(unicodedata.normalize("NFKC", text).split())
    return _UNIT.sub("", plain)


def find_header(rows: Sequence[Sequence[Cell]]) -> Header | None:
    """Find the header among the first rows: one row, or two where a heading is split."""
    for index in range(min(len(rows), HEADER_SEARCH)):
        single = _header_of([rows[index]], index)
        double = (_header_of([rows[index], rows[index + 1]], index + 1)
                  if index + 1 < len(rows) else None)
        if double is not None and (single is None or len(double.columns) > len(single.columns)):
            return double
        if single is not None:
            return single
    return None


def _header_of(lines: list[Sequence[Cell]], last: int) -> Header | None:
    """Recognise a header made of one row, or of a heading row and the row under it."""
    columns: dict[str, int] = {}
    ranks: dict[str, int] = {}
    names: dict[int, str] = {}
    width = max(len(line) for line in lines)
    group = ""
    for column in range(width):
        texts = [_text(line[column]) if column < len(line) else "" for line in lines]
        if texts[0]:
            group = normal(texts[0])   # a merged heading covers the empty cells after it
        role, text = None, ""
        for raw in reversed(texts):   # the lower row names the column more precisely
            name = normal(raw)
            if not name:
                continue
            role = VOUCHER_PARTS.get(name) if group == "凭证" and len(lines) > 1 else None
            role = role or _ROLE_OF.get(name)
            text = raw.strip()
            if role:
                break
        if text:
            names[column] = text
        if role is None:
            continue
        rank = SPELLINGS.get(role, (text,)).index(normal(text)) if role in SPELLINGS else 0
        if role not in columns or rank < ranks[role]:
            columns[role], ranks[role] = column, rank
    dated = "date" in columns or ("month" in columns and "day" in columns)
    if not (dated and "item" in columns and ("income" in columns or "expense" in columns)):
        return None
    return Header(last, columns, names)


def _text(cell: Cell) -> str:
    """Show a cell as text (for headers, labels and text fields)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else str(cell)
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


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
        if all(_blank(cell) for cell in cells):
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
        first = next((cell for cell in cells if not _blank(cell)), None)
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
                          subaccount=subaccount)
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
        if _blank(cell) or (isinstance(cell, str) and cell.strip() in _DASHES):
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
            if _blank(cell):
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
        if not _blank(year_cell):
            year = _whole(year_cell, "年") or 0
        month_cell, day_cell = self.cell(cells, "month"), self.cell(cells, "day")
        if not _blank(month_cell):
            self.month = _whole(month_cell, "月")
            if self.month is None or not 1 <= self.month <= 12:
                self.problem(index, "month", Msg.of(N_("expected {expected}, found {found}"),
                                                    expected=Msg(N_("a month from 1 to 12")),
                                                    found=shown(month_cell)))
                self.month = None
                return None
        if self.month is None:
            self.missing(index, "month", N_("a month from 1 to 12"))
            return None
        if _blank(day_cell):
            self.missing(index, "day", N_("a day of the month"))
            return None
        number = _whole(day_cell, "日")
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
        text = _text(self.cell(cells, role))
        if not text:
            self.missing(index, role, expected)
        return text

    def optional(self, cells: Sequence[Cell], role: str) -> str | None:
        return _text(self.cell(cells, role)) or None

    def account(self, index: int, cells: Sequence[Cell]) -> tuple[str, str | None]:
        """Read the account, and the sub-account from its own column or after a dash.

        ``5502 管理费用-办公费`` gives 管理费用 and 办公费: exports prefix account codes and
        join levels with a dash or a slash.
        """
        if "account" not in self.header.columns:
            return "", None   # reported once, for the whole header
        text = _ACCOUNT_CODE.sub("", unicodedata.normalize("NFKC", _text(self.cell(cells,
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


def _whole(cell: Cell, unit: str) -> int | None:
    """Read a whole number such as 3, 3.0, "03" or "3月"; None if it is not one."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float | Decimal):
        return int(cell) if cell == int(cell) else None
    text = unicodedata.normalize("NFKC", _text(cell)).removesuffix(unit).strip()
    return int(text) if text.isdigit() and text.isascii() else None


def shown(cell: Cell) -> str:
    """Quote a cell as the clerk sees it."""
    if isinstance(cell, float):
        return quoted(repr(cell))
    return quoted(_text(cell))


def cell_amount(cell: Cell) -> Decimal:
    """Read an amount cell exactly: text and exact numbers as parse_money does, floats
    rounded to the fen only where the difference is binary noise."""
    if isinstance(cell, float):
        if not math.isfinite(cell):
            raise MoneyError("not-a-number")
        exact = Decimal(repr(cell))
        if abs(exact) >= MAX_AMOUNT:  # checked first: quantize fails past 28 digits
            raise MoneyError("not-a-number")
        rounded = exact.quantize(CENT)
        if abs(exact - rounded) > FLOAT_NOISE:
            raise MoneyError("too-many-decimals")
        if abs(rounded) >= MAX_AMOUNT:
            raise MoneyError("not-a-number")
        return rounded
    if isinstance(cell, bool) or not isinstance(cell, str | int | Decimal):
        raise MoneyError("not-a-number")
    return parse_money(cell)


EXCEL_EPOCH = date(1899, 12, 30)   # Excel's day 0 (it counts 1900 as a leap year)


def cell_date(cell: Cell, year: int) -> date:
    """Read a date cell: a date, an Excel serial number, 20260105, or text.

    Text is read by parse_date (2026-01-05, 2026/1/5, 2026年1月5日); a time after it is
    dropped; a month and day alone (1月5日, 01-05) take the period's year.
    """
    if isinstance(cell, datetime):
        cell = cell.date()
    if isinstance(cell, date):
        return parse_date(cell)
    if isinstance(cell, bool):
        raise DateError("type")
    if isinstance(cell, int | float | Decimal):
        if cell != int(cell):
            cell = math.floor(cell)   # a serial with a time of day
        number = int(cell)
        if 19000101 <= number <= 21991231:
            return _compact(str(number))
        if 1 <= number <= 2958465:
            return parse_date(EXCEL_EPOCH + timedelta(days=number))
        raise DateError("format")
    if not isinstance(cell, str):
        raise DateError("type")
    text = _CLOCK.sub("", unicodedata.normalize("NFKC", cell).strip())
    if len(text) == 8 and text.isdigit():
        return _compact(text)
    match = _MONTH_DAY.match(text)
    if match:
        return parse_date(f"{year}-{match.group(1)}-{match.group(2)}")
    return parse_date(text)


def _compact(text: str) -> date:
    """Read 20260105."""
    return parse_date(f"{text[:4]}-{text[4:6]}-{text[6:]}")
