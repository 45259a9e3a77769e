"""A village's index by term (terms.html), the county's search page and the search form."""

from __future__ import annotations

import posixpath
import re
import textwrap
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from gongkai.build.options import Options
from gongkai.build.pipeline import build
from gongkai.plan.terms import ORG_PERIODS, TERM_PERIODS, organisation, organisations
from gongkai.render.budgets import HTML_BUDGET, HTML_LIMIT, gzipped_size
from tests.helpers import browser
from tests.helpers.sites import BASE_FILES, MakeSite

LEDGER = """\
published: 2025-04-05
opening_balance: 100000.00
income:
  - {date: 2025-03-02, category: 经营收入—租金收入, item: 店面租金, amount: 6000.00, payer: 店面承租户（6户）}
  - {date: 2025-03-05, category: 补助收入, item: 运转经费, amount: 30000.00, payer: 青山镇财政所}
expense:
  - {date: 2025-03-10, category: 管理费用—水电费, item: 电费水费, amount: 820.00, payee: 县供电公司、县自来水公司}
  - {date: 2025-03-12, category: 公益支出, item: 鱼塘清淤, amount: 1500.00, payee: 承包户陈某}
  - {date: 2025-03-14, category: 公益支出, item: 保洁工资, amount: 3000.00, payee: 保洁员（3人）}
"""
PROJECT = """\
---
title: 关于村内道路硬化工程的公示
date: 2025-03-20
type: 工程项目
project: {budget: 120000.00, contractor: 青山县路桥建设有限公司}
---
道路硬化。
"""
SUBSIDY = """\
---
title: 2025年第一季度临时救助对象公示
date: 2025-03-25
type: 补助
recipients:
  - {name: 周桂花, household_size: 2, amount: 2000.00}
---
救助名单。
"""
RULES = """\
---
title: 青山村财务管理制度
date: 2024-01-08
type: 制度
---
制度全文。
"""


def page_links(html: str) -> list[str]:
    """List a page's link targets (hrefs and the form's action), without the fragment."""
    return [unescape(href) for href in re.findall(r'(?:href|action)="([^"]*)"', html)]


def resolves(out: Path, page: str, href: str) -> bool:
    """Tell whether a relative link from one output page reaches a file of the output."""
    target = urlsplit(href)
    if target.scheme:
        return target.scheme == "tel"  # the supervision phones
    if not target.path:
        return bool(target.fragment)  # "#years", on the page itself
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(target.path)))
    return (out / path).is_file()


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    """Build a village with accounts, organisations, persons, a project and a subsidy list."""
    root = make_site({"content/qingshan/finance/2025-03.yaml": LEDGER,
                      "content/qingshan/affairs/2025-03-road.md": PROJECT,
                      "content/qingshan/affairs/2025-03-aid.md": SUBSIDY,
                      "content/qingshan/affairs/2024-01-rules.md": RULES})
    result = build(Options(root, root / "public"))
    assert not result.failed, [p.message for p in result.report.errors]
    return root / "public"


def test_organisations_are_told_from_persons_by_rule():
    assert organisation("县供电公司") == "县供电公司"
    assert organisation("青山县绿源茶叶专业合作社") == "青山县绿源茶叶专业合作社"
    assert organisation("县农商银行青山支行") == "县农商银行青山支行"
    for person in ("承包户陈某", "便民超市经营户王某", "保洁员（3人）", "店面承租户（6户）",
                   "用餐老人", "王建国", "周桂花", "经办人金伟民", "张店", "村民施工队（5人）"):
        assert organisation(person) is None, person
    assert organisations("县供电公司、县自来水公司") == ("县供电公司", "县自来水公司")
    assert organisations("青山电器店，承包户陈某") == ("青山电器店",)
    assert organisations(None) == ()


