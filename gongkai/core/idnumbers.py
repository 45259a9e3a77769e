"""The kinds of personal number and their checks: ID cards, bank cards, mobiles.

Step 3 of ``pii``: a window's length, its splits, and the check each kind passes (ISO
7064 for an ID card, Luhn for a bank card, the prefixes of a mobile).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from itertools import accumulate, compress

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ASCII_WEIGHT = 48 * sum(_ID_WEIGHTS)
# Digits split into more groups than this are not read as one number. Real spellings use
# at most five ("6222 0212 3456 7890 128"); a longer row of short numbers is a table.
MAX_GROUPS = 6


# Digit groups joined by separators, 11 characters at least (no number is shorter).
CHUNK = re.compile(r"[0-9](?=[0-9X .\-]{10})[0-9]*+X?+(?:[ .\-]++[0-9]++X?+)*+")
GROUP = re.compile(r"[0-9]++X?+")
DIGIT = re.compile(r"[0-9]")
GROUP_OR_SPACED = re.compile(r"[0-9](?:[ .\-]++[0-9](?![0-9X]))++(?![0-9X])|[0-9]++X?+")
SEPARATORS = re.compile(r"[ .\-]++")
_DATE = (r"(?:1[89]|20)[0-9]{2}(?:-(?:0?[1-9]|1[0-2])-|\.(?:0?[1-9]|1[0-2])\.)"
         r"(?:0?[1-9]|[12][0-9]|3[01])")
# A chunk is cut where an amount, a date or a landline stands: none is part of a number.
# "165 97349 633.42" holds no mobile, "199 2019-06-22" is a count and a day, and
# "402 557 0579-86988025" two numbers and a phone; but "330102 1990.01.01 1234" is an ID.
CUT = re.compile(
    r"(?P<amount>[0-9](?<![0-9.][0-9])[0-9]*+)\.[0-9]{1,2}(?![0-9]|\.[0-9])"
    r"|(?<![0-9])(?:(?:(?<![0-9]{6}[ .\-])|(?!" + _DATE + r"[ .\-][0-9]{3}[0-9X](?![0-9])))"
    + _DATE + r"|0[1-9][0-9]{1,2}-[2-9][0-9]{6,7})(?![0-9])")


@dataclass(frozen=True)
class Kind:
    """One spelling of a kind of number: its length, shape and check."""

    kind: str
    rank: int
    length: int
    shape: str
    valid: Callable[[str], bool] | None = None
    lead: int = 0  # digits of a prefix (86, 0086) before the number itself
    # After which digits people split such a number: the splits of a window must all be
    # among those of one of these.
    cuts: tuple[frozenset[int], ...] = ()

    @cached_property
    def splits(self) -> tuple[frozenset[int], ...]:
        """Return where a window of this kind may be split, counted from its first digit."""
        return tuple(frozenset(cut + self.lead for cut in cuts) for cuts in self.cuts)

    @cached_property
    def whole(self) -> re.Pattern[str]:
        """Return the shape, to match a window."""
        return re.compile(self.shape)

    @cached_property
    def anywhere(self) -> re.Pattern[str]:
        """Return the shape as a look-ahead, to find every window of it in one pass."""
        return re.compile(f"(?=(?:{self.shape}))")


def _birth_date(year: int, month: int, day: int) -> bool:
    """Tell whether a birth date is a real day."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _valid_id18(digits: str) -> bool:
    """Check an 18-character ID: a real birth date and the ISO 7064 check character."""
    # Weighing the digits' ASCII codes adds 48 for each weight, taken off again.
    total = sum(map(operator.mul, digits[:17].encode("ascii"), _ID_WEIGHTS)) - _ASCII_WEIGHT
    if _ID_CHECK[total % 11] != digits[17]:
        return False
    return _birth_date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))


def _valid_id15(digits: str) -> bool:
    """Check a 15-digit ID of before 1999: a real birth date in the 1900s."""
    return _birth_date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))


_LUHN_DOUBLED = bytes.maketrans(b"0123456789", b"0246813579")


def _luhn(digits: str) -> bool:
    """Check the Luhn digit that every bank card carries."""
    backwards = digits[::-1].encode("ascii")
    # ASCII codes: 48 too many per digit, which the two sums take off together.
    total = sum(backwards[0::2]) + sum(backwards[1::2].translate(_LUHN_DOUBLED))
    return (total - 48 * len(digits)) % 10 == 0


