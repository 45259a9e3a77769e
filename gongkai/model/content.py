"""The content model: what each file may contain, as typed, validated classes.

Field names follow the content-format contract (shared/spec/content-format.md) and
are stable. Validators raise ``PydanticCustomError`` with a ``gk_*`` type so that
``validation.py`` can explain each problem in the site's language.
"""

from __future__ import annotations

import re
import typing
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from gongkai.core.dates import DateError, Period, parse_date
from gongkai.core.i18n import N_
from gongkai.core.money import MoneyError, parse_money


class Strict(BaseModel):
    """A block of content: unknown keys are errors, numbers are accepted as text."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              coerce_numbers_to_str=True, populate_by_name=True)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_default(cls, value: Any, info: ValidationInfo) -> Any:
        """Treat a key left blank ("income:") like a key left out, where it has a default."""
        field = cls.model_fields.get(info.field_name or "")
        if value is None and field is not None and not field.is_required():
            return field.get_default(call_default_factory=True)
        # Full-width digits are accepted in whole numbers as in amounts and dates.
        if isinstance(value, str) and field is not None and _takes_number(field.annotation):
            return _plain_digits(value) or value
        return value


# A whole number or a decimal as typed with a Chinese input method: ２６８, ３．２.
_NUMBER_TEXT = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")


def _takes_number(annotation: Any) -> bool:
    """Tell whether a field's type is a whole number or a decimal (perhaps optional)."""
    if annotation in (int, Decimal):
        return True
    return any(arg in (int, Decimal) for arg in typing.get_args(annotation))


def _plain_digits(value: str) -> str | None:
    """Return a number typed in full-width digits in ASCII, or None if it is no number."""
    normal = unicodedata.normalize("NFKC", value).strip()
    return normal if _NUMBER_TEXT.fullmatch(normal) else None


def _money(value: object) -> Decimal:
    """Validate an amount of money."""
    try:
        return parse_money(value)
    except MoneyError as exc:
        raise PydanticCustomError("gk_money", exc.reason) from None


def _positive(value: Decimal) -> Decimal:
    """Require a line amount above zero."""
    if value <= 0:
        raise PydanticCustomError("gk_positive", "not positive")
    return value


def _date(value: object) -> date:
    """Validate a calendar date."""
    try:
        return parse_date(value)
    except DateError as exc:
        raise PydanticCustomError("gk_date", str(exc)) from None


def _standard_item(value: object) -> str:
    """Accept one of the sixteen 八有八规范 items by its name."""
    text = str(value).strip()
    if text not in STANDARD:
        raise PydanticCustomError("gk_choice", "unknown", {"choices": STANDARD})
    return text


def _choice(table: dict[str, str]) -> Callable[[object], str]:
    """Build a validator accepting an English id or its Chinese label, returning the id."""
    by_label = {label: key for key, label in table.items()}

    def check(value: object) -> str:
        text = str(value).strip()
        if text in table:
            return text
        if text in by_label:
            return by_label[text]
        raise PydanticCustomError("gk_choice", "unknown", {"choices": tuple(by_label)})

    return check


Money = Annotated[Decimal, BeforeValidator(_money)]
# How a clerk says a first period's opening balance is not known (the sheet does not say).
UNKNOWN_SPELLINGS = frozenset({"unknown", "不详", "未知"})


def _opening(value: object) -> Decimal | str:
    """Validate an opening balance: an amount, or "unknown" (不详) when none was kept."""
    if isinstance(value, str) and value.strip().lower() in UNKNOWN_SPELLINGS:
        return "unknown"
    return _money(value)


Opening = Annotated[Decimal | Literal["unknown"], BeforeValidator(_opening)]
LineAmount = Annotated[Decimal, BeforeValidator(_money), AfterValidator(_positive)]
Day = Annotated[date, BeforeValidator(_date)]
Text = Annotated[str, Field(min_length=1)]

AFFAIRS_TYPES = {"notice": "公示", "decision": "决议", "announcement": "通知",
                 "project": "工程项目", "subsidy": "补助", "other": "其他", "system": "制度"}
PARTY_TYPES = {"party-day": "主题党日", "meetings": "三会一课", "dues": "党费",
               "recruitment": "发展党员", "review": "组织生活", "other": "其他", "system": "制度"}
# The four stages of 发展党员, each announced with its own notice.
RECRUITMENT_STAGES = {"activist": "积极分子", "candidate": "发展对象", "probationary": "预备党员",
                      "full-member": "转正"}
STAGE_NAMES = {"activist": N_("Activist stage"), "candidate": N_("Candidate stage"),
               "probationary": N_("Probationary member stage"),
               "full-member": N_("Full membership stage")}