def test_the_index_lists_accounts_projects_organisations_types_and_years(site):
    html = (site / "qingshan/terms.html").read_text(encoding="utf-8")
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    # Accounts and sub-accounts, each linking to the periods that use them.
    for account in ("经营收入", "经营收入—租金收入", "补助收入", "管理费用", "管理费用—水电费",
                    "公益支出"):
        assert f"<dt>{account} " in html or f'<dt class="sub">{account} ' in html, account
    assert html.count('<a href="finance/2025-03.html">2025-03</a>') == 9  # 6 accounts, 3 organisations
    # The works project, under its heading and under its contractor.
    assert html.count('<a href="affairs/2025-03-road.html">关于村内道路硬化工程的公示</a>') == 3
    for name in ("青山镇财政所", "县供电公司", "县自来水公司", "青山县路桥建设有限公司"):
        assert f"<dt>{name}" in html, name
    # Private persons are never named: not masked ones, not groups, not subsidy recipients.
    for person in ("陈某", "周桂花", "保洁员", "店面承租户"):
        assert person not in text, person
    # Types, in the order of the format, and years with their counts.
    assert re.findall(r"<h3>村务：(\S+) ", html) == ["公示", "工程项目", "补助", "制度"]
    assert "青山村财务管理制度" in text and "2025年第一季度临时救助对象公示" in text
    assert '<a href="archive.html#year-2025">2025年</a>' in html
    assert '<a href="archive.html#year-2024">2024年</a>' in html
    assert "财务 1 期，村务 3 件，党务 1 件" in text
    # Every link of the page leads to a file of the site.
    broken = [href for href in page_links(html) if not resolves(site, "qingshan/terms.html", href)]
    assert broken == []


def test_the_board_and_the_home_page_carry_the_search_form(site):
    board = (site / "qingshan/index.html").read_text(encoding="utf-8")
    assert ('<form role="search" class="search" action="terms.html" method="get" '
            'data-shard="search.json">') in board
    assert '<label for="search-q">搜索本村公开内容</label>' in board
    assert re.search(r'<input type="search" id="search-q" name="q"[^>]*>', board)
    assert '<button type="submit">搜索</button>' in board
    assert '<div class="search-results" aria-live="polite" hidden data-found=' in board
    assert '<a href="terms.html">' in board  # the index is linked from the board too
    home = (site / "index.html").read_text(encoding="utf-8")
    assert ('<form role="search" class="search" action="search.html" method="get" '
            'data-shards="towns/qingshan.search.json">') in home
    assert '<label for="search-q">搜索全县公开内容</label>' in home
    assert '<script src="../assets/search.' in board and '<script src="assets/search.' in home


def test_the_search_page_lists_villages_not_disclosures(site):
    html = (site / "search.html").read_text(encoding="utf-8")
    assert '<a href="qingshan/terms.html">青山村</a>' in html
    assert "<h2 id=\"town-qingshan\">青山镇</h2>" in html
    assert "道路硬化" not in html and "finance/2025-03" not in html
    assert [h for h in page_links(html) if not resolves(site, "search.html", h)] == []


def test_an_edit_to_one_village_leaves_the_others_index_alone(make_site):
    other = {f"content/xikou/{name.split('/', 2)[2]}": text.replace("青山村", "溪口村")
             for name, text in BASE_FILES.items() if name.startswith("content/qingshan/")}
    root = make_site(other)
    assert not build(Options(root, root / "public")).failed
    ledger = root / "content/qingshan/finance/2025-03.yaml"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("路灯维修", "路灯更换"),
                      encoding="utf-8")
    result = build(Options(root, root / "public"))
    assert not result.failed
    assert "qingshan/finance/2025-03.html" in result.made
    assert "xikou/terms.html" not in result.made and "search.html" not in result.made


