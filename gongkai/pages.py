"""Plan the pages of a site: each page is an output path, a template and its context.

A page's context holds only what that page shows, so rendering is a pure function of
a page and pages can later be rendered in parallel or incrementally. Only index pages
(home, village board and the panel lists) receive lists.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from gongkai.addresses import (
    DATA_PAGE,
    HOME,
    VENUES_PAGE,
    archive_path,
    board_path,
    item_path,
    ledger_path,
    list_path,
    poster_path,
    profile_path,
    venue_path,
)
from gongkai.coa import Chart, chart
from gongkai.dates import Period
from gongkai.errors import Location, Report
from gongkai.finance import AccountTotal, account_totals
from gongkai.i18n import N_, Msg
from gongkai.loading import Site
from gongkai.model import EIGHT_HAVES, EIGHT_NORMS, STANDARD, Item, Ledger, Village
from gongkai.opendata import DataFile
from gongkai.schedule import Duty, duties, timeliness


@dataclass(frozen=True)
class Page:
    """One HTML page to render: where it goes, with which template and values."""

    path: str
    template: str
    context: Mapping[str, Any]
    source: str = ""
    qr: str = ""  # the page whose address its QR code carries (its own, or the board's)


@dataclass(frozen=True)
class Signage:
    """The village's signage header and phones, shown on every page of the village."""

    id: str
    name: str
    town: str
    office_phone: str | None
    supervision_phone: str | None
    town_supervision_phone: str | None


@dataclass(frozen=True)
class Latest:
    """A village's newest disclosure of each kind, for the home page."""

    signage: Signage
    ledger: Ledger | None
    affairs: Item | None
    party: Item | None


@dataclass(frozen=True)
class TownGroup:
    """A town and its villages, in the order of ``towns`` in the configuration."""

    name: str
    villages: tuple[Latest, ...] = field(default_factory=tuple)


def _within(items: tuple[Item, ...], ledger: Ledger) -> tuple[Item, ...]:
    """Return what was posted from a period's start until its wall sheet went up, newest first."""
    return tuple(item for item in items
                 if ledger.period.start <= item.data.date <= ledger.data.published)


def plan_pages(site: Site, today: date, report: Report,
               downloads: Sequence[DataFile] = ()) -> list[Page]:
    """List every page of the site; two sources claiming one path is an error."""
    pages = list(_all_pages(site, today, downloads))
    claimed: dict[str, str] = {}
    for page in pages:
        if page.path in claimed:
            report.error(Location(page.source), Msg.of(
                N_("this file gets the same web address as {other} ({path}); rename one"),
                other=claimed[page.path], path=page.path))
        claimed[page.path] = page.source
    return pages


def _all_pages(site: Site, today: date, downloads: Sequence[DataFile]) -> Iterator[Page]:
    """Yield the home page and the data page, then every village's pages."""
    signs = {v.id: signage(site, v) for v in site.villages}
    accounts = chart(site.config.rules.chart_of_accounts)
    rules = site.config.rules
    yield Page(HOME, "home.html",
               {"towns": town_groups(site, signs), "today": today,
                "timeliness": tuple((signs[v.id], d)
                                    for v, d in timeliness(site.villages, rules, today))},
               "site_config.yaml")
    yield Page(VENUES_PAGE, "venues.html",
               {"rows": venue_scores(site, signs), "haves": EIGHT_HAVES, "norms": EIGHT_NORMS,
                "today": today}, "site_config.yaml")
    yield Page(DATA_PAGE, "data.html",
               {"groups": download_groups(downloads, signs), "today": today}, "site_config.yaml")
    for village in site.villages:
        yield from _village_pages(village, signs[village.id], today, accounts,
                                  duties(village, rules, today))


def _village_pages(village: Village, sign: Signage, today: date, accounts: Chart,
                   owed: tuple[Duty, ...]) -> Iterator[Page]:
    """Yield a village's board, profile, finance and disclosure pages."""
    board = board_path(village.id)
    yield Page(board, "board.html",
               {"village": sign, "ledgers": village.ledgers, "affairs": village.affairs,
                "party": village.party, "today": today,
                "duties": {duty.kind: duty for duty in owed}}, village.source, qr=board)
    yield Page(profile_path(village.id), "profile.html",
               {"village": sign, "info": village.info, "today": today}, village.source)
    yield Page(venue_path(village.id), "venue.html",
               {"village": sign, "venue": village.info.venue, "haves": EIGHT_HAVES,
                "norms": EIGHT_NORMS, "today": today}, village.source)
    for kind, entries in (("party", village.party), ("affairs", village.affairs)):
        yield Page(list_path(village.id, kind), "list.html",
                   {"village": sign, "kind": kind, "years": by_year(entries),
                    "today": today}, village.source)
    yield Page(archive_path(village.id), "archive.html",
               {"village": sign, "years": archive_years(village), "today": today},
               village.source)
    yield Page(list_path(village.id, "finance"), "finance_index.html",
               {"village": sign, "years": finance_years(village.ledgers, accounts),
                "today": today}, village.source)
    for ledger in village.ledgers:
        figures = {"village": sign, "ledger": ledger, "today": today,
                   "income_totals": account_totals(ledger.data.income, accounts.income),
                   "expense_totals": account_totals(ledger.data.expense, accounts.expense)}
        # The wall poster leads a phone to the board, where every panel is.
        yield Page(poster_path(ledger), "poster.html",
                   {**figures, "party": _within(village.party, ledger),
                    "affairs": _within(village.affairs, ledger)}, ledger.source, qr=board)
        yield Page(ledger_path(ledger), "finance.html", figures, ledger.source,
                   qr=ledger_path(ledger))
    for item in (*village.affairs, *village.party):
        yield Page(item_path(item), "item.html",
                   {"village": sign, "item": item, "today": today}, item.source,
                   qr=item_path(item))


