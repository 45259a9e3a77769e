"""Fitting a period's lines onto A3 wall sheets by measured heights, not an estimate.

The heights below were measured in Chromium (the browser the tests print with) with the
default theme's print CSS (layouts/assets/style.css: 14 pt text, line height 1.35, A3
portrait, 10 mm margins) and Noto Sans CJK SC, the Chinese font of Debian and of most
county offices' Linux or WPS machines: ``tests/test_wall_fit.py`` prints a 24-line and a
150-line period and checks every sheet but the last is at least 85 % full with these
numbers. The build cannot run a browser (clerks' machines have none to spare, and a build
must give the same bytes everywhere), and the theme ships no font whose metrics it could
read, so a table measured once stands in; ``SAFETY_MM`` absorbs a slightly wider font.
Change the print CSS and these together, and run that test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from gongkai.check.finance import AccountTotal
from gongkai.model.content import Ledger
from gongkai.plan.sheets import Sheet, SheetLine, sheet_lines, split_sheets, text_rows
from gongkai.plan.views import Panel

SHEET_MM = 398.0     # the printed sheet's height (.sheet's min-height in print)
SIGN_MM = 28.81      # the heading: town, village and period, sheet number
TABLE_MM = 11.18     # the lines table's heading row and margins
ROW_MM = 8.41        # a line on one row of text
WRAP_MM = 6.67       # each further row of text of a line that wraps (14 pt × 1.35)
NEXT_MM = 7.9        # “下接第 2 页” at the foot of a sheet that continues
TOTALS_MM = 14.72    # the summary's heading and margins
SUMMARY_ROW_MM = 7.92   # a row of the summary (opening balance, each total and account)
CLOSING_ROW_MM = 14.85  # the closing balance with its capital numerals under it
SIGNOFF_MM = 72.36   # prepared by, reviewed by (one row of opinion), the two phones
QR_MM = 55.0         # the 35 mm QR code and the address under it
PANEL_MM = 23.96     # a disclosure panel under the totals, without its entries
ENTRY_MM = 7.65      # one entry of a panel on one row
PANELS_GAP_MM = 4.94  # between the totals and the panels
SAFETY_MM = 4.0      # kept free on every sheet, for a font a little wider than the measured one
CHAR_MM = 4.94       # a Chinese character of 14 pt
CELL_PADDING_MM = 2.96
LINE_WIDTH_MM = 277.0    # the sheet's width inside its margins
PANEL_CHARS = 26.0       # characters a row of a panel entry holds (half the sheet)
SIGNOFF_CHARS = 14.0     # characters a row of the review opinion holds
# Each column's share of the width (the print CSS's .c-* widths, in per cent).
COLUMN_SHARES = {"date": 10.0, "voucher": 8.0, "category": 14.0, "item": 29.0, "party": 14.0,
                 "income": 12.5, "expense": 12.5}
# Columns shown only when some line of the period fills them.
OPTIONAL_COLUMNS = ("voucher", "party")
_UNIT = 100  # heights are split in hundredths of a millimetre


@dataclass(frozen=True)
class WallSheet(Sheet):
    """A printed sheet that says whether the totals (with the sign-off and QR code) and
    the disclosure panels are on it."""

    totals: bool = False
    panels: bool = False


@dataclass(frozen=True)
class Wall:
    """A period's wall sheets, the columns they show and the panels under the totals."""

    sheets: tuple[WallSheet, ...]
    columns: tuple[str, ...]
    party: Panel
    affairs: Panel


def shown_columns(lines: Sequence[SheetLine]) -> tuple[str, ...]:
    """Return the columns to print: every one, but a voucher or payee column no line fills."""
    empty = {column for column in OPTIONAL_COLUMNS
             if not any(getattr(line, column) for line in lines)}
    return tuple(column for column in COLUMN_SHARES if column not in empty)