def ten_years() -> dict[str, str]:
    """Write a village with ten years of monthly ledgers, many accounts and payees."""
    files: dict[str, str] = {}
    accounts = ("管理费用—办公费", "管理费用—水电费", "管理费用—会议费", "管理费用—差旅费",
                "经营支出—劳务成本", "其他支出—捐赠支出", "管理费用—修理费", "管理费用—保险费")
    payees = [f"青山县第{n}建筑工程有限公司" for n in range(1, 25)]
    for year in range(2016, 2026):
        for month in range(1, 13):
            day = f"{year}-{month:02d}-05"
            income = "".join(
                f"  - {{date: {day}, category: {name}, item: 收入{n}, amount: 1000.00, "
                f"payer: 青山县第{n}农业专业合作社}}\n"
                for n, name in enumerate(("经营收入—租金收入", "补助收入—运转经费",
                                          "投资收益", "其他收入—利息收入"), start=1))
            expense = "".join(
                f"  - {{date: {day}, category: {name}, item: 支出{n}, amount: 100.00, "
                f"payee: {payees[(year * 12 + month + n) % len(payees)]}}}\n"
                for n, name in enumerate(accounts))
            files[f"content/qingshan/finance/{year}-{month:02d}.yaml"] = (
                f"published: {year + (month == 12)}-{month % 12 + 1:02d}-05\n"
                + ("opening_balance: 0.00\n" if (year, month) == (2016, 1) else "")
                + f"income:\n{income}expense:\n{expense}")
        for n in range(1, 9):  # eight disclosures a year
            files[f"content/qingshan/affairs/{year}-{n:02d}-项目.md"] = textwrap.dedent(f"""\
                ---
                title: {year}年第{n}号村级小型公益工程建设项目公示
                date: {year}-{n:02d}-10
                type: 工程项目
                project: {{contractor: 青山县第{n}建筑工程有限公司}}
                ---
                工程。
                """)
    return files


def test_ten_years_of_monthly_ledgers_keep_the_index_within_its_budget(make_site):
    root = make_site({**ten_years(), "content/qingshan/affairs/道路硬化公示.md": None})
    result = build(Options(root, root / "public"))
    assert not result.failed, [p.message for p in result.report.errors]
    html = (root / "public/qingshan/terms.html").read_bytes()
    print("terms.html of ten years:", len(html), "bytes,", gzipped_size(html), "gzipped")
    assert gzipped_size(html) <= HTML_BUDGET and len(html) <= HTML_LIMIT, len(html)
    text = html.decode()
    # Every account names how many periods it appears in, and links its newest few.
    assert '<a class="chip-more" href="finance/index.html">全部 120 期</a>' in text
    row = text[text.index("<dt>管理费用 "):]
    row = row[:row.index("</dd>")]
    assert re.findall(r">(\d{4}-\d\d)</a>", row) == [
        f"2025-{m:02d}" for m in range(12, 0, -1)][:TERM_PERIODS]
    assert text.count("年第1号村级小型公益工程建设项目公示") >= 10
    # An organisation links fewer: a village may deal with hundreds over ten years.
    row = text[text.index("<dt>青山县第1建筑工程有限公司"):]
    row = row[:row.index("</dd>")]
    assert len(re.findall(r">\d{4}-\d\d</a>", row)) == ORG_PERIODS
    assert re.search(r'<a class="chip-more" href="finance/index.html">全部 \d+ 期</a>', row)
    assert not [p for p in result.report.warnings if "budget" in p.message.msgid]


def test_without_javascript_the_board_search_leads_to_the_index(chromium: Any, site: Path):
    with browser.serve(site) as url:
        context = chromium.new_context(viewport={"width": 360, "height": 740},
                                       java_script_enabled=False)
        page = context.new_page()
        page.goto(url + "qingshan/index.html")
        box = page.get_by_role("search").get_by_label("搜索本村公开内容")
        box.fill("道路")
        button = page.get_by_role("search").get_by_role("button", name="搜索")
        for target in (box, button):  # big enough for a finger
            size = target.bounding_box()
            assert size is not None and size["height"] >= 43.5 and size["width"] >= 43.5
        browser.screenshot(page, "board-search-360")
        button.click()
        page.wait_for_url("**/qingshan/terms.html?q=*")
        assert page.locator("h1").inner_text() == "青山村：按科目、项目、单位查找"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.goto(url + "qingshan/terms.html")
        browser.screenshot(page, "terms-360")
        context.close()
