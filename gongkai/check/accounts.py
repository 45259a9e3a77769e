"""Which account a finance line names, checked against the chart of its own period.

A line names its account by code (``502``), by name (``经营支出``) or by both; the code is
read in the period's chart only. Cash received may go to an income account or through
the balance sheet (a fund raised, a grant held for a project, a debt settled); cash paid
to an expense or cost account or through the balance sheet. A refused name says where it
belongs: a 明细科目 written as the account, an account of the other chart, a code that
means another account there. A line that reads like a balance-sheet flow filed as income
is warned about.
"""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.core.errors import Report, quoted, suggestion
from gongkai.core.i18n import N_, Msg
from gongkai.model.coa import CHARTS, SIDE_CLASSES, Account, Chart, Hint, chart
from gongkai.model.finance import ExpenseLine, IncomeLine, LedgerFile
from gongkai.read.source import Positions
from gongkai.read.yamlfile import dotted

Line = IncomeLine | ExpenseLine
SIDE_KINDS = {
    "income": N_("an income account of the chart {chart} ({choices}) or one of its asset, "
                 "liability or equity accounts"),
    "expense": N_("an expense account of the chart {chart} ({choices}) or one of its asset, "
                  "liability, equity or cost accounts")}
CLASS_NAMES = {"asset": N_("an asset account"), "liability": N_("a liability account"),
               "equity": N_("an equity account"), "cost": N_("a cost account"),
               "income": N_("an income account"), "expense": N_("an expense account")}
# How to choose between the accounts a name may belong under (the ``choose`` of a hint).
CHOICES = {
    "contract_split": N_("coa-2024 split 发包及上交收入 by its economic substance: 承包金 and "
                         "rents (the use of collective land or assets) go under 经营收入; profits "
                         "handed over by a village enterprise, and dividends, under 投资收益."),
    "repair": N_("Ask what was repaired: an asset used in operations, one used for management, "
                 "or a public-welfare facility, in the order the accounts are listed."),
    "depreciation": N_("Depreciation goes by the asset's use: production, management or "
                       "public welfare, in the order the accounts are listed (2004 text, "
                       "三（二）152 二)."),
    "utilities": N_("Ask what the power and water were for: the village office, an operation "
                    "(such as a rented building), or public facilities such as street lights, "
                    "in the order the accounts are listed."),
    "labour": N_("Charge the pay to what the work was for: management, a construction project "
                 "or production, in the order the accounts are listed; pay owed to temporary "
                 "workers passes through 应付款 or 内部往来 (2004 text, 三（二）211 一)."),
    "donation_2004": N_("In coa-2004 a donation received is no income: it goes to 公积公益金 "
                        "(二（二十四）and 三（二）311 二 of the text)."),
    "donation_2024": N_("Not confirmed for coa-2024 (its text was not read): a donation most "
                        "likely still goes to 公积公益金, as in 2004; ask the township's rural "
                        "economy office before filing it under 其他收入."),
    "land_2004": N_("In coa-2004 land compensation (征用土地补偿费) goes to 公积公益金, not to "
                    "income (二（二十四）of the text); the part owed to households passes "
                    "through 应付款 or 内部往来."),
    "land_2024": N_("Not confirmed for coa-2024: 公积公益金, as in 2004, is the likely account; "
                    "the part owed to households passes through 应付款 or 内部往来."),
    "raise": N_("Money raised from households by 一事一议 is no income: it is held in 一事一议资金 "
                "(a liability) until the project uses it (2004 text, 三（二）231)."),
    "special_2004": N_("A state grant for a specific purpose goes to 241 专项应付款 if the village "
                       "added that account (三（一）附注 of the 2004 text), else to 补助收入."),
    "special_2024": N_("A government grant for a specific project, to be accounted for when it "
                       "is done, is held in 专项应付款 until it is spent: it is no income."),
    "welfare_2004": N_("In coa-2004 spending on 五保户, families in hardship, 烈军属, family "
                       "planning and work injuries goes through 应付福利费, a liability funded "
                       "from 收益分配 (三（二）212 一); other public-welfare spending goes under "
                       "其他支出."),
    "welfare_2024": N_("coa-2024 deleted 应付福利费: such spending is 公益支出."),
    "tax_2004": N_("coa-2004 has no tax account: taxes of an operation go under 经营支出, others "
                   "under 管理费用 (the text names neither)."),
    "farm_tax": N_("coa-2024 deleted 农业税附加返还收入 (the agricultural tax is abolished); a "
                   "refund of that kind is 补助收入 (an inference, not the text)."),
    "loan": N_("Borrowed money is no income, and repaying it no expense: both go through "
               "短期借款 (up to a year) or 长期借款及应付款; only the interest is an expense."),
    "deposit": N_("Deposits, and money collected for others, are owed back: they pass through "
                  "应付款."),
    "settled": N_("Money owed to the village from before (a past year's 承包费, a loan repaid) "
                  "settles 内部往来 (households and the village's own units) or 应收款 (others): "
                  "it was income when it fell due."),
}


