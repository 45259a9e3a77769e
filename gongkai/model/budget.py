"""The schema of ``finance/<year>-plan.yaml``: a year's 财务收支计划 (the budget) by account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import Field

from gongkai.core.errors import Location
from gongkai.model.fields import Day, LineAmount, Strict, Text

PLAN_SUFFIX = "-plan"  # finance/2026-plan.yaml is the plan of 2026


class PlanLine(Strict):
    """One account's planned amount for the year."""

    account: Text
    amount: LineAmount
    note: str = ""


class Approval(Strict):
    """The meeting that approved the plan, and its 五议 record among the village's affairs."""

    date: Day
    by: Text                     # 村民代表会议, 成员代表大会…
    decision: str | None = None  # the record's file, such as affairs/2026-01-plan.md


class PlanFile(Strict):
    """The contents of ``finance/<year>-plan.yaml``."""

    published: Day
    approved: Approval
    income: list[PlanLine] = Field(default_factory=list)
    expense: list[PlanLine] = Field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class Plan:
    """A village's plan for one year, as loaded and checked, under the chart of its year."""

    village: str
    source: str
    year: int
    data: PlanFile
    chart: str
    decision_slug: str | None = None  # the slug of the affairs record that approved it
    decision_at: Location | None = None  # where the plan names it, for an error

    @property
    def start(self) -> date:
        """Return the first day of the plan's year."""
        return date(self.year, 1, 1)
