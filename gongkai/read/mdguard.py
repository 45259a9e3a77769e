"""The cost guard of Python-Markdown: ``check_markdown`` refuses text over a budget.

It tells the clerk the line and what to change; why each cost arises is told in
``markup``'s docstring, the budgets and scans are in ``mdcost``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator

import markdown
from markdown.extensions.tables import TableProcessor

from gongkai.core.i18n import Msg
from gongkai.read.mdcost import (
    BLANK_LINE_MARKS,
    LINES_PER_MARK,
    LIST_ITEM_MARKS,
    MAX_DEPTH,
    MAX_MARKS,
    MAX_RESPLIT,
    MAX_SEARCH,
    MAX_SPREAD,
    MSG_DEPTH,
    MSG_MARKS,
    MSG_RESPLIT,
    MSG_SEARCH,
    MSG_SPREAD,
    MarkdownTooComplex,
    check_tags,
    line_number,
    search_cost,
)

_MARK_CHARS = "[]()<>`*_\\&|!\"'"
# Blank lines and the starts of list items, each after the line end before it.
_BLANK_LINE = re.compile(r"\n[ \t]*+(?=\n)")
_ITEM_START = re.compile(r"\n[ \t>]*+(?:[-*+]|\d{1,9}[.)])[ \t]")
# Characters weighed at a time when looking for where the marks budget runs out.
_PIECE = 8192
_INLINE_CHARS = "[]<`*_\\&!"
# A quote or list marker at the start of a line (after the ones before it).
_CONTAINER_START = frozenset(" \t>-*+0123456789")
_CONTAINER = re.compile(r"[ \t]*+(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))")
_RULE = re.compile(r" {0,3}([-*_])(?: *+\1){2,}+ *+$")
# A line that splits its block: a heading, a rule, a setext underline, a link reference.
_RESPLIT_LINE = re.compile(
    r"[ >]*+(?:#|=++ *+$|-++ *+$|(?:- *+){3,}+$|(?:\* *+){3,}+$|(?:_ *+){3,}+$|\[[^\]]*+\]:)")


# Only the test of the table processor is used, to know a table as Python-Markdown does.
_TABLES = TableProcessor(markdown.Markdown().parser, {})


def check_markdown(text: str) -> None:
    """Raise ``MarkdownTooComplex`` if Python-Markdown would take too long on the text.

    Runs in time linear in the text: it counts first, and looks closer only at texts
    with few enough marks that looping over them is cheap.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_marks(text)
    lines = text.split("\n")
    _check_depth(lines)
    check_tags(text)
    spread = search = resplit = 0
    worst_spread: tuple[int, int, Msg] | None = None
    worst_search: tuple[int, int, Msg] | None = None
    worst_resplit: tuple[int, int, Msg] | None = None
    for first, block_lines in _blocks(lines):
        block = "\n".join(block_lines)
        splits = sum(1 for line in block_lines if _RESPLIT_LINE.match(line))
        cost = splits * (len(block_lines) + len(block) // 16)
        resplit += cost
        if splits and (worst_resplit is None or cost > worst_resplit[0]):
            worst_resplit = (cost, first + 1, Msg.of(MSG_RESPLIT, lines=len(block_lines),
                                                     count=splits))
        for offset, node in _nodes(block_lines, block):
            marks = sum(node.count(c) for c in _INLINE_CHARS) + node.count("  \n")
            cost = marks * len(node)
            spread += cost
            if marks and (worst_spread is None or cost > worst_spread[0]):
                worst_spread = (cost, first + offset + 1, Msg.of(
                    MSG_SPREAD, size=len(node), count=marks))
            cost, at, mark = search_cost(node)
            search += cost
            if cost and (worst_search is None or cost > worst_search[0]):
                worst_search = (cost, first + offset + node.count("\n", 0, at) + 1,
                                Msg.of(MSG_SEARCH, mark=mark, escaped="\\" + mark))
    # The most particular advice first: what to close, then where to add blank lines.
    for total, limit, worst in ((search, MAX_SEARCH, worst_search),
                                (resplit, MAX_RESPLIT, worst_resplit),
                                (spread, MAX_SPREAD, worst_spread)):
        if total > limit and worst is not None:
            raise MarkdownTooComplex(worst[1], worst[2])


def _check_marks(text: str) -> None:
    """Refuse text with more lines and marks than can be rendered in time."""
    budget = MAX_MARKS * LINES_PER_MARK
    # Most texts are let through by a bound counted at once, the rest weighed in C.
    lines = text.count("\n") + 1
    if _marks(text) + lines * (LIST_ITEM_MARKS + 1) <= MAX_MARKS:
        return
    # Weigh a piece at a time, and find where the budget runs out in the piece where it
    # does, so the clerk sees how much fits.
    spent = 0
    for start in range(0, len(text), _PIECE):
        piece = _weight(text[start:start + _PIECE])
        if spent + piece > budget:
            low, high = start, min(start + _PIECE, len(text))
            while high - low > 1:
                middle = (low + high) // 2
                low, high = ((low, middle) if spent + _weight(text[start:middle]) > budget
                             else (middle, high))
            raise MarkdownTooComplex(line_number(text, low), Msg.of(MSG_MARKS))
        spent += piece


def _weight(text: str) -> int:
    """Return what a piece of text weighs against the marks budget, in eighths."""
    text = "\n" + text  # so that the first line starts after a line end, as the others do
    marks = _marks(text) + text.count("  \n")
    heavy = (BLANK_LINE_MARKS * len(_BLANK_LINE.findall(text))
             + LIST_ITEM_MARKS * len(_ITEM_START.findall(text)))
    return LINES_PER_MARK * (marks + heavy) + text.count("\n") - 1


def _marks(text: str) -> int:
    """Return the marks in a text; a | counts twice, as a table cell costs two marks."""
    return sum(map(text.count, _MARK_CHARS)) + text.count("|")


def _check_depth(lines: list[str]) -> None:
    """Refuse quotes and lists nested deeper than Python-Markdown can recurse."""
    for index, line in enumerate(lines):
        # "* * * *" is a rule, not lists in lists.
        if line[:1] not in _CONTAINER_START or _RULE.match(line):
            continue
        depth = position = 0
        while depth <= MAX_DEPTH and (match := _CONTAINER.match(line, position)):
            marker = match.group()
            # A list item indented under another is nested a level per four spaces.
            depth += 1 + len(marker[: len(marker) - len(marker.lstrip(" \t"))].expandtabs(4)) // 4
            position = match.end()
        if depth > MAX_DEPTH:
            raise MarkdownTooComplex(index + 1, Msg.of(MSG_DEPTH, depth=depth,
                                                       limit=MAX_DEPTH))


def _blocks(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Yield each run of non-blank lines, with the index of its first line."""
    first: int | None = None
    for index, line in enumerate(lines):
        if line.strip(" \t"):
            if first is None:
                first = index
        elif first is not None:
            yield first, lines[first:index]
            first = None
    if first is not None:
        yield first, lines[first:]


def _nodes(block_lines: list[str], block: str) -> list[tuple[int, str]]:
    """Return the stretches of a block that inline patterns run over, by first line.

    A table's cells are separate, each inside one line; any other block is taken
    whole, which is never less than Python-Markdown's paragraphs or list items in it.
    """
    if not block.startswith(("    ", "\t")) and _TABLES.test(etree.Element("p"), block):
        return list(enumerate(block_lines))
    return [(0, block)]
