"""Finance: accounts from the chart, the chain of balances, review, and reconciliation."""

from __future__ import annotations

from tests.helpers.sites import LEDGER

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
    assert ('<th scope="row">上期结余</th><td class="num">161,139.50</td></tr>\n'
            '<tr class="capital-row"><td colspan="2" class="num">'
            '<span class="capital">壹拾陆万壹仟壹佰叁拾玖元伍角</span></td></tr>') in page
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
        "上期结余：请添加“opening_balance: …”（此前结转的余额）；如果当时没有记载，写“opening_balance: unknown”"]


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
        "中的支出科目（经营支出、税金及附加、管理费用、公益支出、其他支出、所得税费用）或资产、负债、"
        "所有者权益、成本类科目，实际为 “公益性支出”；是不是要写“公益支出”？"]


def test_an_income_account_on_an_expense_line_is_an_error(make_site, run):
    code, lines = check(make_site, run, {MARCH_FILE: LEDGER.replace("category: 公益支出", "category: 经营收入")})
    assert code == 1 and "expense[0].category：应为会计科目表 coa-2024 中的支出科目" in lines[0]


def test_the_2004_chart_has_no_public_welfare_account(make_site, run):
    from tests.helpers.sites import CONFIG

    config = CONFIG + "rules: {chart_of_accounts: coa-2004}\n"
    code, lines = check(make_site, run, {"site_config.yaml": config})
    assert code == 1
    assert "（经营支出、管理费用、其他支出）或资产、负债、所有者权益、成本类科目，实际为 “公益支出”" in lines[0]


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
    order = ["上期结余", "本期收入", "经营收入", "本期支出", "公益支出", "本期结余"]
    found = [page.index(f'<th scope="row">{label}</th>') for label in order]
    assert found == sorted(found)
    assert '<span class="capital">壹万贰仟元整</span>' in page          # income total
    assert '<span class="capital">叁仟贰佰元零伍角</span>' in page       # expense total
    # The chart: an image with a title and a description holding the same figures.
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in page
    assert '<title id="chart-title">本期收支构成（按科目）</title>' in page
    assert ('<desc id="chart-desc">收入（按科目）：经营收入 12,000.00 元。支出（按科目）：'
            '公益支出 3,200.50 元。</desc>') in page
    assert 'width="100.0%" class="bar-income"' in page and 'width="26.7%" class="bar-expense"' in page


def test_capital_numerals_are_for_chinese_sites_only(make_site, run):
    from tests.helpers.sites import CONFIG

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


# --- the chart by period, sub-accounts, unknown opening balances, sign-off ------------

DECEMBER_2023 = "content/qingshan/finance/2023-12.yaml"


def errors(result):
    """Keep the exit code and the errors (a lone 2023 period is overdue: a warning)."""
    code, lines = result
    return code, [line for line in lines if ": 错误：" in line]
OLD_LEDGER = (LEDGER.replace("2025-03-", "2023-12-").replace("2025-04-0", "2024-01-0")
              .replace("category: 经营收入", "category: 发包及上交收入")
              .replace("category: 公益支出", "category: 管理费用"))


def test_a_period_before_2024_is_checked_against_the_2004_chart(make_site, run):
    # 发包及上交收入 is an account before 2024; March 2025 (the base ledger) keeps 2024's.
    code, lines = errors(check(make_site, run, {MARCH_FILE: None, DECEMBER_2023: OLD_LEDGER}))
    assert (code, lines) == (0, [])
    welfare = OLD_LEDGER.replace("category: 管理费用", "category: 公益支出")
    code, lines = errors(check(make_site, run, {MARCH_FILE: None, DECEMBER_2023: welfare}))
    assert code == 1
    assert lines == [
        "content/qingshan/finance/2023-12.yaml:8:34: 错误：expense[0].category：应为会计科目表 "
        "coa-2004 中的支出科目（经营支出、管理费用、其他支出）或资产、负债、所有者权益、成本类科目，"
        "实际为 “公益支出”：这是会计科目表 coa-2024 的 514 公益支出，不是本期所用的 coa-2004 的科目；"
        "在 coa-2004 中请写 551 其他支出、212 应付福利费。在 coa-2004 中，照顾五保户、困难户、烈军属的"
        "支出，计划生育支出，因公伤亡的医药费、生活补助及抚恤金，通过应付福利费（负债，从收益分配中"
        "提取）支付（三（二）212 一）；其他公益性支出记其他支出。"]