def check_accounts(data: LedgerFile, book: Chart, positions: Positions, report: Report,
                   added: Sequence[str] = ()) -> LedgerFile:
    """Report lines whose account the period's chart refuses; return the ledger with each
    line's account written by its name (``502`` becomes 经营支出 in a 2004 period)."""
    sides: dict[str, list[Line]] = {"income": [], "expense": []}
    written: tuple[tuple[str, Sequence[Line]], ...] = (("income", data.income),
                                                       ("expense", data.expense))
    for side, lines in written:
        for index, line in enumerate(lines):
            account = accept_account(line.category, side, book, added, positions, report,
                                (side, index, "category"))
            sides[side].append(line if account is None or account.name == line.category
                               else line.model_copy(update={"category": account.name}))
    resolved = data.model_copy(update=sides)
    warn_flows(resolved, book, positions, report, added)
    return resolved


def accept_account(written: str, side: str, book: Chart, added: Sequence[str],
              positions: Positions, report: Report, path: tuple[str | int, ...]) -> Account | None:
    """Return the account a line (or a plan) names if the chart accepts it on this side,
    else report why."""
    account = book.find(written)
    if account is not None and account.optional and account.code not in added:
        message = Msg.of(
            N_("{label} is an account a village may add to {chart} (三（一）附注 of the 2004 "
               "text); if this village added it, list it in site_config.yaml: “rules: "
               "{{added_accounts: [{code}]}}”"), label=account.label, chart=book.id,
            code=account.code)
    elif account is not None and account.cls in SIDE_CLASSES[side]:
        return account
    else:
        message = _refusal(written, side, book, account)
    report.error(positions.locate(path), message, dotted(path))
    return None


def _expected(side: str, book: Chart) -> Msg:
    """Describe what a line of this side may name."""
    return Msg.of(SIDE_KINDS[side], chart=book.id, choices=book.accounts(side))


def _refusal(written: str, side: str, book: Chart, account: Account | None) -> Msg:
    """Say why a line's account is refused, and where it belongs."""
    expected, found = _expected(side, book), quoted(written)
    if account is not None:  # an account of the chart, of a class this side cannot take
        return Msg.of(N_("expected {expected}, found {found}: in {chart} that is {label}, "
                         "{kind}{other}"), expected=expected, found=found, chart=book.id,
                      label=account.label, kind=Msg.of(CLASS_NAMES[account.cls]),
                      other=_other_meaning(written, book))
    hint = book.hint_for(written)
    if hint is not None:
        return _sub_hint(expected, written, hint, book)
    code, _space, name = written.strip().partition(" ")
    by_code, by_name = book.by_code(code), book.by_name(name.strip())
    if by_code is not None and by_name is not None:
        return Msg.of(N_("expected {expected}, found {found}: in {chart}, {code} is {code_name} "
                         "and {name} is {name_code}; write the code or the name of the one you "
                         "mean"), expected=expected, found=found, chart=book.id, code=code,
                      code_name=by_code.name, name=by_name.name, name_code=by_name.code)
    return _other_chart(expected, written, book) or _unknown(expected, written, side, book)


def _sub_hint(expected: Msg, written: str, hint: Hint, book: Chart) -> Msg:
    """Name the account (or the accounts) a 明细科目 written as the account belongs under."""
    accounts = tuple(label for label in (_label(book, code) for code in hint.accounts) if label)
    why = Msg.of(CHOICES[hint.choose]) if hint.choose else ""
    if len(accounts) == 1:
        account = book.by_code(hint.accounts[0])
        name = account.name if account else accounts[0]
        sub = hint.sub or written
        return Msg.of(N_("expected {expected}, found {found}; did you mean {account} "
                         "(sub-account: {sub})? {why}Write “category: {account}” and "
                         "“subaccount: {sub}”"), expected=expected, found=quoted(written),
                      account=name, sub=sub, why=_sentence(why))
    return Msg.of(N_("expected {expected}, found {found}: it belongs under one of {accounts}. "
                     "{why}Write that account as “category: …” and “subaccount: {sub}”"),
                  expected=expected, found=quoted(written), accounts=accounts,
                  why=_sentence(why), sub=hint.sub or written)


