"""Markdown to safe HTML: Python-Markdown for the syntax, nh3 for an allow-list clean.

Python-Markdown is kept because it reads Chinese text the way clerks expect (CommonMark
renderers leave ``**“引号”**后`` unbolded) and the site's pages are built on its output.
But it is slow on some input, superlinear on much of it: it copies a paragraph for every
inline element it finds, walks the rest of a paragraph character by character for every
``[``, ``](`` or backtick run it cannot close, lets the HTML block parser scan to the end of
the text for every ``<tag`` without ``>``, re-reads a block for each heading or rule in it,
and recurses for each level of nesting. Even ordinary Markdown costs 20 to 80
microseconds per element, so 2 MB of dense Markdown takes tens of seconds, in any pure
Python renderer. So before rendering, ``check_markdown`` measures in linear time what
each of those costs would be and refuses text over a budget, telling the clerk the line
and what to change; text within the budgets renders exactly as before, in well under a
second (``bench/markdown_worst.py`` measures it).
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from html.parser import HTMLParser

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.tables import TableProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from gongkai.core.i18n import N_, Msg

_EXTENSIONS = ["tables", "sane_lists", "fenced_code"]
# Alignment as an attribute: nh3 drops every style attribute.
_CONFIG = {"tables": {"use_align_attribute": True}}
_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s",
    "del", "ins", "mark", "sub", "sup", "small", "blockquote", "pre", "code", "kbd",
    "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "abbr",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "td": {"align", "colspan", "rowspan", "data-label"},
    "ol": {"start"},
    "abbr": {"title"},
}
_CLASSES = {"table": {"ledger"}, "td": {"num"}}
# A cell that is one figure: right-aligned on a wide screen, never broken mid-number.
_FIGURE = re.compile(r"[¥￥]?\s*[-+]?\d[\d,]*(?:\.\d+)?\s*(?:元|万元|%|％)?")
_TAG = re.compile(r"<[^>]*>")
# A relative address of the site's own: no scheme, no host, no spaces or control characters.
_LOCAL = re.compile(r"(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!//)[^\s\\:\x00-\x1f]+")
# The page title is the only <h1>: a clerk's "# heading" becomes <h2>, and so on down.
_HEADING = re.compile(r"<(/?)h([1-5])\b")
# No javascript:, data: or other schemes a resident's browser could be tricked with.
_SCHEMES = {"http", "https", "mailto", "tel"}


class _TableCards(Treeprocessor):
    """Label each body cell with its column header, so a table becomes cards on phones."""

    def run(self, root: etree.Element) -> None:
        """Add ``data-label`` to every body cell and mark cells holding one figure."""
        for table in root.iter("table"):
            table.set("class", "ledger")
            labels = [self._plain(th) for th in table.iterfind("thead/tr/th")]
            for row in table.iterfind("tbody/tr"):
                for label, cell in zip(labels, row.iterfind("td"), strict=False):
                    cell.set("data-label", label)
                    if _FIGURE.fullmatch("".join(cell.itertext()).strip()):
                        cell.set("class", "num")


    def _plain(self, cell: etree.Element) -> str:
        """Return a header cell's text, with raw HTML in it reduced to its text."""
        text = "".join(cell.itertext())
        stash = self.md.htmlStash.rawHtmlBlocks
        text = HTML_PLACEHOLDER_RE.sub(lambda m: str(stash[int(m.group(1))]), text)
        return _TAG.sub("", text).strip()


class _TableCardsExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Run after the inline patterns, when cell text is final."""
        md.treeprocessors.register(_TableCards(md), "table_cards", 5)


class _Links(Treeprocessor):
    """Note the site's own addresses that Markdown links and images lead to.

    Only what Markdown made: links in raw HTML are left to the sanitiser, which may drop
    or mangle them, so what they lead to is not known here."""

    def __init__(self, md: markdown.Markdown, found: list[str]) -> None:
        super().__init__(md)
        self.found = found

    def run(self, root: etree.Element) -> None:
        """Add each local address of an <a> or <img>, in the order of the text."""
        for element in root.iter():
            value = element.get("href" if element.tag == "a" else "src") \
                if element.tag in ("a", "img") else None
            if value and _LOCAL.fullmatch(value) and not value.startswith("#"):
                self.found.append(value)


class _LinksExtension(Extension):
    def __init__(self, found: list[str]) -> None:
        super().__init__()
        self.found = found

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Run after the inline patterns, when links are elements."""
        md.treeprocessors.register(_Links(md, self.found), "gongkai_links", 4)


def render_markdown(text: str, remote: list[str] | None = None,
                    links: list[str] | None = None) -> str:
    """Render a clerk's Markdown to HTML that can carry no script or style.

    Images must be the site's own files: an image from another host would make every
    resident's phone fetch it from there. Such images are left out, and their addresses
    added to ``remote`` for the caller to report. The site's own addresses that links and
    images lead to are added to ``links``, for the caller to check that they exist. Tables
    pasted from a spreadsheet (Tab-separated) and tables with no blank line above them are
    shown as tables (see ``mend_tables``). Raises ``MarkdownTooComplex`` for text that
    would take too long to render (see ``check_markdown``).
    """
    text, inserted = mend_tables(text)
    try:
        check_markdown(text)
    except MarkdownTooComplex as exc:
        # Count the line as the clerk sees it, without the lines mend_tables added.
        raise MarkdownTooComplex(exc.line - sum(1 for line in inserted if line < exc.line),
                                 exc.message) from None
    extensions: list[str | Extension] = [*_EXTENSIONS, _TableCardsExtension()]
    if links is not None:
        extensions.append(_LinksExtension(links))
    html = markdown.markdown(text, extensions=extensions, extension_configs=_CONFIG,
                             output_format="html")
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)

    def only_local_images(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src" and not _LOCAL.fullmatch(value):
            if remote is not None:
                remote.append(value)
            return None
        return value

    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES,
                     link_rel="noopener noreferrer", allowed_classes=_CLASSES,
                     attribute_filter=only_local_images)