# Display names go through the catalogs; the Chinese labels above are input spellings.
TYPE_NAMES = {
    "notice": N_("Notice"), "decision": N_("Decision"), "announcement": N_("Announcement"),
    "project": N_("Works project"), "subsidy": N_("Subsidy"), "other": N_("Other"),
    "party-day": N_("Party day"), "meetings": N_("Three meetings and one lecture"),
    "dues": N_("Party dues"), "recruitment": N_("Party recruitment"),
    "review": N_("Organisational life"), "system": N_("Rules and systems"),
}


# --- village.yaml -------------------------------------------------------------------

class Person(Strict):
    """A member of the village committee or the supervisory committee."""

    name: Text
    role: str = ""


class Profile(Strict):
    """The village at a glance (村情概况)."""

    households: int | None = Field(default=None, ge=0)
    population: int | None = Field(default=None, ge=0)
    groups: int | None = Field(default=None, ge=0)
    area_km2: Decimal | None = Field(default=None, ge=0)
    intro: str = ""


class Contacts(Strict):
    """Official phone numbers only: personal numbers are not content."""

    office_phone: str | None = None
    supervision_phone: str | None = None


class Duty(Strict):
    """One day of the cadres' duty roster (干部值班)."""

    day: Text
    name: Text


class Service(Strict):
    """A service residents can use (便民服务), with when and where."""

    name: Text
    when: str = ""
    where: str = ""


Cadence = Literal["monthly", "quarterly", "yearly"]


# The 八有八规范 standard for a village's organisation venue (Dongyang): 8 haves, 8 norms.
EIGHT_HAVES = ("有适度的场所面积", "有标准的三室一栏", "有醒目的标牌标识", "有统一的上墙内容",
               "有完整的电教设备", "有必需的配套设施", "有充足的学习资料", "有齐全的档案资料")
EIGHT_NORMS = ("办公服务规范", "议事决策规范", "学习教育规范", "创业承诺规范", "便民服务规范",
               "三务公开规范", "活动形式规范", "日常管理规范")
STANDARD = EIGHT_HAVES + EIGHT_NORMS
# Display names through the catalogs (the Chinese names are how clerks write the keys).
STANDARD_NAMES = dict(zip(STANDARD, (
    N_("Adequate floor area"), N_("The standard three rooms and one board"),
    N_("Prominent signage"), N_("Uniform wall-posted content"),
    N_("Complete audio-visual equipment"),
    N_("Necessary facilities"), N_("Ample study materials"), N_("Complete archives"),
    N_("Office service norms"), N_("Deliberation and decision norms"),
    N_("Study and education norms"), N_("Pledge norms"), N_("Service-for-residents norms"),
    N_("Three-affairs disclosure norms"), N_("Activity norms"), N_("Daily management norms"),
), strict=True))


class Check(Strict):
    """One item of the 八有八规范 checklist: met or not, a note, an optional photo."""

    met: bool
    note: str = ""
    photo: str | None = None


class Room(Strict):
    """A room of the venue (三室: 党员活动室, 村务办公室, 便民服务室, ...)."""

    name: Text
    area_m2: Decimal | None = Field(default=None, ge=0)


class Venue(Strict):
    """The village's organisation venue: its size, rooms, board and the standard's checklist."""

    area_m2: Decimal | None = Field(default=None, ge=0)
    rooms: list[Room] = []
    board: str = ""
    checklist: dict[Annotated[str, BeforeValidator(_standard_item)], Check] = {}


class VillageCadence(Strict):
    """A village's own disclosure cadence, where it differs from ``rules.cadence``."""

    finance: Cadence | None = None
    affairs: Cadence | None = None
    party: Cadence | None = None


class ExtraStep(Strict):
    """A decision step a village adds to the county's sequence, placed after a named step."""

    step: Text
    after: Text


class VillageFile(Strict):
    """The contents of ``village.yaml``."""

    name: Text
    town: Text
    profile: Profile = Profile()
    committee: list[Person] = []
    supervisors: list[Person] = []
    contacts: Contacts = Contacts()
    office_hours: str = ""
    duty_roster: list[Duty] = []
    services: list[Service] = []
    cadence: VillageCadence = VillageCadence()
    venue: Venue | None = None
    extra_steps: list[ExtraStep] = []


# --- corrections (更正记录), in any disclosure ---------------------------------------

class Correction(Strict):
    """One correction of a sealed disclosure, with the fields of a 更正公告."""

    date: Day
    change: Text       # what changed (更正内容): the old and the new figure or wording
    reason: Text       # why (更正原因)
    approved_by: Text  # who approved it (批准人)


