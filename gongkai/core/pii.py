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

import html
import operator
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property, lru_cache, partial
from itertools import accumulate, compress, count, islice
from typing import NamedTuple

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ASCII_WEIGHT = 48 * sum(_ID_WEIGHTS)
# Digits split into more groups than this are not read as one number. Real spellings use
# at most five ("6222 0212 3456 7890 128"); a longer row of short numbers is a table.
MAX_GROUPS = 6
# A run of this many digits in a message is masked even when it is no valid number: it
# may be a personal number cut short, or one with a typo.
LONG_RUN = 11

_SEPARATOR, _DASH, _DOT, _GLUE = " ", "-", ".", "\x00"
_DASHES = "\u2212\u2043\u02d7\u207b\u208b\u2796\ufe63\uff0d"   # minus signs and the like
_DOTS = ".\u00b7\u0387\u2024\u2027\u2219\u22c5\u30fb\uff0e\uff61\uff65"
_PLUSES = "+\uff0b\ufe62\u207a\u208a"
# Fillers that render as nothing but are not format characters.
_INVISIBLE = "\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0\x00"


def _classify(char: str) -> str:
    """Return a character's form: a digit, X, a separator, glue (dropped) or itself."""
    digit = unicodedata.decimal(char, None)
    if digit is not None:
        return str(digit)
    if char in "Xx\uff38\uff58":
        return "X"
    if char in "\n\r":
        return char
    category = unicodedata.category(char)
    if char == "\t":  # a cell boundary of a pasted table, not a space inside a number
        return char
    if category in ("Zs", "Zl", "Zp", "Ps", "Pe") or char in _PLUSES:
        return _SEPARATOR
    if category == "Pd" or char in _DASHES:
        return _DASH
    if char in _DOTS:
        return _DOT
    if category in ("Cf", "Mn", "Me") or char in _INVISIBLE:
        return _GLUE
    return char


class _Table(dict[int, str]):
    """The form of every character, worked out the first time it is seen."""

    def __missing__(self, code: int) -> str:
        form = _classify(chr(code))
        self[code] = form
        return form


_TABLE = _Table()


@dataclass(frozen=True)
class Trace:
    """Where each character of a derived text came from in its source text.

    The derived text is cut into pieces; piece ``i`` starts at ``at[i]`` and comes from
    the source at ``src[i]``: character by character when ``width[i]`` is 0, or, when it
    is not, every character of the piece stands for ``width[i]`` source characters (a
    decoded entity).
    """

    at: list[int]
    src: list[int]
    width: list[int]

    def start(self, index: int) -> int:
        """Return where the character at ``index`` starts in the source."""
        piece = bisect_right(self.at, index) - 1
        if self.width[piece]:
            return self.src[piece]
        return self.src[piece] + index - self.at[piece]

    def end(self, index: int) -> int:
        """Return where the character at ``index`` ends in the source (exclusive)."""
        piece = bisect_right(self.at, index) - 1
        if self.width[piece]:
            return self.src[piece] + self.width[piece]
        return self.src[piece] + index - self.at[piece] + 1


class Rewrite:
    """A text rewritten by a pattern, with a trace back that is built only when asked for.

    Most texts are checked and found clean; only a find needs the way back.
    """

    def __init__(self, source: str, pattern: re.Pattern[str],
                 shown: str | Callable[[re.Match[str]], str]) -> None:
        self.source, self.pattern, self.shown = source, pattern, shown
        self.text = pattern.sub(shown, source)

    @cached_property
    def trace(self) -> Trace:
        """Return the trace from the rewritten text back to the source."""
        trace = Trace([0], [0], [0])
        kept = done = 0
        for match in self.pattern.finditer(self.source):
            shown = self.shown if isinstance(self.shown, str) else self.shown(match)
            if shown == match.group():
                continue
            kept += match.start() - done
            if shown:
                trace.at.append(kept)
                trace.src.append(match.start())
                trace.width.append(match.end() - match.start())
                kept += len(shown)
            done = match.end()
            trace.at.append(kept)
            trace.src.append(done)
            trace.width.append(0)
        return trace


