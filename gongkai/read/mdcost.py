"""The budgets of the Markdown cost guard and the scans that follow Python-Markdown's parsers.

Each scan measures in linear time what one of Python-Markdown's superlinear passes would
cost (searches for an unclosed ``[`` or backtick run, code spans, ``<tag`` without ``>``);
``mdguard`` weighs the rest and refuses text over a budget.
"""

from __future__ import annotations

import bisect
import re

from gongkai.core.i18n import N_, Msg

# The budgets. Each bounds one way Python-Markdown's time grows faster than the text;
# within all of them any text renders in well under a second on one CI core
# (bench/markdown_worst.py), while ordinary disclosures use a few percent of each.
# Formatting marks in one text, with lines, blank lines, list items and table cells
# weighed as the marks their cost matches: each mark costs 20 to 80 microseconds.
MAX_MARKS = 16_000
LINES_PER_MARK = 8
BLANK_LINE_MARKS = 3
LIST_ITEM_MARKS = 4
# Levels of quotes and lists: each level re-reads, and recurses into, the text inside it.
MAX_DEPTH = 32
# Inline marks × characters, summed over paragraphs: every inline element found copies
# the whole paragraph once more.
MAX_SPREAD = 250_000_000
# Characters walked, one by one in Python, looking for the ] of a [, the ) of a ](, or
# the closing backtick run of a code span, weighted by how many times it is walked.
MAX_SEARCH = 2_000_000
# Characters the HTML block parser scans for the > that ends each <tag, over the text.
MAX_TAG_SEARCH = 2_000_000
# Headings and rules inside a block of lines × (its lines and characters / 16): the
# block is split at each and what follows is tested again from its start.
MAX_RESPLIT = 2_500_000


_TAG_OPEN = re.compile(r"<[A-Za-z]")
# Runs of backslashes or of backticks, found apart: a run of backslashes escapes a backtick
# after it if it is odd.
_TICKS = re.compile(r"\\+|`+")
# Characters Python-Markdown lets a backslash escape (with the tables extension's |).
_ESCAPABLE = frozenset("\\`*_{}[]()>#+-.!|")
# The closing quote of a link title, followed by the ) that ends the link.
_TITLE_END = re.compile(r"([\"']) *\)")


MSG_MARKS = N_("from about here on the text is too long to show in time: it has too many "
               "lines and formatting marks (such as [ ] < > * _ ` |); split it into several "
               "disclosures, or publish the long part as a PDF under files/")
MSG_DEPTH = N_("quotes (>) and lists are nested {depth} levels deep here; at most {limit} "
               "levels can be shown: take some levels out")
MSG_SPREAD = N_("this paragraph is {size} characters long and has {count} formatting marks, "
                "too many together to show in time: put blank lines between its parts")
MSG_SEARCH = N_("the {mark} here, and others like it in the same paragraph, are not closed "
                "(or are nested too deep), and looking for their ends takes too long: "
                "close them, write {escaped} to show the sign as it is, or put blank lines "
                "into the paragraph")
MSG_TAG = N_("the < here starts what looks like an HTML tag, but no > closes it and looking "
             "for one takes too long: write &lt; to show a < sign, or close the tag with >")
MSG_RESPLIT = N_("these {lines} lines have {count} headings or rules without blank lines "
                 "around them, which takes too long to show: put a blank line before and "
                 "after each heading and rule")


class MarkdownTooComplex(ValueError):
    """Markdown too costly to render: the line (1-based, within the text) and what to change."""

    def __init__(self, line: int, message: Msg) -> None:
        super().__init__(f"line {line}: {message.msgid}")
        self.line = line
        self.message = message


def line_number(text: str, offset: int) -> int:
    """Return the 1-based line of an offset."""
    return text.count("\n", 0, offset) + 1


def _after(positions: list[int], index: int) -> int | None:
    """Return the first of the sorted positions at or after an index, if any."""
    found = bisect.bisect_left(positions, index)
    return positions[found] if found < len(positions) else None


