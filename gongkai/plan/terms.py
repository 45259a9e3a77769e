"""A village's index by term: accounts, projects, organisations, disclosure types, years.

The index is the search box's answer without JavaScript (``terms.html``): every
disclosure of a village can be reached from it by a word a resident knows. It names
organisations only, never a private person: a payer, payee or contractor is listed when,
once a trailing count such as （3人） is set aside, it has at least four characters, ends
with a word that names an organisation (公司, 店, 站, 所, 银行, 合作社, 委员会, ...) and
holds no mask (某, ＊, ×). So 县供电公司 is listed; 保洁员（3人）, 用餐老人,
承包户陈某 and 王建国 are not. Recipients of subsidy lists, dues lines and committee
members are never read at all.

The index stays within the page budget however many years a village has published: an
account links to its newest ``TERM_PERIODS`` periods by their short names ("2025-03"),
an organisation to its newest ``ORG_PERIODS``, and each says how many there are in all,
the rest being one tap away on the village's finance list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from gongkai.model.addresses import item_path, ledger_path
from gongkai.model.coa import Chart
from gongkai.model.content import Item, Ledger, Village
from gongkai.model.disclosure import AffairsFile
from gongkai.model.labels import AFFAIRS_TYPES, PARTY_TYPES

TERM_PERIODS = 12  # periods linked per account: a year of months
# Periods linked per organisation: a village may deal with hundreds over the years.
ORG_PERIODS = 6
# Words that end the name of an organisation, longest first so that 有限公司 wins over 公司.
ORG_ENDINGS = tuple(sorted((
    "公司", "有限公司", "集团", "厂", "店", "商店", "超市", "商行", "市场", "站", "所", "局",
    "队", "社", "合作社", "中心", "银行", "支行", "分行", "信用社", "医院", "卫生院", "卫生室",
    "学校", "小学", "中学", "党校", "幼儿园", "委员会", "村委会", "居委会", "政府", "办事处",
    "办公室", "协会", "基金会", "院", "馆", "处", "部", "场", "行", "工作室", "事务所"),
    key=len, reverse=True))
ORG_MIN_LENGTH = 4  # a Chinese person's name has two to three characters, rarely four
MASKS = ("某", "＊", "*", "×", "Ｘ")
_SEPARATORS = re.compile(r"[、，,；;／/]+")
_TRAILING_COUNT = re.compile(r"[（(][^）)]*[）)]\s*$")


@dataclass(frozen=True)
class PeriodRef:
    """A finance period as the index links it: its page and its short name."""

    path: str
    name: str


@dataclass(frozen=True)
class TermItem:
    """A disclosure as the index links it: no notice status, so the page never dates."""

    path: str
    title: str
    posted: date


@dataclass(frozen=True)
class AccountTerm:
    """An account (or a sub-account) and the newest periods with lines under it."""

    name: str
    periods: tuple[PeriodRef, ...]
    count: int
    subs: tuple[AccountTerm, ...] = ()


@dataclass(frozen=True)
class OrgTerm:
    """An organisation: the periods it paid or was paid in, the projects it built."""

    name: str
    periods: tuple[PeriodRef, ...]
    count: int
    projects: tuple[TermItem, ...]


@dataclass(frozen=True)
class TypeTerm:
    """A kind and type of disclosure (村务公示, 党务制度, ...) and its disclosures."""

    kind: str  # "affairs" or "party"
    type: str
    items: tuple[TermItem, ...]


@dataclass(frozen=True)
class YearTerm:
    """A year and how many disclosures of each kind were posted in it."""

    year: int
    finance: int
    affairs: int
    party: int


@dataclass(frozen=True)
class Terms:
    """Everything a village's index shows."""

    income: tuple[AccountTerm, ...]
    expense: tuple[AccountTerm, ...]
    projects: tuple[TermItem, ...]
    organisations: tuple[OrgTerm, ...]
    types: tuple[TypeTerm, ...]
    years: tuple[YearTerm, ...]


def organisation(name: str) -> str | None:
    """Return a payer's, payee's or contractor's name when it names an organisation, else None."""
    text = name.strip()
    if any(mask in text for mask in MASKS):
        return None
    bare = _TRAILING_COUNT.sub("", text).strip()
    if bare != text:  # 保洁员（3人）, 店面承租户（6户）: people counted, not a body
        return None
    if len(text) < ORG_MIN_LENGTH or not text.endswith(ORG_ENDINGS):
        return None
    return text


def organisations(text: str | None) -> tuple[str, ...]:
    """Split a counterparty field (县供电公司、县自来水公司) and keep its organisations."""
    found = (organisation(part) for part in _SEPARATORS.split(text or ""))
    return tuple(dict.fromkeys(name for name in found if name))


