"""The books as the law keeps them: balance-sheet flows on the page, the wall sheet and
the open data; the year plan against its actual figures."""

from __future__ import annotations

import csv
import io
import json
import re

from tests.helpers.sites import LEDGER

MARCH = "content/qingshan/finance/2025-03.yaml"
# March with a special fund received from the county and part of it spent on the project.
FLOWS = LEDGER.replace(
    "expense:\n",
    "  - {date: 2025-03-12, category: 专项应付款, item: 道路硬化项目资金, amount: 50000.00, "
    "payer: 青山县交通运输局}\n"
    "expense:\n"
    "  - {date: 2025-03-20, category: 153, item: 道路硬化工程进度款, amount: 30000.00, "
    "payee: 通达路桥}\n").replace("closing_balance: 161139.50", "closing_balance: 181139.50")
PLAN = """\
published: 2025-01-22
approved: {date: 2025-01-18, by: 村民代表会议, decision: affairs/道路硬化公示.md}
income:
  - {account: 经营收入, amount: 20000.00, note: 鱼塘承包费}
  - {account: 补助收入, amount: 10000.00}
expense:
  - {account: 513, amount: 1000.00}
  - {account: 公益支出, amount: 2000.00, note: 路灯}
"""
PLAN_FILE = "content/qingshan/finance/2025-plan.yaml"


def problems(run, root):
    """Check a site; return its exit code and its error and warning lines."""
    code, _out, err = run("check", "--site", root)
    return code, [line for line in err.splitlines() if ": 错误：" in line or ": 警告：" in line]


def test_a_balance_sheet_flow_builds_reconciles_and_stands_apart(make_site, run):
    root = make_site({MARCH: FLOWS})
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/qingshan/finance/2025-03.html").read_text()
    # Receipts: 收益 12,000.00 + balance sheet 50,000.00; payments 3,200.50 + 30,000.00.
    for label, amount in (("其中：收益类", "12,000.00"), ("其中：资产负债类", "50,000.00"),
                          ("其中：收益类", "3,200.50"), ("其中：资产负债类", "30,000.00")):
        assert f'<tr class="part"><th scope="row">{label}</th><td class="num">{amount}</td>' in page
    order = ["本期收入", "经营收入", "专项应付款", "本期支出", "公益支出", "在建工程", "本期结余"]
    found = [page.index(f'<th scope="row">{label}</th>') for label in order]
    assert found == sorted(found)
    assert "期末结余 181,139.50 元" in page
    poster = (root / "public/qingshan/poster/2025-03.html").read_text()
    assert '<tr class="part"><th scope="row">其中：资产负债类</th><td class="num">50,000.00</td>' in poster
    assert '<tr class="account"><th scope="row">在建工程</th><td class="num">30,000.00</td>' in poster
    rows = list(csv.DictReader(io.StringIO(
        (root / "public/qingshan/finance/2025-03.csv").read_text("utf-8-sig"))))
    assert [(r["account"], r["account_code"], r["account_class"]) for r in rows] == [
        ("经营收入", "501", "income"), ("专项应付款", "241", "liability"),
        ("在建工程", "153", "asset"), ("公益支出", "514", "expense")]
    lines = json.loads((root / "public/qingshan/finance/2025-03.json").read_text())["expense"]
    assert [(line["account"], line["account_class"]) for line in lines] == [
        ("在建工程", "asset"), ("公益支出", "expense")]


def test_a_period_without_flows_is_shown_as_before(make_site, run):
    root = make_site()
    assert run("build", "--site", root)[0] == 0
    assert 'class="part"' not in (root / "public/qingshan/finance/2025-03.html").read_text()


