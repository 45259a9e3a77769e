"""The front matter of Markdown disclosures: village and party affairs, town and county."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field

from gongkai.model.fields import Day, LineAmount, Money, Strict, Text, choice, day_value
from gongkai.model.finance import Correction
from gongkai.model.labels import AFFAIRS_TYPES, APPROVAL_STATUSES, PARTY_TYPES, RECRUITMENT_STAGES
from gongkai.model.notices import AmountLine, RespondBy

# How a clerk writes that a notice stays up for good (长期公开) instead of an end date.
STANDING_WORDS = ("长期公开", "长期", "standing")


def _end_or_standing(value: object) -> date | str:
    """Accept an end date, or 长期公开 for a notice that stays up for good."""
    if isinstance(value, str) and value.strip() in STANDING_WORDS:
        return "standing"
    return day_value(value)


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


class Approval(Strict):
    """The township's approval of a decision: awaited (待审批), then granted or refused."""

    status: Annotated[str, BeforeValidator(choice(APPROVAL_STATUSES))]
    by: str = ""
    date: Day | None = None


class NoticeFile(Strict):
    """Front matter every disclosure in Markdown shares, a village's, a town's or the county's."""

    title: Text
    date: Day
    doc_no: str = ""  # 文号, e.g. 潼组通〔2014〕85号
    summary: str = ""
    notice: NoticePeriod | None = None
    respond_by: RespondBy | None = None
    amounts: list[AmountLine] = []
    attachments: list[Text] = []
    issued: Issued | None = None
    corrections: list[Correction] = []


class _ItemFile(NoticeFile):
    """Front matter shared by village-affairs and party-affairs items."""

    steps: list[Step] = []
    questions: list[Question] = []
    attendance: list[Attendance] = []
    approval: Approval | None = None
    pinned: bool = False


class AffairsFile(_ItemFile):
    """Front matter of ``affairs/<name>.md`` (村务)."""

    type: Annotated[str, BeforeValidator(choice(AFFAIRS_TYPES))]
    project: Project | None = None
    recipients: list[Recipient] = []


class PartyFile(_ItemFile):
    """Front matter of ``party/<name>.md`` (党务)."""

    type: Annotated[str, BeforeValidator(choice(PARTY_TYPES))]
    stage: Annotated[str, BeforeValidator(choice(RECRUITMENT_STAGES))] | None = None
    meeting: Meeting | None = None
    dues: list[DuesLine] = []


# What a town or the county publishes: every kind a village does, and fund allocations.
OFFICE_TYPES = {**AFFAIRS_TYPES, **PARTY_TYPES, "allocation": "资金分配"}


class Allocation(Strict):
    """One village's line of a fund allocation (资金分配公示): which village, how much."""

    village: Text
    amount: LineAmount
    purpose: str = ""


class OfficeFile(NoticeFile):
    """Front matter of a town's or the county's ``affairs/`` or ``finance/`` Markdown file."""

    type: Annotated[str, BeforeValidator(choice(OFFICE_TYPES))]
    villages: list[Text] = []
    allocations: list[Allocation] = []
