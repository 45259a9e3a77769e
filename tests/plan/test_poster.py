"""The wall poster: every line of a period on numbered A3 sheets, split at build time."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

import pytest

from gongkai.core.dates import parse_period
from gongkai.model.addresses import readable_url
from gongkai.model.content import Ledger, Notice
from gongkai.model.finance import LedgerFile
from gongkai.plan.sheetfit import ROW_MM, WRAP_MM, line_mm, panels_mm, shown_columns, totals_mm
from gongkai.plan.sheets import sheet_lines, split_sheets, text_rows
from tests.helpers.sites import build_long

# --- splitting lines into sheets ---------------------------------------------------------

def test_lines_that_fit_one_sheet_make_one_sheet():
    assert split_sheets([1] * 26, 36, closing=10) == (26,)
    assert split_sheets([1] * 36, 36) == (36,)


def test_one_line_more_than_a_sheet_holds_starts_a_second_sheet():
    assert split_sheets([1] * 37, 36) == (36, 1)


def test_a_line_is_never_cut_between_two_sheets():
    assert split_sheets([2, 2, 1], 4) == (2, 1)
    assert split_sheets([1, 1, 1, 2], 4) == (3, 1)


def test_a_line_taller_than_a_sheet_has_a_sheet_to_itself():
    assert split_sheets([40, 1], 36) == (1, 1)


def test_the_totals_take_the_last_line_along_when_they_do_not_fit_under_it():
    # 139 lines: three full sheets, then 31 lines and a 10-row closing block do not fit
    # together; the last line goes with the totals so they never stand alone.
    assert split_sheets([1] * 139, 36, closing=10) == (36, 36, 36, 30, 1)
    assert split_sheets([1] * 30, 36, closing=10) == (29, 1)


def test_no_lines_still_make_one_sheet():
    assert split_sheets([], 36, closing=10) == (0,)


def test_every_line_lands_on_exactly_one_sheet():
    heights = [1, 2, 3, 1, 1, 2] * 40
    counts = split_sheets(heights, 40, closing=15)
    assert sum(counts) == len(heights)
    start = 0
    for count in counts[:-1]:
        assert sum(heights[start:start + count]) <= 40
        start += count
    assert sum(heights[start:]) + 15 <= 40


def test_a_long_item_or_payee_takes_more_rows():
    assert text_rows("路灯维修", 15) == 1
    assert text_rows("生态公益林补偿金（集体部分，2024年度）", 15) == 2  # 15 wide + 4 digits
    assert text_rows("记-013", 3.5) == 1
    assert text_rows("", 7) == 1


def test_the_foot_counts_totals_sign_off_and_panels_in_millimetres():
    from datetime import date

    from gongkai.check.finance import AccountTotal
    from gongkai.plan.views import Panel, Posted

    income = (AccountTotal("经营收入", Decimal("12000.00"), Decimal(1)),)
    expense = (AccountTotal("公益支出", Decimal("3200.50"), Decimal(1)),)
    party = Panel("party", (Posted("2025年3月主题党日活动", "party-day", date(2025, 3, 15), ""),), 1)
    affairs = Panel("affairs", (), 0)
    # The sign-off (72.36 mm with one row of opinion) is taller than the summary of two
    # accounts (14.72 + 5 rows of 7.92 + the closing row 14.85 = 69.17) and the QR code (55).
    assert totals_mm(income, expense, "经审核，收支真实") == pytest.approx(72.36)
    # Without an opinion the sign-off is a row shorter, and the summary the tallest.
    assert totals_mm(income, expense, "") == pytest.approx(14.72 + 7.92 * 5 + 14.85)
    many = income * 6
    assert totals_mm(many, expense, "") == pytest.approx(14.72 + 7.92 * 10 + 14.85)
    # One entry, or "nothing disclosed": the panel's 23.96 mm and a row of 7.65, under a gap.
    assert panels_mm(party, affairs) == pytest.approx(4.94 + 23.96 + 7.65)
    long_title = Posted("关于" + "村内道路硬化" * 5 + "工程的公示", "notice", date(2025, 3, 1), "")
    affairs = Panel("affairs", (long_title,) * 6, 8)
    # Each long title takes three rows, and "8 more on the website" one.
    assert panels_mm(party, affairs) == pytest.approx(
        4.94 + 23.96 + 6 * (7.65 + 2 * 6.67) + 7.65)


def test_a_journal_lists_income_and_expenses_by_date():
    data = LedgerFile.model_validate({
        "published": "2025-04-05", "opening_balance": "0",
        "income": [{"date": "2025-03-20", "category": "补助收入", "item": "补助", "amount": "5",
                    "payer": "镇财政所"}],
        "expense": [{"date": "2025-03-02", "category": "公益支出", "item": "路灯维修",
                     "amount": "3", "payee": "青山电器店", "voucher": "记-011"}]})
    march = parse_period("2025-03")
    assert march is not None
    ledger = Ledger("qingshan", "x.yaml", march, data, Notice(data.published, data.published))
    lines = sheet_lines(ledger)
    assert [(str(line.date), line.party, line.income, line.expense) for line in lines] == [
        ("2025-03-02", "青山电器店", None, Decimal("3")),
        ("2025-03-20", "镇财政所", Decimal("5"), None)]
    columns = shown_columns(lines)
    assert [line_mm(line, columns) for line in lines] == [ROW_MM, ROW_MM]
    # Without a voucher on a line (or a payee), its column is left off; the others widen.
    assert shown_columns(lines[1:]) == ("date", "category", "item", "party", "income",
                                        "expense")
    long = replace(lines[0], item="生态公益林补偿金（集体部分，2024年度）拨付到户")
    assert line_mm(long, columns) == ROW_MM + WRAP_MM


# --- the rendered poster ------------------------------------------------------------------

def sheet_numbers(html: str) -> list[str]:
    """Return the "第 k 页 / 共 N 页" line of each sheet, in order."""
    return re.findall(r'<p class="sheet-number">([^<]*)</p>', html)


def test_a_short_period_is_one_sheet_with_its_totals(make_site, run):
    root = make_site()
    run("build", "--site", root)
    poster = (root / "public/qingshan/poster/2025-03.html").read_text()
    assert sheet_numbers(poster) == ["第 1 页 / 共 1 页"]
    assert "（续）" not in poster and "下接第" not in poster
    # Every line, on the wall: the date, voucher, account, item, payee and amount.
    assert ("<tr><td class=\"nowrap\">3月10日</td><td class=\"voucher\">记-011</td><td>公益支出</td>"
            "<td>路灯维修</td><td>青山电器店</td><td class=\"num\"></td>"
            "<td class=\"num\">3,200.50</td></tr>") in poster
    assert "本期结余" in poster and "壹拾陆万壹仟壹佰叁拾玖元伍角" in poster
    assert "经审核，收支真实" in poster


def test_a_long_period_continues_on_numbered_sheets(make_site, run):
    public = build_long(make_site, run)
    poster = (public / "qingshan/poster/2025-Q1.html").read_text()
    sheets = poster.split('<section class="sheet')[1:]
    count = len(sheets)
    assert count == 4  # 139 one-row lines, 41 to a sheet (as measured), 16 with the totals
    assert sheet_numbers(poster) == [f"第 {n} 页 / 共 4 页" for n in range(1, 5)]
    rows = [len(re.findall(r"<tr><td class=\"nowrap\">", sheet)) for sheet in sheets]
    assert rows == [41, 41, 41, 16]
    for number, sheet in enumerate(sheets, start=1):
        # Each sheet names the village and period; continuation sheets say 续.
        assert "青山村2025年第1季度财务公开" in sheet
        assert ("（续）" in sheet) == (number > 1)
        assert (f"下接第 {number + 1} 页" in sheet) == (number < count)
        # The totals, balances and sign-off are on the last sheet only.
        assert ("本期结余" in sheet) == (number == count)
        assert ("王会计" in sheet) == (number == count)
    assert poster.count("<h1") == 1
    # Lines in date order: the journal's first and last lines open and close the run.
    assert sheets[0].index("第1笔鱼塘承包费") < sheets[0].index("第2笔路灯维修")
    assert "第139笔路灯维修" in sheets[-1] and "第1笔鱼塘承包费" not in sheets[-1]


def test_the_lines_are_no_longer_only_on_the_website(make_site, run):
    root = make_site()
    run("build", "--site", root)
    poster = (root / "public/qingshan/poster/2025-03.html").read_text()
    assert "鱼塘承包费" in poster and "12,000.00" in poster


# --- the address under the QR code --------------------------------------------------------

def test_the_address_under_a_qr_code_is_printed_in_chinese(make_site, run):
    root = make_site()
    run("build", "--site", root)
    notice = (root / "public/qingshan/affairs/道路硬化公示.html").read_text()
    assert ('<p class="qr-url">https://sanwu.example.cn/qingshan/affairs/道路硬化公示.html</p>'
            in notice)
    # The code itself still carries the escaped address every phone can open.
    escaped = "https://sanwu.example.cn/qingshan/affairs/%E9%81%93%E8%B7%AF%E7%A1%AC%E5%8C%96"
    assert f"<title>{escaped}" in notice


def test_only_printable_text_is_decoded_in_a_printed_address():
    base = "https://sanwu.example.cn/"
    assert readable_url(base + "%E9%9D%92%E5%B1%B1/index.html") == base + "青山/index.html"
    # A space, a reserved sign or a control character would change the address typed in.
    assert readable_url(base + "a%20b%2Fc%3Fd%25e%0A") == base + "a%20b%2Fc%3Fd%25e%0A"
    # Bytes that are not UTF-8 stay as they are.
    assert readable_url(base + "%E9%9D") == base + "%E9%9D"
    # Markup decoded from escapes is text; the templates escape it like any other.
    assert readable_url(base + "%3Cb%3E") == base + "<b>"


def test_the_poster_prints_the_board_address_under_its_code(make_site, run):
    root = make_site()
    run("build", "--site", root)
    poster = (root / "public/qingshan/poster/2025-03.html").read_text()
    assert '<span class="poster-url">https://sanwu.example.cn/qingshan/</span>' in poster
    # The code scales to the 35 mm the print CSS gives it, rather than being cut off.
    code = re.search(r'<svg [^>]*class="qr-svg">', poster)
    assert code is not None and 'viewBox="0 0 ' in code.group() and "width=" not in code.group()


def test_a_wall_sheet_names_each_line_with_its_sub_account(sample_site):
    poster = (sample_site / "zhuyuan/poster/2025-Q4.html").read_text(encoding="utf-8")
    row = re.search(r"<tr><td[^>]*>12月12日</td><td class=\"voucher\">记-097</td><td>([^<]*)</td><td>([^<]*)</td>",
                    poster)
    assert row is not None
    assert row.groups() == ("经营收入—发包及上交收入", "集体茶园承包费（2026年度）")