@dataclass(frozen=True)
class Normal:
    """A text in the form numbers are matched in, with the way back to the text."""

    form: str
    rewrites: tuple[Rewrite, ...] = ()  # innermost first: the form's own, then earlier ones

    def span(self, place: int) -> tuple[int, int]:
        """Return where the character of the form at ``place`` stands in the text."""
        start = last = place
        for rewrite in self.rewrites:
            trace = rewrite.trace
            start, last = trace.start(start), trace.end(last) - 1
        return start, last + 1


_GLUE_RUN = re.compile(_GLUE + "+")


def normalise(text: str, rewrites: tuple[Rewrite, ...] = ()) -> Normal:
    """Return a text in the form numbers are matched in, with the way back to the text.

    ``rewrites`` lead from ``text`` further back, to the text it was derived from.
    """
    form = text.translate(_TABLE)
    if _GLUE in form:
        dropped = Rewrite(form, _GLUE_RUN, "")
        form, rewrites = dropped.text, (dropped, *rewrites)
    return Normal(form, rewrites)


# What a Markdown or HTML reader does not see between two digits.
_MARKUP = re.compile(
    r"<[A-Za-z/!?][^<>\n]*+>"                      # an inline tag or comment
    r"|\\(?=[!-/:-@\[-`{-~])"                      # a backslash escape
    r"|\]\([^()\n]*+\)|\][ ]?\[[^\[\]\n]*+\]"        # a link's target
    r"|[*_`]|~~++")                                # emphasis, code, strike-through
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")


def _unescape(match: re.Match[str]) -> str:
    """Decode one HTML entity."""
    return _decoded(match.group())


@lru_cache(maxsize=1024)
def _decoded(entity: str) -> str:
    """Decode an HTML entity, once for every time it stands in a text."""
    return html.unescape(entity)


def demark(text: str) -> Normal:
    """Return the text a Markdown or HTML reader sees, in matching form, traced to ``text``."""
    return _demarked(text) or normalise(text)


def _demarked(text: str) -> Normal | None:
    """Return the text a reader sees, in matching form; None if it is the text itself."""
    removed = Rewrite(text, _MARKUP, "")
    decoded = Rewrite(removed.text, _ENTITY, _unescape)
    if decoded.text == text:
        return None
    return normalise(decoded.text, (decoded, removed))


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


# Digit groups joined by separators, 11 characters at least (no number is shorter).
_CHUNK = re.compile(r"[0-9](?=[0-9X .\-]{10})[0-9]*+X?+(?:[ .\-]++[0-9]++X?+)*+")
_GROUP = re.compile(r"[0-9]++X?+")
_DIGIT = re.compile(r"[0-9]")
_GROUP_OR_SPACED = re.compile(r"[0-9](?:[ .\-]++[0-9](?![0-9X]))++(?![0-9X])|[0-9]++X?+")
_SEPARATORS = re.compile(r"[ .\-]++")
_DATE = (r"(?:1[89]|20)[0-9]{2}(?:-(?:0?[1-9]|1[0-2])-|\.(?:0?[1-9]|1[0-2])\.)"
         r"(?:0?[1-9]|[12][0-9]|3[01])")
# A chunk is cut where an amount, a date or a landline stands: none is part of a number.
# "165 97349 633.42" holds no mobile, "199 2019-06-22" is a count and a day, and
# "402 557 0579-86988025" two numbers and a phone; but "330102 1990.01.01 1234" is an ID.
_CUT = re.compile(
    r"(?P<amount>[0-9](?<![0-9.][0-9])[0-9]*+)\.[0-9]{1,2}(?![0-9]|\.[0-9])"
    r"|(?<![0-9])(?:(?:(?<![0-9]{6}[ .\-])|(?!" + _DATE + r"[ .\-][0-9]{3}[0-9X](?![0-9])))"
    + _DATE + r"|0[1-9][0-9]{1,2}-[2-9][0-9]{6,7})(?![0-9])")