def last_changed(day: date, corrections: Sequence[Correction]) -> date:
    """Return when a disclosure last changed: its newest correction, else its own day."""
    return max(day, corrections[-1].date) if corrections else day


# --- finance/<period>.yaml ----------------------------------------------------------

class Review(Strict):
    """The supervisory committee's review of a disclosure (村务监督委员会审核)."""

    names: list[Text] = Field(min_length=1)
    date: Day | None = None
    opinion: str = ""


# ``category: 管理费用—办公费`` names the account and its sub-account (明细科目) at once,
# as ledgers print them; one or two dashes of any width, or a slash, between the two.
SUB_ACCOUNT_MARK = re.compile(r"\s*(?:[—–－-]{1,2}|[/／])\s*")


class _Line(Strict):
    """Fields shared by income and expense lines."""

    date: Day
    category: Text
    item: Text
    amount: LineAmount
    source: str | None = None
    voucher: str | None = None
    attachments: list[Text] = []
    subaccount: str | None = None  # 明细科目, shown and totalled under its account
    # Sign-off (经手人, 证明人, 审批人); required above rules.signoff_above.
    handled_by: str | None = None
    witnessed_by: str | None = None
    approved_by: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _split_sub_account(cls, value: Any) -> Any:
        """Read ``category: 管理费用—办公费`` as account 管理费用, sub-account 办公费."""
        if not isinstance(value, dict) or value.get("subaccount") is not None:
            return value
        category = value.get("category")
        if not isinstance(category, str):
            return value
        parts = SUB_ACCOUNT_MARK.split(category.strip(), maxsplit=1)
        if len(parts) == 2 and parts[0] and parts[1]:
            return {**value, "category": parts[0], "subaccount": parts[1]}
        return value

    @property
    def signoff(self) -> tuple[tuple[str, str], ...]:
        """Return the sign-off names given, as (field, name) in the order 经手人, 证明人, 审批人."""
        names = (("handled_by", self.handled_by), ("witnessed_by", self.witnessed_by),
                 ("approved_by", self.approved_by))
        return tuple((key, name) for key, name in names if name)


class IncomeLine(_Line):
    """One income transaction."""

    payer: str | None = None


class ExpenseLine(_Line):
    """One expense transaction."""

    payee: str | None = None


class LedgerFile(Strict):
    """The contents of ``finance/<period>.yaml``."""

    published: Day
    notice_until: Day | None = None
    prepared_by: str | None = None
    reviewed_by: Review | None = None
    # Optional after the first period: it is the previous period's closing balance.
    # "unknown" (不详) in a first period whose sheet gives no opening balance.
    opening_balance: Opening | None = None
    income: list[IncomeLine] = []
    expense: list[ExpenseLine] = []
    closing_balance: Money | None = None
    note: str = ""
    # The chart this period was kept under, where it is not the one its dates imply.
    chart_of_accounts: Literal["coa-2024", "coa-2004"] | None = None
    corrections: list[Correction] = []

    @property
    def total_income(self) -> Decimal:
        """Sum the income lines."""
        return sum((line.amount for line in self.income), Decimal("0.00"))

    @property
    def total_expense(self) -> Decimal:
        """Sum the expense lines."""
        return sum((line.amount for line in self.expense), Decimal("0.00"))


# --- affairs/*.md and party/*.md front matter ---------------------------------------

# How a clerk writes that a notice stays up for good (长期公开) instead of an end date.
STANDING_WORDS = ("长期公开", "长期", "standing")


def _end_or_standing(value: object) -> date | str:
    """Accept an end date, or 长期公开 for a notice that stays up for good."""
    if isinstance(value, str) and value.strip() in STANDING_WORDS:
        return "standing"
    return _date(value)


class NoticePeriod(Strict):
    """A 公示 period; ``to`` defaults to ``from`` + ``rules.notice_days`` where the rule says so."""

    start: Day = Field(alias="from")
    end: Annotated[date | str, BeforeValidator(_end_or_standing)] | None = Field(
        default=None, alias="to")


class Step(Strict):
    """One step of a decision record (五议), with its date."""

    step: Text
    date: Day | None = None


class Question(Strict):
    """A resident's question on the 回音壁, with the answer once given."""

    asked: Day
    question: Text
    answer: str = ""
    answered: Day | None = None


class FundSource(Strict):
    """Where part of a project's money comes from (资金来源): 中央, 省, 村自筹, ..."""

    source: Text
    amount: LineAmount


