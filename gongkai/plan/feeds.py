"""Atom feeds (RFC 4287): the site's newest disclosures in ``atom.xml``, each village's in
``VILLAGE/atom.xml``.

A supervisor's feed reader is told when a village publishes. Feeds need the site's public
address (``site.base_url``): Atom links and ids are absolute. Everything in a feed comes
from the disclosures it lists, never from the clock, so the same content gives the same
bytes: an entry is dated by its disclosure's date (a finance period by its ``published``
day) at midnight in the site's time zone, and a feed by its newest entry. A corrected
disclosure's entry is ``updated`` on its newest correction's date, which also decides
whether it is among the newest 50, and its summary starts with the change note.

Ids are ``tag:`` URIs (RFC 4151) made of the host, a year and the page's path
(``tag:sanwu.example.cn,2025:qingshan/affairs/road.html``): an entry's year is the year of
its own date (a finance period's, the year of its period, which its address names too),
so the id stays the same across builds and edits as long as the page keeps its address. A
feed's year is the year of the oldest disclosure it could ever list.

Summaries are plain text: a disclosure's own ``summary``, else the start of its text; a
finance period's totals. A subsidy list's recipients and a party dues table are never in
a feed: they are front-matter tables, not text.
"""

from __future__ import annotations

import hashlib
import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal
from functools import partial
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from gongkai.core.cache import code_digest
from gongkai.core.dates import Period
from gongkai.core.i18n import N_, translations
from gongkai.load.site import Site
from gongkai.model.addresses import (
    HOME,
    SITE_FEED,
    absolute_url,
    board_path,
    item_path,
    ledger_path,
    office_item_path,
    village_feed_path,
)
from gongkai.model.content import Item, Ledger, OfficeItem, Village
from gongkai.model.finance import Correction, last_changed
from gongkai.model.outputs import Output, Page
from gongkai.read.markup import text_outside_tables
from gongkai.read.sitefolder import CONFIG_FILE

ATOM = "http://www.w3.org/2005/Atom"
XML = "http://www.w3.org/XML/1998/namespace"
FEED_SIZE = 50  # entries per feed: the newest disclosures
SUMMARY_CHARS = 140  # characters of a disclosure's text a summary keeps when it has none


@dataclass(frozen=True)
class Entry:
    """One disclosure as a feed lists it: its page, title, day, author and summary."""

    path: str
    title: str
    day: date
    year: int  # the year its id carries
    author: str
    summary: str
    updated: date | None = None  # the newest correction's date, when it was corrected

    @property
    def changed(self) -> date:
        """Return when the entry last changed: its newest correction, else its own day."""
        return self.updated or self.day


@dataclass(frozen=True)
class Feed:
    """One feed: where it goes, the page it stands for, its title, author and entries."""

    path: str
    page: str  # the page the feed is the alternate of (a board, or the home page)
    title: str
    author: str
    year: int  # the year its id carries
    entries: tuple[Entry, ...]
    source: str  # the file named in problems: the configuration, or the village's folder


@dataclass(frozen=True)
class FeedLink:
    """A feed as a page's head links to it."""

    path: str
    title: str


class Formats:
    """The words and numbers a feed writes, in the site's language (as the pages do)."""

    def __init__(self, language: str, yuan: Callable[[Decimal | None], str],
                 period: Callable[[Period], str]) -> None:
        self.gettext = translations(language).gettext
        self.yuan, self.period = yuan, period

    def ledger_title(self, ledger: Ledger) -> str:
        """Title a finance period's entry: "2025年3月财务公开"."""
        return self.gettext(N_("Finance disclosure, {period}")).format(
            period=self.period(ledger.period))

    def ledger_summary(self, ledger: Ledger) -> str:
        """Sum up a finance period in one line of totals, as its page's summary table does."""
        return self.gettext(N_(
            "Income this period {income}; expenses this period {expense}; closing balance "
            "{closing}")).format(income=self.yuan(ledger.data.total_income),
                                 expense=self.yuan(ledger.data.total_expense),
                                 closing=self.yuan(ledger.closing))

    def named(self, who: str, title: str) -> str:
        """Put who published a disclosure before its title, unless the title starts with it."""
        if title.startswith(who):
            return title
        return self.gettext(N_("{who}: {title}")).format(who=who, title=title)

    def site_feed_title(self, site_title: str) -> str:
        """Title the site's feed."""
        return self.gettext(N_("{site}: newest disclosures")).format(site=site_title)

    def village_feed_title(self, village: str) -> str:
        """Title a village's feed."""
        return self.gettext(N_("{village}: newest disclosures")).format(village=village)

    def corrected(self, corrections: Sequence[Correction], summary: str) -> str:
        """Lead a summary with the newest correction's date and change note."""
        newest = corrections[-1]
        return self.gettext(N_("Corrected on {date}: {change} ({reason}). {summary}")).format(
            date=newest.date.isoformat(), change=newest.change, reason=newest.reason,
            summary=summary).strip()

    def county(self) -> str:
        """Name the county as the author of its own disclosures."""
        return self.gettext(N_("County"))


