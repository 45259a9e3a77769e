"""The two charts of accounts in full: every account by code and by name, in its own
period's chart, and refused with a hint in the other's; balance-sheet flows on cash lines."""

from __future__ import annotations

import pytest

from gongkai.core.dates import parse_period
from gongkai.core.errors import Report
from gongkai.core.i18n import translations
from gongkai.load.disclosures import parse_ledger
from gongkai.model.coa import SIDE_CLASSES, chart
from gongkai.model.config import Rules

PERIODS = {"coa-2004": "2023-12", "coa-2024": "2025-03"}
OTHER = {"coa-2004": "coa-2024", "coa-2024": "coa-2004"}


def ledger_text(period: str, side: str, category: str, item: str = "一笔") -> str:
    """One period with a single line on one side."""
    day = f"{period}-10"
    line = f"  - {{date: {day}, category: \"{category}\", item: {item}, amount: 100.00}}\n"
    return (f"published: {day}\nreviewed_by: {{names: [李芳]}}\nopening_balance: 0.00\n"
            f"{side}:\n{line}")


def problems(period: str, side: str, category: str, item: str = "一笔",
             added: tuple[str, ...] = ()) -> tuple[list[str], list[str], str]:
    """Parse a one-line period; return its errors, warnings (zh-CN) and resolved account."""
    report = Report()
    found = parse_period(period)
    assert found is not None
    loaded = parse_ledger(ledger_text(period, side, category, item), report,
                          display="f.yaml", village="v", period=found,
                          rules=Rules(added_accounts=list(added)))
    tr = translations("zh-CN")
    lines = getattr(loaded.ledger.data, side) if loaded else []
    return ([p.message.render(tr) for p in report.errors],
            [p.message.render(tr) for p in report.warnings],
            lines[0].category if lines else "")


def every_account():
    """Yield (chart id, account) for every account of both charts (optional ones too)."""
    for chart_id in PERIODS:
        for account in chart(chart_id).all_accounts:
            yield pytest.param(chart_id, account, id=f"{chart_id}-{account.code}")


def side_of(cls: str) -> str:
    """Pick the side a line on an account of this class goes on."""
    return "income" if cls in SIDE_CLASSES["income"] else "expense"


def test_the_charts_have_the_accounts_the_texts_count():
    old, new = chart("coa-2004"), chart("coa-2024")
    assert len([a for a in old.all_accounts if not a.optional]) == 33
    assert [a.label for a in old.all_accounts if a.optional] == [
        "161 无形资产", "171 拨付所属单位资金", "241 专项应付款"]
    assert len(new.all_accounts) == 42
    assert [old.by_code(code).name for code in ("541", "551", "561")] == [
        "管理费用", "其他支出", "投资收益"]
    assert old.by_code("511").sub_accounts == ("承包金", "企业上交利润")
    assert old.by_name("农业税附加返还收入").cls == "income"
    assert (old.by_code("502").name, new.by_code("502").name) == ("经营支出", "投资收益")


@pytest.mark.parametrize(("chart_id", "account"), list(every_account()))
def test_every_account_is_accepted_by_code_and_by_name_in_its_chart(chart_id, account):
    side = side_of(account.cls)
    added = (account.code,) if account.optional else ()
    for written in (account.code, account.name, account.label):
        errors, _warnings, resolved = problems(PERIODS[chart_id], side, written, added=added)
        assert (errors, resolved) == ([], account.name), written


@pytest.mark.parametrize(("chart_id", "account"), list(every_account()))
def test_every_account_missing_from_the_other_chart_is_refused_with_a_hint(chart_id, account):
    other = chart(OTHER[chart_id])
    same = other.by_name(account.name)
    side = side_of(account.cls)
    errors, _warnings, _resolved = problems(PERIODS[other.id], side, account.name)
    if same is not None and not same.optional:
        assert errors == []  # the same account in both charts
        return
    assert len(errors) == 1
    # Either the account of the other chart is named, or a hint names where it belongs.
    assert (f"这是会计科目表 {chart_id} 的 {account.label}" in errors[0]
            or "它属于以下科目之一" in errors[0] or "是不是要写" in errors[0]
            or "允许村集体经济组织增设" in errors[0]), errors[0]


def test_a_code_is_read_in_the_periods_own_chart():
    # 502 is 经营支出 in 2004 and 投资收益 in 2024: an expense line with 502 in 2025 is refused.
    errors, _w, resolved = problems("2023-12", "expense", "502")
    assert (errors, resolved) == ([], "经营支出")
    errors, _w, resolved = problems("2025-03", "income", "502")
    assert (errors, resolved) == ([], "投资收益")
    errors, _w, _r = problems("2025-03", "expense", "502")
    assert errors == [
        "应为会计科目表 coa-2024 中的支出科目（经营支出、税金及附加、管理费用、"
        "公益支出、其他支出、所得税费用）或资产、负债、所有者权益、成本类科目，实际为 “502”：在 coa-2024 "
        "中这是 502 投资收益，属于收入科目（在 coa-2004 中，502 是 经营支出）"]


