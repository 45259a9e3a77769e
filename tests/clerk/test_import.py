"""gongkai import: ledgers read from spreadsheets (xlsx, xls, CSV, HTML and XML as .xls)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from gongkai.clerk.cells import kind_of, read_tables
from gongkai.clerk.cellvalues import cell_amount, cell_date
from gongkai.core.money import MoneyError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
APRIL = "content/qingshan/finance/2025-04.yaml"
OPENING = Decimal("161139.50")          # the base site's March closing balance
TITLE = "青山村现金日记账 2025年4月"
HEADER = ["日期", "凭证号", "摘要", "科目", "收入", "支出", "余额", "对方单位"]


def journal(count: int = 150) -> list[list[object]]:
    """A month's cash journal: title, blank row, header, opening row, lines, totals row.

    Line n sits on spreadsheet row n + 4; amounts are Decimals, dates dates.
    """
    rows: list[list[object]] = [[TITLE], [], HEADER, [None, None, "上期结余", None, None, None,
                                                      OPENING, None]]
    balance, income, expense = OPENING, Decimal(0), Decimal(0)
    for i in range(count):
        amount = Decimal(f"{(i * 379) % 5000 + 10}.{(i * 7) % 100:02d}")
        day = date(2025, 4, 1 + i % 30)
        if i % 3 == 0:
            account, side = ("经营收入" if i % 2 else "其他收入"), (amount, None)
            balance, income = balance + amount, income + amount
        else:
            account, side = ("管理费用-办公费" if i % 2 else "公益支出"), (None, amount)
            balance, expense = balance - amount, expense + amount
        rows.append([day, f"记-{i + 1:03d}", f"第{i + 1}笔 事项", account, *side, balance,
                     "青山县某某公司" if i % 5 == 0 else None])
    rows.append([None, None, "本月合计", None, income, expense, balance, None])
    return rows


def totals(count: int = 150) -> tuple[Decimal, Decimal, Decimal]:
    """Income, expense and closing balance of journal(count)."""
    last = journal(count)[-1]
    return last[4], last[5], last[6]  # type: ignore[return-value]


def xlsx(rows: list[list[object]], sheet: str = "Sheet1") -> bytes:
    """Write rows as an xlsx workbook: amounts as number cells (floats), dates as dates."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append([float(v) if isinstance(v, Decimal) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def text_table(rows: list[list[object]], delimiter: str = ",") -> str:
    """Write rows as text the way a clerk's CSV looks: 2025/4/5, ￥1,234.50."""
    def cell(value: object) -> str:
        if isinstance(value, date):
            return f"{value.year}/{value.month}/{value.day}"
        if isinstance(value, Decimal):
            return f"￥{value:,.2f}"
        return "" if value is None else str(value)

    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(
        [[cell(v) for v in row] for row in rows])
    return out.getvalue()


def html_table(rows: list[list[object]]) -> str:
    """Write rows as the HTML table accounting software saves under .xls (GBK, a title
    cell spanning the columns)."""
    out = ['<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
           '</head><body><table border="1">',
           f'<tr><td colspan="8"><b>{TITLE}</b></td></tr>']
    for row in rows[1:]:
        cells = "".join(f"<td>{'' if v is None else v}</td>" for v in row)
        out.append(f"<tr>{cells}</tr>")
    out.append("</table></body></html>")
    return "\n".join(out)