# --- what the feeds list -----------------------------------------------------------------

def plain_text(html: str, limit: int = SUMMARY_CHARS) -> str:
    """Return the start of an HTML text as one plain line, cut with "…" past ``limit``."""
    text = text_outside_tables(html)
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _item_summary(summary: str, html: str) -> str:
    """Sum up a disclosure: its own summary, else the start of its text."""
    return summary.strip() or plain_text(html)


def _newest(candidates: Iterable[tuple[date, str, Callable[[], Entry]]]) -> tuple[Entry, ...]:
    """Make the entries of the newest disclosures only, newest first (then by address)."""
    chosen = sorted(candidates, key=lambda row: (row[0], row[1]), reverse=True)[:FEED_SIZE]
    return tuple(make() for _day, _path, make in chosen)


def _ledger_entry(ledger: Ledger, author: str, formats: Formats, prefix: bool) -> Entry:
    """Describe a finance period as an entry."""
    title = formats.ledger_title(ledger)
    return _with_corrections(Entry(
        ledger_path(ledger), formats.named(author, title) if prefix else title,
        ledger.data.published, ledger.period.start.year, author,
        formats.ledger_summary(ledger)), ledger.data.corrections, formats)


def _item_entry(item: Item, author: str, formats: Formats, prefix: bool) -> Entry:
    """Describe a village's disclosure as an entry."""
    title = item.data.title
    return _with_corrections(Entry(
        item_path(item), formats.named(author, title) if prefix else title, item.data.date,
        item.data.date.year, author, _item_summary(item.data.summary, item.html)),
        item.data.corrections, formats)


def _office_entry(item: OfficeItem, author: str, formats: Formats) -> Entry:
    """Describe a town's or the county's disclosure as an entry (its author leads the title
    wherever it is listed, since it is never the feed's own)."""
    return _with_corrections(Entry(
        office_item_path(item), formats.named(author, item.data.title), item.data.date,
        item.data.date.year, author, _item_summary(item.data.summary, item.html)),
        item.data.corrections, formats)


def _with_corrections(entry: Entry, corrections: Sequence[Correction],
                      formats: Formats) -> Entry:
    """Keep an entry's id and give it, once corrected, the newest correction's date as its
    ``updated`` and the change note at the head of its summary (RFC 4287, 4.2.15)."""
    if not corrections:
        return entry
    return replace(entry, updated=last_changed(entry.day, corrections),
                   summary=formats.corrected(corrections, entry.summary))


def _village_candidates(village: Village, formats: Formats, prefix: bool
                        ) -> Iterator[tuple[date, str, Callable[[], Entry]]]:
    """List a village's disclosures by the day they last changed (their own, or their newest
    correction's: a corrected disclosure comes back to the top) and address, each with how
    to make its entry."""
    name = village.info.name
    for ledger in village.ledgers:
        yield (last_changed(ledger.data.published, ledger.data.corrections), ledger_path(ledger),
               partial(_ledger_entry, ledger, name, formats, prefix))
    for item in (*village.affairs, *village.party):
        yield (last_changed(item.data.date, item.data.corrections), item_path(item),
               partial(_item_entry, item, name, formats, prefix))


def _office_candidates(items: Iterable[OfficeItem], authors: dict[str, str],
                       formats: Formats) -> Iterator[tuple[date, str, Callable[[], Entry]]]:
    """List town and county disclosures by day and address, each with how to make its entry."""
    for item in items:
        yield (last_changed(item.data.date, item.data.corrections), office_item_path(item),
               partial(_office_entry, item, authors.get(item.office, item.office), formats))


def _first_year(days: Iterable[date]) -> int:
    """Return the year of the oldest day (0 when there is none)."""
    return min((day.year for day in days), default=0)


def _village_days(village: Village) -> Iterator[date]:
    """Yield the day of every disclosure of a village."""
    yield from (ledger.data.published for ledger in village.ledgers)
    yield from (item.data.date for item in (*village.affairs, *village.party))