def test_from_2024_contract_income_is_operating_income_or_investment_income(make_site, run):
    old_name = LEDGER.replace("category: 经营收入", "category: 发包及上交收入")
    code, lines = check(make_site, run, {MARCH_FILE: old_name})
    assert code == 1
    assert lines == [
        "content/qingshan/finance/2025-03.yaml:6:34: 错误：income[0].category：应为会计科目表 "
        "coa-2024 中的收入科目（经营收入、投资收益、补助收入、其他收入）或资产、负债、所有者权益类科目，"
        "实际为 “发包及上交收入”：它属于以下科目之一：501 经营收入、502 投资收益。coa-2024 把发包及上交"
        "收入按经济实质分开：承包金、租金（让渡集体土地、资产的使用权）→ 经营收入；村（组）办企业上交的"
        "利润、分红 → 投资收益。请把所属科目写成“category: …”，并写“subaccount: 发包及上交收入”"]


def test_the_site_or_the_ledger_can_name_the_chart(make_site, run):
    from tests.helpers.sites import CONFIG

    old_name = LEDGER.replace("category: 经营收入", "category: 发包及上交收入")
    # The ledger names the chart it was kept under.
    code, lines = check(make_site, run, {MARCH_FILE: old_name.replace(
        "category: 公益支出", "category: 管理费用") + "chart_of_accounts: coa-2004\n"})
    assert (code, lines) == (0, [])
    # The site puts every period under one chart: 2023 under the 2024 chart here.
    code, lines = errors(check(make_site, run, {
        "site_config.yaml": CONFIG + "rules: {chart_of_accounts: coa-2024}\n",
        MARCH_FILE: None, DECEMBER_2023: OLD_LEDGER}))
    assert code == 1 and "income[0].category：应为会计科目表 coa-2024 中的收入科目" in lines[0]


def test_a_sub_account_written_as_the_account_names_its_account(make_site, run):
    code, lines = check(make_site, run, {MARCH_FILE: LEDGER.replace("category: 公益支出", "category: 办公费")})
    assert code == 1
    assert lines == [
        "content/qingshan/finance/2025-03.yaml:8:34: 错误：expense[0].category：应为会计科目表 "
        "coa-2024 中的支出科目（经营支出、税金及附加、管理费用、公益支出、其他支出、所得税费用）或资产、"
        "负债、所有者权益、成本类科目，实际为 “办公费”；是不是要写“管理费用”（明细：办公费）？请写“category: 管理费用”和"
        "“subaccount: 办公费”"]


SUBS = """\
published: 2025-04-05
reviewed_by: {names: [李芳]}
opening_balance: 1000.00
income:
  - {date: 2025-03-02, category: 经营收入, subaccount: 租金收入, item: 店面租金, amount: 500.00}
expense:
  - {date: 2025-03-03, category: 管理费用—办公费, item: 打印纸, amount: 100.00}
  - {date: 2025-03-04, category: 管理费用 / 办公费, item: 墨盒, amount: 250.50}
  - {date: 2025-03-05, category: 管理费用, subaccount: 水电费, item: 电费, amount: 80.00}
  - {date: 2025-03-06, category: 管理费用, item: 杂项, amount: 19.50}
  - {date: 2025-03-07, category: 公益支出, item: 路灯维修, amount: 300.00, payee: 青山电器店, voucher: 记-9}
"""


