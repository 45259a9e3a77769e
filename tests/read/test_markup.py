"""Markdown in disclosures: headings under the page title, tables that become cards."""

from __future__ import annotations

from gongkai.read.markup import render_markdown

BUDGET = """\
| 科目 | 主要内容 | 金额（元） |
|---|---|---:|
| 补助收入 | **村级**组织运转经费 | 119,500.00 |
| 合计 | | ¥410,100.00 |
"""


def test_table_cells_carry_their_column_header_for_phone_cards():
    html = render_markdown(BUDGET)
    assert '<table class="ledger">' in html
    assert '<td data-label="科目">补助收入</td>' in html
    assert '<td data-label="主要内容"><strong>村级</strong>组织运转经费</td>' in html


def test_cells_holding_one_figure_are_marked_as_numbers():
    html = render_markdown(BUDGET)
    assert '<td align="right" class="num" data-label="金额（元）">119,500.00</td>' in html
    assert '<td align="right" class="num" data-label="金额（元）">¥410,100.00</td>' in html
    assert 'class="num" data-label="主要内容"' not in html


def test_classes_a_clerk_writes_are_dropped():
    html = render_markdown('<table class="evil"><tr><td class="x" data-label="y">1</td></tr></table>')
    assert "evil" not in html and 'class="x"' not in html


def test_headings_stay_below_the_page_title():
    assert render_markdown("# 标题\n\n## 小节") == "<h2>标题</h2>\n<h3>小节</h3>"
