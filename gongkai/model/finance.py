"""The schema of ``finance/<period>.yaml``, and of the corrections (更正记录) of any disclosure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, model_validator

from gongkai.model.fields import Day, LineAmount, Money, Opening, Stated, Strict, Text


class Correction(Strict):
    """One correction of a sealed disclosure, with the fields of a 更正公告."""

    date: Day
    change: Stated       # what changed (更正内容): the old and the new figure or wording
    reason: Stated       # why (更正原因)
    approved_by: Stated  # who approved it (批准人)


def last_changed(day: date, corrections: Sequence[Correction]) -> date:
    """Return when a disclosure last changed: its newest correction, else its own day."""
    return max(day, corrections[-1].date) if corrections else day


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
