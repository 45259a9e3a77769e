"""Finance: accounts from the chart, the chain of balances, review, and reconciliation."""

from __future__ import annotations

from tests.conftest import LEDGER

APRIL = (LEDGER.replace("2025-03-", "2025-04-").replace("2025-04-05", "2025-05-05")
         .replace("2025-04-03", "2025-05-03"))
MARCH_FILE = "content/qingshan/finance/2025-03.yaml"


def check(make_site, run, files):
    """Check a site; return the exit code and the problem lines (without the summary)."""
    code, _out, err = run("check", "--site", make_site(files))
    return code, [line for line in err.splitlines() if ": 错误：" in line or ": 警告：" in line]


def test_a_closing_balance_off_by_one_fen_names_both_figures(make_site, run):
    code, lines = check(make_site, run, {MARCH_FILE: LEDGER.replace("161139.50", "161139.51")})
    assert code == 1
    assert lines == [
        "content/qingshan/finance/2025-03.yaml:9:18: 错误：closing_balance：期末结余 161139.51 不等于 "
        "上期结余 + 本期收入 − 本期支出 = 161139.50（相差 0.01）；请核对数字"]


def test_the_opening_balance_carries_over_when_left_out(make_site, run):
    april = APRIL.replace("opening_balance: 152340.00\n", "").replace(
        "closing_balance: 161139.50", "closing_balance: 169939.00")
    root = make_site({"content/qingshan/finance/2025-04.yaml": april})
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/qingshan/finance/2025-04.html").read_text()
    assert ('<th scope="row">上期结余</th><td class="num">161,139.50'
            '<span class="capital">壹拾陆万壹仟壹佰叁拾玖元伍角</span></td>') in page
    assert "期末结余 169,939.00 元" in page


def test_a_break_in_the_chain_names_both_files_and_figures(make_site, run):
    code, lines = check(make_site, run, {"content/qingshan/finance/2025-04.yaml": APRIL})
    assert code == 1
    assert lines == [
        "content/qingshan/finance/2025-04.yaml:4:18: 错误：opening_balance：上期结余 152340.00 与 "
        "content/qingshan/finance/2025-03.yaml 的期末结余 161139.50 不一致（相差 -8799.50）；"
        "请更正其中一个文件"]


def test_the_first_period_must_state_its_opening_balance(make_site, run):
    code, lines = check(make_site, run, {MARCH_FILE: LEDGER.replace("opening_balance: 152340.00\n", "")})
    assert code == 1
    assert lines == [
        "content/qingshan/finance/2025-03.yaml:1:1: 错误：opening_balance：本村第一期财务公开须写明"
        "上期结余：请添加“opening_balance: …”（此前结转的余额）"]


def test_a_missing_period_between_two_is_a_warning(make_site, run):
    # June states its own opening balance: across a gap it cannot be checked, only warned.
    june = APRIL.replace("2025-04-", "2025-06-").replace("2025-05-", "2025-07-")
    code, lines = check(make_site, run, {"content/qingshan/finance/2025-06.yaml": june})
    assert code == 0
    # (June is posted 2025-07-05, after the sample's as-of date: warned too.)
    assert lines == [
        "content/qingshan/finance/2025-06.yaml: 警告：content/qingshan/finance/2025-03.yaml 与本文件"
        "之间，2025-04-01 至 2025-05-31 没有财务公开；请补上缺少的各期",
        "content/qingshan/finance/2025-06.yaml:1:12: 警告：published：公开日期 2025-07-05 晚于统计截止日期 "
        "2025-04-08（site.today 或 --today）：公开日期不能在将来，到那一天之前也不算已公开；请更正日期"]


def test_overlapping_periods_are_an_error(make_site, run):
    code, lines = check(make_site, run, {"content/qingshan/finance/2025-Q1.yaml": LEDGER})
    assert code == 1
    assert lines[0] == ("content/qingshan/finance/2025-03.yaml: 错误：本期（2025-03）与 "
                        "content/qingshan/finance/2025-Q1.yaml（2025-Q1）时间重叠；每个月只能在一个文件中公开")


