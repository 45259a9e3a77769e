"""Charts of accounts: which account names a finance line may use.

Each chart is a data file in ``gongkai/accounts/``, named by its id, so a new edition of
the accounting rules is a new file rather than a code change. A period is checked
against the chart in force when it began, unless the site or the ledger names one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Chart:
    """One chart of accounts: its income and expense accounts, in their official order."""

    id: str
    name: str
    effective: date
    income: tuple[str, ...]
    expense: tuple[str, ...]
    # 明细科目 clerks often write as the account: sub-account name -> its account.
    common_subs: tuple[tuple[str, str], ...] = field(default=())

    def accounts(self, side: str) -> tuple[str, ...]:
        """Return the accounts of one side, "income" or "expense"."""
        return self.income if side == "income" else self.expense

    def account_of_sub(self, side: str, name: str) -> str | None:
        """Return the account of one side that a common sub-account name belongs under."""
        accounts = self.accounts(side)
        return next((account for sub, account in self.common_subs
                     if sub == name and account in accounts), None)


CHARTS = ("coa-2024", "coa-2004")


@cache
def chart(chart_id: str) -> Chart:
    """Load a chart of accounts shipped with Gongkai."""
    text = (resources.files("gongkai.accounts") / f"{chart_id}.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    common = data.get("common_sub_accounts") or {}
    subs = tuple((sub, account) for account, names in common.items() for sub in names)
    return Chart(data["id"], data["name"], data["effective"], tuple(data["income"]),
                 tuple(data["expense"]), subs)


def chart_id_for(start: date, site_choice: str | None = None,
                 ledger_choice: str | None = None) -> str:
    """Pick the chart a period is kept under: the ledger's, else the site's, else the
    newest chart in force when the period began (the oldest for periods before any)."""
    if ledger_choice:
        return ledger_choice
    if site_choice:
        return site_choice
    charts = sorted((chart(chart_id) for chart_id in CHARTS), key=lambda c: c.effective)
    in_force = [c for c in charts if c.effective <= start]
    return (in_force[-1] if in_force else charts[0]).id
