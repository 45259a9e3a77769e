"""The search index, built at build time and read by ``layouts/assets/search.js``.

Chinese has no spaces, so text is cut into overlapping character bigrams (道路硬化 gives
道路, 路硬, 硬化); a run of one Chinese character between other signs is kept as that
character. A query of two to four characters matches the documents holding all its
bigrams, and a query of one character those holding any term with that character in it
(the script scans the terms), so one to four characters all work without storing every
single character. ASCII words are lowercased; numbers of up to four digits (years,
months) are kept, longer ones (amounts, vouchers) are not.

One shard per village (``VILLAGE/search.json``) holds its disclosures and its finance
periods; one per town (``towns/TOWN.search.json``, for the home page) holds only the
titles of its villages' disclosures and periods and of the town's own notices, for the
town's page and the home page, so they stay light in a county of hundreds of villages.
The home page fetches every town's shard when the county has at most ``HOME_ALL_TOWNS``
towns, and only the chosen town's when it has more.

What is indexed: titles, types, accounts and sub-accounts, line items (摘要), payers and
payees that are organisations (a company, bureau, station, shop...; never a person,
written 王某 or not), project contractors, scope and place, and the text of a
disclosure's body without its tables. Subsidy recipients (``recipients``), party dues
members, attendance and residents' questions are never read, and no table of a body is
either: a subsidy list or a dues list kept as a Markdown table names private people.

A shard is compact JSON with sorted keys and no whitespace, so the same content gives the
same bytes: ``{"v":1,"d":[documents],"t":{term:[postings]}}``. Documents are numbered
newest first; a term's postings are ``gap * 4 + weight``, the gap being the document's
number less the previous posting's (the first: its number), and weight the most telling
field the term is in (3 title, 2 type, account, item, organisation, 1 body). A document is
``[url, title, kind, ISO date, snippet]`` plus, for a finance period, its lines, which the
script shows as the snippet when they match; a shard over ``SHARD_LIMIT`` bytes leaves
out the lines of its oldest periods (still found, by their terms). Each shard is keyed by
what it is made from, so an edit in one village makes that village's shard and its
town's again, no other.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Protocol
from urllib.parse import unquote

from gongkai.core.dates import Period
from gongkai.core.fingerprint import Fingerprinter
from gongkai.core.fingerprint import digest_parts as _key
from gongkai.core.i18n import N_, translations
from gongkai.load.site import Site
from gongkai.model.addresses import (
    item_path,
    ledger_path,
    office_item_path,
    relative_url,
    search_shard_path,
    town_search_shard_path,
)
from gongkai.model.content import Item, Ledger, OfficeItem, Village
from gongkai.model.disclosure import OFFICE_TYPES, AffairsFile, PartyFile
from gongkai.model.finance import ExpenseLine, IncomeLine
from gongkai.model.labels import AFFAIRS_TYPES, PARTY_TYPES, TYPE_NAMES
from gongkai.plan.terms import organisations
from gongkai.read.markup import text_outside_tables

VERSION = 1
TITLE, ACCOUNT, BODY = 3, 2, 1
# The most bytes a shard may have before compression: with the script (9.4 KB) a first query
# stays within 100 KB (100,000 bytes, the stricter reading) even from a host that does not
# compress JSON, with room for the script to grow a little.
SHARD_LIMIT = 88_000
# The most towns whose shards the home page fetches together on its first query. A town's
# shard holds titles only: about 11 KB gzipped for a town of 20 villages (75 KB plain), so
# four of them and the script stay near 50 KB gzipped, half the 100 KB a first query may
# transfer on a cheap phone; 32 towns would be about 350 KB. Past four, the home page's
# form asks for a town (``<select name="town">``) and the script fetches only its shard.
HOME_ALL_TOWNS = 4
# What templates read of the above (the renderer's globals).
TEMPLATE_GLOBALS = {"home_search_all_towns": HOME_ALL_TOWNS}
SNIPPET = 60  # characters of a document's summary shown under its title
# The kinds of document, as the script names them (its labels come from the template).
AFFAIRS, PARTY, FINANCE, OFFICE = "a", "p", "f", "t"

# Words residents use for a kind of disclosure that its title may not contain: a search
# for 低保 should find a list of 低收入农户 receiving aid. Content is Chinese on every site.
TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "subsidy": ("补助", "补贴", "低保", "救助", "帮扶", "困难"),
    "project": ("工程", "项目", "建设", "施工"),
    "dues": ("党费",),
    "recruitment": ("发展党员", "入党"),
    "allocation": ("资金", "分配"),
}

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKENS = re.compile(f"[{_CJK}]+|[a-z0-9]+")


def normalise(text: str) -> str:
    """Fold full-width letters and digits to ASCII and lowercase, as the script does."""
    return unicodedata.normalize("NFKC", text).lower()


def terms(text: str) -> set[str]:
    """Cut text into index terms: Chinese bigrams (a lone character as itself), ASCII words."""
    found: set[str] = set()
    for run in _TOKENS.findall(normalise(text)):
        if run[0].isascii():
            if not run.isdigit() or len(run) <= 4:
                found.add(run[:30])
        elif len(run) == 1:
            found.add(run)
        else:
            found.update(run[i:i + 2] for i in range(len(run) - 1))
    return found


def body_text(html: str) -> str:
    """Return the plain text of a body's HTML without its tables (lists of people live there)."""
    return text_outside_tables(html)