def _sentence(why: Msg | str) -> Msg | str:
    """Follow an explanation with a space, so that the next sentence stands apart."""
    return Msg.of(N_("{why} "), why=why) if why else ""


def _label(book: Chart, code: str) -> str:
    """Return an account's code and name, as a hint lists it."""
    account = book.by_code(code)
    return account.label if account else ""


def _other_chart(expected: Msg, written: str, book: Chart) -> Msg | None:
    """Say what a name or code of the other chart is there, and where it went in this one."""
    for other_id in CHARTS:
        other = chart(other_id)
        account = other.find(written) if other_id != book.id else None
        if account is None:
            continue
        hint = next((h for h in book.from_other if account.name in h.names), None)
        codes = hint.accounts if hint else _counterparts(account, other, book)
        where = tuple(label for label in (_label(book, code) for code in codes) if label)
        why = Msg.of(CHOICES[hint.choose]) if hint and hint.choose else ""
        if not where:
            return Msg.of(N_("expected {expected}, found {found}: that is {label} of the chart "
                             "{other}, not of {chart}, the chart of this period, which has no "
                             "such account"), expected=expected, found=quoted(written),
                          label=account.label, other=other.id, chart=book.id)
        return Msg.of(N_("expected {expected}, found {found}: that is {label} of the chart "
                         "{other}, not of {chart}, the chart of this period; in {chart} write "
                         "{where}{why}"), expected=expected, found=quoted(written),
                      label=account.label, other=other.id, chart=book.id, where=where,
                      why=Msg.of(N_(". {why}"), why=why) if why else "")
    return None


def _counterparts(account: Account, other: Chart, book: Chart) -> tuple[str, ...]:
    """Return the codes of ``book`` that continue an account of ``other``: by the 2024
    chart's ``from_2004``, else by the same name."""
    if other.id == "coa-2004":
        codes = tuple(a.code for a in book.all_accounts if account.code in a.from_2004)
    else:
        codes = account.from_2004
    if codes:
        return codes
    same = book.by_name(account.name)
    return (same.code,) if same else ()


def _other_meaning(written: str, book: Chart) -> Msg | str:
    """Say what a code written alone means in the other chart, where it differs."""
    for other_id in CHARTS:
        other = chart(other_id).by_code(written.strip()) if other_id != book.id else None
        here = book.by_code(written.strip())
        if other is not None and here is not None and other.name != here.name:
            return Msg.of(N_(" (in {other}, {code} is {name})"), other=other_id,
                          code=other.code, name=other.name)
    return ""


def _unknown(expected: Msg, written: str, side: str, book: Chart) -> Msg:
    """Describe a name no chart knows, with the closest name this side accepts."""
    names = [a.name for a in book.all_accounts if a.cls in SIDE_CLASSES[side]
             and not a.optional]
    close = suggestion(written, names)
    if close:
        return Msg.of(N_("expected {expected}, found {found}; did you mean “{close}”?"),
                      expected=expected, found=quoted(written), close=close)
    return Msg.of(N_("expected {expected}, found {found}"), expected=expected,
                  found=quoted(written))


def warn_flows(data: LedgerFile, book: Chart, positions: Positions, report: Report,
               added: Sequence[str] = ()) -> None:
    """Warn about a line filed under a 收益 account that reads like a balance-sheet flow
    (money raised, a grant for a project, a loan, a deposit): 是不是要写 专项应付款？"""
    for side, lines in (("income", data.income), ("expense", data.expense)):
        for index, line in enumerate(lines):
            if book.class_of(line.category) != side:
                continue
            text = f"{line.category}{line.subaccount or ''}{line.item}"
            for hint in book.flow_words.get(side, ()):
                target = book.by_code(hint.accounts[0])
                if target is None or (target.optional and target.code not in added):
                    continue
                if any(word in text for word in hint.names):
                    report.warning(positions.locate((side, index, "category")), Msg.of(
                        N_("this line is filed under {account}, {kind}, but reads like money "
                           "passing through the balance sheet: is it {target} ({code})? {why}"
                           "If so, write “category: {target}”; if it is the village's own "
                           "income or expense, leave it"), account=line.category,
                        kind=Msg.of(CLASS_NAMES[side]), target=target.name, code=target.code,
                        why=_sentence(Msg.of(CHOICES[hint.choose]) if hint.choose else "")),
                        dotted((side, index, "category")))
                    break