def test_sub_accounts_are_totalled_under_their_account(make_site, run):
    root = make_site({MARCH_FILE: SUBS})
    code, _out, err = run("build", "--site", root)
    assert code == 0, err
    page = (root / "public/qingshan/finance/2025-03.html").read_text()
    # The summary: each account, then its sub-accounts with their totals.
    rows = ['<tr class="account"><th scope="row">管理费用</th><td class="num">450.00</td></tr>',
            '<tr class="sub"><th scope="row">明细：办公费</th><td class="num">350.50</td></tr>',
            '<tr class="sub"><th scope="row">明细：水电费</th><td class="num">80.00</td></tr>',
            '<tr class="account"><th scope="row">公益支出</th><td class="num">300.00</td></tr>']
    found = [page.index(row) for row in rows]
    assert found == sorted(found)
    # The lines: the account's heading with its count and subtotal, then each sub-account.
    heads = ['<span class="visually-hidden">科目 </span>管理费用</span> <span class="count">4 笔</span>'
             '<span class="amount">450.00</span></h3>',
             '<h4 class="sub-head"><span>未分明细</span><span class="amount">19.50</span></h4>',
             '<h4 class="sub-head"><span>明细：办公费</span><span class="amount">350.50</span></h4>',
             '<span class="day">3月3日</span>打印纸</span>', '<span class="day">3月4日</span>墨盒</span>',
             '<h4 class="sub-head"><span>明细：水电费</span><span class="amount">80.00</span></h4>']
    found = [page.index(head) for head in heads]
    assert found == sorted(found)
    # An account without sub-accounts has no sub-headings; a line with details opens them.
    assert page.count('<h4 class="sub-head">') == 3 + 1   # 经营收入's 租金收入 too
    assert ('<details class="line"><summary><span class="what"><span class="day">3月7日</span>路灯维修'
            '</span><span class="amount">300.00</span></summary><dl>') in page
    assert '<div class="line"><span class="what"><span class="day">3月6日</span>杂项</span>' in page


UNKNOWN = LEDGER.replace("opening_balance: 152340.00", "opening_balance: unknown").replace(
    "closing_balance: 161139.50\n", "")


def test_an_unknown_opening_balance_is_said_not_made_up(make_site, run):
    root = make_site({MARCH_FILE: UNKNOWN})
    code, _out, err = run("build", "--site", root)
    assert code == 0, err
    page = (root / "public/qingshan/finance/2025-03.html").read_text()
    assert "2025年3月收入 12,000.00 元，支出 3,200.50 元；结余不详。" in page
    assert '<th scope="row">上期结余</th><td class="num">不详</td>' in page
    assert '<th scope="row">本期收支相抵</th><td class="num">8,799.50' in page
    assert '<tr class="total"><th scope="row">本期结余</th><td class="num">不详</td></tr>' in page
    assert "上期结余和本期结余都不列数字" in page
    assert "期末结余" not in page and "152,340" not in page
    board = (root / "public/qingshan/index.html").read_text()
    assert "结余 不详" in board


def test_after_an_unknown_balance_the_chain_carries_the_unknown_or_starts_anew(make_site, run):
    april = APRIL.replace("opening_balance: 152340.00\n", "").replace("closing_balance: 161139.50\n", "")
    root = make_site({MARCH_FILE: UNKNOWN, "content/qingshan/finance/2025-04.yaml": april})
    assert run("build", "--site", root)[0] == 0
    assert '<th scope="row">上期结余</th><td class="num">不详</td>' in (
        root / "public/qingshan/finance/2025-04.html").read_text()
    # A stated figure after an unknown balance starts the chain anew: nothing to check it by.
    code, lines = check(make_site, run, {MARCH_FILE: UNKNOWN, "content/qingshan/finance/2025-04.yaml": APRIL})
    # (April is posted after the test site's as-of day, which is only a warning.)
    assert (code, [line for line in lines if ": 错误：" in line]) == (0, [])


def test_an_unknown_closing_stated_on_the_sheet_is_shown_and_carried(make_site, run):
    stated = UNKNOWN + "closing_balance: 20000.00\n"
    april = APRIL.replace("opening_balance: 152340.00", "opening_balance: 20000.00").replace(
        "closing_balance: 161139.50", "closing_balance: 28799.50")
    root = make_site({MARCH_FILE: stated, "content/qingshan/finance/2025-04.yaml": april})
    code, _out, err = run("build", "--site", root)
    assert code == 0, err
    page = (root / "public/qingshan/finance/2025-03.html").read_text()
    assert '<th scope="row">本期结余</th><td class="num">20,000.00' in page
    assert "本期结余为公开表所列数字" in page


