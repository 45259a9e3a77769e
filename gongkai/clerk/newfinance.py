"""``gongkai new finance``: a period's ledger, its balance carried from the newest earlier one."""

from __future__ import annotations

import gettext
import unicodedata
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from gongkai.clerk.ledgerfile import (
    carried_balance,
    earlier_periods,
    ledger_heading,
    ledger_text,
    read_mapping,
    scalar,
)
from gongkai.clerk.scaffold import (
    ScaffoldError,
    Written,
    commented,
    find_village,
    refuse_existing,
    write_new,
)
from gongkai.core.dates import Period, parse_period
from gongkai.core.errors import quoted
from gongkai.core.i18n import N_, Msg
from gongkai.model.coa import chart, chart_id_for
from gongkai.model.config import SiteConfig
from gongkai.read.sitefolder import display_path


def published_day(period: Period, due_days: int, today: date) -> date:
    """Pick the posting date to write: today once the period is over, else its due day.

    Writing the due day for a period already over would backdate a late posting, so the
    clerk starting it late gets today; one started early gets the deadline.
    """
    if today > period.end:
        return today
    return period.end + timedelta(days=due_days)


def new_finance(root: Path, config: SiteConfig, village: str, period_name: str, today: date,
                tr: gettext.NullTranslations) -> Written:
    """Write ``finance/<period>.yaml``: the carried opening balance and no lines yet."""
    folder = find_village(root, village)
    period = parse_period(unicodedata.normalize("NFKC", period_name.strip()))
    if period is None:
        raise ScaffoldError(Msg.of(
            N_("expected a period: 2026-01 (a month), 2026-Q1 (a quarter) or 2026 (a year); "
               "found {found}"), found=quoted(period_name)))
    finance = folder / "finance"
    path = finance / f"{period.name}.yaml"
    refuse_existing(root, path)
    _refuse_overlap(root, finance, period)
    text, notes = finance_text(root, config, folder, period, today, tr)
    write_new(path, text)
    return Written(path, notes)


def _refuse_overlap(root: Path, finance: Path, period: Period) -> None:
    """Refuse a period that another ledger already covers, in part or whole."""
    if not finance.is_dir():
        return
    for other in sorted(finance.iterdir()):
        found = parse_period(unicodedata.normalize("NFKC", other.stem))
        if found is None or other.suffix.lower() not in (".yaml", ".yml"):
            continue
        if found.start <= period.end and period.start <= found.end:
            raise ScaffoldError(Msg.of(
                N_("{path} already covers {period} (in whole or in part); Gongkai never "
                   "overwrites a file: edit that one"),
                path=display_path(root, other), period=period.name))


def finance_text(root: Path, config: SiteConfig, folder: Path, period: Period, today: date,
                 tr: gettext.NullTranslations) -> tuple[str, tuple[Msg, ...]]:
    """Return a commented empty ledger for a period, and notes for the terminal."""
    rules = config.rules
    published = published_day(period, rules.finance_due_days, today)
    accounts = chart(chart_id_for(period.start, rules.chart_of_accounts))
    notes: list[Msg] = []
    opening, opening_text, opening_help = _opening(root, folder / "finance", period, notes)
    heading = ledger_heading(folder, period, config.site.language)
    sample_day = min(period.start + timedelta(days=4), period.end).isoformat()
    review_day = max(published - timedelta(days=2), period.end).isoformat()
    supervisors = _supervisors(folder) or ["李芳", "赵强", "孙秀英"]
    text = ledger_text(
        heading=heading, published=published, opening_balance=opening,
        income=(), expense=(), closing_balance=opening,
        comments=commented(
            tr,
            Msg.of(N_("This period runs from {start} to {end}: every line's date must fall "
                      "inside it."), start=period.start.isoformat(), end=period.end.isoformat()),
            Msg(N_("Leave one space after each colon; indent with spaces, never with Tab."))),
        above=_finance_help(tr, period, rules.finance_due_days, today > period.end,
                            accounts.income, accounts.expense, opening_help),
        under={
            "reviewed_by": [f"names: [{', '.join(scalar(s) for s in supervisors)}]",
                            f"date: {review_day}",
                            "opinion: 经审核，收支真实、凭证齐全，同意公开。"],
            "income": [f"- {{date: {sample_day}, category: {accounts.income[0]}, "
                       "item: 集体鱼塘承包费, amount: 12000.00, payer: 承包户陈某, "
                       "voucher: 记-001, source: 集体收入}"],
            "expense": [f"- {{date: {sample_day}, category: {_expense_sample(accounts.expense)}, "
                        "item: 村道坑洼修补, amount: 6260.00, payee: 青山县路桥养护队, "
                        "voucher: 记-002, source: 集体收入}"],
        },
        opening_text=opening_text)
    return text, tuple(notes)


