"""Charts of accounts: every account of each official system, by code, name and class.

Each chart is a data file in ``gongkai/accounts/``, named by its id, so a new edition of
the accounting rules is a new file rather than a code change. A period is checked
against the chart in force when it began, unless the site or the ledger names one; a
code is looked up in that chart only, since the two charts give some codes to different
accounts (502 is 经营支出 in 2004 and 投资收益 in 2024).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

# The classes of account: the last two make the year's 收益 (income statement); lines on
# the others move cash through the balance sheet (and 成本类, which becomes an asset).
CLASSES = ("asset", "liability", "equity", "cost", "income", "expense")
PNL = frozenset({"income", "expense"})
# Which classes a line of each side may use: cash in (income) or cash out (expense).
SIDE_CLASSES = {"income": frozenset({"income", "asset", "liability", "equity"}),
                "expense": frozenset({"expense", "cost", "asset", "liability", "equity"})}


@dataclass(frozen=True)
class Account:
    """One account: its code, name and class, and the 二级科目 its text names."""

    code: str
    name: str
    cls: str
    where: str = ""
    sub_accounts: tuple[str, ...] = ()
    optional: bool = False  # one a village may add (2004's 附注): accepted once added
    from_2004: tuple[str, ...] = ()  # the coa-2004 codes it continues (coa-2024 only)

    @property
    def label(self) -> str:
        """Return the code and the name, as ledgers print them: ``502 经营支出``."""
        return f"{self.code} {self.name}"


@dataclass(frozen=True)
class Hint:
    """Names a clerk writes in place of an account, the accounts they belong under, the
    二级科目 to write, and which explanation of how to choose (``choose``) applies."""

    names: tuple[str, ...]
    accounts: tuple[str, ...]
    sub: str | None = None
    choose: str | None = None


@dataclass(frozen=True)
class Chart:
    """One chart of accounts: every account in its official order, and the hints."""

    id: str
    name: str
    effective: date
    all_accounts: tuple[Account, ...]
    source: str = ""
    common: tuple[Hint, ...] = ()
    from_other: tuple[Hint, ...] = ()
    flow_words: Mapping[str, tuple[Hint, ...]] = field(default_factory=dict)

    @property
    def income(self) -> tuple[str, ...]:
        """Return the names of the income accounts (损益类收入), in the chart's order."""
        return tuple(a.name for a in self.all_accounts if a.cls == "income" and not a.optional)

    @property
    def expense(self) -> tuple[str, ...]:
        """Return the names of the expense accounts (损益类支出), in the chart's order."""
        return tuple(a.name for a in self.all_accounts if a.cls == "expense" and not a.optional)

    @property
    def order(self) -> tuple[str, ...]:
        """Return every account name: 收益 income and expense first, then the others."""
        pnl = [a.name for a in self.all_accounts if a.cls in PNL]
        return (*pnl, *(a.name for a in self.all_accounts if a.cls not in PNL))

    def accounts(self, side: str) -> tuple[str, ...]:
        """Return the 收益 accounts of one side, "income" or "expense"."""
        return self.income if side == "income" else self.expense

    def by_code(self, code: str) -> Account | None:
        """Return the account with this code, if the chart has one."""
        return next((a for a in self.all_accounts if a.code == code), None)

    def by_name(self, name: str) -> Account | None:
        """Return the account with this name, if the chart has one."""
        return next((a for a in self.all_accounts if a.name == name), None)

    def find(self, written: str) -> Account | None:
        """Return the account a line names: by code (``502``), by name (``经营支出``) or by
        both (``502 经营支出``, when they agree); None when the chart has no such account."""
        text = written.strip()
        found = self.by_code(text) or self.by_name(text)
        if found is not None:
            return found
        code, _space, name = text.partition(" ")
        account = self.by_code(code)
        return account if account is not None and account.name == name.strip() else None

    def class_of(self, name: str) -> str:
        """Return the class of an account by its name ("" for one the chart lacks)."""
        account = self.by_name(name)
        return account.cls if account else ""

    def hint_for(self, name: str) -> Hint | None:
        """Return the hint for a name clerks write in place of an account, if any."""
        return next((hint for hint in self.common if name in hint.names), None)


CHARTS = ("coa-2024", "coa-2004")


def _account(entry: Mapping[str, Any], optional: bool = False) -> Account:
    """Read one account entry of a chart file."""
    return Account(str(entry["code"]), entry["name"], entry["class"], entry.get("where", ""),
                   tuple(entry.get("sub_accounts") or ()), optional,
                   tuple(entry.get("from_2004") or ()))


def _hints(entries: Iterable[Mapping[str, Any]]) -> tuple[Hint, ...]:
    """Read a list of hints of a chart file (``names``, or one ``name``, or ``words``)."""
    return tuple(Hint(tuple(entry.get("names") or entry.get("words") or [entry.get("name")]),
                      tuple(entry.get("accounts") or [entry["account"]]), entry.get("sub"),
                      entry.get("choose"))
                 for entry in entries)


@cache
def chart(chart_id: str) -> Chart:
    """Load a chart of accounts shipped with Gongkai."""
    text = (resources.files("gongkai.accounts") / f"{chart_id}.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    accounts = (*(_account(entry) for entry in data["accounts"]),
                *(_account(entry, True) for entry in data.get("optional_accounts") or ()))
    words = data.get("flow_words") or {}
    return Chart(data["id"], data["name"], data["effective"], accounts, data.get("source", ""),
                 _hints(data.get("common_names") or ()), _hints(data.get("from_other") or ()),
                 {side: _hints(words.get(side) or ()) for side in ("income", "expense")})


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


def optional_account(written: str) -> Account | None:
    """Return the optional account (2004's 附注) a site's ``rules.added_accounts`` names."""
    for chart_id in CHARTS:
        found = chart(chart_id).find(written)
        if found is not None and found.optional:
            return found
    return None