@dataclass(frozen=True)
class _Kind:
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
_MOBILE = r"1[3-9][0-9]{9}"
# Kinds in the order they win over an overlapping window of as many groups; where each is
# split: 330102 19900101 1234, 3301 0219 9001 0112 34, 33 01 02…; 6222 0212 3456 7890 128,
# 622202 1234567890128; 138 1234 5678, 1381 2345 678, 138 12345678, 138 12 34 56 78.
_IDS = (_Kind("id", 0, 18, rf"{_PROVINCE}[0-9]{{4}}(?:1[89]|20)[0-9]{{2}}{_DAY}[0-9]{{3}}[0-9X]",
              _valid_id18, cuts=(frozenset({2, 3, 4, 6, 8, 10, 12, 14, 16, 17}),)),
        _Kind("id", 1, 15, rf"{_PROVINCE}[0-9]{{6}}{_DAY}[0-9]{{3}}", _valid_id15,
              cuts=(frozenset({2, 3, 4, 6, 8, 10, 12}),)))
# A bank card's first digit names its industry (ISO/IEC 7812): 1 airlines, 7 petroleum and
# 8 telecoms issue no bank cards, and leaving them out spares mobiles and ledger figures.
_CARDS = tuple(_Kind("card", 2, n, rf"[2-69][0-9]{{{n - 1}}}", _luhn,
                     cuts=(frozenset({4, 8, 12, 16}), frozenset({6}))) for n in (19, 18, 17, 16))
_MOBILE_CUTS = tuple(map(frozenset, ({3, 7}, {4, 8}, {4, 7}, {3, 5, 7, 9})))
_MOBILES = (_Kind("mobile", 3, 11, _MOBILE, cuts=_MOBILE_CUTS),
            _Kind("mobile", 3, 13, "86" + _MOBILE, lead=2, cuts=_MOBILE_CUTS),
            _Kind("mobile", 3, 15, "0086" + _MOBILE, lead=4, cuts=_MOBILE_CUTS))
_start = operator.methodcaller("start")
_first = operator.itemgetter(0)
_VALUES = bytes.maketrans(b"0123456789X", bytes(range(10)) + b"\x00")
_DOUBLED = bytes.maketrans(b"0123456789X", bytes((0, 2, 4, 6, 8, 1, 3, 5, 7, 9, 0)))


def _mask(flags: Iterable[bool]) -> int:
    """Return flags as the bytes of an integer, 1 for true, first flag in the lowest byte."""
    return int.from_bytes(bytes(flags), "little")


def _unmask(mask: int, size: int) -> bytes:
    """Return the flags of a mask, one byte each."""
    return mask.to_bytes(size, "little")


class _Luhn:
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


# A chunk of at most this many groups is checked pair of edges by pair; a longer one
# kind by kind, with all windows of a length at once.
_FEW = 12
# A long chunk is read this many groups at a time.
_BLOCK = 2048
# Checking one window costs about what this many digits of prefix sums or shapes cost.
_WINDOW_COST = 6


def _by_length(kinds: Iterable[_Kind]) -> dict[int, tuple[_Kind, ...]]:
    """Group kinds by their length, in the order they win."""
    grouped: dict[int, tuple[_Kind, ...]] = {}
    for kind in kinds:
        grouped[kind.length] = (*grouped.get(kind.length, ()), kind)
    return grouped


_KINDS = _by_length((*_IDS, *_CARDS, *_MOBILES))
_KINDS_BUT_MOBILES = _by_length((*_IDS, *_CARDS))


