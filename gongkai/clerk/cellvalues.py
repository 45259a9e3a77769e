"""A spreadsheet cell read as an amount or a date, or a problem saying why it is neither.

Nothing is guessed: an empty amount is never 0, and a date serial is read as Excel's.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from gongkai.clerk.cells import Cell
from gongkai.core.dates import DateError, parse_date
from gongkai.core.errors import quoted
from gongkai.core.i18n import Msg
from gongkai.core.money import CENT, MAX_AMOUNT, MoneyError, parse_money

# Float cells carry binary noise (0.1 + 0.2 = 0.30000000000000004); within this of a whole
# fen it is noise, beyond it a real third decimal the clerk must resolve.
FLOAT_NOISE = Decimal("0.000001")


_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_CLOCK = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


@dataclass(frozen=True)
class SheetProblem:
    """One problem in the spreadsheet: where (row, column header) and what."""

    row: int | None
    column: str | None
    message: Msg


def cell_text(cell: Cell) -> str:
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


def whole_number(cell: Cell, unit: str) -> int | None:
    """Read a whole number such as 3, 3.0, "03" or "3月"; None if it is not one."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float | Decimal):
        return int(cell) if cell == int(cell) else None
    text = unicodedata.normalize("NFKC", cell_text(cell)).removesuffix(unit).strip()
    return int(text) if text.isdigit() and text.isascii() else None


def shown(cell: Cell) -> str:
    """Quote a cell as the clerk sees it."""
    if isinstance(cell, float):
        return quoted(repr(cell))
    return quoted(cell_text(cell))


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
