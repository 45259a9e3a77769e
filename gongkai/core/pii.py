"""Finding personal numbers in text: ID-card, bank-card and mobile numbers.

Pure functions without dependencies, so that every message Gongkai prints can be masked
(``errors``) as well as every file checked (``privacy``).

A number is found the way a reader sees it, in time linear in the text:

1. ``normalise`` gives the text's *form*: digits of every script become ASCII digits;
   every Unicode space, bracket and plus sign becomes a space, every dash ``-``, every dot
   ``.``; invisible characters (zero-width, joiners, soft hyphen, BOM, combining marks)
   are dropped, and the form keeps the way back to the text's offsets. A tab stays a tab:
   it parts the cells of a pasted table.
2. A *chunk* is a run of digit groups joined by separators, on one line. It is cut where
   an amount (``12000.00``: the whole part then stands alone), a date (``2025-03-05``, but
   for an ID's own birth date) or a landline (``0579-86000001``) stands; single digits
   split by separators (``1 3 8``) make one group.
3. A number is a window of a chunk that starts and ends at group edges (digits may touch
   letters, never other digits), spans at most ``MAX_GROUPS`` groups, is split only where
   people split such a number (``138 1234 5678``, ``6222 0212 3456 7890 128``,
   ``330102 19900101 1234``), has its kind's length and passes its check: an ID card's
   province, birth date and ISO 7064 check character; a bank card's industry digit and
   Luhn digit; a mobile's ``1[3-9]``, with or without a glued ``86`` or ``0086``.
4. Of overlapping windows, the one of fewer groups wins, then ID before card before mobile.

``demark`` gives the text a Markdown or HTML reader sees (inline tags removed, entities
decoded, emphasis and code markers, escapes and link targets dropped), checked as well as
the source, so that ``138<b>1234</b>5678`` and ``&#49;38…`` are found too.

The windows of a long chunk are weighed a block of groups at a time, all windows of a
number of groups at once (set, bytes and big-integer operations; Luhn sums as prefix
sums), so that Python works per candidate number, not per digit, and a caller who wants
only the first few numbers stops early.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from itertools import islice
from typing import NamedTuple

from gongkai.core.idnumbers import MOBILE
from gongkai.core.numberscan import text_hits, text_views
from gongkai.core.textform import CHAR_TABLE, LONG_RUN


@dataclass(frozen=True)
class Finding:
    """A personal number in a text: its kind, where it starts and its masked form."""

    kind: str
    start: int
    digits: str
    line: int = 0  # how many line ends come before it in the text
    end: int = 0   # where its last digit ends in the text

    @property
    def masked(self) -> str:
        """Return the number masked the conventional way: 3301**********1234, 138****1234."""
        keep = _kept(self.kind)
        return self.digits[:keep] + "*" * (len(self.digits) - keep - 4) + self.digits[-4:]


def _kept(kind: str) -> int:
    """Return how many leading digits a masked number of this kind shows."""
    return 3 if kind == "mobile" else 4


def find_personal_numbers(text: str, mobiles: bool = True, markup: bool = False,
                          limit: int | None = None,
                          allowed: Collection[str] = frozenset()) -> list[Finding]:
    """Find full ID-card, bank-card and (unless told not to) mobile numbers in a text.

    With ``markup``, the text is read as Markdown or HTML too; a number found only that
    way is reported where its first digit (or the entity of it) stands in the text.
    Numbers ``allowed`` (as ``number_key`` gives them) are passed over; with ``limit``,
    no more than that many numbers are looked for and returned.
    """
    found: list[_Found] = []
    for view in text_views(text, markup):
        hits = (hit for hit in text_hits(view.form, mobiles) if hit.digits not in allowed)
        more = []
        for hit in islice(hits, limit):
            start = view.span(hit.chunk.place(hit.start + hit.lead))[0]
            end = view.span(hit.chunk.place(hit.end - 1))[1]
            more.append(_Found(start, end, hit.kind, hit.digits))
        found = _merge(found, more)
    findings, line, done = [], 0, 0
    for start, end, kind, digits in found[:limit]:
        line += text.count("\n", done, start)
        done = start
        findings.append(Finding(kind, start, digits, line, end))
    return findings


class _Found(NamedTuple):
    """A number found in a text, before its line is counted."""

    start: int
    end: int
    kind: str
    digits: str


def _merge(first: list[_Found], second: list[_Found]) -> list[_Found]:
    """Add the numbers of ``second`` that overlap none of ``first``, in text order."""
    if not first:
        return second
    kept, index = [], 0
    for found in second:
        while index < len(first) and first[index].end <= found.start:
            index += 1
        if index == len(first) or found.end <= first[index].start:
            kept.append(found)
    # Two sorted runs: one pass of the sort.
    return sorted(first + kept) if kept else first


_KEY = re.compile(r"[0-9X]")
_PREFIXED_MOBILE = re.compile(rf"(?:0086|86)({MOBILE})")


def number_key(text: str) -> str:
    """Reduce a number as written to its digits (and X), to compare spellings of it."""
    digits = "".join(_KEY.findall(text.translate(CHAR_TABLE)))
    prefixed = _PREFIXED_MOBILE.fullmatch(digits)
    return prefixed.group(1) if prefixed else digits


_LONG = re.compile(f"[0-9]{{{LONG_RUN},}}")


def mask_personal(text: str) -> str:
    """Replace every personal number in a text by its masked form.

    Every digit of a number but the first three (mobiles) or four and the last four is
    shown as ``*``, wherever and however it is written (``138 **** 5678``,
    ``138<b>****</b>5678``). So is every such digit of a run of ``LONG_RUN`` or more
    digits that is no valid number (a number cut short, or one with a typo): no message
    shows more of a personal number than its masked form.
    """
    hidden: list[tuple[int, int]] = []
    for view in text_views(text, markup=True):
        numbers: set[int] = set()
        for hit in text_hits(view.form, mobiles=True):
            places = hit.places()
            numbers.update(places)
            hidden.extend(map(view.span, places[_kept(hit.kind):len(places) - 4]))
        for run in _LONG.finditer(view.form):
            if numbers.isdisjoint(range(run.start(), run.end())):
                hidden.extend(map(view.span, range(run.start() + 3, run.end() - 4)))
    if not hidden:
        return text
    parts, done = [], 0
    for start, end in sorted(hidden):
        if end > done:  # a digit inside an entity already hidden is hidden with it
            parts.append(text[done:max(start, done)] + "*")
            done = end
    parts.append(text[done:])
    return "".join(parts)
