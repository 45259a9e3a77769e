"""The personal-data guard: full ID-card, bank-card and mobile numbers are never published.

In 2023 boards near Hangzhou exposed the full ID and bank numbers of over 1,000 people.
Every text value of every content file, every Markdown body (as written and as a reader
sees it, without tags, entities and emphasis), every file and folder name and every text
attachment is searched; a find is an error naming the line and the masked form to publish
instead. Mobile numbers are allowed in the official phone fields. A number that only looks
personal (a collective's account, a contract number) is listed under ``not_personal`` in
its own file.

Attachments: the text of ``.txt`` and ``.csv`` files and of office documents (``.docx``,
``.xlsx``, ``.pptx``, ``.odt``, ``.ods``, ``.odp``: zipped XML) is searched. The text of a
PDF is not: that would need a PDF library, and scans hold pictures, not text.
"""

from __future__ import annotations

import codecs
import html
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from gongkai.core.errors import Location, Report
from gongkai.core.i18n import N_, Msg
from gongkai.core.pii import Finding, find_personal_numbers, number_key
from gongkai.read.source import Path_, Positions
from gongkai.read.yamlfile import dotted

ALLOW_KEY = "not_personal"
# Fields meant for official phone numbers, where a mobile number is expected.
PHONE_FIELDS = frozenset({("contacts", "office_phone"), ("contacts", "supervision_phone"),
                          ("supervision_phone",)})
# Past this many numbers in one text, the rest are summed up in one more error: a pasted
# roster of residents is one mistake, not a thousand.
MAX_REPORTED = 20
TEXT_SUFFIXES = frozenset({".txt", ".csv"})
OFFICE_SUFFIXES = frozenset({".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"})
# An office document is a zip: a few kilobytes can unpack to gigabytes (a zip bomb).
MAX_EXTRACTED_BYTES = 20 * 1024 * 1024

KINDS = {
    "id": N_("found a full ID-card number; publish it masked, as {masked}, or, if it is "
             "not a person's number, list it under not_personal"),
    "card": N_("found a full bank-card number; publish it masked, as {masked}, or, if it "
               "is not a person's card, list it under not_personal"),
    "mobile": N_("found a personal mobile number; publish it masked, as {masked}, or, if it "
                 "is an official number, list it under not_personal"),
}
ATTACHMENT_KINDS = {
    "id": N_("found a full ID-card number in this attachment, which is published as it "
             "is; mask it in the file, as {masked}"),
    "card": N_("found a full bank-card number in this attachment, which is published as "
               "it is; mask it in the file, as {masked}"),
    "mobile": N_("found a personal mobile number in this attachment, which is published "
                 "as it is; mask it in the file, as {masked}"),
}
MORE = N_("more personal numbers follow; mask them all, then check again")


def take_allowed(data: Any, positions: Positions, report: Report) -> tuple[Any, frozenset[str]]:
    """Remove a file's ``not_personal`` list from its data and return the numbers it allows."""
    if not isinstance(data, dict) or ALLOW_KEY not in data:
        return data, frozenset()
    rest = {k: v for k, v in data.items() if k != ALLOW_KEY}
    listed = data[ALLOW_KEY]
    if listed is None:
        return rest, frozenset()
    if not isinstance(listed, list) or not all(isinstance(v, str | int) for v in listed):
        report.error(positions.locate((ALLOW_KEY,)), Msg.of(
            N_("expected a list of numbers, such as [\"the number as written\"]")), ALLOW_KEY)
        return rest, frozenset()
    return rest, frozenset(number_key(str(v)) for v in listed)


def guard_values(data: Any, positions: Positions, report: Report,
                 allowed: frozenset[str]) -> None:
    """Report personal numbers in every text value of a parsed YAML document."""
    for path, text in _texts(data, ()):
        mobiles = path[-2:] not in PHONE_FIELDS and path[-1:] not in PHONE_FIELDS
        where = positions.locate(path)
        # A multi-line value is a block (note: |): its text starts on the next line.
        block = "\n" in text

        def spot(finding: Finding, where: Location = where, block: bool = block) -> Location:
            line = where.line and where.line + block + finding.line
            return Location(where.file, line, None if block else where.column)

        found = find_personal_numbers(text, mobiles, markup=True, limit=_LIMIT, allowed=allowed)
        _report(found, spot, KINDS, report, dotted(path))


_NAME_MESSAGES = {
    "file": N_("the file name holds a personal number, and file names are published in web "
               "addresses; rename the file (for example with {masked})"),
    "folder": N_("the folder name holds a personal number, and folder names are published "
                 "in web addresses; rename the folder (for example with {masked})"),
}


def guard_name(display: str, report: Report, kind: str = "file") -> None:
    """Report a file (or folder) name holding a personal number: names become addresses."""
    for finding in find_personal_numbers(_last_part(display)):
        report.error(Location(display), Msg.of(_NAME_MESSAGES[kind], masked=finding.masked))


