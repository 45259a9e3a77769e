"""Sitemaps and robots.txt: every HTML page's public address, for Baidu and other engines.

``sitemap.xml`` lists every HTML page the build writes (whatever produced it) with its
absolute, percent-encoded address and a ``lastmod`` day. Past ``MAX_URLS`` addresses the
list is cut into flat files, ``sitemap-1.xml``, ``sitemap-2.xml``… rather than a sitemap
index, which Baidu does not read; ``robots.txt`` names each of them.

``lastmod`` never comes from the clock, so the same content gives the same bytes: a
disclosure's page (and a finance period's poster) carries its own day (a period's
``published``), or its newest correction's once corrected; any other page of a village
carries the day of the village's newest disclosure or correction, and the site-wide pages
the site's newest. A page whose status line changes
daily (an open notice's days left) keeps the day its content last changed.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial

from gongkai.core.cache import code_digest
from gongkai.load.site import Site
from gongkai.model.addresses import ROBOTS, absolute_url, sitemap_paths
from gongkai.model.content import Item, Ledger, OfficeItem
from gongkai.model.finance import last_changed
from gongkai.model.outputs import Output, output_kind
from gongkai.read.sitefolder import CONFIG_FILE

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 45_000  # per file: below the protocol's 50,000, with room to spare


@dataclass(frozen=True)
class Url:
    """One page as a sitemap lists it."""

    loc: str
    lastmod: date | None


def split_urls(urls: Sequence[Url], limit: int = MAX_URLS) -> list[Sequence[Url]]:
    """Cut a list of addresses into runs of at most ``limit`` (one run, maybe empty, at least)."""
    if limit < 1:
        raise ValueError(limit)
    return [urls[start:start + limit] for start in range(0, len(urls), limit)] or [urls]


def village_days(site: Site) -> tuple[dict[str, date], date | None]:
    """Return each village's newest disclosure day and the site's newest."""
    newest: dict[str, date] = {}
    for village in site.villages:
        days = [*(last_changed(ledger.data.published, ledger.data.corrections)
                  for ledger in village.ledgers),
                *(last_changed(item.data.date, item.data.corrections)
                  for item in (*village.affairs, *village.party))]
        if days:
            newest[village.id] = max(days)
    for item in site.offices:
        for village_id in item.villages:
            if village_id in newest:
                newest[village_id] = max(newest[village_id], _day(item))
    everything = [*newest.values(), *(_day(item) for item in site.offices)]
    return newest, max(everything, default=None)


def _day(item: Item | OfficeItem) -> date:
    """Return the day a notice last changed: its newest correction's, else its own."""
    return last_changed(item.data.date, item.data.corrections)


def page_day(output: Output, villages: dict[str, date], site_day: date | None) -> date | None:
    """Return the day a page last changed in substance (see the module's note)."""
    context = output.page.context if output.page is not None else {}
    item, ledger = context.get("item"), context.get("ledger")
    if isinstance(item, Item | OfficeItem):
        return _day(item)
    if isinstance(ledger, Ledger):
        return last_changed(ledger.data.published, ledger.data.corrections)
    village = getattr(context.get("village"), "id", None)
    if isinstance(village, str):
        return villages.get(village, site_day)
    return site_day


def page_urls(outputs: Iterable[Output], base_url: str, site: Site) -> list[Url]:
    """List every HTML output's public address and day, by address."""
    villages, site_day = village_days(site)
    return [Url(absolute_url(base_url, output.path), page_day(output, villages, site_day))
            for output in sorted(outputs, key=lambda o: o.path) if output_kind(output.path).listed]


def sitemap_xml(urls: Sequence[Url]) -> bytes:
    """Write one sitemap file (escaped by ElementTree)."""
    ET.register_namespace("", SITEMAP_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for url in urls:
        node = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(node, f"{{{SITEMAP_NS}}}loc").text = url.loc
        if url.lastmod is not None:
            ET.SubElement(node, f"{{{SITEMAP_NS}}}lastmod").text = url.lastmod.isoformat()
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def robots_txt(base_url: str, names: Sequence[str]) -> bytes:
    """Let every crawler in and name each sitemap by its full address."""
    lines = ["User-agent: *", "Allow: /", "", *(f"Sitemap: {absolute_url(base_url, name)}"
                                                for name in names)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _key(*parts: object) -> bytes:
    """Digest what a file's bytes depend on."""
    return hashlib.sha256(repr((code_digest(), *parts)).encode("utf-8", "surrogatepass")).digest()


def outputs(built: Sequence[Output], base_url: str | None, site: Site,
            limit: int = MAX_URLS) -> Iterator[Output]:
    """Yield the sitemaps of every HTML output so far, and robots.txt naming them."""
    if base_url is None:
        return
    runs = split_urls(page_urls(built, base_url, site), limit)
    names = sitemap_paths(len(runs))
    for name, run in zip(names, runs, strict=True):
        yield Output(name, _key("sitemap", tuple(run)), CONFIG_FILE,
                     make=partial(sitemap_xml, run))
    yield Output(ROBOTS, _key("robots", base_url, tuple(names)), CONFIG_FILE,
                 data=robots_txt(base_url, names))