class _Hit(NamedTuple):
    """A number found in a chunk: digits ``start + lead`` to ``end`` of it."""

    chunk: _Chunk
    kind: str
    start: int
    end: int
    lead: int

    @property
    def digits(self) -> str:
        """Return the number's digits, without a prefix."""
        return self.chunk.digits[self.start + self.lead:self.end]

    def places(self) -> list[int]:
        """Return the place in the form of each of the number's digits."""
        return [self.chunk.place(i) for i in range(self.start + self.lead, self.end)]


class _Chunk:
    """The digit groups of one chunk, and the windows of them that are numbers."""

    def __init__(self, form: str, start: int, end: int) -> None:
        self.text, self.origin = form[start:end], start
        self.texts: list[str] = _GROUP.findall(self.text)
        self.digits = "".join(self.texts)
        lengths = list(map(len, self.texts))
        self.spaced: dict[int, list[int]] = {}  # group: where its digits stand in it
        if 1 in lengths:  # "1 3 8 1234 5678": single digits spaced out make one group
            self.texts = _GROUP_OR_SPACED.findall(self.text)
            lengths = [len(t) if len(t) < 3 or t[1] not in " .-" else
                       len(_SEPARATORS.sub("", t)) for t in self.texts]
            self.spaced = {i: [] for i, t in enumerate(self.texts) if len(t) != lengths[i]}
        self.starts = list(accumulate(lengths, initial=0))
        # Where a window may start or end, with how many groups come before that place.
        self.edges = dict(zip(self.starts, count()))
        self.plain = self.starts  # the edges but those before an X, in order
        self.x_ends: list[int] = []
        if "X" in self.digits:  # a group's X is a letter: a window may end before it too
            for index, text in enumerate(self.texts):
                if text[-1] == "X":
                    after = self.starts[index + 1]
                    self.edges.setdefault(after - 1, self.edges[after])
                    self.x_ends.append(after - 1)

    def hits(self, mobiles: bool) -> Iterator[_Hit]:
        """Yield the numbers of this chunk, in order.

        A long chunk is read a block of groups at a time, so that a caller who wants only
        the first few numbers stops early; overlaps are settled within a block.
        """
        kinds = _KINDS if mobiles else _KINDS_BUT_MOBILES
        covered = bytearray(len(self.digits))
        if len(self.edges) <= _FEW:
            yield from self._chosen(self._few_windows(kinds), covered, self.plain)
            return
        for first in range(0, len(self.plain) - 1, _BLOCK):
            last = min(first + _BLOCK, len(self.plain) - 1)
            windows = self._many_windows(kinds, first, last)
            yield from self._chosen(windows, covered, self.plain[first:last])

    def _chosen(self, windows: Iterable[tuple[int, _Kind]], covered: bytearray,
                starts: list[int]) -> Iterator[_Hit]:
        """Yield the windows that no better one overlaps, in order of ``starts``.

        Of overlapping windows, the one of fewer groups wins, then the kind that ranks
        first, then the first.
        """
        ranked: dict[int, list[tuple[int, _Kind]]] = {}
        for start, kind in windows:
            spans = self.edges[start + kind.length] - self.edges[start]
            ranked.setdefault(4 * spans + kind.rank, []).append((start, kind))
        if not ranked:
            return
        chosen: dict[int, _Kind] = {}
        for rank in sorted(ranked):
            # Of as many groups, the first wins.
            for start, kind in sorted(ranked[rank], key=_first):
                end = start + kind.length
                if covered.find(1, start, end) < 0:
                    covered[start:end] = b"\x01" * (end - start)
                    chosen[start] = kind
        for start in starts:
            if start in chosen:
                kind = chosen[start]
                yield _Hit(self, kind.kind, start, start + kind.length, kind.lead)

    def _free(self, start: int, kind: _Kind) -> bool:
        """Tell whether a window is split only where people split a number of its kind."""
        end, number = start + kind.length, start + kind.lead
        inside = self.plain[bisect_right(self.plain, start):bisect_left(self.plain, end)]
        if not inside:
            return True
        # A prefix (86, 0086) is glued to the number: "8613812345678", "86138 1234 5678".
        cuts = {at - number for at in inside}
        return any(cuts <= usual for usual in kind.cuts)

    def _few_windows(self, kinds: dict[int, tuple[_Kind, ...]]) -> Iterator[tuple[int, _Kind]]:
        """Yield (start, kind) of each window that is a number, pair of edges by pair."""
        digits = self.digits
        edges = sorted(self.edges)
        for index, start in enumerate(edges):
            for end in edges[index + 1:]:
                if end - start > 19:
                    break
                for kind in kinds.get(end - start, ()):
                    if 0 < self.edges[end] - self.edges[start] <= MAX_GROUPS and \
                            self._free(start, kind) and \
                            kind.whole.fullmatch(digits, start, end) and \
                            (kind.valid is None or kind.valid(digits[start:end])):
                        yield start, kind

    def _many_windows(self, kinds: dict[int, tuple[_Kind, ...]], first: int,
                      last: int) -> Iterator[tuple[int, _Kind]]:
        """Yield (start, kind) of each window starting at edges ``first`` to ``last``."""
        end = self.plain[min(last + MAX_GROUPS, len(self.plain) - 1)]
        luhn = cache(partial(_Luhn, self.digits, self.plain[first], end))  # for the block
        for kind, starts in self._candidates(kinds, first, last).items():
            if starts:
                yield from ((start, kind) for start in self._numbers(kind, starts, luhn))

    def _candidates(self, kinds: dict[int, tuple[_Kind, ...]], first: int,
                    last: int) -> dict[_Kind, list[int]]:
        """Return, kind by kind, where windows start (at edges ``first`` to ``last``) that
        end at an edge a few groups on and are split only where people split such a number.

        All windows of a number of groups are weighed at once: ``widths[j]`` holds the
        width of the first j + 1 groups from each start, which is where a window of more
        groups is split.
        """
        plain = self.plain[first:last + MAX_GROUPS + 1]
        starts = min(last - first, len(plain) - 1)
        found: dict[_Kind, list[int]] = {}
        widths: list[list[int]] = []
        usual: dict[frozenset[int], list[int]] = {}  # per way of splitting, per groups
        for groups in range(1, min(MAX_GROUPS, len(plain) - 1) + 1):
            widths.append(list(map(operator.sub, plain[groups:groups + starts], plain)))
            for width in kinds.keys() & set(widths[-1]):
                fits = _mask(map(width.__eq__, widths[-1]))
                for kind in kinds[width]:
                    split = fits & self._split_as(kind, groups, widths, usual)
                    if split:
                        found.setdefault(kind, []).extend(
                            compress(plain, _unmask(split, len(widths[-1]))))
        for end in self.x_ends[bisect_left(self.x_ends, plain[0]):
                               bisect_right(self.x_ends, plain[-1])]:
            counted = self.edges[end]  # a window may end just before an X
            for start in self.plain[max(first, counted - MAX_GROUPS):min(counted, last)]:
                for kind in kinds.get(end - start, ()):
                    if self._free(start, kind):
                        found.setdefault(kind, []).append(start)
        return found

    @staticmethod
    def _split_as(kind: _Kind, groups: int, widths: list[list[int]],
                  usual: dict[frozenset[int], list[int]]) -> int:
        """Return, bit by start, whether a window of ``groups`` groups is split the way
        numbers of this kind are (masks as integers: big-integer logic is fast)."""
        either = 0
        for splits in kind.splits:
            known = usual.setdefault(splits, [-1, -1])  # nothing to split in one group
            while len(known) <= groups:
                cut = known[-1] and _mask(map(splits.__contains__, widths[len(known) - 2]))
                known.append(cut & known[-1])
            either |= known[groups]
        return either

    def _numbers(self, kind: _Kind, starts: list[int],
                 luhn: Callable[[], _Luhn]) -> list[int]:
        """Return which windows of a kind's length, starting at ``starts``, are numbers."""
        length, digits = kind.length, self.digits
        low, high = min(starts), max(starts) + length
        if len(starts) * _WINDOW_COST < high - low:
            shaped = [s for s in starts if kind.whole.fullmatch(digits, s, s + length)]
        elif kind.kind == "card":
            right = set(starts).intersection(luhn().valid(length, low, high))
            return [s for s in right if kind.whole.fullmatch(digits, s, s + length)]
        else:
            found = map(_start, kind.anywhere.finditer(digits, low, high))
            shaped = list(set(starts).intersection(found))
        if kind.valid is None:
            return shaped
        return [s for s in shaped if kind.valid(digits[s:s + length])]

    @cached_property
    def _places(self) -> list[int]:
        """Return where each group starts in the form."""
        gaps = _GROUP_OR_SPACED.split(self.text)[1:-1] if self.spaced else \
            _SEPARATORS.findall(self.text)
        widths = map(operator.add, map(len, self.texts), map(len, gaps))
        return list(accumulate(widths, initial=self.origin))

    def place(self, index: int) -> int:
        """Return the place in the form of the digit at ``index``."""
        group = bisect_right(self.starts, index) - 1
        offset = index - self.starts[group]
        if group in self.spaced:  # single digits spaced out: look up where each stands
            if not self.spaced[group]:
                self.spaced[group] = [m.start() for m in _DIGIT.finditer(self.texts[group])]
            offset = self.spaced[group][offset]
        return self._places[group] + offset