def guard_folder_name(display: str, report: Report) -> None:
    """Report a folder name holding a personal number."""
    guard_name(display, report, "folder")


def guard_text(text: str, first_line: int, display: str, report: Report,
               allowed: frozenset[str]) -> None:
    """Report personal numbers in a Markdown body that starts on ``first_line``."""
    found = find_personal_numbers(text, markup=True, limit=_LIMIT, allowed=allowed)
    _report(found, lambda f: Location(display, first_line + f.line), KINDS, report)


def guard_attachment(path: Path, display: str, report: Report,
                     allowed: frozenset[str] = frozenset()) -> None:
    """Report personal numbers in a text attachment (.txt, .csv) or an office document.

    A text file is read as UTF-8 (with or without a byte order mark), UTF-16 with a byte
    order mark, or GB18030, else byte by byte for its ASCII digits; a find names its line.
    An office document's XML parts are read up to ``MAX_EXTRACTED_BYTES`` in all; a find
    names the file. A PDF's text is not searched (see the module's docstring); nor is a
    file that cannot be read or unzipped, which is no concern of this guard.
    """
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        text = _read_text(path)
        if text is not None:
            found = find_personal_numbers(text, limit=_LIMIT, allowed=allowed)
            _report(found, lambda f: Location(display, 1 + f.line), ATTACHMENT_KINDS, report)
    elif suffix in OFFICE_SUFFIXES:
        found = []
        for text in _office_texts(path):
            found.extend(find_personal_numbers(text, limit=_LIMIT - len(found), allowed=allowed))
            if len(found) >= _LIMIT:
                break
        _report(found, lambda f: Location(display), ATTACHMENT_KINDS, report)


_LIMIT = MAX_REPORTED + 1  # one more than is reported, to tell that more follow


def _report(found: Iterable[Finding], spot: Callable[[Finding], Location],
            kinds: dict[str, str], report: Report, field: str = "") -> None:
    """Report each number, and past ``MAX_REPORTED`` one error for the rest."""
    for index, finding in enumerate(found):
        if index == MAX_REPORTED:
            report.error(spot(finding), Msg.of(MORE), field)
            return
        report.error(spot(finding), Msg.of(kinds[finding.kind], masked=finding.masked), field)


def _last_part(display: str) -> str:
    """Return the last part of a path shown with slashes: the name of a file or folder."""
    return display.rstrip("/").rsplit("/", 1)[-1]


def _read_text(path: Path) -> str | None:
    """Read a text attachment in whatever encoding a clerk's computer saved it in."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_EXTRACTED_BYTES)
    except OSError:
        return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Neither: still no ASCII digit may go unread.
    return data.decode("ascii", errors="replace")


# Ends of paragraphs, cells and rows (Office Open XML and OpenDocument) part numbers; runs
# of text and other markup inside a paragraph do not ("<w:t>138</w:t><w:t>1234…").
_XML_BREAK = re.compile(r"</?(?:[A-Za-z][\w.\-]*:)?(?:p|h|tc|tr|br|cr|si|c|row|table-cell|"
                        r"covered-table-cell|table-row|line-break|list-item|note)\b[^<>]*+>")
_XML_SPACE = re.compile(r"<(?:[A-Za-z][\w.\-]*:)?(?:tab|s)\b[^<>]*+>")
_XML_TAG = re.compile(r"<[^<>]*+>")
# Errors of a damaged or hostile zip, which loading reports or not: here it is skipped.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError,
               NotImplementedError, ValueError, zlib.error)


def _office_texts(path: Path) -> Iterator[str]:
    """Yield the text of each XML part of an office document, within the byte budget."""
    try:
        archive = zipfile.ZipFile(path)
    except _ZIP_ERRORS:
        return
    budget = MAX_EXTRACTED_BYTES
    with archive:
        for info in archive.infolist():
            if budget <= 0:
                return
            if info.is_dir() or not info.filename.lower().endswith(".xml"):
                continue
            try:
                with archive.open(info) as member:
                    data = member.read(budget)  # never more than the budget, whatever it claims
            except _ZIP_ERRORS:
                continue
            budget -= len(data)
            yield _xml_text(data.decode("utf-8", errors="replace"))


def _xml_text(xml: str) -> str:
    """Return the text of an XML part: paragraphs and cells on lines of their own."""
    text = _XML_TAG.sub("", _XML_SPACE.sub(" ", _XML_BREAK.sub("\n", xml)))
    return html.unescape(text)


def _texts(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """Yield every text (and whole number) of a YAML value with its path."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _texts(child, (*path, str(key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _texts(child, (*path, index))
    elif isinstance(value, str):
        yield path, value
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        yield path, str(value)  # an ID number written without quotes is an integer
