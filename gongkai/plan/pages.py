"""Plan the pages of a site: each page is an output path, a template and its context.

A page's context holds only what that page shows, as immutable values (frozen
dataclasses, pydantic models, tuples, plain values), so rendering is a pure function of
a page, and a page can be rendered in parallel or kept from the last build while its
context is unchanged. Domain rules (notice status, the disclosure calendar, the answer
deadline, decision steps, the venue score) are applied here, never in a template, so a
site's own layouts cannot fork them. Only a page that shows something the date changes
(an open or upcoming notice, a question awaiting its answer, the calendar) carries the
date, as ``as_of``: a closed notice renders the same bytes on every later day. Only index
pages (home, town pages, a village's board and lists) receive lists.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from gongkai.check.affairs import village_steps
from gongkai.check.finance import account_groups, account_totals, side_parts
from gongkai.check.projects import project_view
from gongkai.check.schedule import Calendar, Duty, disclosure_calendar, summarize, timeliness
from gongkai.core.errors import Location, Report
from gongkai.core.i18n import N_, Msg
from gongkai.load.site import Site
from gongkai.model.addresses import (
    HOME,
    SEARCH_PAGE,
    archive_path,
    board_path,
    item_path,
    ledger_path,
    list_path,
    office_item_path,
    plan_path,
    poster_path,
    profile_path,
    terms_path,
    town_path,
)
from gongkai.model.coa import CHARTS, Chart, chart
from gongkai.model.config import Town
from gongkai.model.content import Item, Ledger, Village
from gongkai.model.disclosure import AffairsFile
from gongkai.model.outputs import Page
from gongkai.plan.books import part_rows, poster_plan, year_plan_pages
from gongkai.plan.datapages import data_pages
from gongkai.plan.notices import amounts_view, deadline_view
from gongkai.plan.offices import (
    OfficeLinks,
    newest_first,
    office_links,
    office_pages,
    village_offices,
)
from gongkai.plan.opendata import DataFile
from gongkai.plan.sheetfit import fit_wall
from gongkai.plan.sheets import poster_panel
from gongkai.plan.terms import TermItem, village_terms
from gongkai.plan.venues import venue_page, venue_pages
from gongkai.plan.views import (
    CONFIG_SOURCE,
    Figures,
    ItemLink,
    Latest,
    LedgerLink,
    Panel,
    Signage,
    Timely,
    TownSummary,
    VillageLink,
    by_year,
    decision_view,
    item_link,
    ledger_link,
    newest_as_of,
    notice_view,
    posted_year,
    question_view,
    signage,
    step_views,
)
from gongkai.plan.years import archive_years, finance_years
from gongkai.trust.records import NO_SEALS, Earlier, Record, Seals

BOARD_SHOWN = 5   # a board shows the newest few of a panel, like the wall; the rest a tap away


def plan_pages(site: Site, today: date, report: Report, downloads: Sequence[DataFile] = (),
               calendar: Calendar | None = None, seals: Seals = NO_SEALS) -> list[Page]:
    """List every page of the site; two sources claiming one path is an error.

    Pass the build's ``calendar`` to reuse it; without one it is worked out here, once.
    ``seals`` gives each disclosure's record and earlier versions (``history/``).
    """
    owed = calendar or disclosure_calendar(site.villages, site.config.rules, today)
    pages = list(_all_pages(site, today, downloads, owed, seals))
    claimed: dict[str, str] = {}
    for page in pages:
        if page.path in claimed:
            report.error(Location(page.source), Msg.of(
                N_("this file gets the same web address as {other} ({path}); rename one"),
                other=claimed[page.path], path=page.path))
        claimed[page.path] = page.source
    return pages


def _all_pages(site: Site, today: date, downloads: Sequence[DataFile],
               calendar: Calendar, seals: Seals) -> Iterator[Page]:
    """Yield the site-wide pages, each town's, then every village's."""
    towns = town_villages(site)
    offices = office_links(site, today)
    yield Page(HOME, "home.html", {"towns": town_summaries(towns, calendar), "as_of": today,
                                   "county": offices.get("", ())}, CONFIG_SOURCE)
    yield from venue_pages(towns)
    yield from data_pages(towns, downloads, seals)
    for town, villages in towns:
        yield town_page(town, villages, calendar, today, offices.get(town.id, ()))
    yield from office_pages(site, today, seals)
    yield search_page(site, towns)
    # The site's chart orders what has no chart of its own; each period uses its own.
    accounts = chart(site.config.rules.chart_of_accounts or CHARTS[0])
    naming = village_offices(site, today)
    for village in site.villages:
        steps = village_steps(site.config.rules.decision_steps, village.info.extra_steps)
        yield from _village_pages(village, signage(site, village), today, accounts,
                                  calendar.duties(village.id), steps, naming.get(village.id, ()),
                                  seals)


def town_villages(site: Site) -> tuple[tuple[Town, tuple[Village, ...]], ...]:
    """Group villages by town, in the order of ``towns`` in the configuration; skip empty towns."""
    groups: dict[str, list[Village]] = {town.id: [] for town in site.config.towns}
    for village in site.villages:
        groups.setdefault(village.info.town, []).append(village)
    return tuple((town, tuple(groups[town.id])) for town in site.config.towns if groups[town.id])


def town_summaries(towns: Sequence[tuple[Town, tuple[Village, ...]]],
                   calendar: Calendar) -> tuple[TownSummary, ...]:
    """Sum up each town's timeliness for the home page."""
    return tuple(town_summary(town, villages, calendar) for town, villages in towns)


