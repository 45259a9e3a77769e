"""Write 东山村现金日记账-2026-01.xlsx, the spreadsheet of docs/first-month.md.

A cash journal (现金日记账) as a village keeps it in Excel: a title row, the header, the
opening balance, one row a voucher, a running balance and the month's totals. Made with
openpyxl (in the test extra); run it again from the repository root only to change it:

    python docs/examples/make_journal.py
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
OPENING = Decimal("86452.30")
LINES = [  # day, voucher, description, account, income, expense
    (3, "记-001", "村部一楼店面租金（1月）", "经营收入", "2800.00", None),
    (5, "记-002", "保洁员工资（1月，2人）", "公益支出", None, "3800.00"),
    (8, "记-003", "办公用品（打印纸、墨盒）", "管理费用", None, "426.50"),
    (12, "记-004", "村委办公楼电费（1月）", "管理费用", None, "612.38"),
    (15, "记-005", "集体鱼塘承包费（2026年度）", "经营收入", "12000.00", None),
    (18, "记-006", "路灯维修", "公益支出", None, "1250.00"),
    (20, "记-007", "村级组织运转经费（镇拨付）", "补助收入", "15000.00", None),
    (23, "记-008", "垃圾清运费（1月）", "公益支出", None, "1850.00"),
    (28, "记-009", "村民代表会议误工补贴", "管理费用", None, "1600.00"),
    (31, "记-010", "存款利息", "其他收入", "63.27", None),
]


def main() -> None:
    """Write the workbook next to this script."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "现金日记账"
    sheet.append(["东山村现金日记账  2026年1月"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["日期", "凭证号", "摘要", "科目", "收入", "支出", "余额"])
    sheet.append([date(2026, 1, 1), None, "上期结余", None, None, None, float(OPENING)])
    balance, income, expense = OPENING, Decimal(0), Decimal(0)
    for day, voucher, text, account, got, paid in LINES:
        balance += Decimal(got or 0) - Decimal(paid or 0)
        income += Decimal(got or 0)
        expense += Decimal(paid or 0)
        sheet.append([date(2026, 1, day), voucher, text, account,
                      float(got) if got else None, float(paid) if paid else None,
                      float(balance)])
    sheet.append([None, None, "本月合计", None, float(income), float(expense), float(balance)])
    for row in sheet.iter_rows(min_row=3, max_col=1):
        row[0].number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFG", (12, 9, 30, 11, 12, 12, 13), strict=True):
        sheet.column_dimensions[column].width = width
    book.save(HERE / "东山村现金日记账-2026-01.xlsx")


if __name__ == "__main__":
    main()