def village_terms(village: Village, accounts: Chart) -> Terms:
    """Gather a village's index by term from its ledgers and disclosures."""
    ledgers = sorted(village.ledgers, key=lambda ledger: ledger.period, reverse=True)
    items = sorted((*village.affairs, *village.party),
                   key=lambda item: (item.data.date, item_path(item)), reverse=True)
    return Terms(_accounts(ledgers, "income", accounts.income),
                 _accounts(ledgers, "expense", accounts.expense),
                 tuple(_term_item(item) for item in items if _project(item) is not None),
                 _organisations(ledgers, items), _types(items), _years(village))


def _period_refs(ledgers: Iterable[Ledger],
                 shown: int = TERM_PERIODS) -> tuple[tuple[PeriodRef, ...], int]:
    """Link the newest few of newest-first ledgers; count them all."""
    every = list(ledgers)
    return (tuple(PeriodRef(ledger_path(ledger), ledger.period.name)
                  for ledger in every[:shown]), len(every))


def _accounts(ledgers: Sequence[Ledger], side: str,
              order: Sequence[str]) -> tuple[AccountTerm, ...]:
    """List one side's accounts in the chart's order, each with its sub-accounts."""
    used: dict[str, dict[str, list[Ledger]]] = {}
    for ledger in ledgers:
        lines = ledger.data.income if side == "income" else ledger.data.expense
        for line in lines:
            subs = used.setdefault(line.category, {})
            for key in ("", line.subaccount or ""):
                periods = subs.setdefault(key, [])
                if not periods or periods[-1] is not ledger:
                    periods.append(ledger)
    rank = {name: index for index, name in enumerate(order)}
    terms = []
    for name in sorted(used, key=lambda name: (rank.get(name, len(rank)), name)):
        subs = used[name]
        sub_terms = tuple(AccountTerm(f"{name}—{sub}", *_period_refs(subs[sub]))
                          for sub in sorted(key for key in subs if key))
        terms.append(AccountTerm(name, *_period_refs(subs[""]), sub_terms))
    return tuple(terms)


def _project(item: Item) -> object | None:
    """Return an affairs disclosure's project block, if it has one."""
    return item.data.project if isinstance(item.data, AffairsFile) else None


def _term_item(item: Item) -> TermItem:
    """Link a disclosure for the index."""
    return TermItem(item_path(item), item.data.title, item.data.date)


def _organisations(ledgers: Sequence[Ledger], items: Sequence[Item]) -> tuple[OrgTerm, ...]:
    """List the organisations named in ledger lines and as contractors, by name."""
    periods: dict[str, list[Ledger]] = {}
    for ledger in ledgers:
        parties = [*(line.payer for line in ledger.data.income),
                   *(line.payee for line in ledger.data.expense)]
        for party in parties:
            for name in organisations(party):
                seen = periods.setdefault(name, [])
                if not seen or seen[-1] is not ledger:
                    seen.append(ledger)
    built: dict[str, list[TermItem]] = {}
    for item in items:
        project = item.data.project if isinstance(item.data, AffairsFile) else None
        if project is not None:
            for name in organisations(project.contractor):
                built.setdefault(name, []).append(_term_item(item))
    return tuple(OrgTerm(name, *_period_refs(periods.get(name, ()), ORG_PERIODS),
                         tuple(built.get(name, ())))
                 for name in sorted({*periods, *built}))


def _types(items: Sequence[Item]) -> tuple[TypeTerm, ...]:
    """Group newest-first disclosures by kind, then type, village affairs first."""
    groups: dict[tuple[str, str], list[TermItem]] = {}
    for item in items:
        groups.setdefault((item.kind, item.data.type), []).append(_term_item(item))
    # The order of the types in the content format: 公示, 决议, 通知, ..., 制度.
    order = {(kind, key): index for kind, table in (("affairs", AFFAIRS_TYPES),
                                                   ("party", PARTY_TYPES))
             for index, key in enumerate(table, start=len(AFFAIRS_TYPES) * (kind == "party"))}
    return tuple(TypeTerm(kind, type_, tuple(group)) for (kind, type_), group in
                 sorted(groups.items(), key=lambda pair: (order.get(pair[0], 99), pair[0])))


def _years(village: Village) -> tuple[YearTerm, ...]:
    """Count each year's disclosures of each kind, newest year first."""
    counts: dict[int, list[int]] = {}
    for ledger in village.ledgers:
        counts.setdefault(ledger.data.published.year, [0, 0, 0])[0] += 1
    for index, items in ((1, village.affairs), (2, village.party)):
        for item in items:
            counts.setdefault(item.data.date.year, [0, 0, 0])[index] += 1
    return tuple(YearTerm(year, *counts[year]) for year in sorted(counts, reverse=True))