_DAY = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
# The province (or Hong Kong, Macao, Taiwan) an ID card was issued in.
_PROVINCE = r"(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3]|91)"
MOBILE = r"1[3-9][0-9]{9}"
# Kinds in the order they win over an overlapping window of as many groups; where each is
# split: 330102 19900101 1234, 3301 0219 9001 0112 34, 33 01 02…; 6222 0212 3456 7890 128,
# 622202 1234567890128; 138 1234 5678, 1381 2345 678, 138 12345678, 138 12 34 56 78.
_IDS = (Kind("id", 0, 18, rf"{_PROVINCE}[0-9]{{4}}(?:1[89]|20)[0-9]{{2}}{_DAY}[0-9]{{3}}[0-9X]",
             _valid_id18, cuts=(frozenset({2, 3, 4, 6, 8, 10, 12, 14, 16, 17}),)),
        Kind("id", 1, 15, rf"{_PROVINCE}[0-9]{{6}}{_DAY}[0-9]{{3}}", _valid_id15,
             cuts=(frozenset({2, 3, 4, 6, 8, 10, 12}),)))
# A bank card's first digit names its industry (ISO/IEC 7812): 1 airlines, 7 petroleum and
# 8 telecoms issue no bank cards, and leaving them out spares mobiles and ledger figures.
_CARDS = tuple(Kind("card", 2, n, rf"[2-69][0-9]{{{n - 1}}}", _luhn,
                    cuts=(frozenset({4, 8, 12, 16}), frozenset({6}))) for n in (19, 18, 17, 16))
_MOBILE_CUTS = tuple(map(frozenset, ({3, 7}, {4, 8}, {4, 7}, {3, 5, 7, 9})))
_MOBILES = (Kind("mobile", 3, 11, MOBILE, cuts=_MOBILE_CUTS),
            Kind("mobile", 3, 13, "86" + MOBILE, lead=2, cuts=_MOBILE_CUTS),
            Kind("mobile", 3, 15, "0086" + MOBILE, lead=4, cuts=_MOBILE_CUTS))
group_start = operator.methodcaller("start")
first_group = operator.itemgetter(0)
_VALUES = bytes.maketrans(b"0123456789X", bytes(range(10)) + b"\x00")
_DOUBLED = bytes.maketrans(b"0123456789X", bytes((0, 2, 4, 6, 8, 1, 3, 5, 7, 9, 0)))


def mask_of(flags: Iterable[bool]) -> int:
    """Return flags as the bytes of an integer, 1 for true, first flag in the lowest byte."""
    return int.from_bytes(bytes(flags), "little")


def unmask(mask: int, size: int) -> bytes:
    """Return the flags of a mask, one byte each."""
    return mask.to_bytes(size, "little")


class LuhnSums:
    """Which windows of a stretch of digits have a right Luhn digit, all at once."""

    def __init__(self, digits: str, start: int, end: int) -> None:
        self.start = start - start % 2  # even, so that parities stay those of the digits
        raw = digits[self.start:end].encode("ascii")
        plain, doubled = raw.translate(_VALUES), raw.translate(_DOUBLED)
        # A window's last digit counts plain and the one before it doubled: a window
        # ending at an even index doubles the digits at even indexes, and the reverse.
        evens, odds = bytearray(plain), bytearray(plain)
        evens[0::2], odds[1::2] = doubled[0::2], doubled[1::2]
        sums = [bytes(map((10).__rmod__, accumulate(w, initial=0))) for w in (evens, odds)]
        same, other = bytearray(sums[0]), bytearray(sums[1])
        same[1::2], other[1::2] = sums[1][1::2], sums[0][1::2]
        self.same, self.other = bytes(same), bytes(other)

    def valid(self, length: int, low: int, high: int) -> Iterator[int]:
        """Yield where windows of a length, from ``low`` to ``high``, start whose Luhn digit
        is right."""
        # Window s..e checks out when the prefix sums mod 10 of its parity agree at both.
        first = self.same if length % 2 == 0 else self.other
        at, stop = max(low, self.start) - self.start, high - length - self.start + 1
        return compress(range(at + self.start, stop + self.start),
                        map(operator.eq, first[at:stop], self.same[at + length:stop + length]))


def _by_length(kinds: Iterable[Kind]) -> dict[int, tuple[Kind, ...]]:
    """Group kinds by their length, in the order they win."""
    grouped: dict[int, tuple[Kind, ...]] = {}
    for kind in kinds:
        grouped[kind.length] = (*grouped.get(kind.length, ()), kind)
    return grouped


KINDS = _by_length((*_IDS, *_CARDS, *_MOBILES))
KINDS_BUT_MOBILES = _by_length((*_IDS, *_CARDS))
