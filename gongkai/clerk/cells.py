"""Read a spreadsheet file into tables of cells, whatever its name says it is.

The bytes decide, never the name: accounting software saves HTML tables, tab-separated
text and Excel 2003 XML under ``.xls``, and a clerk renames files. Real workbooks
(xlsx, xls, ods) are read by python-calamine; the three text formats with the standard
library.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path

from gongkai.core.i18n import N_, Msg

# What one cell may hold once read: calamine gives str, int, float, bool, date, datetime,
# time and timedelta; SpreadsheetML numbers are kept exact as Decimal.
Cell = str | int | float | bool | Decimal | date | datetime | time | timedelta | None

SPREADSHEET_ML = b"urn:schemas-microsoft-com:office:spreadsheet"
_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


@dataclass(frozen=True)
class Table:
    """One sheet's cells, row by row as the clerk sees them (row 1 first).

    ``name`` is the sheet's name, or None for a format with one unnamed table (CSV, text,
    HTML).
    """

    name: str | None
    rows: list[list[Cell]]


class UnreadableFile(Exception):
    """A file that is not a spreadsheet Gongkai can read; the message says why."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.msgid)
        self.message = message


def kind_of(data: bytes) -> str:
    """Tell the format from the first bytes: zip, ole, spreadsheetml, html or text."""
    if data.startswith(b"PK\x03\x04"):
        return "zip"            # xlsx, xlsm, ods
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"            # Excel 97-2003 .xls (or a password-protected xlsx)
    head = _sniff_text(data[:65536]).lstrip().lower()
    if head.startswith("<?xml") and SPREADSHEET_ML.decode() in head:
        return "spreadsheetml"
    if head.startswith(("<html", "<!doctype html", "<table", "<meta", "<head")) or \
            ("<table" in head and "<tr" in head):
        return "html"
    return "text"


def read_tables(path: Path) -> list[Table]:
    """Read every table of a spreadsheet file, whatever its name says its format is."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(Msg.of(N_("cannot read the file: {error}"),
                                    error=exc.strerror or exc)) from None
    kind = kind_of(data)
    if kind in ("zip", "ole"):
        return _workbook(data)
    text = decode(data)
    if kind == "spreadsheetml":
        return _spreadsheet_ml(text)
    if kind == "html":
        return [Table(None, _html_rows(text))]
    return [Table(None, _text_rows(text))]


def _sniff_text(data: bytes) -> str:
    """Decode the start of a file just enough to look for markup."""
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def decode(data: bytes) -> str:
    """Decode text: UTF-8 (with or without BOM), UTF-16 with BOM, else GBK/GB18030."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                break
    else:
        for codec in ("utf-8", "gb18030"):  # GB18030 is a superset of GBK and GB2312
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                continue
    raise UnreadableFile(Msg.of(N_("the text is neither UTF-8 nor GBK/GB18030; save it again "
                                   "as “CSV UTF-8” or as an Excel workbook (.xlsx)")))