def signage(site: Site, village: Village) -> Signage:
    """Collect the header and phones of a village's pages."""
    town = site.config.town(village.info.town)
    contacts = village.info.contacts
    return Signage(village.id, village.info.name, town.name if town else "",
                   contacts.office_phone, contacts.supervision_phone,
                   town.supervision_phone if town else None)


def town_groups(site: Site, signs: Mapping[str, Signage]) -> tuple[TownGroup, ...]:
    """Group villages by town for the home page, each with its latest disclosures."""
    groups = []
    for town in site.config.towns:
        members = tuple(
            Latest(signs[v.id], _first(v.ledgers), _first(v.affairs), _first(v.party))
            for v in site.villages if v.info.town == town.id)
        if members:
            groups.append(TownGroup(town.name, members))
    return tuple(groups)


Entries = tuple[Ledger, ...] | tuple[Item, ...]


@dataclass(frozen=True)
class Download:
    """A data file as the data page lists it."""

    path: str
    kind: str
    size: int
    updated: date
    period: Period | None = None


@dataclass(frozen=True)
class DownloadGroup:
    """The downloads of the whole site (no village) or of one village."""

    village: Signage | None
    files: tuple[Download, ...]


def download_groups(downloads: Sequence[DataFile],
                    signs: Mapping[str, Signage]) -> tuple[DownloadGroup, ...]:
    """Group data files for the data page: the site's first, then each village's."""
    groups: dict[str, list[Download]] = {}
    for file in downloads:
        groups.setdefault(file.village, []).append(
            Download(file.path, file.kind, len(file.data), file.updated, file.period))
    ordered = sorted(groups, key=lambda v: (v != "", list(signs).index(v) if v in signs else 0))
    return tuple(DownloadGroup(signs.get(v), tuple(groups[v])) for v in ordered)


@dataclass(frozen=True)
class FinanceYear:
    """One year of a village's finances, for its overview: periods oldest first, totals."""

    year: int
    periods: tuple[Ledger, ...]
    income: Decimal
    expense: Decimal
    income_totals: tuple[AccountTotal, ...]
    expense_totals: tuple[AccountTotal, ...]


def finance_years(ledgers: Sequence[Ledger], accounts: Chart) -> tuple[FinanceYear, ...]:
    """Sum each year of a village's finance periods, newest year first."""
    years: list[FinanceYear] = []
    for year, group in by_year(tuple(ledgers)):
        periods = tuple(sorted(group, key=lambda ledger: ledger.period))
        income = [line for ledger in periods for line in ledger.data.income]
        expense = [line for ledger in periods for line in ledger.data.expense]
        years.append(FinanceYear(
            year, periods, sum((ledger.data.total_income for ledger in periods), Decimal("0.00")),
            sum((ledger.data.total_expense for ledger in periods), Decimal("0.00")),
            account_totals(income, accounts.income), account_totals(expense, accounts.expense)))
    return tuple(years)


@dataclass(frozen=True)
class ArchiveEntry:
    """One disclosure in a village's archive: when it was posted, what kind, which one."""

    posted: date
    kind: str
    entry: Ledger | Item


def archive_years(village: Village) -> tuple[tuple[int, tuple[ArchiveEntry, ...]], ...]:
    """List everything a village disclosed by the year it was posted, newest first."""
    entries = [ArchiveEntry(ledger.data.published, "finance", ledger) for ledger in village.ledgers]
    entries += [ArchiveEntry(item.data.date, item.kind, item)
                for item in (*village.party, *village.affairs)]
    entries.sort(key=lambda e: (e.posted, e.kind, e.entry.source), reverse=True)
    years: dict[int, list[ArchiveEntry]] = {}
    for entry in entries:
        years.setdefault(entry.posted.year, []).append(entry)
    return tuple((year, tuple(group)) for year, group in years.items())


@dataclass(frozen=True)
class VenueScore:
    """A village against the sixteen items of 八有八规范, as the monthly inspection scores it."""

    village: Signage
    met: int
    unmet: tuple[str, ...]      # items checked and not met
    unreported: tuple[str, ...]  # items the village has not reported on


def venue_scores(site: Site, signs: Mapping[str, Signage]) -> tuple[VenueScore, ...]:
    """Score every village's venue, lowest score first (the ones that need a visit)."""
    rows = []
    for village in site.villages:
        checklist = village.info.venue.checklist if village.info.venue else {}
        unmet = tuple(item for item in STANDARD if item in checklist and not checklist[item].met)
        missing = tuple(item for item in STANDARD if item not in checklist)
        rows.append(VenueScore(signs[village.id], len(STANDARD) - len(unmet) - len(missing),
                               unmet, missing))
    return tuple(sorted(rows, key=lambda row: (row.met, row.village.id)))


def by_year(entries: Entries) -> tuple[tuple[int, tuple[Any, ...]], ...]:
    """Group newest-first entries by year: finance by its period, others by their date."""
    groups: dict[int, list[Any]] = {}
    for entry in entries:
        year = entry.period.start.year if isinstance(entry, Ledger) else entry.data.date.year
        groups.setdefault(year, []).append(entry)
    return tuple((year, tuple(group)) for year, group in groups.items())


def _first(items: tuple[Any, ...]) -> Any:
    """Return the newest entry of a newest-first tuple, or None."""
    return items[0] if items else None