def test_unknown_is_an_error_where_the_balance_is_known(make_site, run):
    april = APRIL.replace("opening_balance: 152340.00", "opening_balance: 不详").replace(
        "closing_balance: 161139.50\n", "")
    code, lines = check(make_site, run, {"content/qingshan/finance/2025-04.yaml": april})
    assert code == 1
    assert lines == [
        "content/qingshan/finance/2025-04.yaml:4:18: 错误：opening_balance：上期结余是知道的：就是 "
        "content/qingshan/finance/2025-03.yaml 的期末结余 161139.50；请写这个数字，或者删去"
        "“opening_balance”"]


SIGNOFF_RULE = "rules: {signoff_above: 3000}\n"


def test_sign_off_is_checked_above_the_site_s_amount_only(make_site, run):
    from tests.helpers.sites import CONFIG

    # Without the rule nothing is checked.
    assert check(make_site, run, {}) == (0, [])
    code, lines = check(make_site, run, {"site_config.yaml": CONFIG + SIGNOFF_RULE, MARCH_FILE:
                                         LEDGER.replace("voucher: 记-011", "voucher: 记-011, handled_by: 王会计")})
    assert code == 1
    assert lines == [
        "content/qingshan/finance/2025-03.yaml:8:5: 错误：expense[0].witnessed_by：超过 3000.00 元的支出"
        "须写明证明人（site_config.yaml 的 rules.signoff_above）；这笔 3200.50 元的支出没有"
        "“witnessed_by: …”",
        "content/qingshan/finance/2025-03.yaml:8:5: 错误：expense[0].approved_by：超过 3000.00 元的支出"
        "须写明审批人（site_config.yaml 的 rules.signoff_above）；这笔 3200.50 元的支出没有"
        "“approved_by: …”"]
    # At or under the amount, and on income lines (12,000.00 here), nothing is required.
    assert check(make_site, run, {"site_config.yaml": CONFIG + "rules: {signoff_above: 3200.50}\n"}) \
        == (0, [])


def test_sign_off_is_shown_with_the_line(make_site, run):
    from tests.helpers.sites import CONFIG

    signed = LEDGER.replace("voucher: 记-011", "voucher: 记-011, handled_by: 王会计, "
                            "witnessed_by: 李芳, approved_by: 张伟")
    root = make_site({"site_config.yaml": CONFIG + SIGNOFF_RULE, MARCH_FILE: signed})
    code, _out, err = run("build", "--site", root)
    assert code == 0, err
    page = (root / "public/qingshan/finance/2025-03.html").read_text()
    assert ("<dt>收款方</dt><dd>青山电器店</dd><dt>凭证号</dt><dd>记-011</dd><dt>经手人</dt><dd>王会计</dd>"
            "<dt>证明人</dt><dd>李芳</dd><dt>审批人</dt><dd>张伟</dd></dl></details>") in page


def test_a_correction_dated_after_the_as_of_date_is_a_warning_naming_its_line(make_site, run):
    # The sample's as-of date is 2025-04-08; a correction of 2099 is a typo for some year.
    code, lines = check(make_site, run, {MARCH_FILE: LEDGER + (
        "corrections:\n  - {date: 2025-04-07, change: 改正1, reason: 抄录错误, approved_by: 李芳}\n"
        "  - {date: 2099-04-10, change: 改正2, reason: 抄录错误, approved_by: 李芳}\n")})
    assert code == 0
    assert lines == [
        "content/qingshan/finance/2025-03.yaml:12:12: 警告：corrections[1].date：更正日期 "
        "2099-04-10 晚于统计截止日期 2025-04-08（site.today 或 --today）：更正不能写将来的日期；"
        "请写批准更正的那一天"]