def snippet(text: str) -> str:
    """Shorten a text to a snippet."""
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET else text[:SNIPPET - 1] + "…"


@dataclass(frozen=True)
class Words:
    """How a shard names things in the site's language (the renderer's own filters)."""

    gettext: Callable[[str], str]
    period: Callable[[Period], str]
    yuan: Callable[[Decimal], str]


@dataclass
class Doc:
    """One search result: where it links, what it shows, and the texts it is found by."""

    url: str
    title: str
    kind: str
    date: date
    snippet: str
    fields: list[tuple[int, str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def row(self) -> list[object]:
        """Return the document as the shard stores it."""
        row: list[object] = [self.url, self.title, self.kind, self.date.isoformat(), self.snippet]
        return [*row, self.lines] if self.lines else row


def _type_fields(key: str, labels: dict[str, str], words: Words) -> list[tuple[int, str]]:
    """The names a disclosure's type is found by: its label, its translation, common words."""
    names = [labels.get(key, ""), words.gettext(TYPE_NAMES.get(key, key)), *TYPE_WORDS.get(key, ())]
    return [(ACCOUNT, name) for name in names if name]


def item_doc(item: Item, base: str, words: Words) -> Doc:
    """Describe a village-affairs or party-affairs disclosure for search."""
    data = item.data
    body = body_text(item.html)
    labels = AFFAIRS_TYPES if item.kind == "affairs" else PARTY_TYPES
    fields = [(TITLE, data.title), *_type_fields(data.type, labels, words),
              (BODY, data.summary), (BODY, body)]
    if isinstance(data, AffairsFile) and data.project is not None:
        project = data.project  # contractors and funders are organisations, not people
        fields += [(ACCOUNT, name) for name in organisations(project.contractor)]
        fields += [(BODY, project.scope), (BODY, project.location),
                   *((BODY, name) for name in organisations(project.responsible)),
                   *((BODY, fund.source) for fund in project.funds),
                   *((BODY, step.event) for step in project.milestones)]
    if isinstance(data, PartyFile) and data.meeting is not None:
        fields.append((BODY, data.meeting.topic))
    return Doc(_link(base, item_path(item)), data.title,
               AFFAIRS if item.kind == "affairs" else PARTY, data.date,
               snippet(data.summary or body), fields)


def ledger_doc(ledger: Ledger, base: str, words: Words) -> Doc:
    """Describe a finance period for search: its lines are found by item, account, party."""
    data = ledger.data
    title = words.gettext(N_("Finances, %(period)s")) % {"period": words.period(ledger.period)}
    fields: list[tuple[int, str]] = [(TITLE, title), (BODY, body_text(ledger.note_html))]
    lines = []
    parties: list[tuple[IncomeLine | ExpenseLine, str | None]] = [
        *((line, line.payer) for line in data.income),
        *((line, line.payee) for line in data.expense)]
    for line, party in parties:
        account = "—".join(filter(None, (line.category, line.subaccount)))
        orgs = organisations(party)
        fields += [(ACCOUNT, line.item), (ACCOUNT, account), *((ACCOUNT, o) for o in orgs)]
        lines.append(" ".join([line.item, words.yuan(line.amount), account, *orgs]))
    return Doc(_link(base, ledger_path(ledger)), title, FINANCE, data.published,
               snippet(body_text(ledger.note_html)), fields, lines)


def office_doc(item: OfficeItem, base: str, words: Words) -> Doc:
    """Describe a town's own disclosure for its town's shard: by title and type."""
    data = item.data
    return Doc(_link(base, office_item_path(item)), data.title, OFFICE, data.date,
               snippet(data.summary),
               [(TITLE, data.title), *_type_fields(data.type, OFFICE_TYPES, words)])


def village_docs(village: Village, base: str, words: Words) -> list[Doc]:
    """Every disclosure and finance period of a village, described for search."""
    return [*(item_doc(item, base, words) for item in (*village.affairs, *village.party)),
            *(ledger_doc(ledger, base, words) for ledger in village.ledgers)]


def title_doc(doc: Doc, village_name: str) -> Doc:
    """Keep only what a town's shard holds of a village's document: title, type, village."""
    kept = [(w, text) for w, text in doc.fields
            if w == TITLE or (w == ACCOUNT and doc.kind != FINANCE and text in _TYPE_TEXTS)]
    return Doc(doc.url, doc.title, doc.kind, doc.date, village_name,
               [*kept, (ACCOUNT, village_name)])


_TYPE_TEXTS = {word for group in TYPE_WORDS.values() for word in group} | \
    set(AFFAIRS_TYPES.values()) | set(PARTY_TYPES.values()) | set(OFFICE_TYPES.values())


def shard_bytes(docs: Iterable[Doc], limit: int = SHARD_LIMIT) -> bytes:
    """Write a shard: documents newest first, postings per term, sorted, no whitespace.

    Past ``limit`` bytes, the lines of the oldest finance periods are left out (their
    terms stay: they are still found, shown by title) until the shard fits."""
    ordered = sorted(docs, key=lambda d: (-d.date.toordinal(), d.url))
    postings: dict[str, dict[int, int]] = {}
    for number, doc in enumerate(ordered):
        for weight, text in doc.fields:
            for term in terms(text):
                held = postings.setdefault(term, {})
                held[number] = max(held.get(number, 0), weight)
    index = {term: _deltas(sorted(held.items())) for term, held in postings.items()}
    rows = [doc.row() for doc in ordered]
    while True:
        data = json.dumps({"v": VERSION, "d": rows, "t": index}, ensure_ascii=False,
                          sort_keys=True, separators=(",", ":")).encode()
        over = len(data) - limit
        lined = [n for n, row in enumerate(rows) if len(row) > 5]
        if over <= 0 or not lined:
            return data
        while over > 0 and lined:  # drop the oldest lines, about as many bytes as over
            number = lined.pop()
            over -= len(json.dumps(rows[number][5], ensure_ascii=False).encode())
            rows[number] = rows[number][:5]


def _deltas(held: list[tuple[int, int]]) -> list[int]:
    """Write postings as gaps: each document's number less the one before, times 4, plus
    the weight (small numbers are short in JSON: 41 rather than 1741)."""
    postings, last = [], 0
    for number, weight in held:
        postings.append((number - last) * 4 + weight)
        last = number
    return postings


@dataclass(frozen=True)
class Shard:
    """One search shard to publish: where it goes, its key, how to make it."""

    path: str
    key: bytes
    source: str
    make: Callable[[], bytes] = field(compare=False, repr=False)


def _link(base: str, target: str) -> str:
    """Link from a shard to a page, relatively, unescaped: 村 is 3 bytes, %E6%9D%91 9."""
    return unquote(relative_url(base, target))


def village_key(village: Village, salt: bytes, fingerprint: Fingerprinter) -> bytes:
    """Digest what a village's documents depend on: its disclosures and periods, as read,
    and its name (a new phone number in village.yaml changes no shard)."""
    return _key(salt, village.id, village.info.name,
                *(fingerprint.digest(led) for led in village.ledgers),
                *(fingerprint.digest(item) for item in (*village.affairs, *village.party)))


def _village_shard(village: Village, words: Words) -> bytes:
    """Make a village's shard."""
    return shard_bytes(village_docs(village, search_shard_path(village.id), words))


def _town_shard(villages: Sequence[Village], offices: Sequence[OfficeItem], path: str,
                words: Words) -> bytes:
    """Make a town's shard: the titles of its villages' documents and its own notices."""
    docs = [title_doc(doc, village.info.name) for village in villages
            for doc in village_docs(village, path, words)]
    return shard_bytes([*docs, *(office_doc(item, path, words) for item in offices)])


def search_shards(site: Site, words: Words, salt: bytes,
                  fingerprint: Fingerprinter) -> Iterator[Shard]:
    """Describe every village's shard, then every town's, without making them.

    ``salt`` covers the generator's code and the site's language."""
    keys = {v.id: village_key(v, salt, fingerprint) for v in site.villages}
    for village in site.villages:
        yield Shard(search_shard_path(village.id), keys[village.id], village.source,
                    partial(_village_shard, village, words))
    for town in site.config.towns:
        villages = [v for v in site.villages if v.info.town == town.id]
        if not villages:
            continue  # a town without villages has no page, and no shard
        offices = [item for item in site.offices if item.office == town.id]
        key = _key(salt, "town", town.id, *(keys[v.id] for v in villages),
                   *(fingerprint.digest(item) for item in offices))
        path = town_search_shard_path(town.id)
        yield Shard(path, key, "site_config.yaml",
                    partial(_town_shard, villages, offices, path, words))


class _Renderer(Protocol):
    """What ``search_words`` takes from the renderer: its language and filters."""

    language: str

    def period(self, period: Period) -> str: ...

    def yuan(self, amount: Decimal | None) -> str: ...


def search_words(renderer: _Renderer) -> Words:
    """Name things in shards as the site's pages do (the renderer's filters)."""
    return Words(translations(renderer.language).gettext, renderer.period, renderer.yuan)
