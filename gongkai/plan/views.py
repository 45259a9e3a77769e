"""What pages show: view records built from the model, and the rules applied for them.

Plain frozen values, so that a page's context fingerprints the same in every run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from gongkai.check.affairs import answer_late, share, step_checks, waiting_days
from gongkai.check.schedule import Duty, KindSummary
from gongkai.core.dates import Period
from gongkai.load.site import Site
from gongkai.model.addresses import item_path, ledger_path
from gongkai.model.content import Item, Ledger, Notice, OpenNotice, Village
from gongkai.model.disclosure import Approval, Attendance, Issued, Question, Step
from gongkai.read.sitefolder import CONFIG_FILE

T = TypeVar("T")


CONFIG_SOURCE = CONFIG_FILE  # the source named for the site-wide and town pages


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


def signage(site: Site, village: Village) -> Signage:
    """Collect the header and phones of a village's pages."""
    town = site.config.town(village.info.town)
    contacts = village.info.contacts
    return Signage(village.id, village.info.name, town.name if town else "",
                   contacts.office_phone, contacts.supervision_phone,
                   town.supervision_phone if town else None, town.id if town else "")


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


def ledger_link(ledger: Ledger) -> LedgerLink:
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


def newest_as_of(today: date, links: Iterable[object]) -> date | None:
    """Return the day when any linked notice's status changes with the date, else None."""
    dated = any(isinstance(link, ItemLink) and link.notice is not None and link.notice.dated
                for link in links)
    return today if dated else None


def posted_year(link: ItemLink) -> int:
    """Return the year a disclosure was posted."""
    return link.posted.year


def by_year(entries: Iterable[T],
            year: Callable[[T], int]) -> tuple[tuple[int, tuple[T, ...]], ...]:
    """Group newest-first entries by year, keeping their order."""
    groups: dict[int, list[T]] = {}
    for entry in entries:
        groups.setdefault(year(entry), []).append(entry)
    return tuple((number, tuple(group)) for number, group in groups.items())