def test_a_code_and_a_name_that_disagree_are_refused():
    errors, _w, _r = problems("2025-03", "expense", "502 经营支出")
    assert errors == [
        "应为会计科目表 coa-2024 中的支出科目（经营支出、税金及附加、管理费用、"
        "公益支出、其他支出、所得税费用）或资产、负债、所有者权益、成本类科目，实际为 “502 经营支出”："
        "在 coa-2024 中，502 是 投资收益，经营支出 的编号是 511；请只写所指科目的编号或名称"]


def test_a_2004_code_missing_from_2024_names_its_2024_counterpart():
    errors, _w, _r = problems("2025-03", "expense", "541")
    assert errors[0].endswith(
        "实际为 “541”：这是会计科目表 coa-2004 的 541 管理费用，不是本期所用的 coa-2024 的科目；"
        "在 coa-2024 中请写 513 管理费用")


def test_the_2004_optional_accounts_need_the_site_to_add_them():
    errors, _w, _r = problems("2023-12", "income", "专项应付款")
    assert errors == [
        "241 专项应付款 是 coa-2004 允许村集体经济组织增设的科目（2004 年制度"
        "三（一）附注）；如果本村已增设，请在 site_config.yaml 中写明：“rules: {added_accounts: [241]}”"]
    assert problems("2023-12", "income", "241", added=("241",))[0] == []


def test_the_added_accounts_must_be_optional_ones():
    with pytest.raises(ValueError, match="not an optional account"):
        Rules(added_accounts=["经营收入"])
    assert Rules(added_accounts=["专项应付款"]).added_accounts == ["241"]


@pytest.mark.parametrize(("period", "side", "written", "hint"), [
    ("2023-12", "income", "承包费", "是不是要写“发包及上交收入”（明细：承包金）？"),
    ("2023-12", "income", "企业上交利润", "是不是要写“发包及上交收入”（明细：企业上交利润）？"),
    ("2023-12", "income", "捐赠收入", "是不是要写“公积公益金”（明细：捐赠）？在 coa-2004 中，接受捐赠不是收入"),
    ("2023-12", "income", "征地补偿款", "是不是要写“公积公益金”（明细：征用土地补偿费）？"),
    ("2025-03", "income", "承包费", "它属于以下科目之一：501 经营收入、502 投资收益。coa-2024 把发包及上交收入"),
    ("2023-12", "expense", "保险费", "是不是要写“经营支出”（明细：保险费）？"),
    ("2023-12", "expense", "维修费", "它属于以下科目之一：502 经营支出、541 管理费用、551 其他支出。看修的是什么"),
    ("2023-12", "expense", "折旧费", "它属于以下科目之一：401 生产（劳务）成本、541 管理费用、551 其他支出。折旧按资产用途"),
    ("2023-12", "expense", "五保户供养", "是不是要写“应付福利费”（明细：五保户供养）？"),
    ("2025-03", "expense", "维修费", "它属于以下科目之一：511 经营支出、513 管理费用、514 公益支出。"),
])
def test_common_names_point_where_the_text_puts_them(period, side, written, hint):
    errors, _w, _r = problems(period, side, written)
    assert len(errors) == 1 and hint in errors[0], errors


def test_the_agricultural_tax_refund_is_an_income_account_of_2004_only():
    assert problems("2023-12", "income", "农业税附加返还收入")[0] == []
    assert problems("2023-12", "income", "521")[2] == "农业税附加返还收入"
    errors = problems("2025-03", "income", "农业税附加返还收入")[0]
    assert errors[0].endswith("在 coa-2024 中请写 503 补助收入。coa-2024 删除了农业税附加返还收入"
                              "（农业税已取消）；这类返还记补助收入（系推断，非制度原文）。")


def test_a_special_fund_filed_as_income_is_warned_about():
    errors, warnings, _r = problems("2025-03", "income", "补助收入", item="道路硬化项目资金")
    assert errors == []
    assert warnings == [
        "本行记在收入科目“补助收入”下，但看起来是经资产负债类科目的往来款：是不是要写 专项应付款？"
        "（科目编号 241）上级拨入、有专门用途并需验收或清算的项目资金，在用完之前记在专项应付款，不是收入。"
        "如果是，请写“category: 专项应付款”；如果确是本村的收益，可不改"]
    # Filed under the balance-sheet account, it is not.
    assert problems("2025-03", "income", "专项应付款", item="道路硬化项目资金")[:2] == ([], [])


def test_a_2004_special_fund_is_warned_about_only_once_241_is_added():
    assert problems("2023-12", "income", "补助收入", item="项目资金")[1] == []
    warnings = problems("2023-12", "income", "补助收入", item="项目资金", added=("241",))[1]
    assert len(warnings) == 1 and "是不是要写 专项应付款？" in warnings[0]
