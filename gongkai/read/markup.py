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

import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from gongkai.read.mdcost import MarkdownTooComplex
from gongkai.read.mdguard import check_markdown

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
