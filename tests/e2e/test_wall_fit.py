"""Wall sheets filled by measurement: a 24-line and a 150-line period print on A3 sheets
each at least 85 % full but the last, the totals never alone (measured in Chromium)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.test_browser import printed, sheet_count
from tests.helpers.browser import screenshot, serve

# Accounts, items and payees of a real month: some items wrap onto a second row.
ACCOUNTS = ("经营收入", "补助收入", "其他收入", "管理费用", "公益支出", "经营支出", "其他支出")
ITEMS = ("鱼塘承包费", "村内道路日常养护及路灯线路检修更换费用（第三、第五村民小组）",
         "办公用品", "上级转移支付补助资金", "村干部误工补贴", "垃圾清运费")
# Each sheet's content (heading, lines, continuation note or totals and panels) against
# the printed sheet's height: its children's heights and margins, auto margins left out.
FILL = """() => [...document.querySelectorAll('.sheet')].map(sheet => {
  let used = 0;
  for (const child of sheet.children) {
    const style = getComputedStyle(child);
    used += child.getBoundingClientRect().height + parseFloat(style.marginBottom)
      + (child.matches('.sheet-next, .poster-panels') ? 0 : parseFloat(style.marginTop));
  }
  return {fill: used / sheet.getBoundingClientRect().height,
          lines: sheet.querySelectorAll('.wall-lines tbody tr').length,
          totals: sheet.querySelector('.poster-totals') !== null};
})"""


def ledger(count: int) -> str:
    """A month of ``count`` lines over seven accounts, its balances adding up."""
    opening, income, expense = Decimal("80000.00"), Decimal(0), Decimal(0)
    out = ["published: 2025-04-05", "prepared_by: 王会计",
           "reviewed_by: {names: [李芳, 赵强], date: 2025-04-03, opinion: 经审核，收支真实}",
           f"opening_balance: {opening}"]
    sides: dict[str, list[str]] = {"income": [], "expense": []}
    for n in range(count):
        account = ACCOUNTS[n % len(ACCOUNTS)]
        side = "income" if n % len(ACCOUNTS) < 3 else "expense"
        amount = Decimal(f"{(n * 379) % 3000 + 100}.{n % 100:02d}")
        if side == "income":
            income += amount
        else:
            expense += amount
        who = "payer: 镇财政所" if side == "income" else "payee: 青山电器店"
        sides[side].append(f"  - {{date: 2025-03-{n % 28 + 1:02d}, category: {account}, "
                           f"item: {ITEMS[n % len(ITEMS)]}, amount: {amount}, {who}, "
                           f"voucher: 记-{n + 1:03d}}}")
    for side in ("income", "expense"):
        out += [f"{side}:", *sides[side]]
    out.append(f"closing_balance: {opening + income - expense}")
    return "\n".join(out) + "\n"


def printed_sheets(chromium: Any, make_site, run, count: int) -> list[Any]:
    """Build a month of ``count`` lines, print its wall sheets; check and return each fill."""
    root = make_site({"content/qingshan/finance/2025-03.yaml": ledger(count)})
    code, _out, err = run("build", "--site", root)
    assert code == 0, err
    public = root / "public"
    html = (public / "qingshan/poster/2025-03.html").read_text(encoding="utf-8")
    with serve(public) as url:
        pages, _sizes = printed(chromium, url + "qingshan/poster/2025-03.html")
        context = chromium.new_context(viewport={"width": 1047, "height": 1512})
        page = context.new_page()
        page.emulate_media(media="print")
        page.goto(url + "qingshan/poster/2025-03.html")
        sheets = page.evaluate(FILL)
        screenshot(page, f"poster-print-a3-{count}-lines")
        context.close()
    assert pages == sheet_count(html) == len(sheets)
    assert sum(sheet["lines"] for sheet in sheets) == count
    for number, sheet in enumerate(sheets[:-1], start=1):
        assert sheet["fill"] >= 0.85, f"sheet {number} of {len(sheets)}: {sheet}"
        assert sheet["fill"] <= 1.0, f"sheet {number} spills: {sheet}"
    assert sheets[-1]["fill"] <= 1.0
    # The totals stand under at least one line: on the last sheet, or on the one before
    # when only the disclosure panels are left for the last.
    with_totals = [sheet for sheet in sheets if sheet["totals"]]
    assert len(with_totals) == 1 and with_totals[0]["lines"] >= 1
    assert with_totals[0] in sheets[-2:]
    return sheets


def test_the_24_line_month_keeps_its_lines_and_totals_on_one_sheet(chromium, make_site, run):
    sheets = printed_sheets(chromium, make_site, run, 24)
    # Its seven accounts make the totals too tall to leave room for the panels too, so
    # the panels take the second sheet rather than a line going along with the totals.
    assert [(sheet["lines"], sheet["totals"]) for sheet in sheets] == [(24, True), (0, False)]


@pytest.mark.parametrize("count", [24, 150])
def test_every_sheet_but_the_last_is_at_least_85_percent_full(chromium: Any, make_site, run,
                                                              count: int) -> None:
    sheets = printed_sheets(chromium, make_site, run, count)
    assert len(sheets) == {24: 2, 150: 5}[count]


def test_columns_no_line_fills_are_left_off_the_sheets(make_site, run):
    from tests.helpers.sites import LEDGER
    bare = LEDGER.replace(", payee: 青山电器店", "").replace(", voucher: 记-011", "").replace(
        ", voucher: 记-003", "")
    root = make_site({"content/qingshan/finance/2025-03.yaml": bare})
    assert run("build", "--site", root)[0] == 0
    poster = (root / "public/qingshan/poster/2025-03.html").read_text(encoding="utf-8")
    assert '<colgroup><col class="c-date"><col class="c-account"><col class="c-item">' \
           '<col class="c-amount"><col class="c-amount"></colgroup>' in poster
    assert ("<tr><td class=\"nowrap\">3月10日</td><td>公益支出</td><td>路灯维修</td>"
            "<td class=\"num\"></td><td class=\"num\">3,200.50</td></tr>") in poster
    assert "凭证号" not in poster and "收付款单位" not in poster
    full = make_site({})
    assert run("build", "--site", full)[0] == 0
    poster = (full / "public/qingshan/poster/2025-03.html").read_text(encoding="utf-8")
    assert '<col class="c-voucher">' in poster and '<col class="c-party">' in poster