def town_summary(town: Town, villages: Sequence[Village], calendar: Calendar) -> TownSummary:
    """Count a town's villages and how many are late with each kind, and how late."""
    owed = [calendar.owed[village.id] for village in villages]
    return TownSummary(town.id, town.name, len(owed), summarize(owed))


def town_page(town: Town, villages: Sequence[Village], calendar: Calendar,
              today: date, offices: OfficeLinks = ()) -> Page:
    """Plan a town's page: its villages' latest disclosures and who disclosed on time."""
    links = {village.id: VillageLink(village.id, village.info.name) for village in villages}
    latest = tuple(Latest(links[v.id], ledger_link(v.ledgers[0]) if v.ledgers else None,
                          item_link(v.affairs[0], today) if v.affairs else None,
                          item_link(v.party[0], today) if v.party else None)
                   for v in villages)
    owed = timeliness(calendar.owed[village.id] for village in villages)
    return Page(town_path(town.id), "town.html",
                {"town": town, "villages": latest,
                 "timeliness": tuple(Timely(links[row.village], row.duties) for row in owed),
                 "disclosures": offices, "as_of": today}, CONFIG_SOURCE)


def _village_pages(village: Village, sign: Signage, today: date, accounts: Chart,
                   owed: tuple[Duty, ...], steps: tuple[str, ...],
                   offices: OfficeLinks = (), seals: Seals = NO_SEALS) -> Iterator[Page]:
    """Yield a village's board, profile, finance and disclosure pages."""
    party = tuple(item_link(item, today) for item in village.party)
    affairs = tuple(item_link(item, today) for item in village.affairs)
    ledgers = tuple(ledger_link(ledger) for ledger in village.ledgers)
    yield _board(village, sign, party, affairs, ledgers, owed, today, offices)
    yield Page(profile_path(village.id), "profile.html",
               {"village": sign, "info": village.info, "as_of": None}, village.source)
    yield venue_page(village, sign)
    yield terms_page(village, sign, accounts)
    for kind, links in (("party", party), ("affairs", affairs)):
        yield Page(list_path(village.id, kind), "list.html",
                   {"village": sign, "kind": kind, "years": by_year(links, posted_year),
                    "as_of": newest_as_of(today, links)}, village.source)
    entries = archive_years(village, today)
    yield Page(archive_path(village.id), "archive.html",
               {"village": sign, "years": entries,
                "as_of": newest_as_of(today, (e.entry for _year, group in entries for e in group))},
               village.source)
    yield Page(list_path(village.id, "finance"), "finance_index.html",
               {"village": sign, "years": finance_years(village.ledgers, accounts),
                "plans": {plan.year: plan_path(village.id, plan.year) for plan in village.plans},
                "as_of": None}, village.source)
    yield from year_plan_pages(village, sign, today)
    for ledger in village.ledgers:
        yield from _ledger_pages(village, ledger, sign, today, seals.records.get(ledger.source))
    for item in (*village.affairs, *village.party):
        yield item_page(item, sign, today, steps, seals.records.get(item.source))
    for source in (*(d.source for d in village.ledgers),
                   *(d.source for d in (*village.affairs, *village.party))):
        yield from _earlier_pages(seals.earlier.get(source, ()), sign, today, steps)


