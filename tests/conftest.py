"""Shared fixtures: write a small site into a temporary folder and build it."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from gongkai.build.options import Options
from gongkai.build.pipeline import build
from gongkai.cli.main import main
from tests import browser

REPO = Path(__file__).resolve().parent.parent

# On CI property tests draw the same examples every run, so a failure there is not luck;
# locally they explore anew each time.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
    settings.load_profile("ci")

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


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """Return a function writing a site: the base files, changed by keyword overrides.

    ``make_site({"content/x/village.yaml": "..."})`` adds or replaces files; a value of
    None removes a base file.
    """

    def make(files: dict[str, str | bytes | None] | None = None, base: bool = True) -> Path:
        root = tmp_path / "site"
        merged: dict[str, str | bytes | None] = {**(BASE_FILES if base else {}), **(files or {})}
        for name, text in merged.items():
            if text is None:
                continue
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""

    def invoke(*args: str | Path) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the sample county (the repository's own content) once; return its output."""
    out = tmp_path_factory.mktemp("sample") / "public"
    assert not build(Options(REPO, out)).failed
    return out


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Launch Debian's Chromium once per run (skip loudly, or fail on CI, without it)."""
    browser.require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=browser.CHROMIUM,
                                              args=browser.CHROMIUM_ARGS)
        yield launched
        launched.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say where the screenshots went, or shout that the browser tests did not run."""
    if browser.SHOTS:
        terminalreporter.write_line(
            f"{len(browser.SHOTS)} screenshots written to {browser.SCREENSHOTS}", bold=True)
    reason = browser.unavailable()
    if reason is not None:
        terminalreporter.write_line(f"BROWSER TESTS NOT RUN: {reason}", red=True, bold=True)
