"""docs/first-month.md, step by step: from an empty folder to a published month.

The first test runs every command of the tutorial, in its order, and checks what the
tutorial says the clerk will see. The second opens the preview in Chromium at phone
width, makes the tutorial's mistake, and screenshots the board, the month and the error.
Its screenshots go to test-artifacts/screenshots/ like the other browser tests'; to
refresh the ones the tutorial shows, run

    GONGKAI_TUTORIAL_SHOTS=1 python -m pytest tests/e2e/test_tutorial.py

and look at docs/images/first-month/ before committing them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gongkai.clerk.serve import Preview, Server
from tests.helpers import browser

REPO = Path(__file__).resolve().parent.parent.parent
JOURNAL = REPO / "docs/examples/东山村现金日记账-2026-01.xlsx"
TODAY = "2026-02-06"  # the tutorial's month is January 2026, posted early in February
DOC_SHOTS = REPO / "docs/images/first-month"
Run = Callable[..., tuple[int, str, str]]

# Step 3 of the tutorial: what the clerk types into village.yaml.
SUPERVISORS = """\
supervisors:
  - {name: 李芳, role: 主任}
  - {name: 赵强, role: 委员}
"""
# Step 5: the committee's review, added under reviewed_by.
REVIEW = """\
reviewed_by:
  names: [李芳, 赵强]
  date: 2026-02-04
  opinion: 经审核，收支真实、凭证齐全，同意公开。
"""
# Step 6: the mistake the tutorial makes on purpose, and its message.
TYPO = ("amount: 426.50", "amount: 462.50")
MISTAKE = ("content/dongshan/finance/2026-01.yaml:{line}:18: 错误：closing_balance：期末结余 "
           "106776.69 不等于 上期结余 + 本期收入 − 本期支出 = 106740.69（相差 36.00）；请核对数字")


def start_site(run: Run, folder: Path) -> Path:
    """Steps 1 to 5: a new site, a village, January imported, reviewed."""
    site = folder / "白石镇公开"
    code, _, err = run("new", "site", "白石镇村级“三务”公开", "--town", "baishi=白石镇",
                       "--site", site)
    assert (code, err) == (0, "")
    code, out, err = run("new", "village", "dongshan", "--town", "baishi", "--name", "东山村",
                         "--site", site)
    assert (code, err) == (0, ""), out
    profile = site / "content/dongshan/village.yaml"
    text = profile.read_text(encoding="utf-8")
    assert "# supervisors:\n#   - {name: 李芳, role: 主任}\n#   - {name: 赵强, role: 委员}\n" in text
    profile.write_text(text.replace(
        "# supervisors:\n#   - {name: 李芳, role: 主任}\n#   - {name: 赵强, role: 委员}\n",
        SUPERVISORS), encoding="utf-8")
    code, out, err = run("import", "dongshan", "2026-01", JOURNAL, "--published", "2026-02-05",
                         "--site", site)
    assert code == 0, err
    assert out.splitlines()[:2] == [
        "已写入 content/dongshan/finance/2026-01.yaml（来自 东山村现金日记账-2026-01.xlsx "
        "的工作表“现金日记账”）：10 笔（收入 4 笔，支出 6 笔）。",
        "收入 29863.27，支出 9538.88；上期结余 86452.30，期末结余 106776.69。"]
    ledger = site / "content/dongshan/finance/2026-01.yaml"
    text = ledger.read_text(encoding="utf-8")
    assert "\nreviewed_by:\n" in text
    ledger.write_text(text.replace("reviewed_by:\n", REVIEW), encoding="utf-8")
    return site


def test_the_tutorial_publishes_a_month_from_an_empty_folder(run, tmp_path):
    site = start_site(run, tmp_path)
    code, _, err = run("check", "--site", site, "--today", TODAY)
    assert code == 0, err
    # What the tutorial says the clerk will still be told: a new village has no affairs
    # or party disclosures yet, and a site without base_url has no QR codes.
    assert [line for line in err.splitlines() if "警告" in line] == [
        "content/dongshan: 警告：党务：尚未有任何公开",
        "content/dongshan: 警告：村务：尚未有任何公开",
        "site_config.yaml: 警告：site.base_url：没有设置 site.base_url，页面上不会有二维码，网站也没有订阅源（Atom）和站点地图："
        "请添加网站的公网地址，例如“base_url: https://sanwu.example.cn/”"]
    ledger = site / "content/dongshan/finance/2026-01.yaml"
    good = ledger.read_text(encoding="utf-8")
    ledger.write_text(good.replace(*TYPO), encoding="utf-8")
    code, _, err = run("check", "--site", site, "--today", TODAY)
    line = good.splitlines().index("closing_balance: 106776.69") + 1
    assert code == 1
    assert MISTAKE.format(line=line) in err.splitlines()
    ledger.write_text(good, encoding="utf-8")
    code, _, err = run("build", "--site", site, "--today", TODAY)
    assert code == 0, err
    page = (site / "public/dongshan/finance/2026-01.html").read_text(encoding="utf-8")
    assert "106,776.69" in page and "集体鱼塘承包费（2026年度）" in page
    assert "李芳" in page


def test_the_tutorial_screenshots(run, tmp_path, chromium):
    site = start_site(run, tmp_path)
    reports: list[Any] = []
    server = Server(Preview(site, browser_day(), "zh-CN", reports.append), "127.0.0.1", 0)
    server.start()
    page = chromium.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=1)
    try:
        page.goto(server.url + "dongshan/")
        assert "东山村" in page.title()
        shoot(page, "board", whole=True)
        page.goto(server.url + "dongshan/finance/2026-01.html")
        assert "106,776.69" in page.inner_text("main")
        shoot(page, "month")
        ledger = site / "content/dongshan/finance/2026-01.yaml"
        good = ledger.read_text(encoding="utf-8")
        time.sleep(0.3)  # let the page's event stream connect before the edit
        ledger.write_text(good.replace(*TYPO), encoding="utf-8")
        alert = page.wait_for_selector("[role=alert]", timeout=20_000)
        assert "相差 36.00" in alert.inner_text()
        shoot(page, "mistake")
    finally:
        page.close()
        server.stop()


def browser_day() -> Any:
    """The tutorial's "today", as the preview takes it."""
    from gongkai.core.dates import parse_date

    return parse_date(TODAY)


def shoot(page: Any, name: str, whole: bool = False) -> None:
    """Screenshot the page (the visible part unless ``whole``) for the tutorial when asked,
    else all of it for the test run."""
    if os.environ.get("GONGKAI_TUTORIAL_SHOTS"):
        DOC_SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOC_SHOTS / f"{name}.png"), full_page=whole)
    else:
        browser.screenshot(page, f"tutorial-{name}")
