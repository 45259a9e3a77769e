"""Charts of accounts: which account names a finance line may use.

Each chart is a data file in ``gongkai/accounts/``, named by its id, so a new edition of
the accounting rules is a new file rather than a code change.
"""

from __future__ import annotations

from dataclasses import dataclass
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

    def accounts(self, side: str) -> tuple[str, ...]:
        """Return the accounts of one side, "income" or "expense"."""
        return self.income if side == "income" else self.expense


CHARTS = ("coa-2024", "coa-2004")


@cache
def chart(chart_id: str) -> Chart:
    """Load a chart of accounts shipped with Gongkai."""
    text = (resources.files("gongkai.accounts") / f"{chart_id}.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return Chart(data["id"], data["name"], data["effective"], tuple(data["income"]),
                 tuple(data["expense"]))
