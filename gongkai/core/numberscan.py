"""The windows of a chunk of digit groups, weighed a block of groups at a time.

Steps 2 to 4 of ``pii``: chunks cut at amounts, dates and landlines; every window of a
number of groups checked at once, so Python works per candidate, not per digit.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from functools import cache, cached_property, partial
from itertools import accumulate, compress, count
from typing import NamedTuple

from gongkai.core.idnumbers import (
    CHUNK,
    CUT,
    DIGIT,
    GROUP,
    GROUP_OR_SPACED,
    KINDS,
    KINDS_BUT_MOBILES,
    MAX_GROUPS,
    SEPARATORS,
    Kind,
    LuhnSums,
    first_group,
    group_start,
    mask_of,
    unmask,
)
from gongkai.core.textform import Normal, demarked, normalise

# A chunk of at most this many groups is checked pair of edges by pair; a longer one
# kind by kind, with all windows of a length at once.
_FEW = 12
# A long chunk is read this many groups at a time.
_BLOCK = 2048
# Checking one window costs about what this many digits of prefix sums or shapes cost.
_WINDOW_COST = 6


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
        self.texts: list[str] = GROUP.findall(self.text)
        self.digits = "".join(self.texts)
        lengths = list(map(len, self.texts))
        self.spaced: dict[int, list[int]] = {}  # group: where its digits stand in it
        if 1 in lengths:  # "1 3 8 1234 5678": single digits spaced out make one group
            self.texts = GROUP_OR_SPACED.findall(self.text)
            lengths = [len(t) if len(t) < 3 or t[1] not in " .-" else
                       len(SEPARATORS.sub("", t)) for t in self.texts]
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
        kinds = KINDS if mobiles else KINDS_BUT_MOBILES
        covered = bytearray(len(self.digits))
        if len(self.edges) <= _FEW:
            yield from self._chosen(self._few_windows(kinds), covered, self.plain)
            return
        for first in range(0, len(self.plain) - 1, _BLOCK):
            last = min(first + _BLOCK, len(self.plain) - 1)
            windows = self._many_windows(kinds, first, last)
            yield from self._chosen(windows, covered, self.plain[first:last])

    def _chosen(self, windows: Iterable[tuple[int, Kind]], covered: bytearray,
                starts: list[int]) -> Iterator[_Hit]:
        """Yield the windows that no better one overlaps, in order of ``starts``.

        Of overlapping windows, the one of fewer groups wins, then the kind that ranks
        first, then the first.
        """
        ranked: dict[int, list[tuple[int, Kind]]] = {}
        for start, kind in windows:
            spans = self.edges[start + kind.length] - self.edges[start]
            ranked.setdefault(4 * spans + kind.rank, []).append((start, kind))
        if not ranked:
            return
        chosen: dict[int, Kind] = {}
        for rank in sorted(ranked):
            # Of as many groups, the first wins.
            for start, kind in sorted(ranked[rank], key=first_group):
                end = start + kind.length
                if covered.find(1, start, end) < 0:
                    covered[start:end] = b"\x01" * (end - start)
                    chosen[start] = kind
        for start in starts:
            if start in chosen:
                kind = chosen[start]
                yield _Hit(self, kind.kind, start, start + kind.length, kind.lead)

    def _free(self, start: int, kind: Kind) -> bool:
        """Tell whether a window is split only where people split a number of its kind."""
        end, number = start + kind.length, start + kind.lead
        inside = self.plain[bisect_right(self.plain, start):bisect_left(self.plain, end)]
        if not inside:
            return True
        # A prefix (86, 0086) is glued to the number: "8613812345678", "86138 1234 5678".
        cuts = {at - number for at in inside}
        return any(cuts <= usual for usual in kind.cuts)

    def _few_windows(self, kinds: dict[int, tuple[Kind, ...]]) -> Iterator[tuple[int, Kind]]:
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

    def _many_windows(self, kinds: dict[int, tuple[Kind, ...]], first: int,
                      last: int) -> Iterator[tuple[int, Kind]]:
        """Yield (start, kind) of each window starting at edges ``first`` to ``last``."""
        end = self.plain[min(last + MAX_GROUPS, len(self.plain) - 1)]
        luhn = cache(partial(LuhnSums, self.digits, self.plain[first], end))  # for the block
        for kind, starts in self._candidates(kinds, first, last).items():
            if starts:
                yield from ((start, kind) for start in self._numbers(kind, starts, luhn))

    def _candidates(self, kinds: dict[int, tuple[Kind, ...]], first: int,
                    last: int) -> dict[Kind, list[int]]:
        """Return, kind by kind, where windows start (at edges ``first`` to ``last``) that
        end at an edge a few groups on and are split only where people split such a number.

        All windows of a number of groups are weighed at once: ``widths[j]`` holds the
        width of the first j + 1 groups from each start, which is where a window of more
        groups is split.
        """
        plain = self.plain[first:last + MAX_GROUPS + 1]
        starts = min(last - first, len(plain) - 1)
        found: dict[Kind, list[int]] = {}
        widths: list[list[int]] = []
        usual: dict[frozenset[int], list[int]] = {}  # per way of splitting, per groups
        for groups in range(1, min(MAX_GROUPS, len(plain) - 1) + 1):
            widths.append(list(map(operator.sub, plain[groups:groups + starts], plain)))
            for width in kinds.keys() & set(widths[-1]):
                fits = mask_of(map(width.__eq__, widths[-1]))
                for kind in kinds[width]:
                    split = fits & self._split_as(kind, groups, widths, usual)
                    if split:
                        found.setdefault(kind, []).extend(
                            compress(plain, unmask(split, len(widths[-1]))))
        for end in self.x_ends[bisect_left(self.x_ends, plain[0]):
                               bisect_right(self.x_ends, plain[-1])]:
            counted = self.edges[end]  # a window may end just before an X
            for start in self.plain[max(first, counted - MAX_GROUPS):min(counted, last)]:
                for kind in kinds.get(end - start, ()):
                    if self._free(start, kind):
                        found.setdefault(kind, []).append(start)
        return found

    @staticmethod
    def _split_as(kind: Kind, groups: int, widths: list[list[int]],
                  usual: dict[frozenset[int], list[int]]) -> int:
        """Return, bit by start, whether a window of ``groups`` groups is split the way
        numbers of this kind are (masks as integers: big-integer logic is fast)."""
        either = 0
        for splits in kind.splits:
            known = usual.setdefault(splits, [-1, -1])  # nothing to split in one group
            while len(known) <= groups:
                cut = known[-1] and mask_of(map(splits.__contains__, widths[len(known) - 2]))
                known.append(cut & known[-1])
            either |= known[groups]
        return either

    def _numbers(self, kind: Kind, starts: list[int],
                 luhn: Callable[[], LuhnSums]) -> list[int]:
        """Return which windows of a kind's length, starting at ``starts``, are numbers."""
        length, digits = kind.length, self.digits
        low, high = min(starts), max(starts) + length
        if len(starts) * _WINDOW_COST < high - low:
            shaped = [s for s in starts if kind.whole.fullmatch(digits, s, s + length)]
        elif kind.kind == "card":
            right = set(starts).intersection(luhn().valid(length, low, high))
            return [s for s in right if kind.whole.fullmatch(digits, s, s + length)]
        else:
            found = map(group_start, kind.anywhere.finditer(digits, low, high))
            shaped = list(set(starts).intersection(found))
        if kind.valid is None:
            return shaped
        return [s for s in shaped if kind.valid(digits[s:s + length])]

    @cached_property
    def _places(self) -> list[int]:
        """Return where each group starts in the form."""
        gaps = GROUP_OR_SPACED.split(self.text)[1:-1] if self.spaced else \
            SEPARATORS.findall(self.text)
        widths = map(operator.add, map(len, self.texts), map(len, gaps))
        return list(accumulate(widths, initial=self.origin))

    def place(self, index: int) -> int:
        """Return the place in the form of the digit at ``index``."""
        group = bisect_right(self.starts, index) - 1
        offset = index - self.starts[group]
        if group in self.spaced:  # single digits spaced out: look up where each stands
            if not self.spaced[group]:
                self.spaced[group] = [m.start() for m in DIGIT.finditer(self.texts[group])]
            offset = self.spaced[group][offset]
        return self._places[group] + offset