# A chunk holds a number only if a group starts with 1-9 (or 0086) and 10 digits follow.
_ROOM = re.compile(r"(?<![0-9])(?:[1-9]|0086)(?:[ .\-]*+[0-9]){10}")


def _hits(form: str, mobiles: bool) -> Iterator[_Hit]:
    """Yield every personal number of a form, in order."""
    for chunk in _CHUNK.finditer(form):
        yield from _chunk_hits(form, chunk.start(), chunk.end(), mobiles)


def _chunk_hits(form: str, start: int, end: int, mobiles: bool) -> Iterator[_Hit]:
    """Yield the numbers of a chunk, cut where amounts, dates and landlines stand."""
    text = form[start:end]
    cuts = _CUT.finditer(form, start, end) if "." in text or "-" in text else ()
    for cut in cuts:
        yield from _parts_hits(form, start, cut.start(), mobiles)
        if cut.lastgroup == "amount":  # the amount's whole part stands alone
            yield from _parts_hits(form, cut.start(), cut.end("amount"), mobiles)
        start = cut.end()
    yield from _parts_hits(form, start, end, mobiles)


def _parts_hits(form: str, start: int, end: int, mobiles: bool) -> Iterator[_Hit]:
    """Yield the numbers of the chunks between two cuts."""
    for chunk in _CHUNK.finditer(form, start, end):
        start, end = chunk.span()
        if end - start >= 11 and _ROOM.search(form, start, end):
            yield from _Chunk(form, start, end).hits(mobiles)


def _views(text: str, markup: bool) -> Iterator[Normal]:
    """Yield the text as written and, for markup, as a reader sees it."""
    yield normalise(text)
    if markup and (shown := _demarked(text)) is not None:
        yield shown


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
    for view in _views(text, markup):
        hits = (hit for hit in _hits(view.form, mobiles) if hit.digits not in allowed)
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
_PREFIXED_MOBILE = re.compile(rf"(?:0086|86)({_MOBILE})")


def number_key(text: str) -> str:
    """Reduce a number as written to its digits (and X), to compare spellings of it."""
    digits = "".join(_KEY.findall(text.translate(_TABLE)))
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
    for view in _views(text, markup=True):
        numbers: set[int] = set()
        for hit in _hits(view.form, mobiles=True):
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
