"""The personal-data guard: full ID-card, bank-card and mobile numbers are never published.

In 2023 boards near Hangzhou exposed the full ID and bank numbers of over 1,000 people.
Every text value of every content file and every Markdown body is searched; a find is
an error naming the line and the masked form to publish instead. Mobile numbers are
allowed in the official phone fields. A number that only looks personal (a collective's
account, a contract number) is listed under ``not_personal`` in its own file.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from gongkai.errors import Location, Report
from gongkai.i18n import N_, Msg
from gongkai.pii import find_personal_numbers, number_key
from gongkai.source import Path_, Positions, dotted

ALLOW_KEY = "not_personal"
# Fields meant for official phone numbers, where a mobile number is expected.
PHONE_FIELDS = frozenset({("contacts", "office_phone"), ("contacts", "supervision_phone"),
                          ("supervision_phone",)})

KINDS = {
    "id": N_("found a full ID-card number; publish it masked, as {masked}, or, if it is "
             "not a person's number, list it under not_personal"),
    "card": N_("found a full bank-card number; publish it masked, as {masked}, or, if it "
               "is not a person's card, list it under not_personal"),
    "mobile": N_("found a personal mobile number; publish it masked, as {masked}, or, if it "
                 "is an official number, list it under not_personal"),
}


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
        for finding in find_personal_numbers(text, mobiles):
            if finding.digits in allowed:
                continue
            # A multi-line value is a block (note: |): its text starts on the next line.
            block = "\n" in text
            line = where.line and where.line + block + finding.line
            spot = Location(where.file, line, None if block else where.column)
            report.error(spot, Msg.of(KINDS[finding.kind], masked=finding.masked), dotted(path))


def guard_name(display: str, report: Report) -> None:
    """Report a file name holding a personal number: the name becomes a web address."""
    for finding in find_personal_numbers(display):
        report.error(Location(display), Msg.of(
            N_("the file name holds a personal number, and file names are published in web "
               "addresses; rename the file (for example with {masked})"),
            masked=finding.masked))


def guard_text(text: str, first_line: int, display: str, report: Report,
               allowed: frozenset[str]) -> None:
    """Report personal numbers in a Markdown body that starts on ``first_line``."""
    for finding in find_personal_numbers(text):
        if finding.digits not in allowed:
            line = first_line + finding.line
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