# A chunk holds a number only if a group starts with 1-9 (or 0086) and 10 digits follow.
_ROOM = re.compile(r"(?<![0-9])(?:[1-9]|0086)(?:[ .\-]*+[0-9]){10}")


def text_hits(form: str, mobiles: bool) -> Iterator[_Hit]:
    """Yield every personal number of a form, in order."""
    for chunk in CHUNK.finditer(form):
        yield from _chunk_hits(form, chunk.start(), chunk.end(), mobiles)


def _chunk_hits(form: str, start: int, end: int, mobiles: bool) -> Iterator[_Hit]:
    """Yield the numbers of a chunk, cut where amounts, dates and landlines stand."""
    text = form[start:end]
    cuts = CUT.finditer(form, start, end) if "." in text or "-" in text else ()
    for cut in cuts:
        yield from _parts_hits(form, start, cut.start(), mobiles)
        if cut.lastgroup == "amount":  # the amount's whole part stands alone
            yield from _parts_hits(form, cut.start(), cut.end("amount"), mobiles)
        start = cut.end()
    yield from _parts_hits(form, start, end, mobiles)


def _parts_hits(form: str, start: int, end: int, mobiles: bool) -> Iterator[_Hit]:
    """Yield the numbers of the chunks between two cuts."""
    for chunk in CHUNK.finditer(form, start, end):
        start, end = chunk.span()
        if end - start >= 11 and _ROOM.search(form, start, end):
            yield from _Chunk(form, start, end).hits(mobiles)


def text_views(text: str, markup: bool) -> Iterator[Normal]:
    """Yield the text as written and, for markup, as a reader sees it."""
    yield normalise(text)
    if markup and (shown := demarked(text)) is not None:
        yield shown
