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

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar
from unicodedata import east_asian_width

from gongkai.check.affairs import answer_late, share, step_checks, village_steps, waiting_days
from gongkai.check.finance import AccountTotal, account_groups, account_totals
from gongkai.check.projects import project_view
from gongkai.check.schedule import (
    Calendar,
    Duty,
    KindSummary,
    disclosure_calendar,
    summarize,
    timeliness,
)
from gongkai.core.dates import Period
from gongkai.core.errors import Location, Report
from gongkai.core.i18n import N_, Msg
from gongkai.load.site import Site
from gongkai.model.addresses import (
    DATA_PAGE,
    HOME,
    SEARCH_PAGE,
    VENUES_PAGE,
    archive_path,
    board_path,
    item_path,
    ledger_path,
    list_path,
    office_item_path,
    poster_path,
    profile_path,
    terms_path,
    town_data_path,
    town_path,
    town_venues_path,
    venue_path,
)
from gongkai.model.coa import CHARTS, Chart, chart
from gongkai.model.config import Town
from gongkai.model.content import (
    EIGHT_HAVES,
    EIGHT_NORMS,
    STANDARD,
    AffairsFile,
    Approval,
    Attendance,
    ExpenseLine,
    IncomeLine,
    Issued,
    Item,
    Ledger,
    Notice,
    OfficeItem,
    OpenNotice,
    Question,
    Step,
    Village,
)
from gongkai.model.outputs import Page
from gongkai.plan.opendata import DataFile
from gongkai.plan.terms import TermItem, village_terms
from gongkai.trust.records import NO_SEALS, Earlier, Record, Seals

T = TypeVar("T")
OfficeLinks = tuple["OfficeLink", ...]
CONFIG_SOURCE = "site_config.yaml"  # the source named for the site-wide and town pages
BOARD_SHOWN = 5   # a board shows the newest few of a panel, like the wall; the rest a tap away
POSTER_SHOWN = 6  # what fits a panel of the A3 wall poster


# --- view records: what pages show -----------------------------------------------------

@dataclass(frozen=True)
class Signage:
    """The village's signage header and phones, shown on every page of the village."""

    id: str
    name: str
    town: str
    office_phone: str | None
    supervision_phone: str | None
    town_supervision_phone: str | None
    town_id: str = ""


@dataclass(frozen=True)
class VillageLink:
    """A village as a list names it: its id (for its board's address) and name."""

    id: str
    name: str


@dataclass(frozen=True)
class NoticeView:
    """A 公示 period and its status as of the build's day."""

    start: date
    end: date | None  # None for a standing notice or one that states no end
    status: str     # "upcoming", "open", "closed", "standing" (长期公开) or "unended"
    days_left: int  # while open: the days left, today included; 0 otherwise
    by_rule: int | None = None  # the days of the county rule, when the end comes from it
    standing: bool = False      # 长期公开: up for good

    @property
    def dated(self) -> bool:
        """Tell whether what the page says of it changes with the date (not yet closed)."""
        return self.status in ("upcoming", "open")


@dataclass(frozen=True)
class ItemLink:
    """A disclosure as lists show it: address, title, type, posting date, notice status."""

    path: str
    title: str
    type: str
    posted: date
    notice: NoticeView | None


@dataclass(frozen=True)
class LedgerLink:
    """A finance period as lists show it."""

    path: str
    period: Period
    published: date


@dataclass(frozen=True)
class Posted:
    """A disclosure as the wall poster shows it: no link, but its summary."""

    title: str
    type: str
    posted: date
    summary: str


@dataclass(frozen=True)
class Figures:
    """A finance period's totals, for the board's finance panel."""

    income: Decimal
    expense: Decimal
    closing: Decimal | None  # None: not known (the opening balance was not kept)


@dataclass(frozen=True)
class Panel:
    """One panel of a board or poster: the entries it shows and how many there are."""

    kind: str
    entries: tuple[Any, ...]  # ItemLink, LedgerLink or Posted, newest first
    count: int
    duty: Duty | None = None  # what the village owes next of this kind (boards only)