def _workbook(data: bytes) -> list[Table]:
    """Read a real workbook's sheets with calamine."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        # skip_empty_area=False keeps leading empty rows, so row numbers are Excel's.
        return [Table(name, _cells(book.get_sheet_by_name(name).to_python(
            skip_empty_area=False))) for name in book.sheet_names]
    except Exception as exc:  # calamine raises a different type for each kind of damage
        raise UnreadableFile(Msg.of(N_("the workbook cannot be opened ({error}); it may be "
                                       "damaged or protected by a password: open it in Excel "
                                       "and save it again as .xlsx without a password"),
                                    error=str(exc)[:200])) from None


def _cells(rows: Sequence[Sequence[Cell]]) -> list[list[Cell]]:
    """Copy rows of cells into lists."""
    return [list(row) for row in rows]


def _text_rows(text: str) -> list[list[Cell]]:
    """Split tab- or comma-separated text into rows (tabs win where any line has one)."""
    lines = text.splitlines()[:50]
    delimiter = "\t" if any("\t" in line for line in lines) else ","
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _spreadsheet_ml(text: str) -> list[Table]:
    """Read Excel 2003 XML (SpreadsheetML): each Worksheet a table."""
    # Python's expat (2.4.1 and later) refuses entity-expansion bombs and never fetches
    # external entities, so a hostile file cannot blow up memory or reach the network.
    try:
        root = ET.fromstring(_drop_declaration(text))
    except ET.ParseError as exc:
        raise UnreadableFile(Msg.of(N_("the Excel 2003 XML file is damaged ({error})"),
                                    error=str(exc))) from None
    tables = []
    for sheet in root.iter(f"{_SS}Worksheet"):
        rows: list[list[Cell]] = []
        for table in sheet.iter(f"{_SS}Table"):
            for row in table.iter(f"{_SS}Row"):
                index = row.get(f"{_SS}Index")
                while index and index.isdigit() and len(rows) < int(index) - 1:
                    rows.append([])
                rows.append(_xml_cells(row))
        tables.append(Table(sheet.get(f"{_SS}Name") or None, rows))
    return tables


def _drop_declaration(text: str) -> str:
    """Remove the XML declaration: the text is already decoded, whatever it declared."""
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)


def _xml_cells(row: ET.Element) -> list[Cell]:
    """Read one SpreadsheetML row, honouring skipped (ss:Index) and merged cells."""
    cells: list[Cell] = []
    for cell in row.iter(f"{_SS}Cell"):
        index = cell.get(f"{_SS}Index")
        while index and index.isdigit() and len(cells) < int(index) - 1:
            cells.append("")
        data = cell.find(f"{_SS}Data")
        cells.append(_xml_value(data))
        across = cell.get(f"{_SS}MergeAcross")
        if across and across.isdigit():
            cells.extend([""] * min(int(across), 1000))
    return cells


def _xml_value(data: ET.Element | None) -> Cell:
    """Give a SpreadsheetML value its type: numbers exact, dates as dates."""
    if data is None:
        return ""
    text = "".join(data.itertext())
    kind = data.get(f"{_SS}Type")
    if kind == "Number":
        try:
            return Decimal(text.strip())
        except InvalidOperation:
            return text
    if kind == "DateTime":
        try:
            return datetime.fromisoformat(text.strip()[:19])
        except ValueError:
            return text
    return text


def _html_rows(text: str) -> list[list[Cell]]:
    """Read every table row of an HTML file, in document order."""
    parser = _Rows()
    parser.feed(text)
    parser.close()
    return parser.rows


class _Rows(HTMLParser):
    """Collect the text of each <td>/<th> of each <tr>, spreading colspan and rowspan."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[Cell]] = []
        self.row: list[Cell] | None = None
        self.cell: list[str] | None = None
        self.spans: dict[int, int] = {}   # column -> rows still covered by a rowspan above
        self.colspan = 1
        self.rowspan = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open rows and cells; a <br> inside a cell is a space."""
        if tag == "tr":
            self._end_row()
            self.row = []
        elif tag in ("td", "th"):
            self._end_cell()
            if self.row is None:
                self.row = []
            found = dict(attrs)
            self.colspan = _span(found.get("colspan"))
            self.rowspan = _span(found.get("rowspan"))
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        """Close cells, rows and tables."""
        if tag in ("td", "th"):
            self._end_cell()
        elif tag in ("tr", "table"):
            self._end_row()

    def handle_data(self, data: str) -> None:
        """Collect a cell's text."""
        if self.cell is not None:
            self.cell.append(data)

    def close(self) -> None:
        """Finish the last row."""
        super().close()
        self._end_row()

    def _fill_spans(self) -> None:
        """Leave empty the columns that a rowspan above still covers."""
        assert self.row is not None
        while self.spans.get(len(self.row), 0) > 0:
            self.spans[len(self.row)] -= 1
            self.row.append("")

    def _end_cell(self) -> None:
        if self.cell is None or self.row is None:
            return
        self._fill_spans()
        text = " ".join("".join(self.cell).split())
        for offset in range(self.colspan):
            if self.rowspan > 1:
                self.spans[len(self.row)] = self.rowspan - 1
            self.row.append(text if offset == 0 else "")
        self.cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self.row is not None:
            self._fill_spans()
            # Spans past the end of this row still cover their column in this row.
            for column, left in self.spans.items():
                if column >= len(self.row) and left > 0:
                    self.spans[column] = left - 1
            self.rows.append(self.row)
        self.row = None


def _span(value: str | None) -> int:
    """Read a colspan/rowspan attribute, within reason."""
    return min(int(value), 1000) if value and value.strip().isdigit() and int(value) > 0 else 1
