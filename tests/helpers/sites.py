"""Sites for the tests: the small base site's files, the sample county, snapshots of a folder."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


CONFIG = """\
site:
  title: 测试县三务公开
  base_url: https://sanwu.example.cn/
  today: 2025-04-08
towns:
  - {id: qingshan, name: 青山镇, supervision_phone: 0579-86000000}
"""
VILLAGE = """\
name: 青山村
town: qingshan
contacts: {office_phone: 0579-86000001, supervision_phone: 0579-86000002}
"""
LEDGER = """\
published: 2025-04-05
prepared_by: 王会计
reviewed_by: {names: [李芳, 赵强], date: 2025-04-03, opinion: 经审核，收支真实}
opening_balance: 152340.00
income:
  - {date: 2025-03-02, category: 经营收入, item: 鱼塘承包费, amount: 12000.00, voucher: 记-003}
expense:
  - {date: 2025-03-10, category: 公益支出, item: 路灯维修, amount: 3200.50, payee: 青山电器店, voucher: 记-011}
closing_balance: 161139.50
"""
NOTICE = """\
---
title: 关于村内道路硬化工程的公示
date: 2025-04-06
type: 公示
notice: {from: 2025-04-06}
---
道路硬化工程预算 **12 万元**。
"""
PARTY = """\
---
title: 2025年3月主题党日活动
date: 2025-03-15
type: party-day
---
全体党员参加。
"""

BASE_FILES = {
    "site_config.yaml": CONFIG,
    "content/qingshan/village.yaml": VILLAGE,
    "content/qingshan/finance/2025-03.yaml": LEDGER,
    "content/qingshan/affairs/道路硬化公示.md": NOTICE,
    "content/qingshan/party/2025-03-party-day.md": PARTY,
}

MakeSite = Callable[..., Path]


def snapshot(folder: Path) -> dict[str, str]:
    """Hash every file of a folder, to prove it did not change."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_sample(target: Path, title: str) -> Path:
    """Copy the sample county with its own site title, so every page differs."""
    shutil.copytree(REPO / "content", target / "content")
    config = (REPO / "site_config.yaml").read_text(encoding="utf-8")
    (target / "site_config.yaml").write_text(
        config.replace("title: 青山县", f"title: {title}", 1), encoding="utf-8")
    return target


def english_sample(target: Path) -> Path:
    """Copy the sample county's content and configuration, in English, to ``target``."""
    shutil.copytree(REPO / "content", target / "content")
    config = (REPO / "site_config.yaml").read_text(encoding="utf-8")
    assert "  language: zh-CN\n" in config
    (target / "site_config.yaml").write_text(
        config.replace("  language: zh-CN\n", "  language: en\n"), encoding="utf-8")
    return target


def copy_site(site: Path, target: Path) -> Path:
    """Copy a site folder (content, history/, public/ and the cache) for a test to change."""
    shutil.copytree(site, target, symlinks=True)
    return target


def with_front(text: str, extra: str) -> str:
    """Add front matter lines to a disclosure."""
    return text.replace("\n---\n", "\n" + extra + "---\n", 1)


LONG_LINES = 139  # as many as the quarterly wall sheet that did not fit


def long_ledger(count: int = LONG_LINES) -> str:
    """Write a quarter's ledger of ``count`` one-row lines, its balances adding up."""
    opening = Decimal("50000.00")
    lines = ["published: 2025-04-05", "prepared_by: 王会计",
             "reviewed_by: {names: [李芳, 赵强], date: 2025-04-03, opinion: 经审核，收支真实}",
             f"opening_balance: {opening}", "income:"]
    income = [Decimal("1000.00") + n for n in range(0, count, 4)]
    for n, amount in zip(range(0, count, 4), income, strict=True):
        lines.append(f"  - {{date: 2025-01-{n % 28 + 1:02d}, category: 经营收入, "
                     f"item: 第{n + 1}笔鱼塘承包费, amount: {amount}, payer: 承包户, "
                     f"voucher: 记-{n + 1:03d}}}")
    lines.append("expense:")
    expense = [Decimal("100.50") + n for n in range(count) if n % 4]
    for n, amount in zip((n for n in range(count) if n % 4), expense, strict=True):
        lines.append(f"  - {{date: 2025-02-{n % 28 + 1:02d}, category: 公益支出, "
                     f"item: 第{n + 1}笔路灯维修, amount: {amount}, payee: 青山电器店, "
                     f"voucher: 记-{n + 1:03d}}}")
    closing = opening + sum(income, Decimal(0)) - sum(expense, Decimal(0))
    lines.append(f"closing_balance: {closing}")
    return "\n".join(lines) + "\n"


def build_long(make_site, run) -> Path:
    """Build the test site with a 139-line first quarter; return its output folder."""
    root = make_site({"content/qingshan/finance/2025-03.yaml": None,
                      "content/qingshan/finance/2025-Q1.yaml": long_ledger()})
    code, _out, err = run("build", "--site", root)
    assert (code, err) == (0, "")
    return root / "public"