def _earlier_pages(earlier: Sequence[Earlier], sign: Signage, today: date,
                   steps: Sequence[str]) -> Iterator[Page]:
    """Yield the page of each earlier version of a village's disclosure, at its own
    address, with a banner leading to the current version."""
    for old in earlier:
        extra = {"superseded": old.banner}
        if isinstance(old.disclosure, Ledger):
            yield _finance_page(old.disclosure, sign, today, None, old.path, extra)
        elif isinstance(old.disclosure, Item):
            yield item_page(old.disclosure, sign, today, steps, None, old.path, extra)


def _board(village: Village, sign: Signage, party: tuple[ItemLink, ...],
           affairs: tuple[ItemLink, ...], ledgers: tuple[LedgerLink, ...],
           owed: tuple[Duty, ...], today: date, offices: OfficeLinks = ()) -> Page:
    """Plan a village's board: open notices, the three panels and what is due."""
    duties = {duty.kind: duty for duty in owed}
    latest = village.ledgers[0] if village.ledgers else None
    board = board_path(village.id)
    # Pinned rules (制度) stand in their own place at the top of the board, not in a panel.
    pins = {item_path(item) for item in (*village.party, *village.affairs) if item.data.pinned}
    party = tuple(link for link in party if link.path not in pins)
    affairs = tuple(link for link in affairs if link.path not in pins)
    return Page(board, "board.html", {
        "village": sign,
        "pinned": tuple(item_link(item, today) for item in (*village.party, *village.affairs)
                        if item.data.pinned),
        "open_now": tuple(link for link in (*party, *affairs)
                          if link.notice is not None and link.notice.status == "open"),
        "party": Panel("party", party[:BOARD_SHOWN], len(party), duties["party"]),
        "affairs": Panel("affairs", affairs[:BOARD_SHOWN], len(affairs), duties["affairs"]),
        "finance": Panel("finance", ledgers[:BOARD_SHOWN], len(ledgers), duties["finance"]),
        "latest": Figures(latest.data.total_income, latest.data.total_expense, latest.closing)
        if latest else None,
        "offices": offices[:BOARD_SHOWN],
        "as_of": today}, village.source, qr=board)


def _ledger_pages(village: Village, ledger: Ledger, sign: Signage,
                  today: date, record: Record | None = None) -> Iterator[Page]:
    """Yield a finance period's wall poster and its page, by the chart of its period."""
    accounts = chart(ledger.chart)
    income_totals = account_totals(ledger.data.income, accounts.order)
    expense_totals = account_totals(ledger.data.expense, accounts.order)
    parts = {"income_parts": side_parts(ledger.data.income, accounts),
             "expense_parts": side_parts(ledger.data.expense, accounts)}
    totals = {"village": sign, "ledger": ledger, "record": record,
              "income_totals": income_totals, "expense_totals": expense_totals, **parts}
    # The wall poster leads a phone to the board, where every panel is.
    party = poster_panel("party", village.party, ledger)
    affairs = poster_panel("affairs", village.affairs, ledger)
    review = ledger.data.reviewed_by
    opinion = review.opinion if review else ""
    # The rows of the 收益 and balance-sheet subtotals, when a period has both.
    split = part_rows(parts["income_parts"], parts["expense_parts"])
    wall = fit_wall(ledger, income_totals, expense_totals, party, affairs, opinion, split)
    yield Page(poster_path(ledger), "poster.html",
               {**totals, "party": wall.party, "affairs": wall.affairs,
                "sheets": wall.sheets, "columns": wall.columns, "as_of": None,
                "plan_sheet": poster_plan(village, ledger)},
               ledger.source, qr=board_path(village.id))
    yield _finance_page(ledger, sign, today, record)