@dataclass(frozen=True)
class StepView:
    """One step of a decision record (五议), flagged when dated before the step above."""

    step: str
    date: date | None
    early: bool


@dataclass(frozen=True)
class QuestionView:
    """A resident's question on the 回音壁 and where its answer stands."""

    asked: date
    question: str
    answer: str
    answered: date | None
    waited: int | None  # days without an answer; None once answered
    late: bool          # waited longer than the answer deadline


@dataclass(frozen=True)
class Latest:
    """A village's newest disclosure of each kind, for its town page."""

    village: VillageLink
    ledger: LedgerLink | None
    affairs: ItemLink | None
    party: ItemLink | None


@dataclass(frozen=True)
class Timely:
    """A village's row of the "who disclosed on time" table."""

    village: VillageLink
    duties: tuple[Duty, ...]


@dataclass(frozen=True)
class TownSummary:
    """A town on the home page: its villages and how timely they are."""

    id: str
    name: str
    villages: int
    kinds: tuple[KindSummary, ...]  # party, affairs, finance


# --- the pages ---------------------------------------------------------------------------

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
    latest = tuple(Latest(links[v.id], _ledger_link(v.ledgers[0]) if v.ledgers else None,
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
    ledgers = tuple(_ledger_link(ledger) for ledger in village.ledgers)
    yield _board(village, sign, party, affairs, ledgers, owed, today, offices)
    yield Page(profile_path(village.id), "profile.html",
               {"village": sign, "info": village.info, "as_of": None}, village.source)
    yield venue_page(village, sign)
    yield terms_page(village, sign, accounts)
    for kind, links in (("party", party), ("affairs", affairs)):
        yield Page(list_path(village.id, kind), "list.html",
                   {"village": sign, "kind": kind, "years": by_year(links, _posted_year),
                    "as_of": _as_of(today, links)}, village.source)
    entries = archive_years(village, today)
    yield Page(archive_path(village.id), "archive.html",
               {"village": sign, "years": entries,
                "as_of": _as_of(today, (e.entry for _year, group in entries for e in group))},
               village.source)
    yield Page(list_path(village.id, "finance"), "finance_index.html",
               {"village": sign, "years": finance_years(village.ledgers, accounts),
                "as_of": None}, village.source)
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
    income_totals = account_totals(ledger.data.income, accounts.income)
    expense_totals = account_totals(ledger.data.expense, accounts.expense)
    totals = {"village": sign, "ledger": ledger, "record": record,
              "income_totals": income_totals, "expense_totals": expense_totals}
    # The wall poster leads a phone to the board, where every panel is.
    party = _poster_panel("party", village.party, ledger)
    affairs = _poster_panel("affairs", village.affairs, ledger)
    review = ledger.data.reviewed_by
    opinion = review.opinion if review else ""
    closing = closing_rows(income_totals, expense_totals, party, affairs, opinion)
    # The closing block must fit one sheet: the panels then show fewer titles (the rest
    # are "on the website", as the panel says).
    while closing > SHEET_ROWS and (party.entries or affairs.entries):
        longer = party if len(party.entries) >= len(affairs.entries) else affairs
        shorter = replace(longer, entries=longer.entries[:-1])
        party, affairs = (shorter, affairs) if longer is party else (party, shorter)
        closing = closing_rows(income_totals, expense_totals, party, affairs, opinion)
    yield Page(poster_path(ledger), "poster.html",
               {**totals, "party": party, "affairs": affairs,
                "sheets": wall_sheets(ledger, closing), "as_of": None},
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
                 "income_totals": account_totals(ledger.data.income, accounts.income),
                 "expense_totals": account_totals(ledger.data.expense, accounts.expense),
                 "notice": notice,
                 "income_groups": account_groups(ledger.data.income, accounts.income),
                 "expense_groups": account_groups(ledger.data.expense, accounts.expense),
                 "as_of": today if notice.dated else None, "superseded": None, **(extra or {})},
                ledger.source, qr=path)


def item_page(item: Item, sign: Signage, today: date, steps: Sequence[str],
              record: Record | None = None, path: str = "",
              extra: Mapping[str, Any] | None = None) -> Page:
    """Plan a disclosure's page, with its notice status, decision steps and questions (at
    ``path``: an earlier version's own address)."""
    notice = notice_view(item.notice, today) if item.notice else None
    questions = tuple(question_view(question, today) for question in item.data.questions)
    dated = (notice is not None and notice.dated) or any(q.waited is not None for q in questions)
    path = path or item_path(item)
    return Page(path, "item.html",
                {"village": sign, "item": item, "notice": notice, "record": record,
                 "superseded": None, **(extra or {}),
                 "steps": step_views(item.data.steps, steps), "questions": questions,
                 "project": project_view(item.data.project
                                         if isinstance(item.data, AffairsFile) else None),
                 "decision": decision_view(item.data.attendance, item.data.issued,
                                           item.data.approval),
                 "as_of": today if dated else None}, item.source, qr=path)


def signage(site: Site, village: Village) -> Signage:
    """Collect the header and phones of a village's pages."""
    town = site.config.town(village.info.town)
    contacts = village.info.contacts
    return Signage(village.id, village.info.name, town.name if town else "",
                   contacts.office_phone, contacts.supervision_phone,
                   town.supervision_phone if town else None, town.id if town else "")


# --- rules applied for the pages -----------------------------------------------------------

def notice_view(notice: Notice | OpenNotice, today: date) -> NoticeView:
    """Work out a notice period's status and, while it is open, the days left."""
    status = notice.status(today)
    if isinstance(notice, OpenNotice):
        return NoticeView(notice.start, None, status, 0, None, notice.standing)
    days_left = (notice.end - today).days + 1 if status == "open" else 0
    return NoticeView(notice.start, notice.end, status, days_left, notice.by_rule)


def item_link(item: Item, today: date) -> ItemLink:
    """Link to a disclosure, with its notice status as of a day."""
    return ItemLink(item_path(item), item.data.title, item.data.type, item.data.date,
                    notice_view(item.notice, today) if item.notice else None)


def _ledger_link(ledger: Ledger) -> LedgerLink:
    """Link to a finance period."""
    return LedgerLink(ledger_path(ledger), ledger.period, ledger.data.published)


def question_view(question: Question, today: date) -> QuestionView:
    """Say where a resident's question stands as of a day."""
    return QuestionView(question.asked, question.question, question.answer, question.answered,
                        waiting_days(question, today), answer_late(question, today))


def step_views(steps: Sequence[Step], sequence: Sequence[str]) -> tuple[StepView, ...]:
    """Flag each decision step dated before the step above it."""
    return tuple(StepView(step.step, step.date, check.early is not None)
                 for step, check in zip(steps, step_checks(steps, sequence), strict=True))


@dataclass(frozen=True)
class VoteView:
    """One group at a meeting: attendance and, if it voted, each count with its share."""

    group: str
    expected: int | None
    present: int
    voted: bool
    counts: tuple[tuple[str, int, Decimal], ...]  # ("for" | "against" | "abstain", n, %)


@dataclass(frozen=True)
class DecisionView:
    """What a decision records beyond its steps: attendance and votes, 落款, approval."""

    groups: tuple[VoteView, ...]
    issued: Issued | None
    approval: Approval | None

    def __bool__(self) -> bool:
        """Tell whether there is anything to show."""
        return bool(self.groups) or self.approval is not None


def decision_view(attendance: Sequence[Attendance], issued: Issued | None,
                  approval: Approval | None) -> DecisionView:
    """Compute each vote's share of those present, for display."""
    groups = []
    for group in attendance:
        counts = tuple((name, count, share(count, group.present)) for name, count in (
            ("for", group.in_favour), ("against", group.against), ("abstain", group.abstain))
            if count is not None)
        groups.append(VoteView(group.group, group.expected, group.present, group.voted,
                               counts))
    return DecisionView(tuple(groups), issued, approval)


def _as_of(today: date, links: Iterable[object]) -> date | None:
    """Return the day when any linked notice's status changes with the date, else None."""
    dated = any(isinstance(link, ItemLink) and link.notice is not None and link.notice.dated
                for link in links)
    return today if dated else None


def _poster_panel(kind: str, items: tuple[Item, ...], ledger: Ledger) -> Panel:
    """List what was posted from a period's start until its wall sheet went up, newest first."""
    posted = tuple(Posted(item.data.title, item.data.type, item.data.date, item.data.summary)
                   for item in items
                   if ledger.period.start <= item.data.date <= ledger.data.published)
    return Panel(kind, posted[:POSTER_SHOWN], len(posted))


# --- the wall sheets of a finance period ---------------------------------------------------
#
# The rules ask for every line on the wall (逐笔公开), readable from a step away: 14 pt
# text on A3 portrait sheets. How many lines go on each sheet is decided here rather than
# by the browser's page breaks, so that every sheet can say "第 2 页 / 共 4 页". These
# numbers match the poster's print CSS (layouts/assets/style.css); change them
# together and look at the printed result (tests/test_browser.py prints the sheets).
SHEET_ROWS = 40  # rows of 14 pt table text an A3 portrait sheet holds under its heading
# How many characters of 14 pt text (a Chinese character counts 1, a digit or Latin letter
# about half) one row of each column that wraps holds; the other columns never wrap.
SHEET_COLUMNS = {"voucher": 3.5, "category": 7.0, "item": 15.0, "party": 7.0}
PANEL_WIDTH = 24.0  # characters a row of a disclosure panel under the totals holds
REVIEW_WIDTH = 14.0  # characters a row of the sign-off column holds
QR_ROWS = 7  # the 35 mm QR code and the address under it


@dataclass(frozen=True)
class SheetLine:
    """One ledger line as the wall sheet lists it: its amount in the income or expense column."""

    date: date
    voucher: str
    category: str
    item: str
    party: str  # the payer of an income line, the payee of an expense line
    income: Decimal | None
    expense: Decimal | None


@dataclass(frozen=True)
class Sheet:
    """One printed sheet of a period's wall poster: its number, out of how many, its lines."""

    number: int
    count: int
    lines: tuple[SheetLine, ...]

    @property
    def continued(self) -> bool:
        """Tell whether this sheet continues the one before (it is marked 续)."""
        return self.number > 1

    @property
    def last(self) -> bool:
        """Tell whether this is the last sheet, which carries the totals and sign-off."""
        return self.number == self.count


def text_width(text: str) -> float:
    """Measure text in Chinese characters: a wide character counts 1, any other about half."""
    return sum(1.0 if east_asian_width(ch) in "WF" else 0.55 for ch in text)


def text_rows(text: str, width: float) -> int:
    """Count the rows a text wraps onto in a column ``width`` characters wide (at least one)."""
    return max(1, -int(-text_width(text) // width))


def sheet_lines(ledger: Ledger) -> tuple[SheetLine, ...]:
    """List a period's lines in date order as a journal does, income first on the same day."""
    lines: list[IncomeLine | ExpenseLine] = [*ledger.data.income, *ledger.data.expense]
    ordered = sorted(lines, key=lambda line: line.date)  # stable: the file's order per day
    return tuple(SheetLine(line.date, line.voucher or "", _account_name(line), line.item,
                           (line.payer if isinstance(line, IncomeLine) else line.payee) or "",
                           line.amount if isinstance(line, IncomeLine) else None,
                           line.amount if isinstance(line, ExpenseLine) else None)
                 for line in ordered)


def _account_name(line: IncomeLine | ExpenseLine) -> str:
    """Name a line's account as the wall sheet shows it: with its sub-account, if any."""
    return f"{line.category}—{line.subaccount}" if line.subaccount else line.category


def line_rows(line: SheetLine) -> int:
    """Count the rows a line takes on a wall sheet: its longest wrapping cell's."""
    cells = {"voucher": line.voucher, "category": line.category, "item": line.item,
             "party": line.party}
    return max(text_rows(text, SHEET_COLUMNS[column]) for column, text in cells.items())


def closing_rows(income_totals: Sequence[AccountTotal], expense_totals: Sequence[AccountTotal],
                 party: Panel, affairs: Panel, opinion: str = "") -> int:
    """Count the rows the last sheet's closing block takes under its lines.

    Side by side: the totals (a heading, the opening balance, each side's total and
    accounts, the closing balance and its capital numerals), the sign-off with the
    phones, and the QR code; under them the party and village affairs panels.
    """
    totals = 7 + len(income_totals) + len(expense_totals)
    review = 9 + (text_rows(opinion, REVIEW_WIDTH) if opinion else 0)
    panels = max(_panel_rows(party), _panel_rows(affairs))
    return max(totals, review, QR_ROWS) + panels


def _panel_rows(panel: Panel) -> int:
    """Count the rows of a disclosure panel under the totals: heading, entries, "more"."""
    # Each entry is its title, then its type and date (about ten characters more).
    entries = sum(-int(-(text_width(entry.title) + 10) // PANEL_WIDTH)
                  for entry in panel.entries) or 1
    return 2 + entries + (1 if panel.count > len(panel.entries) else 0)


def split_sheets(rows: Sequence[int], capacity: int = SHEET_ROWS,
                 closing: int = 0) -> tuple[int, ...]:
    """Split lines of the given heights (in rows) into sheets; say how many each sheet holds.

    Lines keep their order and are never cut in two. A sheet takes lines while their rows
    fit ``capacity``; a line taller than a whole sheet has a sheet to itself. The last
    sheet also holds the ``closing`` rows (totals and sign-off): when they do not fit
    under its lines, a new sheet takes them, and with them the last line when it fits, so
    the totals never stand alone. No lines at all still make one sheet (of none).
    """
    heights: list[list[int]] = [[]]
    for height in rows:
        if heights[-1] and sum(heights[-1]) + height > capacity:
            heights.append([])
        heights[-1].append(height)
    if heights[-1] and sum(heights[-1]) + closing > capacity:
        last = heights[-1]
        moved = [last.pop()] if len(last) > 1 and last[-1] + closing <= capacity else []
        heights.append(moved)
    return tuple(len(sheet) for sheet in heights)


def wall_sheets(ledger: Ledger, closing: int = 0) -> tuple[Sheet, ...]:
    """Lay a period's lines out on numbered wall sheets, the last also taking ``closing`` rows."""
    lines = sheet_lines(ledger)
    counts = split_sheets([line_rows(line) for line in lines], SHEET_ROWS, closing)
    sheets: list[Sheet] = []
    start = 0
    for number, count in enumerate(counts, start=1):
        sheets.append(Sheet(number, len(counts), lines[start:start + count]))
        start += count
    return tuple(sheets)


def _posted_year(link: ItemLink) -> int:
    """Return the year a disclosure was posted."""
    return link.posted.year


def by_year(entries: Iterable[T],
            year: Callable[[T], int]) -> tuple[tuple[int, tuple[T, ...]], ...]:
    """Group newest-first entries by year, keeping their order."""
    groups: dict[int, list[T]] = {}
    for entry in entries:
        groups.setdefault(year(entry), []).append(entry)
    return tuple((number, tuple(group)) for number, group in groups.items())


# --- a village's finance overview and archive ------------------------------------------------

@dataclass(frozen=True)
class PeriodTotals:
    """One finance period's totals, as the year overview tabulates and charts them."""

    path: str
    period: Period
    income: Decimal
    expense: Decimal
    closing: Decimal | None  # None: not known (the opening balance was not kept)


@dataclass(frozen=True)
class FinanceYear:
    """One year of a village's finances, for its overview: periods oldest first, totals."""

    year: int
    periods: tuple[PeriodTotals, ...]
    income: Decimal
    expense: Decimal
    income_totals: tuple[AccountTotal, ...]
    expense_totals: tuple[AccountTotal, ...]


def finance_years(ledgers: Sequence[Ledger], accounts: Chart) -> tuple[FinanceYear, ...]:
    """Sum each year of a village's finance periods, newest year first."""
    years: list[FinanceYear] = []
    for year, group in by_year(ledgers, lambda ledger: ledger.period.start.year):
        periods = tuple(sorted(group, key=lambda ledger: ledger.period))
        accounts = chart(periods[-1].chart)  # a year's periods share one chart
        income = [line for ledger in periods for line in ledger.data.income]
        expense = [line for ledger in periods for line in ledger.data.expense]
        years.append(FinanceYear(
            year, tuple(PeriodTotals(ledger_path(ledger), ledger.period, ledger.data.total_income,
                                     ledger.data.total_expense, ledger.closing)
                        for ledger in periods),
            sum((ledger.data.total_income for ledger in periods), Decimal("0.00")),
            sum((ledger.data.total_expense for ledger in periods), Decimal("0.00")),
            account_totals(income, accounts.income), account_totals(expense, accounts.expense)))
    return tuple(years)


@dataclass(frozen=True)
class ArchiveEntry:
    """One disclosure in a village's archive: when it was posted, what kind, which one."""

    posted: date
    kind: str
    entry: LedgerLink | ItemLink


def archive_years(village: Village,
                  today: date) -> tuple[tuple[int, tuple[ArchiveEntry, ...]], ...]:
    """List everything a village disclosed by the year it was posted, newest first."""
    found: list[tuple[date, str, str, LedgerLink | ItemLink]] = [
        (ledger.data.published, "finance", ledger.source, _ledger_link(ledger))
        for ledger in village.ledgers]
    found += [(item.data.date, item.kind, item.source, item_link(item, today))
              for item in (*village.party, *village.affairs)]
    found.sort(key=lambda row: row[:3], reverse=True)
    entries = (ArchiveEntry(posted, kind, link) for posted, kind, _source, link in found)
    return by_year(entries, lambda entry: entry.posted.year)


# --- the venue scoreboard ---------------------------------------------------------------------

@dataclass(frozen=True)
class VenueScore:
    """A village against the items of 八有八规范, as the monthly inspection scores it."""

    village: VillageLink
    score: int                   # items met
    total: int                   # items of the standard
    unmet: tuple[str, ...]       # items checked and not met
    unreported: tuple[str, ...]  # items the village has not reported on


@dataclass(frozen=True)
class TownVenues:
    """A town's line of the county scoreboard."""

    id: str
    name: str
    villages: int
    average: Decimal  # to one decimal
    lowest: int
    total: int


def venue_score(village: Village) -> VenueScore:
    """Score a village's venue: one point for each item of the standard it meets."""
    checklist = village.info.venue.checklist if village.info.venue else {}
    unmet = tuple(item for item in STANDARD if item in checklist and not checklist[item].met)
    missing = tuple(item for item in STANDARD if item not in checklist)
    return VenueScore(VillageLink(village.id, village.info.name),
                      len(STANDARD) - len(unmet) - len(missing), len(STANDARD), unmet, missing)


def venue_page(village: Village, sign: Signage) -> Page:
    """Plan a village's venue page, with its score."""
    score = venue_score(village)
    return Page(venue_path(village.id), "venue.html",
                {"village": sign, "venue": village.info.venue, "haves": EIGHT_HAVES,
                 "norms": EIGHT_NORMS, "score": score.score, "total": score.total, "as_of": None},
                village.source)


def venue_pages(towns: Sequence[tuple[Town, tuple[Village, ...]]]) -> Iterator[Page]:
    """Yield the county scoreboard by town, then each town's, lowest score first."""
    summaries = []
    for town, villages in towns:
        rows = tuple(sorted((venue_score(v) for v in villages),
                            key=lambda row: (row.score, row.village.id)))
        average = (Decimal(sum(row.score for row in rows)) / len(rows)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP)
        summaries.append(TownVenues(town.id, town.name, len(rows), average, rows[0].score,
                                    len(STANDARD)))
        yield Page(town_venues_path(town.id), "town_venues.html",
                   {"town": town, "rows": rows, "total": len(STANDARD), "as_of": None},
                   CONFIG_SOURCE)
    yield Page(VENUES_PAGE, "venues.html",
               {"towns": tuple(summaries), "total": len(STANDARD), "as_of": None}, CONFIG_SOURCE)


# --- the data downloads -----------------------------------------------------------------------

@dataclass(frozen=True)
class Download:
    """A data file as the data pages list it."""

    path: str
    kind: str
    size: int
    updated: date


@dataclass(frozen=True)
class PeriodFiles:
    """A finance period's data files: its lines as CSV and as JSON."""

    period: Period
    posted: date
    csv: Download | None
    json: Download | None


# A town's data page lists each village's newest periods only, so that it stays the same
# size as the years go by; every period's files are linked from its own finance page.
TOWN_DATA_PERIODS = 4


@dataclass(frozen=True)
class VillageFiles:
    """A village's data files: all its periods in one CSV, then its newest periods' files."""

    village: VillageLink
    all_periods: Download | None
    periods: tuple[PeriodFiles, ...]
    count: int  # how many periods the village has published in all


@dataclass(frozen=True)
class TownFiles:
    """A town's line of the data page: how many of its villages publish data."""

    id: str
    name: str
    villages: int
    files: int


def data_pages(towns: Sequence[tuple[Town, tuple[Village, ...]]],
               downloads: Sequence[DataFile], seals: Seals = NO_SEALS) -> Iterator[Page]:
    """Yield each town's downloads page, then the data page with the site's own files."""
    by_village: dict[str, list[DataFile]] = {}
    for file in downloads:
        by_village.setdefault(file.village, []).append(file)
    summaries = []
    for town, villages in towns:
        publishing = [v for v in villages if v.id in by_village]
        groups = tuple(village_files(VillageLink(v.id, v.info.name), by_village[v.id])
                       for v in publishing)
        summaries.append(TownFiles(town.id, town.name, len(groups),
                                   sum(len(by_village[v.id]) for v in publishing)))
        yield Page(town_data_path(town.id), "town_data.html",
                   {"town": town, "villages": groups, "as_of": None}, CONFIG_SOURCE)
    yield Page(DATA_PAGE, "data.html",
               {"files": tuple(_download(f) for f in by_village.get("", ())),
                "towns": tuple(summaries), "sealed": seals.latest, "as_of": None},
               CONFIG_SOURCE)


def village_files(village: VillageLink, files: Sequence[DataFile]) -> VillageFiles:
    """Pair each period's CSV and JSON, newest period first, keeping the newest few."""
    periods: dict[Period, dict[str, DataFile]] = {}
    all_periods = None
    for file in files:
        if file.period is None:
            all_periods = _download(file)
        else:
            periods.setdefault(file.period, {})[file.kind] = file
    newest = sorted(periods.items(), reverse=True)[:TOWN_DATA_PERIODS]
    return VillageFiles(village, all_periods, tuple(
        PeriodFiles(period, min(f.updated for f in pair.values()),
                    _optional(pair.get("period-csv")), _optional(pair.get("period-json")))
        for period, pair in newest), len(periods))


def _download(file: DataFile) -> Download:
    """Describe a data file for the data pages."""
    return Download(file.path, file.kind, file.size, file.updated)


def _optional(file: DataFile | None) -> Download | None:
    """Describe a data file, if there is one."""
    return _download(file) if file is not None else None


# --- the towns' and the county's own disclosures ----------------------------------------------

@dataclass(frozen=True)
class OfficeLink:
    """A town's or the county's disclosure as lists show it; ``office`` is the town's name,
    or "" for the county."""

    path: str
    title: str
    type: str
    posted: date
    notice: NoticeView | None
    office: str


@dataclass(frozen=True)
class Office:
    """Who published a disclosure: a town (its id and name) or the county (id "")."""

    id: str
    name: str


@dataclass(frozen=True)
class AllocationView:
    """One village's line of a fund allocation."""

    village: VillageLink
    amount: Decimal
    purpose: str


def _office(site: Site, item: OfficeItem) -> Office:
    """Name the town or the county that published a disclosure."""
    town = site.config.town(item.office) if item.office else None
    return Office(item.office, town.name if town else "")


def office_link(site: Site, item: OfficeItem, today: date) -> OfficeLink:
    """Link to a town's or the county's disclosure, with its notice status as of a day."""
    return OfficeLink(office_item_path(item), item.data.title, item.data.type, item.data.date,
                      notice_view(item.notice, today) if item.notice else None,
                      _office(site, item).name)


def office_links(site: Site, today: date) -> dict[str, OfficeLinks]:
    """Group the towns' and the county's disclosures by who published them, newest first."""
    groups: dict[str, list[OfficeLink]] = {}
    for item in _newest_first(site.offices):
        groups.setdefault(item.office, []).append(office_link(site, item, today))
    return {office: tuple(links) for office, links in groups.items()}


def village_offices(site: Site, today: date) -> dict[str, OfficeLinks]:
    """List, for each village, the town and county disclosures that name it, newest first."""
    groups: dict[str, list[OfficeLink]] = {}
    for item in _newest_first(site.offices):
        for village in item.villages:
            groups.setdefault(village, []).append(office_link(site, item, today))
    return {village: tuple(links) for village, links in groups.items()}


def _newest_first(items: Iterable[OfficeItem]) -> list[OfficeItem]:
    """Order disclosures newest first, then by address, whoever published them."""
    return sorted(items, key=lambda item: (item.data.date, office_item_path(item)), reverse=True)


def office_pages(site: Site, today: date, seals: Seals = NO_SEALS) -> Iterator[Page]:
    """Yield the page of every town and county disclosure, with the villages it names, and
    of each earlier version of one."""
    for item in site.offices:
        yield office_page(site, item, today, seals.records.get(item.source))
        for old in seals.earlier.get(item.source, ()):
            if isinstance(old.disclosure, OfficeItem):
                yield office_page(site, old.disclosure, today, None, old.path,
                                  {"superseded": old.banner})


def office_page(site: Site, item: OfficeItem, today: date, record: Record | None,
                path: str = "", extra: Mapping[str, Any] | None = None) -> Page:
    """Plan a town's or the county's disclosure page (at ``path``: an earlier version's)."""
    names = {village.id: village.info.name for village in site.villages}
    notice = notice_view(item.notice, today) if item.notice else None
    path = path or office_item_path(item)
    # Only the villages not already on the allocation table are listed on their own.
    allocated = {line.village for line in item.data.allocations}
    return Page(path, "office_item.html", {
        "office": _office(site, item), "item": item, "notice": notice, "record": record,
        "superseded": None, **(extra or {}),
        "villages": tuple(VillageLink(v, names.get(v, v)) for v in item.data.villages
                          if v not in allocated),
        "allocations": tuple(AllocationView(VillageLink(line.village,
                                                        names.get(line.village, line.village)),
                                            line.amount, line.purpose)
                             for line in item.data.allocations),
        "allocation_total": sum((line.amount for line in item.data.allocations),
                                Decimal("0.00")),
        "as_of": today if notice is not None and notice.dated else None},
        item.source, qr=path)


# --- the index by term, and the search page without JavaScript ---------------------------------

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
    for item in _newest_first(site.offices):
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
