"""The assembled content: villages, finance periods and disclosures as loaded and checked.

What every stage after ``load`` reads; the file schemas they hold are in ``fields``,
``village``, ``finance`` and ``disclosure``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from gongkai.core.dates import Period
from gongkai.core.i18n import N_
from gongkai.model.budget import Plan
from gongkai.model.disclosure import AffairsFile, OfficeFile, PartyFile
from gongkai.model.finance import LedgerFile
from gongkai.model.labels import TYPE_NAMES
from gongkai.model.village import VillageFile

TYPE_NAMES["allocation"] = N_("Fund allocation")


Kind = Literal["affairs", "party"]


@dataclass(frozen=True)
class Notice:
    """A resolved 公示 period."""

    start: date
    end: date
    by_rule: int | None = None  # rules.notice_days, when the end comes from the rule

    def status(self, today: date) -> str:
        """Return "upcoming", "open" or "closed" as of a day."""
        if today < self.start:
            return "upcoming"
        return "open" if today <= self.end else "closed"


@dataclass(frozen=True)
class OpenNotice:
    """A 公示 with no end: standing (长期公开), or no end stated and no rule to apply."""

    start: date
    standing: bool

    def status(self, today: date) -> str:
        """Return "upcoming", then "standing" or "unended" (no end date to pass)."""
        if today < self.start:
            return "upcoming"
        return "standing" if self.standing else "unended"


@dataclass(frozen=True)
class Ledger:
    """One finance period of one village; ``opening`` is resolved along the chain (None
    when it is not known)."""

    village: str
    source: str
    period: Period
    data: LedgerFile
    notice: Notice
    note_html: str = ""
    opening: Decimal | None = Decimal("0.00")
    chart: str = "coa-2024"
    links: tuple[tuple[str, int], ...] = ()  # the note's links to the site: (address, line)
    content: str = ""  # the digest of what it discloses, as the seal log records it

    @property
    def closing(self) -> Decimal | None:
        """Return opening + income - expense; with the opening unknown, the closing
        balance the sheet states, else None (not known either)."""
        if self.opening is None:
            return self.data.closing_balance
        return self.opening + self.data.total_income - self.data.total_expense


@dataclass(frozen=True)
class Item:
    """One village-affairs or party-affairs disclosure."""

    village: str
    kind: Kind
    slug: str
    source: str
    data: AffairsFile | PartyFile
    html: str
    notice: Notice | OpenNotice | None
    links: tuple[tuple[str, int], ...] = ()  # the body's links to the site: (address, line)
    content: str = ""  # the digest of what it discloses, as the seal log records it


@dataclass(frozen=True)
class Village:
    """One village with everything it has disclosed, newest first."""

    id: str
    source: str
    info: VillageFile
    ledgers: tuple[Ledger, ...]
    affairs: tuple[Item, ...]
    party: tuple[Item, ...]
    plans: tuple[Plan, ...] = ()  # the year plans (财务收支计划), oldest year first


OfficeKind = Literal["affairs", "finance"]


@dataclass(frozen=True)
class OfficeItem:
    """A disclosure of a town (``office`` is its id) or of the county (``office`` is "")."""

    office: str
    kind: OfficeKind
    slug: str
    source: str
    data: OfficeFile
    html: str
    notice: Notice | OpenNotice | None
    links: tuple[tuple[str, int], ...] = ()  # the body's links to the site: (address, line)
    content: str = ""  # the digest of what it discloses, as the seal log records it

    @property
    def villages(self) -> tuple[str, ...]:
        """Return the ids of the villages it concerns, named or allocated to, once each."""
        named = [*self.data.villages, *(line.village for line in self.data.allocations)]
        return tuple(dict.fromkeys(named))