# A fence of code (``` or ~~~), whose lines are shown as they are.
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
# The separator row under a table's header: |---|:---:|, with at least one |.
_TABLE_RULE = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
# A list item whose marker a Tab follows (“1.<Tab>第一条”): not a spreadsheet row.
_TAB_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])\t")


def mend_tables(text: str) -> tuple[str, list[int]]:
    """Make the tables a clerk means into Markdown tables Python-Markdown shows.

    Rows pasted from a spreadsheet (cells separated by Tabs, two rows or more) become a
    table whose first row is the header; a table (``| a | b |`` over ``|---|---|``) right
    under a line of text gets the blank line above it that Python-Markdown needs, which
    would otherwise show its pipes as text. Returns the text and the 1-based lines of it
    that were added (blank lines and separator rows), so lines can be counted as typed.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    inserted: list[int] = []
    fence = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        opened = _FENCE.match(line)
        if fence or opened:
            if opened and not fence:
                fence = opened.group(1)[0] * 3
            elif fence and line.strip().startswith(fence):
                fence = ""
            out.append(line)
            index += 1
            continue
        end = index
        while end < len(lines) and _spreadsheet_row(lines[end], first=end == index):
            end += 1
        if end - index >= 2:
            _add_tab_table(lines[index:end], out, inserted)
            index = end
            if index < len(lines) and lines[index].strip():
                inserted.append(len(out) + 1)
                out.append("")
            continue
        if out and out[-1].strip() and "|" in line and not line.startswith("    ") and \
                index + 1 < len(lines) and "|" in lines[index + 1] and \
                _TABLE_RULE.fullmatch(lines[index + 1]) and "|" not in out[-1]:
            inserted.append(len(out) + 1)
            out.append("")
        out.append(line)
        index += 1
    return "\n".join(out), inserted


def _spreadsheet_row(line: str, *, first: bool) -> bool:
    """Tell whether a line is a row pasted from a spreadsheet: cells separated by Tabs."""
    if "\t" not in line.strip("\t ") or _TAB_ITEM.match(line):
        return False
    return not (first and line[:1] in (" ", "\t"))


def _add_tab_table(rows: list[str], out: list[str], inserted: list[int]) -> None:
    """Write Tab-separated rows as a Markdown table, after a blank line if text is above."""
    if out and out[-1].strip():
        inserted.append(len(out) + 1)
        out.append("")
    cells = [[cell.strip().replace("|", "\\|") for cell in row.rstrip("\t ").split("\t")]
             for row in rows]
    width = max(len(row) for row in cells)
    for number, row in enumerate(cells):
        out.append("| " + " | ".join(row + [""] * (width - len(row))) + " |")
        if number == 0:
            inserted.append(len(out) + 1)
            out.append("|" + " --- |" * width)


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
_TAG_OPEN = re.compile(r"<[A-Za-z]")
# Runs of backslashes or of backticks, found apart: a run of backslashes escapes a backtick
# after it if it is odd.
_TICKS = re.compile(r"\\+|`+")
# Characters Python-Markdown lets a backslash escape (with the tables extension's |).
_ESCAPABLE = frozenset("\\`*_{}[]()>#+-.!|")
# The closing quote of a link title, followed by the ) that ends the link.
_TITLE_END = re.compile(r"([\"']) *\)")
# Only the test of the table processor is used, to know a table as Python-Markdown does.
_TABLES = TableProcessor(markdown.Markdown().parser, {})

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


def check_markdown(text: str) -> None:
    """Raise ``MarkdownTooComplex`` if Python-Markdown would take too long on the text.

    Runs in time linear in the text: it counts first, and looks closer only at texts
    with few enough marks that looping over them is cheap.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_marks(text)
    lines = text.split("\n")
    _check_depth(lines)
    _check_tags(text)
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
            cost, at, mark = _search(node)
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


def _line(text: str, offset: int) -> int:
    """Return the 1-based line of an offset."""
    return text.count("\n", 0, offset) + 1


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
            raise MarkdownTooComplex(_line(text, low), Msg.of(MSG_MARKS))
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


def _after(positions: list[int], index: int) -> int | None:
    """Return the first of the sorted positions at or after an index, if any."""
    found = bisect.bisect_left(positions, index)
    return positions[found] if found < len(positions) else None


def _search(node: str) -> tuple[int, int, str]:
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


def _check_tags(text: str) -> None:
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
        raise MarkdownTooComplex(_line(text, worst[1]), Msg.of(MSG_TAG))


# Elements whose text stands apart from its neighbours' (inline ones run on: 12 <b>万</b>元).
_BLOCKS = frozenset({"p", "li", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td",
                     "th", "blockquote", "pre", "dt", "dd", "table", "hr"})


class _TextOutsideTables(HTMLParser):
    """Collect the running text a reader sees in sanitised HTML, leaving tables out: a list
    of households typed into a body as a table must reach neither a feed nor a search index."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tables = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note entering a table; a block starts a new run of text."""
        self.tables += tag == "table"
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        """Note leaving a table; a block ends a run of text."""
        self.tables -= tag == "table" and self.tables > 0
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        """Keep a run of text outside tables."""
        if not self.tables:
            self.parts.append(data)


def text_outside_tables(html: str) -> str:
    """Return the plain text of sanitised HTML without its tables, spaces collapsed."""
    parser = _TextOutsideTables()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())