def test_a_plan_is_shown_against_its_actual_figures(make_site, run):
    root = make_site({PLAN_FILE: PLAN})
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/qingshan/finance/2025-plan.html").read_text()
    assert "<h1>青山村2025年度财务收支计划执行情况</h1>" in page
    assert "实际数根据已公开的各期账目计算，截至2025年3月末。" in page
    assert "1 个科目超计划：公益支出。" in page
    # 公益支出: planned 2,000.00, actual 3,200.50, 160.0% used, flagged.
    assert ('<td class="item" data-label="科目"><span>公益支出 <strong class="badge-late">超计划'
            '</strong><span class="plan-note">路灯</span></span></td>') in page
    assert ('<td class="num" data-label="计划数（元）">2,000.00</td><td class="num" '
            'data-label="实际数（元）">3,200.50</td><td class="num" data-label="执行比例">160.0%'
            '</td>') in page
    # 513 is 管理费用 in the 2024 chart; nothing spent yet.
    assert ('管理费用</span></td>\n      <td class="num" data-label="计划数（元）">1,000.00</td>'
            '<td class="num" data-label="实际数（元）">0.00</td>') in page
    # The chart beside the table, with its figures in words.
    assert '<title id="plan-chart-expense-title">支出计划：按科目对照计划与实际</title>' in page
    assert "公益支出：计划 2,000.00 元，实际 3,200.50 元。" in page
    assert 'class="bar-over"' in page
    # Linked to the decision that approved it, and from the village's finance page.
    assert re.search(r'href="\.\./affairs/[^"]+\.html">决议及“五议”记录</a>', page)
    index = (root / "public/qingshan/finance/index.html").read_text()
    assert '<a href="2025-plan.html">2025年度财务收支计划执行情况（计划与实际对照）</a>' in index
    rows = list(csv.reader(io.StringIO(
        (root / "public/qingshan/finance/2025-plan.csv").read_text("utf-8-sig"))))
    assert rows[0] == ["收支", "科目", "科目编号", "计划金额（元）", "实际金额（元）", "执行比例",
                       "超计划", "说明"]
    assert ["expense", "公益支出", "514", "2000.00", "3200.50", "1.6002", "yes", "路灯"] in rows
    # The town's data page lists it apart from the CSV of all periods.
    data = (root / "public/towns/qingshan-data.html").read_text()
    assert '<a class="file" href="../qingshan/finance/qingshan-finance.csv">各期全部明细（CSV）</a>' in data
    assert ('<a class="file" href="../qingshan/finance/2025-plan.csv">年度财务收支计划执行情况（CSV）'
            '</a>') in data


def test_the_wall_sheet_of_the_years_last_period_prints_the_plan(make_site, run):
    december = LEDGER.replace("2025-03-", "2025-12-").replace("2025-04-0", "2026-01-0")
    from tests.helpers.sites import CONFIG

    root = make_site({"content/qingshan/finance/2025-12.yaml": december,
                      PLAN_FILE: PLAN,
                      "site_config.yaml": CONFIG.replace("today: 2025-04-08", "today: 2026-01-20")})
    assert run("build", "--site", root)[0] == 0
    poster = (root / "public/qingshan/poster/2025-12.html").read_text()
    assert '<section class="sheet plan-sheet" aria-labelledby="plan-sheet">' in poster
    assert "实际数根据已公开的各期账目计算，截至2025年12月末。" in poster
    assert "超计划" in poster
    # March, not the year's last period, prints no plan.
    assert "plan-sheet" not in (root / "public/qingshan/poster/2025-03.html").read_text()


def test_a_plans_mistakes_are_reported_with_the_rule(make_site, run):
    wrong = (PLAN.replace("affairs/道路硬化公示.md", "affairs/2025-01-plan.md")
             .replace("account: 公益支出", "account: 经营收入")
             .replace("account: 补助收入", "account: 经营收入"))
    code, lines = problems(run, make_site({PLAN_FILE: wrong}))
    assert code == 1
    assert lines == [
        "content/qingshan/finance/2025-plan.yaml:2:52: 错误：approved.decision：计划写明的决议是 "
        "“affairs/2025-01-plan.md”，但本村没有这份村务公开；请在 affairs/ 下补上它的“五议”记录，"
        "或改正文件名",
        "content/qingshan/finance/2025-plan.yaml:5:15: 错误：income[1].account：经营收入 列了两次计划"
        "（income[0] 和这里）；每个科目只写一行",
        "content/qingshan/finance/2025-plan.yaml:8:15: 错误：expense[1].account：应为会计科目表 "
        "coa-2024 中的支出科目（经营支出、税金及附加、管理费用、公益支出、其他支出、所得税费用）或资产、"
        "负债、所有者权益、成本类科目，实际为 “经营收入”：在 coa-2024 中这是 501 经营收入，属于收入科目"]
    (make_site() / PLAN_FILE).unlink()
    code, lines = problems(run, make_site({"content/qingshan/finance/2025-budget-plan.yaml": PLAN}))
    assert code == 1 and lines == [
        "content/qingshan/finance/2025-budget-plan.yaml: 错误：年度财务收支计划的文件名是年份加 -plan："
        "YYYY-plan.yaml，例如 2026-plan.yaml；实际为 “2025-budget-plan.yaml”"]
