"""Markdown to safe HTML: Python-Markdown for the syntax, nh3 for an allow-list clean."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

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


def render_markdown(text: str, remote: list[str] | None = None) -> str:
    """Render a clerk's Markdown to HTML that can carry no script or style.

    Images must be the site's own files: an image from another host would make every
    resident's phone fetch it from there. Such images are left out, and their addresses
    added to ``remote`` for the caller to report.
    """
    html = markdown.markdown(text, extensions=[*_EXTENSIONS, _TableCardsExtension()],
                             extension_configs=_CONFIG, output_format="html")
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
