"""The seal log, 4. balances moved by a correction of an earlier period."""

from __future__ import annotations

import json

from tests.helpers.cli import cli
from tests.helpers.html import element, text_of
from tests.helpers.seal import (
    SMALL_CONFIG,
    replace_once,
)
from tests.helpers.sites import LEDGER, MakeSite

MARCH = LEDGER  # the base site's March, the period the April below follows
APRIL = """\
published: 2025-05-06
prepared_by: 王会计
reviewed_by: {names: [李芳, 赵强], date: 2025-05-04, opinion: 经审核，收支真实}
opening_balance: 161139.50
income:
  - {date: 2025-04-02, category: 经营收入, item: 店面租金, amount: 2800.00, voucher: 记-001}
expense:
  - {date: 2025-04-10, category: 公益支出, item: 保洁工资, amount: 1900.00, payee: 保洁员, voucher: 记-002}
closing_balance: 162039.50
"""


def test_a_corrected_period_moves_the_next_periods_opening_balance(make_site: MakeSite):
    site = make_site({"site_config.yaml": SMALL_CONFIG,
                      "content/qingshan/finance/2025-03.yaml": MARCH,
                      "content/qingshan/finance/2025-04.yaml": APRIL})
    assert cli("seal", "--site", site, "--today", "2025-05-10")[0] == 0
    march, april = site / "content/qingshan/finance/2025-03.yaml", \
        site / "content/qingshan/finance/2025-04.yaml"
    replace_once(march, "amount: 3200.50", "amount: 3100.50")
    replace_once(march, "closing_balance: 161139.50", "closing_balance: 161239.50")
    march.write_text(march.read_text(encoding="utf-8") + (
        "corrections:\n  - {date: 2025-05-12, change: 路灯维修支出由3200.50元更正为3100.50元, "
        "reason: 发票金额抄错, approved_by: 村务监督委员会 李芳}\n"), encoding="utf-8")
    # April's balances follow, with no correction of its own.
    replace_once(april, "opening_balance: 161139.50", "opening_balance: 161239.50")
    replace_once(april, "closing_balance: 162039.50", "closing_balance: 162139.50")
    code, _out, err = cli("build", "--site", site, "--today", "2025-05-13")
    assert code == 0, err
    page = (site / "public/qingshan/finance/2025-04.html").read_text(encoding="utf-8")
    assert text_of(element(page, r'<p class="moved">.*?</p>')) == (
        "The opening balance of this period moved from 161,139.50 yuan, as sealed, to "
        "161,239.50 yuan, because an earlier period was corrected.")
    code, out, err = cli("seal", "--site", site, "--today", "2025-05-13")
    assert code == 0, err
    entries = (site / "history/log.jsonl").read_text(encoding="utf-8").splitlines()
    second = sorted((line for line in entries if '"seal":2' in line),
                    key=lambda line: str(json.loads(line)["path"]))
    assert len(second) == 2
    assert '"path":"content/qingshan/finance/2025-03.yaml"' in second[0]
    assert '"closing":"161239.50"' in second[0] and '"version":2' in second[0]
    assert '"path":"content/qingshan/finance/2025-04.yaml"' in second[1]
    assert '"opening":"161239.50"' in second[1] and '"version":2' in second[1]
    assert '"corrections":0' in second[1]
    old = (site / "public/qingshan/finance/2025-04.v1.html").read_text(encoding="utf-8")
    assert "161,139.50" in old  # the earlier version shows the balance it was sealed with
    # An unsigned seal verifies too, and says it is not signed.
    code, out, err = cli("verify", site / "public")
    assert (code, err) == (0, "")
    assert "✓ the seal is not signed (the county has no key)\n" in out


def test_the_moved_balance_note_stays_after_it_is_sealed(make_site: MakeSite):
    site = make_site({"site_config.yaml": SMALL_CONFIG,
                      "content/qingshan/finance/2025-03.yaml": MARCH,
                      "content/qingshan/finance/2025-04.yaml": APRIL})
    assert cli("seal", "--site", site, "--today", "2025-05-10")[0] == 0
    march, april = site / "content/qingshan/finance/2025-03.yaml", \
        site / "content/qingshan/finance/2025-04.yaml"
    replace_once(march, "amount: 3200.50", "amount: 3100.50")
    replace_once(march, "closing_balance: 161139.50", "closing_balance: 161239.50")
    march.write_text(march.read_text(encoding="utf-8") + (
        "corrections:\n  - {date: 2025-05-12, change: 路灯维修支出由3200.50元更正为3100.50元, "
        "reason: 发票金额抄错, approved_by: 李芳}\n"), encoding="utf-8")
    replace_once(april, "opening_balance: 161139.50", "opening_balance: 161239.50")
    replace_once(april, "closing_balance: 162039.50", "closing_balance: 162139.50")
    assert cli("seal", "--site", site, "--today", "2025-05-13")[0] == 0
    page = (site / "public/qingshan/finance/2025-04.html").read_text(encoding="utf-8")
    assert '<p class="moved">' in page