def search_cost(node: str) -> tuple[int, int, str]:
    """Return what Python-Markdown walks char by char in one paragraph looking for ends.

    Returns the weighted count, and the offset and sign of the costliest opener. Mirrors
    the inline patterns in order: code spans first, then backslash escapes, then each
    [ (and ![) searched for its ] by three patterns, then each ]( for its ).
    """
    size = len(node)
    cost, worst, spans = _code_spans(node)
    starts = [a for a, _ in spans]

    def hidden(index: int) -> bool:
        found = bisect.bisect_right(starts, index) - 1
        return found >= 0 and index < spans[found][1]

    escaped: set[int] = set()
    consumed = 0
    for match in re.finditer(r"\\", node) if "\\" in node else ():
        index = match.start()
        if index < consumed or hidden(index):
            continue
        if index + 1 < size and node[index + 1] in _ESCAPABLE:
            escaped.add(index + 1)
        consumed = index + 2
    brackets: list[int] = []
    closing: dict[int, int] = {}
    parens: list[int] = []
    paren_closing: dict[int, int] = {}
    if "[" not in node:
        return cost, worst[1], worst[2]
    for match in re.finditer(r"[\[\]()]", node):
        index = match.start()
        if index in escaped or hidden(index):
            continue
        char = node[index]
        if char == "[":
            brackets.append(index)
        elif char == "(":
            parens.append(index)
        elif char == "]" and brackets:
            closing[brackets.pop()] = index
        elif char == ")" and parens:
            paren_closing[parens.pop()] = index
    openers = sorted([*closing, *brackets])
    quotes = [m.start() for m in re.finditer("[\"']", node) if not hidden(m.start())]
    title_quotes: dict[str, list[int]] = {'"': [], "'": []}
    title_ends: dict[str, list[int]] = {'"': [], "'": []}
    for match in _TITLE_END.finditer(node):
        title_quotes[match.group(1)].append(match.start())
        title_ends[match.group(1)].append(match.end() - 1)
    for index in openers:
        end = closing.get(index, size)
        walk = 6 * (end - index)
        if end + 1 < size and node[end + 1] == "(" and end + 1 not in escaped:
            walk += 2 * (_link_end(node, end + 1, paren_closing, quotes, title_quotes,
                                   title_ends) - end)
        cost += walk
        worst = max(worst, (walk, index, "["))
    return cost, worst[1], worst[2]


def _link_end(node: str, opening: int, paren_closing: dict[int, int], quotes: list[int],
              title_quotes: dict[str, list[int]], title_ends: dict[str, list[int]]) -> int:
    """Return how far Python-Markdown's link parser walks from the ( of a ]( at most."""
    end = paren_closing.get(opening, len(node))
    quote = _after(quotes, opening)
    if quote is None or quote > end:
        return end
    # In a title the walk stops only at a ) right after the same quote closing it.
    found = bisect.bisect_right(title_quotes[node[quote]], quote)
    if found < len(title_ends[node[quote]]):
        return title_ends[node[quote]][found]
    return len(node)


def _code_spans(node: str) -> tuple[int, tuple[int, int, str], list[tuple[int, int]]]:
    """Return the chars walked finding code spans, the costliest opener, and the spans."""
    runs: list[tuple[int, int, int]] = []  # start, end, 1 if an odd backslash escapes one
    if "`" not in node:
        return 0, (0, 0, "`"), []
    slashes = (0, 0)  # the end and length of the last run of backslashes
    for match in _TICKS.finditer(node):
        start, end = match.span()
        if node[start] == "\\":
            slashes = (end, end - start)
        else:
            runs.append((start, end, slashes[1] % 2 if slashes[0] == start else 0))
    by_length: dict[int, list[int]] = {}
    for index, (start, end, _odd) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    # The longest run from each run on (the leftmost of equals): Python-Markdown's
    # fallback when no run of the opener's own length follows.
    longest: list[tuple[int, int]] = [(0, -1)] * (len(runs) + 1)
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        later = longest[index + 1]
        longest[index] = (length, index) if length >= later[0] else later
    cost = 0
    worst = (0, 0, "`")
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        start, end, odd = runs[index]
        ticks = end - start - odd
        if ticks == 0:
            index += 1
            continue
        same = by_length.get(ticks, [])
        found = bisect.bisect_right(same, index)
        if found < len(same):
            close = runs[same[found]][1]
            walk = close - end
            spans.append((start + odd, close))
            index = same[found] + 1
        else:
            walk = len(node) - end
            fallback = longest[index + 1]
            if 0 < fallback[0] < ticks:
                spans.append((start + odd, runs[fallback[1]][1]))
                index = fallback[1] + 1
            else:
                index += 1
        walk *= 2
        cost += walk
        worst = max(worst, (walk, start, "`"))
    return cost, worst, spans


def check_tags(text: str) -> None:
    """Refuse text whose unclosed <tags make the HTML block parser rescan it.

    The parser reads a tag to the first > outside a quoted value, over the whole text.
    """
    opens = [m.start() for m in _TAG_OPEN.finditer(text)]
    if not opens:
        return
    size = len(text)
    closes = [m.start() for m in re.finditer(">", text)]
    quotes = [m.start() for m in re.finditer("[\"']", text)]
    same = {q: [m.start() for m in re.finditer(q, text)] for q in "\"'"}
    known: dict[int, int] = {}

    def tag_end(index: int) -> int:
        path = []
        while index not in known:
            close, quote = _after(closes, index), _after(quotes, index)
            if quote is None or (close is not None and close < quote):
                known[index] = size if close is None else close
                break
            pair = _after(same[text[quote]], quote + 1)
            if pair is None:
                known[index] = size
                break
            path.append(index)
            index = pair + 1
        for step in path:
            known[step] = known[index]
        return known[index]

    total = 0
    worst = (0, 0)
    for index in opens:
        walk = tag_end(index) - index
        total += walk
        worst = max(worst, (walk, index))
    if total > MAX_TAG_SEARCH:
        raise MarkdownTooComplex(line_number(text, worst[1]), Msg.of(MSG_TAG))
