"""The form of a text that personal numbers are found in, and what a Markdown reader sees.

Steps 1 and ``demark`` of ``pii``: digits of every script as ASCII, separators folded,
invisible characters dropped, with the way back to the text's offsets.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

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


CHAR_TABLE = _Table()


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
    form = text.translate(CHAR_TABLE)
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
    return demarked(text) or normalise(text)


def demarked(text: str) -> Normal | None:
    """Return the text a reader sees, in matching form; None if it is the text itself."""
    removed = Rewrite(text, _MARKUP, "")
    decoded = Rewrite(removed.text, _ENTITY, _unescape)
    if decoded.text == text:
        return None
    return normalise(decoded.text, (decoded, removed))
