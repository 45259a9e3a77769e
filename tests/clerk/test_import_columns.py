"""gongkai import keeps what the sheet says: 经手人 into handled_by, 收款单位 into payee, and
a line saying which column went where and which were ignored."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.clerk.test_import import APRIL, OPENING, do_import, ledger_lines, xlsx

HEADER = ["日期", "凭证号", "摘要", "科目", "收入", "支出", "余额", "收款单位", "经手人", "备注"]


def journal() -> list[list[object]]:
    """A short journal with the columns of a village's cash book in Excel."""
    return [["青山村现金日记账 2025年4月"], HEADER,
            [None, None, "上期结余", None, None, None, OPENING, None, None, None],
            [date(2025, 4, 2), "记-001", "鱼塘承包费", "经营收入", Decimal("12000.00"), None,
             OPENING + Decimal("12000.00"), "青山水产合作社", "刘明", "按合同"],
            [date(2025, 4, 9), "记-002", "路灯维修", "公益支出", None, Decimal("3200.50"),
             OPENING + Decimal("8799.50"), "青山电器店", "周国强", None]]


def test_the_handler_and_payee_columns_are_kept_and_the_mapping_is_told(make_site, run):
    root, code, out, err = do_import(make_site, run, "日记账.xlsx", xlsx(journal()))
    assert code == 0, err
    lines = ledger_lines(root)
    assert ("  - {date: 2025-04-02, category: 经营收入, item: 鱼塘承包费, amount: 12000.00, "
            "payer: 青山水产合作社, voucher: 记-001, handled_by: 刘明}") in lines
    assert ("  - {date: 2025-04-09, category: 公益支出, item: 路灯维修, amount: 3200.50, "
            "payee: 青山电器店, voucher: 记-002, handled_by: 周国强}") in lines
    assert out.splitlines()[2] == (
        "读入的列：日期 → date、凭证号 → voucher、摘要 → item、科目 → category、"
        "收入 → income[].amount、支出 → expense[].amount、余额 → 只用于核对各行，不写入、"
        "收款单位 → payer / payee、经手人 → handled_by；未读入的列：备注。")
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/qingshan/finance/2025-04.html").read_text(encoding="utf-8")
    assert "青山电器店" in page and (root / APRIL).is_file()


def test_bare_duifang_and_jingbanren_are_read_too(make_site, run):
    rows = journal()
    rows[1] = [{"收款单位": "对方", "经手人": "经办人"}.get(h, h) for h in HEADER]
    root, code, out, err = do_import(make_site, run, "日记账.xlsx", xlsx(rows))
    assert code == 0, err
    assert "对方 → payer / payee、经办人 → handled_by；未读入的列：备注。" in out
    assert any("payee: 青山电器店" in line and "handled_by: 周国强" in line
               for line in ledger_lines(root))