class Milestone(Strict):
    """A dated step of a project's works (开工, 完工, 验收), with optional photos."""

    date: Day
    event: Text
    photos: list[Text] = []


class Project(Strict):
    """A works project: what it costs, who builds it, how far it is."""

    budget: Money | None = None
    contractor: str = ""
    progress: str = ""
    final_cost: Money | None = None
    scope: str = ""        # 建设内容
    location: str = ""     # 地点
    responsible: str = ""  # 责任单位
    funds: list[FundSource] = []
    milestones: list[Milestone] = []


class Recipient(Strict):
    """One household on a subsidy list: name, household size and amount, nothing more."""

    name: Text
    household_size: int = Field(ge=1, le=50)
    amount: LineAmount


class DuesLine(Strict):
    """One member's dues (党费“自报公议”): declared basis, rate, monthly amount, months paid."""

    member: Text
    basis: Money
    rate: Decimal = Field(ge=0, le=Decimal("0.05"))
    monthly: Money
    months: int = Field(ge=0, le=12)
    total: Money


class Meeting(Strict):
    """The record of a 主题党日 or 三会一课 meeting."""

    expected: int | None = Field(default=None, ge=0)
    attended: int | None = Field(default=None, ge=0)
    topic: str = ""


class Attendance(Strict):
    """Who came to a meeting of one group (应到/实到) and, if it voted, how."""

    group: Text
    expected: int | None = Field(default=None, ge=0)
    present: int = Field(ge=0)
    in_favour: int | None = Field(default=None, ge=0, alias="for")
    against: int | None = Field(default=None, ge=0)
    abstain: int | None = Field(default=None, ge=0)

    @property
    def voted(self) -> bool:
        """Tell whether the group's vote is recorded."""
        return any(n is not None for n in (self.in_favour, self.against, self.abstain))


def _one_or_more(value: object) -> object:
    """Accept one name as a list of one."""
    return [value] if isinstance(value, str) else value


class Issued(Strict):
    """The 落款 at the foot of a notice: the issuing bodies, each on its own line, and the date."""

    by: Annotated[list[Text], BeforeValidator(_one_or_more), Field(min_length=1)]
    date: Day | None = None


APPROVAL_STATUSES = {"pending": "待审批", "approved": "已批准", "rejected": "未批准"}


class Approval(Strict):
    """The township's approval of a decision: awaited (待审批), then granted or refused."""

    status: Annotated[str, BeforeValidator(_choice(APPROVAL_STATUSES))]
    by: str = ""
    date: Day | None = None


class _ItemFile(Strict):
    """Front matter shared by village-affairs and party-affairs items."""

    title: Text
    date: Day
    summary: str = ""
    notice: NoticePeriod | None = None
    steps: list[Step] = []
    attachments: list[Text] = []
    questions: list[Question] = []
    attendance: list[Attendance] = []
    issued: Issued | None = None
    approval: Approval | None = None
    pinned: bool = False
    corrections: list[Correction] = []


class AffairsFile(_ItemFile):
    """Front matter of ``affairs/<name>.md`` (村务)."""

    type: Annotated[str, BeforeValidator(_choice(AFFAIRS_TYPES))]
    project: Project | None = None
    recipients: list[Recipient] = []


class PartyFile(_ItemFile):
    """Front matter of ``party/<name>.md`` (党务)."""

    type: Annotated[str, BeforeValidator(_choice(PARTY_TYPES))]
    stage: Annotated[str, BeforeValidator(_choice(RECRUITMENT_STAGES))] | None = None
    meeting: Meeting | None = None
    dues: list[DuesLine] = []


# --- content/_towns/<town-id>/ and content/_county/ -------------------------------

# What a town or the county publishes: its own notices and fund allocations.
OFFICE_TYPES = {"notice": "公示", "announcement": "通知", "allocation": "资金分配",
                "other": "其他"}
TYPE_NAMES["allocation"] = N_("Fund allocation")


class Allocation(Strict):
    """One village's line of a fund allocation (资金分配公示): which village, how much."""

    village: Text
    amount: LineAmount
    purpose: str = ""


class OfficeFile(Strict):
    """Front matter of a town's or the county's ``affairs/`` or ``finance/`` Markdown file."""

    title: Text
    date: Day
    type: Annotated[str, BeforeValidator(_choice(OFFICE_TYPES))]
    summary: str = ""
    notice: NoticePeriod | None = None
    attachments: list[Text] = []
    villages: list[Text] = []
    allocations: list[Allocation] = []
    corrections: list[Correction] = []


# --- assembled site -----------------------------------------------------------------

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
