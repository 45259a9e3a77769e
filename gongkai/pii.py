"""Finding personal numbers in text: ID-card, bank-card and mobile numbers.

Pure functions without dependencies, so that every message Gongkai prints can be masked
(``errors``) as well as every file checked (``privacy``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Characters Word and web pages leave inside numbers, invisible to a clerk.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\u00ad\ufeff"))
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Full-width digits and X count: a number typed in a Chinese input method is still a number.
NARROW = str.maketrans("０１２３４５６７８９Ｘｘ－　", "0123456789Xx- ")
# Digits may touch letters ("ID330102…", "No.6222…") but not other digits.
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![0-9])", r"(?![0-9])"
_ID18 = re.compile(_EDGE_BEFORE + r"[1-9][0-9]{16}[0-9Xx]" + _EDGE_AFTER)
_ID15 = re.compile(_EDGE_BEFORE + r"[1-9][0-9]{14}" + _EDGE_AFTER)
_CARD = re.compile(_EDGE_BEFORE + r"[1-9](?:[ -]?[0-9]){15,18}" + _EDGE_AFTER)
_MOBILE = re.compile(_EDGE_BEFORE + r"(?:\+?86[ -]?)?(1[3-9][0-9](?:[ -]?[0-9]){8})" + _EDGE_AFTER)



@dataclass(frozen=True)
class Finding:
    """A personal number in a text: its kind, where it starts and its masked form."""

    kind: str
    start: int
    digits: str
    line: int = 0  # how many line ends come before it in the text

    @property
    def masked(self) -> str:
        """Return the number masked the conventional way: 3301**********1234, 138****1234."""
        keep = 3 if self.kind == "mobile" else 4
        return self.digits[:keep] + "*" * (len(self.digits) - keep - 4) + self.digits[-4:]


def find_personal_numbers(text: str, mobiles: bool = True) -> list[Finding]:
    """Find full ID-card, bank-card and (unless told not to) mobile numbers in a text."""
    narrow = _narrow(text)
    found: list[Finding] = []
    taken: list[range] = []
    for kind, pattern, valid in (("id", _ID18, _valid_id18), ("id", _ID15, _valid_id15),
                                 ("card", _CARD, _luhn), ("mobile", _MOBILE, None)):
        if kind == "mobile" and not mobiles:
            continue
        for match in pattern.finditer(narrow):
            span = range(match.start(), match.end())
            digits = number_key(match.group(match.lastindex or 0))
            if any(span.start < t.stop and t.start < span.stop for t in taken):
                continue
            if valid is None or valid(digits):
                start = match.start(match.lastindex or 0)  # a mobile's +86 stays
                found.append(Finding(kind, start, digits, narrow.count("\n", 0, start)))
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




def _narrow(text: str) -> str:
    """Drop invisible characters and turn full-width digits into ASCII ones."""
    return text.translate(_INVISIBLE).translate(NARROW)


def number_key(text: str) -> str:
    """Reduce a number as written to its digits (and X), to compare spellings of it."""
    return re.sub(r"[ -]", "", _narrow(text)).upper()


def mask_personal(text: str) -> str:
    """Replace every personal number in a text by its masked form."""
    found = find_personal_numbers(text)
    if not found:
        return text
    narrow = _narrow(text)
    for finding in sorted(found, key=lambda f: f.start, reverse=True):
        end = finding.start
        digits = 0
        while digits < len(finding.digits) and end < len(narrow):
            digits += narrow[end].isalnum()
            end += 1
        narrow = narrow[:finding.start] + finding.masked + narrow[end:]
    return narrow