def plan_feeds(site: Site, formats: Formats) -> list[Feed]:
    """Describe the site's feed and every village's; a feed with no entry is left out."""
    authors = {town.id: town.name for town in site.config.towns}
    authors[""] = site.config.county.name if site.config.county else formats.county()
    offices = sorted(site.offices, key=office_item_path)
    named: dict[str, list[OfficeItem]] = {}
    for item in offices:
        for village_id in item.villages:
            named.setdefault(village_id, []).append(item)
    title = site.config.site.title
    feeds = [Feed(SITE_FEED, HOME, formats.site_feed_title(title), title,
                  _first_year([*(d for v in site.villages for d in _village_days(v)),
                               *(item.data.date for item in offices)]),
                  _newest([*(c for v in site.villages
                             for c in _village_candidates(v, formats, True)),
                           *_office_candidates(offices, authors, formats)]), CONFIG_FILE)]
    for village in site.villages:
        mine = named.get(village.id, [])
        # A town's or the county's notice naming the village is on its board: in its feed too.
        feeds.append(Feed(village_feed_path(village.id), board_path(village.id),
                          formats.village_feed_title(village.info.name), village.info.name,
                          _first_year([*_village_days(village),
                                       *(item.data.date for item in mine)]),
                          _newest([*_village_candidates(village, formats, False),
                                   *_office_candidates(mine, authors, formats)]),
                          village.source))
    return [feed for feed in feeds if feed.entries]


def feed_links(feeds: Sequence[Feed]) -> tuple[FeedLink | None, dict[str, FeedLink]]:
    """Return the site's feed and each village's (by village id), as page heads link them."""
    site = next((FeedLink(f.path, f.title) for f in feeds if f.path == SITE_FEED), None)
    villages = {posixpath.dirname(f.path): FeedLink(f.path, f.title)
                for f in feeds if f.path != SITE_FEED}
    return site, villages


# --- writing a feed ----------------------------------------------------------------------

def feed_key(feed: Feed, base_url: str, timezone: str, language: str) -> bytes:
    """Digest everything a feed's bytes depend on: its entries, the address, time zone,
    language and the generator's code."""
    hasher = hashlib.sha256()
    hasher.update(repr((code_digest(), feed, base_url, timezone, language)).encode(
        "utf-8", "surrogatepass"))
    return hasher.digest()


def tag_uri(base_url: str, year: int, path: str) -> str:
    """Make a stable ``tag:`` id from the site's host, a year and an output path."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "localhost").lower()
    return f"tag:{host},{year:04d}:{quote(parts.path.lstrip('/') + path)}"


def timestamp(day: date, timezone: str) -> str:
    """Write a day as an RFC 3339 timestamp: its midnight in the site's time zone."""
    return datetime.combine(day, time(0), ZoneInfo(timezone)).isoformat()


def feed_xml(feed: Feed, base_url: str, timezone: str, language: str) -> bytes:
    """Write a feed as Atom XML (escaped by ElementTree, never by hand)."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {f"{{{XML}}}lang": language})
    _text(root, "id", tag_uri(base_url, feed.year, feed.path))
    _text(root, "title", feed.title)
    _text(root, "updated", timestamp(max(entry.changed for entry in feed.entries), timezone))
    _link(root, "self", absolute_url(base_url, feed.path), "application/atom+xml")
    _link(root, "alternate", absolute_url(base_url, feed.page), "text/html")
    _author(root, feed.author)
    for entry in feed.entries:
        node = ET.SubElement(root, f"{{{ATOM}}}entry")
        _text(node, "id", tag_uri(base_url, entry.year, entry.path))
        _text(node, "title", entry.title)
        _text(node, "updated", timestamp(entry.changed, timezone))
        _text(node, "published", timestamp(entry.day, timezone))
        _link(node, "alternate", absolute_url(base_url, entry.path), "text/html")
        _author(node, entry.author)
        if entry.summary:
            _text(node, "summary", entry.summary).set("type", "text")
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    """Add an Atom element holding text."""
    node = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    node.text = text
    return node


def _link(parent: ET.Element, rel: str, href: str, kind: str) -> None:
    """Add an Atom link."""
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "type": kind, "href": href})


def _author(parent: ET.Element, name: str) -> None:
    """Add an Atom author by name."""
    _text(ET.SubElement(parent, f"{{{ATOM}}}author"), "name", name)


# --- as outputs of the build -------------------------------------------------------------

def prepare(site: Site, base_url: str | None, formats: Formats) -> list[Feed]:
    """Plan the feeds: none without a public address."""
    if base_url is None:
        return []
    return plan_feeds(site, formats)


def with_feed_links(pages: Sequence[Page], planned: Sequence[Feed]) -> list[Page]:
    """Give each page's head its links to the feeds, through its context: the site's feed,
    and its village's on a village's pages."""
    if not planned:
        return list(pages)
    site_link, village_links = feed_links(planned)
    linked = []
    for page in pages:
        village = getattr(page.context.get("village"), "id", None)
        links = {"site_feed": site_link, "village_feed": village_links.get(village or "")}
        linked.append(replace(page, context={**page.context, **links}))
    return linked


def outputs(planned: Sequence[Feed], base_url: str | None, timezone: str,
            language: str) -> Iterator[Output]:
    """Yield every feed, keyed by its entries: an edit elsewhere leaves a village's alone."""
    if base_url is None:
        return
    for feed in planned:
        yield Output(feed.path, feed_key(feed, base_url, timezone, language),
                     feed.source,
                     make=partial(feed_xml, feed, base_url, timezone, language))