def _finance_help(tr: gettext.NullTranslations, period: Period, due_days: int, over: bool,
                  income: Sequence[str], expense: Sequence[str],
                  opening_help: Msg) -> dict[str, list[str]]:
    """Return the help comments written above each key of a new ledger."""
    why = (Msg(N_("written here as today, since the period is over.")) if over
           else Msg(N_("written here as that day.")))
    return {
        "published": commented(tr, Msg.of(
            N_("The day it is posted (required). It is due by {due} ({days} days after the "
               "period ends: rules.finance_due_days in site_config.yaml); {why} Change it "
               "to the day you post it."),
            due=(period.end + timedelta(days=due_days)).isoformat(), days=due_days, why=why)),
        "prepared_by": commented(tr, Msg(N_("Who prepared it (制表人)."))),
        "reviewed_by": commented(tr, Msg(N_(
            "The review by the village affairs supervisory committee: once reviewed, delete "
            "the “# ” before the three lines below and write who reviewed it, when, and "
            "their opinion."))),
        "opening_balance": commented(tr, opening_help),
        "income": commented(tr, Msg.of(
            N_("Income, one line each: delete the “# ” before the example and write your "
               "own. category is one of the income accounts ({accounts}), by name or code, or "
               "a balance-sheet account for money that only passes through (一事一议资金, "
               "专项应付款…); amount in yuan, above zero; payer: who paid; voucher: the "
               "voucher number."),
            accounts=tuple(income))),
        "expense": commented(tr, Msg.of(
            N_("Expenses, one line each, the same way. category is one of the expense "
               "accounts ({accounts}), or a balance-sheet account (在建工程, 应付福利费…); "
               "payee: whom the village paid."),
            accounts=tuple(expense))),
        "closing_balance": commented(tr, Msg(N_(
            "The closing balance = opening balance + income − expenses. After adding lines, "
            "write the new balance, or delete this line and Gongkai works it out."))),
    }


def _expense_sample(accounts: Sequence[str]) -> str:
    """Pick the account of the sample expense line: 公益支出 where the chart has it."""
    return "公益支出" if "公益支出" in accounts else accounts[-1]


def _supervisors(folder: Path) -> list[str]:
    """Read the names of the village's supervisory committee from village.yaml."""
    people = read_mapping(folder / "village.yaml").get("supervisors")
    if not isinstance(people, list):
        return []
    names = [p.get("name") for p in people if isinstance(p, dict)]
    return [n for n in names if isinstance(n, str) and n]


def _opening(root: Path, finance: Path, period: Period,
             notes: list[Msg]) -> tuple[Decimal | None, str | None, Msg]:
    """Work out the opening balance to write: (amount, word instead of it, its comment)."""
    earlier = earlier_periods(finance, period)
    if not earlier:
        return None, "unknown", Msg(N_(
            "The opening balance (上期结余): this is the village's first period, with none "
            "before it to carry from. Replace unknown with the balance at the start of the "
            "period, in yuan; keep unknown only if it is not known (the page then says so)."))
    last, last_path = earlier[0]
    missing = None
    if last.end + timedelta(days=1) != period.start:
        missing = Msg.of(N_("there is no ledger yet for {start} to {end}"),
                         start=(last.end + timedelta(days=1)).isoformat(),
                         end=(period.start - timedelta(days=1)).isoformat())
        notes.append(Msg.of(N_("{missing}: the opening balance was carried from {path}; "
                               "check it once the missing period is written"),
                            missing=missing, path=display_path(root, last_path)))
    carried = carried_balance(finance, period)
    if carried is None:
        notes.append(Msg.of(N_("the closing balance of {path} cannot be worked out (it has "
                               "errors, or its balance is not known); write the opening "
                               "balance yourself"), path=display_path(root, last_path)))
        return None, None, Msg.of(N_(
            "The opening balance (上期结余): left out, it is the closing balance of {path}, "
            "which cannot be worked out now; write it here if you know it."),
            path=display_path(root, last_path))
    if missing is not None:
        return carried.amount, None, Msg.of(N_(
            "The opening balance (上期结余), taken for now from the closing balance of {path}: "
            "{missing}; check it once that period is written."),
            path=display_path(root, carried.source), missing=missing)
    return carried.amount, None, Msg.of(N_(
        "The opening balance (上期结余), carried from the closing balance of {path}; it must "
        "equal that figure."), path=display_path(root, carried.source))