def _finance_page(ledger: Ledger, sign: Signage, today: date, record: Record | None,
                  path: str = "", extra: Mapping[str, Any] | None = None) -> Page:
    """Plan a finance period's page (at ``path``: an earlier version's own address)."""
    accounts = chart(ledger.chart)
    notice = notice_view(ledger.notice, today)
    path = path or ledger_path(ledger)
    return Page(path, "finance.html",
                {"village": sign, "ledger": ledger, "record": record,
                 "income_totals": account_totals(ledger.data.income, accounts.order),
                 "expense_totals": account_totals(ledger.data.expense, accounts.order),
                 "notice": notice,
                 "income_groups": account_groups(ledger.data.income, accounts.order),
                 "expense_groups": account_groups(ledger.data.expense, accounts.order),
                 "income_parts": side_parts(ledger.data.income, accounts),
                 "expense_parts": side_parts(ledger.data.expense, accounts),
                 "as_of": today if notice.dated else None, "superseded": None, **(extra or {})},
                ledger.source, qr=path)


def item_page(item: Item, sign: Signage, today: date, steps: Sequence[str],
              record: Record | None = None, path: str = "",
              extra: Mapping[str, Any] | None = None) -> Page:
    """Plan a disclosure's page, with its notice status, decision steps and questions (at
    ``path``: an earlier version's own address)."""
    notice = notice_view(item.notice, today) if item.notice else None
    questions = tuple(question_view(question, today) for question in item.data.questions)
    deadline = deadline_view(item.data, today)
    dated = (notice is not None and notice.dated) or any(q.waited is not None for q in questions) \
        or (deadline is not None and deadline.open)
    path = path or item_path(item)
    return Page(path, "item.html",
                {"village": sign, "item": item, "notice": notice, "record": record,
                 "superseded": None, **(extra or {}),
                 "steps": step_views(item.data.steps, steps), "questions": questions,
                 "project": project_view(item.data.project
                                         if isinstance(item.data, AffairsFile) else None),
                 "decision": decision_view(item.data.attendance, item.data.issued,
                                           item.data.approval),
                 "deadline": deadline, "amounts": amounts_view(item.data),
                 "as_of": today if dated else None}, item.source, qr=path)


def terms_page(village: Village, sign: Signage, accounts: Chart) -> Page:
    """Plan a village's index by term: where its search form leads without JavaScript."""
    return Page(terms_path(village.id), "terms.html",
                {"village": sign, "terms": village_terms(village, accounts), "as_of": None},
                village.source)


@dataclass(frozen=True)
class TownIndex:
    """A town on the search page: its villages (each to its index) and its own notices."""

    id: str
    name: str
    villages: tuple[VillageLink, ...]
    notices: tuple[TermItem, ...]


def search_page(site: Site, towns: Sequence[tuple[Town, tuple[Village, ...]]]) -> Page:
    """Plan the home page's search target without JavaScript: each town's villages' indexes.

    It names villages and the towns' and the county's own notices, never every
    disclosure, so that it stays small however many villages a county has.
    """
    notices: dict[str, list[TermItem]] = {}
    for item in newest_first(site.offices):
        notices.setdefault(item.office, []).append(
            TermItem(office_item_path(item), item.data.title, item.data.date))
    return Page(SEARCH_PAGE, "search.html", {
        "towns": tuple(TownIndex(town.id, town.name,
                                 tuple(VillageLink(v.id, v.info.name) for v in villages),
                                 tuple(notices.get(town.id, ())))
                       for town, villages in towns),
        "county": tuple(notices.get("", ())), "as_of": None}, CONFIG_SOURCE)


def disclosure_pages(site: Site) -> dict[str, str]:
    """Return the page address of every disclosure, by its source file."""
    found = {ledger.source: ledger_path(ledger)
             for village in site.villages for ledger in village.ledgers}
    found.update((item.source, item_path(item))
                 for village in site.villages for item in (*village.affairs, *village.party))
    found.update((item.source, office_item_path(item)) for item in site.offices)
    return found