def spreadsheet_ml(rows: list[list[object]]) -> str:
    """Write rows as Excel 2003 XML (SpreadsheetML), the way old exports do."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<?mso-application progid="Excel.Sheet"?>',
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">',
           '<Worksheet ss:Name="收支明细"><Table>']
    for number, row in enumerate(rows, start=1):
        if not row:
            continue   # the blank row is left out: ss:Index on the next row skips it
        cells = []
        for value in row:
            if value is None:
                cells.append("<Cell/>")
            elif isinstance(value, Decimal):
                cells.append(f'<Cell><Data ss:Type="Number">{value}</Data></Cell>')
            elif isinstance(value, date):
                cells.append(f'<Cell><Data ss:Type="DateTime">{value}T00:00:00.000</Data></Cell>')
            else:
                cells.append(f'<Cell><Data ss:Type="String">{value}</Data></Cell>')
        out.append(f'<Row ss:Index="{number}">{"".join(cells)}</Row>')
    out.append("</Table></Worksheet></Workbook>")
    return "\n".join(out)


def do_import(make_site, run, name: str, data: bytes, *extra: str, files=None):
    """Write the spreadsheet next to a fresh site and import it as 2025-04."""
    root = make_site(files)
    sheet = root.parent / name
    sheet.write_bytes(data)
    code, out, err = run("import", "qingshan", "2025-04", sheet, "--site", root,
                         "--published", "2025-04-08", *extra)
    return root, code, out, err


def ledger_lines(root: Path) -> list[str]:
    """The written ledger without its comment lines (which name the file)."""
    text = (root / APRIL).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if not line.startswith("#")]


def test_a_150_line_xlsx_imports_into_a_ledger_that_builds(make_site, run):
    root, code, out, err = do_import(make_site, run, "收支明细.xlsx", xlsx(journal()))
    income, expense, closing = totals()
    assert code == 0, err
    assert out.splitlines() == [
        "已写入 content/qingshan/finance/2025-04.yaml（来自 收支明细.xlsx 的工作表“Sheet1”）："
        "150 笔（收入 50 笔，支出 100 笔）。",
        f"收入 {income}，支出 {expense}；上期结余 161139.50，期末结余 {closing}。",
        "读入的列：日期 → date、凭证号 → voucher、摘要 → item、科目 → category、"
        "收入 → income[].amount、支出 → expense[].amount、余额 → 只用于核对各行，不写入、"
        "对方单位 → payer / payee；未读入的列：无。",
        "正在用新账目检查整个网站……",
        "检查完毕：没有错误，1 个警告：请看上面的说明；其中要求补充的内容（例如村务监督委员会的审核）"
        "应在公开前写进账目文件。"]
    assert err.splitlines() == [
        "content/qingshan/finance/2025-04.yaml:5:1: 警告：reviewed_by：没有 reviewed_by："
        "财务公开应先经村务监督委员会审核再张贴；请添加“reviewed_by: {names: [...], date: ..., "
        "opinion: ...}”"]
    text = (root / APRIL).read_text(encoding="utf-8")
    assert text.startswith("# 青山村 2025年4月 财务收支公开\n# 由“gongkai import”从 收支明细.xlsx 导入")
    lines = ledger_lines(root)
    assert lines[:4] == ["published: 2025-04-08", "prepared_by:", "reviewed_by:",
                         "opening_balance: 161139.50"]
    assert lines[5] == ("  - {date: 2025-04-01, category: 其他收入, item: 第1笔 事项, amount: 10.00, "
                        "payer: 青山县某某公司, voucher: 记-001}")
    assert ("  - {date: 2025-04-02, category: 管理费用, subaccount: 办公费, item: 第2笔 事项, "
            "amount: 389.07, voucher: 记-002}") in lines
    assert lines[-1] == f"closing_balance: {closing}"
    code, _out, err = run("build", "--site", root)
    assert code == 0, err
    page = (root / "public/qingshan/finance/2025-04.html").read_text(encoding="utf-8")
    assert (f"2025年4月收入 {income:,.2f} 元，支出 {expense:,.2f} 元，"
            f"期末结余 {closing:,.2f} 元。") in page
    assert '本期支出明细 <span class="count">100 笔</span>' in page
    assert '管理费用</span> <span class="count">50 笔</span>' in page
    assert "第150笔 事项" in page


def test_the_same_journal_as_a_gbk_csv_gives_the_same_ledger(make_site, run, tmp_path):
    root, code, _out, err = do_import(make_site, run, "收支明细.xlsx", xlsx(journal()))
    assert code == 0, err
    from_xlsx = ledger_lines(root)
    csv_bytes = text_table(journal()).encode("gbk")
    root, code, out, err = do_import(make_site, run, "收支明细.csv", csv_bytes, "--force")
    assert code == 0, err
    assert out.startswith("已写入 content/qingshan/finance/2025-04.yaml（来自 收支明细.csv）：150 笔")
    assert ledger_lines(root) == from_xlsx
    assert run("build", "--site", root)[0] == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_gb18030(make_site, run, encoding):
    root, code, _out, err = do_import(make_site, run, "a.csv",
                                      text_table(journal(5)).encode(encoding))
    assert code == 0, err
    assert ledger_lines(root)[-1] == f"closing_balance: {totals(5)[2]}"


def test_a_bad_amount_in_row_37_is_refused_naming_row_37(make_site, run):
    rows = journal()
    assert rows[36][2] == "第33笔 事项" and rows[36][5] is not None   # row 37, an expense
    rows[36][5] = "12O0"
    root, code, out, err = do_import(make_site, run, "收支明细.xlsx", xlsx(rows))
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        "收支明细.xlsx 工作表“Sheet1” 第 37 行 “支出” 列：应为金额，例如 1234.50，实际为 “12O0”",
        "电子表格中有 1 个错误。什么也没有写入。"]
    assert not (root / APRIL).exists()


def test_every_problem_is_told_together_and_nothing_is_written(make_site, run):
    rows = journal(10)
    rows[6][0] = "2025-05-02"          # row 7: outside April
    rows[7][4] = "0.1O"                # row 8: not an amount
    rows[8][3] = None                  # row 9: no account
    rows[9][4], rows[9][5] = Decimal("5.00"), Decimal("6.00")   # row 10: both sides
    root, code, out, err = do_import(make_site, run, "a.xlsx", xlsx(rows))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "a.xlsx 工作表“Sheet1” 第 7 行 “日期” 列：应为 2025-04 期间内的日期（2025-04-01 至 "
        "2025-04-30），实际为 “2025-05-02”",
        "a.xlsx 工作表“Sheet1” 第 8 行 “收入” 列：应为金额，例如 1234.50，实际为 “0.1O”",
        "a.xlsx 工作表“Sheet1” 第 9 行 “科目” 列：应为会计科目，例如 管理费用，实际为 空值",
        "a.xlsx 工作表“Sheet1” 第 10 行：一行只能有一边的金额，这一行的“收入”（5.00）和"
        "“支出”（6.00）都有；请分成两行",
        "电子表格中有 4 个错误。什么也没有写入。"]
    assert not (root / APRIL).exists()


def test_a_totals_row_that_does_not_add_up_is_an_error_naming_the_row(make_site, run):
    rows = journal(20)
    rows[-1][5] = rows[-1][5] + Decimal("0.01")   # 本月合计 支出 one fen off
    rows[-1][6] = rows[-1][6] + Decimal("100")    # and its balance
    _root, code, _out, err = do_import(make_site, run, "a.xlsx", xlsx(rows))
    _income, expense, closing = totals(20)
    assert code == 1
    assert err.splitlines()[:2] == [
        f"a.xlsx 工作表“Sheet1” 第 25 行 “支出” 列：合计 {expense + Decimal('0.01')} 不等于上面各行之和 "
        f"{expense}（相差 0.01）",
        f"a.xlsx 工作表“Sheet1” 第 25 行 “余额” 列：余额 {closing + 100} 不等于上期结余加收入减支出 "
        f"{closing}（相差 100.00）"]


def test_a_running_balance_that_does_not_follow_is_reported_once(make_site, run):
    rows = journal(10)
    rows[6][6] = rows[6][6] + Decimal("10.00")   # row 7's balance is off; row 8 follows it
    _root, code, _out, err = do_import(make_site, run, "a.xlsx", xlsx(rows))
    assert code == 1
    assert err.splitlines()[0] == (
        f"a.xlsx 工作表“Sheet1” 第 7 行 “余额” 列：余额 {rows[6][6]} 不等于上一行余额加本行金额 "
        f"{rows[6][6] - 10}（相差 10.00）")
    # Row 8 is checked against row 7's written balance: one error there, and row 8's.
    assert len([line for line in err.splitlines() if "“余额” 列" in line]) == 2


def test_the_opening_row_must_match_the_last_ledger(make_site, run):
    rows = journal(5)
    rows[3][6] = Decimal("161000.00")
    _root, code, _out, err = do_import(make_site, run, "a.xlsx", xlsx(rows))
    assert code == 1
    assert ("a.xlsx 工作表“Sheet1” 第 4 行 “余额” 列：上期结余 161000.00 不等于 "
            "content/qingshan/finance/2025-03.yaml 的期末结余 161139.50（相差 139.50）") in err


def test_without_an_opening_row_the_balance_carries_over(make_site, run):
    rows = journal(5)
    del rows[3]
    root, code, out, err = do_import(make_site, run, "a.xlsx", xlsx(rows))
    assert code == 0, err
    assert "上期结余 161139.50" in out
    assert "opening_balance:" in ledger_lines(root)   # left out: the chain carries it


def test_title_rows_and_blank_rows_are_skipped(make_site, run):
    rows = journal(6)
    rows[0:0] = [["单位：青山村股份经济合作社"], ["", "", "编制：王会计"]]
    rows.insert(8, [])
    rows.insert(8, [None, None, "  "])
    root, code, _out, err = do_import(make_site, run, "a.xlsx", xlsx(rows))
    assert code == 0, err
    assert len([line for line in ledger_lines(root) if line.startswith("  - ")]) == 6


def test_html_saved_as_xls_is_read_as_html(make_site, run):
    data = html_table(journal(12)).encode("gbk")
    assert kind_of(data) == "html"
    root, code, out, err = do_import(make_site, run, "导出.xls", data)
    assert code == 0, err
    assert "150" not in out and "12 笔" in out
    assert ledger_lines(root)[-1] == f"closing_balance: {totals(12)[2]}"


def test_spreadsheetml_saved_as_xls_is_read_as_xml(make_site, run):
    data = spreadsheet_ml(journal(12)).encode("utf-8")
    assert kind_of(data) == "spreadsheetml"
    rows = journal(12)
    rows[9][5] = "12O0" if rows[9][5] else None
    bad = spreadsheet_ml(rows).encode("utf-8")
    _root, code, _out, err = do_import(make_site, run, "导出.xls", bad)
    assert code == 1
    assert err.splitlines()[0] == ("导出.xls 工作表“收支明细” 第 10 行 “支出” 列：应为金额，例如 "
                                   "1234.50，实际为 “12O0”")
    root, code, out, err = do_import(make_site, run, "导出.xls", data, "--force")
    assert code == 0, err
    assert "（来自 导出.xls 的工作表“收支明细”）：12 笔" in out
    assert ledger_lines(root)[-1] == f"closing_balance: {totals(12)[2]}"


def test_tab_separated_text_saved_as_xls(make_site, run):
    data = text_table(journal(7), delimiter="\t").encode("utf-16")   # Excel's “Unicode text”
    assert kind_of(data) == "text"
    root, code, _out, err = do_import(make_site, run, "导出.xls", data)
    assert code == 0, err
    assert ledger_lines(root)[-1] == f"closing_balance: {totals(7)[2]}"


def test_a_real_xls_with_a_two_row_header(make_site, run):
    root, code, out, err = do_import(make_site, run, "journal.xls",
                                     (FIXTURES / "journal.xls").read_bytes())
    assert code == 0, err
    assert "（来自 journal.xls 的工作表“现金日记账”）：3 笔（收入 1 笔，支出 2 笔）" in out
    assert ledger_lines(root)[4:] == [
        "income:",
        "  - {date: 2025-04-03, category: 经营收入, item: 村部店面租金（4月）, amount: 2800.00, "
        "voucher: 记-001}",
        "expense:",
        "  - {date: 2025-04-12, category: 公益支出, item: 路灯维修, amount: 1250.80, voucher: 记-002}",
        "  - {date: 2025-04-20, category: 管理费用, subaccount: 办公费, item: 办公用品, "
        "amount: 310.00, voucher: 记-003}",
        "closing_balance: 162378.70"]


def test_an_existing_ledger_is_kept_unless_forced(make_site, run):
    root, code, _out, _err = do_import(make_site, run, "a.xlsx", xlsx(journal(3)))
    assert code == 0
    before = (root / APRIL).read_text(encoding="utf-8")
    code, out, err = run("import", "qingshan", "2025-04", root.parent / "a.xlsx", "--site", root)
    assert code == 2 and out == ""
    assert err == ("content/qingshan/finance/2025-04.yaml 已存在，什么也没有写入"
                   "（加 --force 可替换它）\n")
    assert (root / APRIL).read_text(encoding="utf-8") == before


def test_an_unknown_account_is_written_then_reported_by_the_check(make_site, run):
    rows = journal(3)
    rows[5][3] = "管理费"    # line 2, an expense: not an account of the chart
    root, code, _out, err = do_import(make_site, run, "a.xlsx", xlsx(rows))
    assert code == 1
    assert (root / APRIL).exists()
    assert ("content/qingshan/finance/2025-04.yaml:10:34: 错误：expense[0].category：应为会计科目表 "
            "coa-2024 中的支出科目（经营支出、税金及附加、管理费用、公益支出、其他支出、所得税费用）"
            "或资产、负债、所有者权益、成本类科目，实际为 “管理费”；是不是要写“管理费用”？") in err.splitlines()
    assert err.splitlines()[-1] == (
        "账目已写入，但检查发现 1 个错误、1 个警告：请改正 content/qingshan/finance/2025-04.yaml"
        "（或改正电子表格后加 --force 重新导入），然后运行“gongkai check”。")


def test_no_header_and_unreadable_files(make_site, run):
    _root, code, _out, err = do_import(make_site, run, "a.csv",
                                       "姓名,电话\n张三,123\n".encode())
    assert code == 1
    assert err.splitlines()[0] == (
        "a.csv：前 30 行中找不到表头：应有一行至少写明日期（日期）、摘要（摘要）和金额"
        "（收入/支出、借方/贷方）各列")
    _root, code, _out, err = do_import(make_site, run, "a.xlsx", b"PK\x03\x04broken",
                                       "--force")
    assert code == 1
    assert err.startswith("a.xlsx：无法打开工作簿（")


def test_float_cells_are_read_to_the_fen_and_never_rounded_silently():
    assert cell_amount(0.1 + 0.2) == Decimal("0.30")       # binary noise of a formula
    assert cell_amount(1200.5) == Decimal("1200.50")
    assert cell_amount(12) == Decimal("12.00")
    assert cell_amount("￥１,２００.５０") == Decimal("1200.50")
    for bad in (12.345, float("nan"), True, "12O0", "1,2,3"):
        with pytest.raises(MoneyError):
            cell_amount(bad)


def test_dates_from_cells_serials_and_text():
    assert cell_date(46023, 2026) == date(2026, 1, 1)            # an Excel serial number
    assert cell_date(46023.75, 2026) == date(2026, 1, 1)         # with a time of day
    assert cell_date(20260105, 2026) == date(2026, 1, 5)
    assert cell_date("2026-01-05 00:00:00", 2026) == date(2026, 1, 5)
    assert cell_date("2026年1月5日", 2026) == date(2026, 1, 5)
    assert cell_date("１月５日", 2026) == date(2026, 1, 5)        # the period's year


def test_html_spans_keep_columns_in_place(tmp_path):
    page = ("<table><tr><td rowspan=2>日期</td><td colspan=2>金额</td></tr>"
            "<tr><td>收入</td><td>支出</td></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>")
    (tmp_path / "a.xls").write_text(page, encoding="utf-8")
    tables = read_tables(tmp_path / "a.xls")
    assert tables[0].rows == [["日期", "金额", ""], ["", "收入", "支出"], ["1", "2", "3"]]


def test_a_line_whose_description_starts_with_a_totals_word_stays_a_line(make_site, run):
    rows = journal(3)
    rows[5][2] = "合计电费（3月、4月）"       # a line, not a totals row
    rows[-1][2] = "本月合计（4月）"           # a totals row
    root, code, out, err = do_import(make_site, run, "a.xlsx", xlsx(rows))
    assert code == 0, err
    assert "3 笔" in out
    assert any("item: 合计电费（3月、4月）" in line for line in ledger_lines(root))


def test_the_sheet_can_be_chosen_and_a_missing_one_is_named(make_site, run, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本表由会计软件导出"])
    for name, count in (("3月", 2), ("4月", 4)):
        ws = book.create_sheet(name)
        for row in journal(count):
            ws.append([float(v) if isinstance(v, Decimal) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    root, code, out, err = do_import(make_site, run, "全年.xlsx", buffer.getvalue(),
                                     "--sheet", "4月")
    assert code == 0, err
    assert "（来自 全年.xlsx 的工作表“4月”）：4 笔" in out
    assert ledger_lines(root)[-1] == f"closing_balance: {totals(4)[2]}"
    _root, code, out, err = do_import(make_site, run, "全年.xlsx", buffer.getvalue(),
                                      "--sheet", "5月", "--force")
    assert (code, out) == (2, "")
    assert err == "全年.xlsx 中没有工作表“5月”；它的工作表有：说明、3月、4月\n"
    # Without --sheet, the first sheet with a ledger's header is read (说明 has none).
    _root, code, out, err = do_import(make_site, run, "全年.xlsx", buffer.getvalue(), "--force")
    assert code == 0, err
    assert "（来自 全年.xlsx 的工作表“3月”）：2 笔" in out


def test_a_missing_spreadsheet_or_village_is_a_usage_error(make_site, run):
    root = make_site()
    code, _out, err = run("import", "qingshan", "2025-04", root / "nope.xlsx", "--site", root)
    assert code == 2
    assert err == (f"在 {root} 中找不到电子表格 {root / 'nope.xlsx'}：请写出它的完整路径"
                   "（也可以把文件拖进这个窗口），或把它复制到这里\n")
    code, _out, err = run("import", "dongshan", "2025-04", root / "nope.xlsx", "--site", root)
    assert (code, err) == (2, "应为村的 id，即它在 content/ 中的文件夹名（qingshan），实际为 “dongshan”；"
                              "是不是要写“qingshan”？\n")
    code, _out, err = run("import", "qingshan", "2025-4", root / "nope.xlsx", "--site", root)
    assert (code, err) == (2, "应为期间，例如 2026-01、2026-Q1 或 2026，实际为 “2025-4”\n")


def test_a_row_without_amount_or_date_and_a_negative_amount(make_site, run):
    rows = journal(6)
    rows[4][4] = "-"                    # row 5, an income line: a dash is an empty amount
    rows[5][0] = None                   # row 6: no date
    rows[6][5] = Decimal("-20.00")      # row 7: negative expense
    root, code, _out, err = do_import(make_site, run, "a.xlsx", xlsx(rows))
    assert code == 1
    assert err.splitlines() == [
        "a.xlsx 工作表“Sheet1” 第 5 行：一行应在“收入”或“支出”中有金额；这一行两者都没有",
        "a.xlsx 工作表“Sheet1” 第 6 行 “日期” 列：应为日期，例如 2025-03-05，实际为 空值",
        "a.xlsx 工作表“Sheet1” 第 7 行 “支出” 列：应为大于零的金额，实际为 “-20.0”",
        "电子表格中有 3 个错误。什么也没有写入。"]
    assert not (root / APRIL).exists()
    code, _out, err = run("import", "../site", "2025-04", root.parent / "a.xlsx", "--site", root)
    assert (code, err) == (2, "应为村的 id，即它在 content/ 中的文件夹名（qingshan），实际为 “../site”\n")


def test_an_amount_cell_too_large_for_any_ledger_is_refused_naming_its_row(make_site, run):
    rows = journal()
    rows[36][5] = Decimal("1e30")  # a number cell of 1e+30: past what quantize can round
    root, code, out, err = do_import(make_site, run, "收支明细.xlsx", xlsx(rows))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "收支明细.xlsx 工作表“Sheet1” 第 37 行 “支出” 列：应为金额，例如 1234.50，实际为 “1e+30”",
        "电子表格中有 1 个错误。什么也没有写入。"]
    assert not (root / APRIL).exists()
    for huge in (1e30, 1e308, -1e300):
        with pytest.raises(MoneyError):
            cell_amount(huge)