def test_an_unknown_account_lists_the_chart_and_the_closest_name(make_site, run):
    code, lines = check(make_site, run, {MARCH_FILE: LEDGER.replace("category: 公益支出", "category: 公益性支出")})
    assert code == 1
    assert lines == [
        "content/qingshan/finance/2025-03.yaml:8:34: 错误：expense[0].category：应为会计科目表 coa-2024 "
        "中的支出科目（经营支出、税金及附加、管理费用、公益支出、其他支出、所得税费用），"
        "实际为 “公益性支出”；是不是要写“公益支出”？"]


def test_an_income_account_on_an_expense_line_is_an_error(make_site, run):
    code, lines = check(make_site, run, {MARCH_FILE: LEDGER.replace("category: 公益支出", "category: 经营收入")})
    assert code == 1 and "expense[0].category：应为会计科目表 coa-2024 中的支出科目" in lines[0]


def test_the_2004_chart_has_no_public_welfare_account(make_site, run):
    from tests.conftest import CONFIG

    config = CONFIG + "rules: {chart_of_accounts: coa-2004}\n"
    code, lines = check(make_site, run, {"site_config.yaml": config})
    assert code == 1
    assert "（经营支出、管理费用、其他支出），实际为 “公益支出”" in lines[0]


def test_a_ledger_without_review_is_a_warning(make_site, run):
    ledger = "\n".join(line for line in LEDGER.splitlines() if not line.startswith("reviewed_by"))
    code, lines = check(make_site, run, {MARCH_FILE: ledger})
    assert code == 0
    assert lines == [
        "content/qingshan/finance/2025-03.yaml:1:1: 警告：reviewed_by：没有 reviewed_by：财务公开应先经"
        "村务监督委员会审核再张贴；请添加“reviewed_by: {names: [...], date: ..., opinion: ...}”"]


def test_the_period_page_runs_like_the_wall_sheet(make_site, run):
    root = make_site()
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/qingshan/finance/2025-03.html").read_text()
    assert "2025年3月收入 12,000.00 元，支出 3,200.50 元，期末结余 161,139.50 元。" in page
    order = ["上期结余", "本期收入", "发包及上交收入", "本期支出", "公益支出", "本期结余"]
    found = [page.index(f'<th scope="row">{label}</th>') for label in order]
    assert found == sorted(found)
    assert '<span class="capital">壹万贰仟元整</span>' in page          # income total
    assert '<span class="capital">叁仟贰佰元零伍角</span>' in page       # expense total
    # The chart: an image with a title and a description holding the same figures.
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in page
    assert '<title id="chart-title">本期收支构成（按科目）</title>' in page
    assert ('<desc id="chart-desc">收入（按科目）：发包及上交收入 12,000.00 元。支出（按科目）：'
            '公益支出 3,200.50 元。</desc>') in page
    assert 'width="100.0%" class="bar-income"' in page and 'width="26.7%" class="bar-expense"' in page


def test_capital_numerals_are_for_chinese_sites_only(make_site, run):
    from tests.conftest import CONFIG

    root = make_site({"site_config.yaml": CONFIG.replace("today:", "language: en\n  today:")})
    assert run("build", "--site", root)[0] == 0
    assert 'class="capital"' not in (root / "public/qingshan/finance/2025-03.html").read_text()


def test_across_a_gap_the_opening_balance_must_be_stated(make_site, run):
    june = (APRIL.replace("2025-04-", "2025-06-").replace("2025-05-", "2025-07-")
            .replace("opening_balance: 152340.00\n", "").replace("closing_balance: 161139.50\n", ""))
    code, lines = check(make_site, run, {"content/qingshan/finance/2025-06.yaml": june})
    assert code == 1
    assert "content/qingshan/finance/2025-06.yaml:1:1: 错误：opening_balance：本期之前缺少若干期，上期结余无法结转：" \
        "请添加“opening_balance: …”" in lines