def line_mm(line: SheetLine, columns: Sequence[str]) -> float:
    """Return the height of a line on the sheet, by the wrapping of its widest cell."""
    total = sum(COLUMN_SHARES[column] for column in columns)
    rows = 1
    for column in ("voucher", "category", "item", "party"):
        if column in columns:
            width = LINE_WIDTH_MM * COLUMN_SHARES[column] / total - CELL_PADDING_MM
            rows = max(rows, text_rows(str(getattr(line, column)), max(width / CHAR_MM, 1.0)))
    return ROW_MM + WRAP_MM * (rows - 1)


def totals_mm(income: Sequence[AccountTotal], expense: Sequence[AccountTotal],
              opinion: str, subtotals: int = 0) -> float:
    """Return the height of the totals beside the sign-off and the QR code (the closing
    balance counted with the capital numerals Chinese sheets print under it; ``subtotals``
    rows of 收益 and balance-sheet subtotals, plan/books.py)."""
    totals = TOTALS_MM + SUMMARY_ROW_MM * (3 + len(income) + len(expense) + subtotals) \
        + CLOSING_ROW_MM
    signoff = SIGNOFF_MM + WRAP_MM * (text_rows(opinion, SIGNOFF_CHARS) - 1 if opinion else -1)
    return max(totals, signoff, QR_MM)


def panels_mm(party: Panel, affairs: Panel) -> float:
    """Return the height of the two disclosure panels side by side, and the gap above them."""
    return PANELS_GAP_MM + max(_panel_mm(party), _panel_mm(affairs))


def _panel_mm(panel: Panel) -> float:
    """Return a panel's height: heading, each entry (its title, type and date), "more"."""
    entries = sum(ENTRY_MM + WRAP_MM * (text_rows(entry.title, PANEL_CHARS - 10) - 1)
                  for entry in panel.entries) or ENTRY_MM
    return PANEL_MM + entries + (ENTRY_MM if panel.count > len(panel.entries) else 0)


def fit_wall(ledger: Ledger, income: Sequence[AccountTotal], expense: Sequence[AccountTotal],
             party: Panel, affairs: Panel, opinion: str, subtotals: int = 0) -> Wall:
    """Lay a period's lines out on sheets as full as they go, the totals never alone.

    The totals and the panels go under the last lines when they fit there; when only the
    totals do, and that saves the sheet a line would otherwise take along, the panels get
    the last sheet to themselves. A foot taller than a sheet shows fewer panel entries
    (the rest are on the website, as the panel says)."""
    room = SHEET_MM - SIGN_MM - TABLE_MM - NEXT_MM - SAFETY_MM
    totals = totals_mm(income, expense, opinion, subtotals)
    while totals + panels_mm(party, affairs) - NEXT_MM > room and \
            (party.entries or affairs.entries):
        longer = party if len(party.entries) >= len(affairs.entries) else affairs
        shorter = replace(longer, entries=longer.entries[:-1])
        party, affairs = (shorter, affairs) if longer is party else (party, shorter)
    lines = sheet_lines(ledger)
    columns = shown_columns(lines)
    heights = [round(line_mm(line, columns) * _UNIT) for line in lines]
    together = split_sheets(heights, round(room * _UNIT),
                            round((totals + panels_mm(party, affairs) - NEXT_MM) * _UNIT))
    apart = split_sheets(heights, round(room * _UNIT), round(totals * _UNIT))
    counts, own_sheet = (apart, True) if len(apart) < len(together) else (together, False)
    count = len(counts) + own_sheet
    sheets: list[WallSheet] = []
    start = 0
    for number, taken in enumerate(counts, start=1):
        last = number == len(counts)
        sheets.append(WallSheet(number, count, lines[start:start + taken], totals=last,
                                panels=last and not own_sheet))
        start += taken
    if own_sheet:
        sheets.append(WallSheet(count, count, (), panels=True))
    return Wall(tuple(sheets), columns, party, affairs)
