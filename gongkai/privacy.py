"""The personal-data guard: full ID-card, bank-card and mobile numbers are never published.

In 2023 boards near Hangzhou exposed the full ID and bank numbers of over 1,000 people.
Every text value of every content file and every Markdown body is searched; a find is
an error naming the line and the masked form to publish instead. Mobile numbers are
allowed in the official phone fields. A number that only looks personal (a collective's
account, a contract number) is listed under ``not_personal`` in its own file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from gongkai.errors import Location, Report
from gongkai.i18n import N_, Msg
from gongkai.source import Path_, Positions, dotted

ALLOW_KEY = "not_personal"
# Fields meant for official phone numbers, where a mobile number is expected.
PHONE_FIELDS = frozenset({("contacts", "office_phone"), ("contacts", "supervision_phone"),
                          ("supervision_phone",)})

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Full-width digits and X count: a number typed in a Chinese input method is still a number.
_NARROW = str.maketrans("０１２３４５６７８９Ｘｘ－　", "0123456789Xx- ")
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
_ID18 = re.compile(_EDGE_BEFORE + r"[1-9][0-9]{16}[0-9Xx]" + _EDGE_AFTER)
_ID15 = re.compile(_EDGE_BEFORE + r"[1-9][0-9]{14}" + _EDGE_AFTER)
_CARD = re.compile(_EDGE_BEFORE + r"[1-9](?:[ -]?[0-9]){15,18}" + _EDGE_AFTER)
_MOBILE = re.compile(_EDGE_BEFORE + r"1[3-9][0-9](?:[ -]?[0-9]){8}" + _EDGE_AFTER)

KINDS = {
    "id": N_("found a full ID-card number; publish it masked, as {masked}, or, if it is "
             "not a person's number, list it under not_personal"),
    "card": N_("found a full bank-card number; publish it masked, as {masked}, or, if it "
               "is not a person's card, list it under not_personal"),
    "mobile": N_("found a personal mobile number; publish it masked, as {masked}, or, if it "
                 "is an official number, list it under not_personal"),
}


@dataclass(frozen=True)
class Finding:
    """A personal number in a text: its kind, where it starts and its masked form."""

    kind: str
    start: int
    digits: str

    @property
    def masked(self) -> str:
        """Return the number masked the conventional way: 3301**********1234, 138****1234."""
        keep = 3 if self.kind == "mobile" else 4
        return self.digits[:keep] + "*" * (len(self.digits) - keep - 4) + self.digits[-4:]


def find_personal_numbers(text: str, mobiles: bool = True) -> list[Finding]:
    """Find full ID-card, bank-card and (unless told not to) mobile numbers in a text."""
    narrow = text.translate(_NARROW)
    found: list[Finding] = []
    taken: list[range] = []
    for kind, pattern, valid in (("id", _ID18, _valid_id18), ("id", _ID15, _valid_id15),
                                 ("card", _CARD, _luhn), ("mobile", _MOBILE, None)):
        if kind == "mobile" and not mobiles:
            continue
        for match in pattern.finditer(narrow):
            span = range(match.start(), match.end())
            digits = re.sub(r"[ -]", "", match.group()).upper()
            if any(span.start < t.stop and t.start < span.stop for t in taken):
                continue
            if valid is None or valid(digits):
                found.append(Finding(kind, match.start(), digits))
                taken.append(span)
    return sorted(found, key=lambda f: f.start)


def _birth_date(year: int, month: int, day: int) -> bool:
    """Tell whether a birth date is a real day."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _valid_id18(digits: str) -> bool:
    """Check an 18-character ID: a real birth date and the ISO 7064 check character."""
    if not _birth_date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14])):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == digits[17]


def _valid_id15(digits: str) -> bool:
    """Check a 15-digit ID of before 1999: a real birth date in the 1900s."""
    return _birth_date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))


def _luhn(digits: str) -> bool:
    """Check the Luhn digit that every bank card carries."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


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
            N_("expected a list of numbers, such as [\"6222021234567890128\"]")), ALLOW_KEY)
        return rest, frozenset()
    return rest, frozenset(re.sub(r"[ -]", "", str(v).translate(_NARROW)).upper()
                           for v in listed)


def guard_values(data: Any, positions: Positions, report: Report,
                 allowed: frozenset[str]) -> None:
    """Report personal numbers in every text value of a parsed YAML document."""
    for path, text in _texts(data, ()):
        mobiles = path[-2:] not in PHONE_FIELDS and path[-1:] not in PHONE_FIELDS
        where = positions.locate(path)
        for finding in find_personal_numbers(text, mobiles):
            if finding.digits in allowed:
                continue
            # A multi-line value is a block (note: |): its text starts on the next line.
            block = "\n" in text
            line = where.line and where.line + block + text.count("\n", 0, finding.start)
            spot = Location(where.file, line, None if block else where.column)
            report.error(spot, Msg.of(KINDS[finding.kind], masked=finding.masked), dotted(path))


def guard_text(text: str, first_line: int, display: str, report: Report,
               allowed: frozenset[str]) -> None:
    """Report personal numbers in a Markdown body that starts on ``first_line``."""
    for finding in find_personal_numbers(text):
        if finding.digits not in allowed:
            line = first_line + text.count("\n", 0, finding.start)
            report.error(Location(display, line),
                         Msg.of(KINDS[finding.kind], masked=finding.masked))


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
