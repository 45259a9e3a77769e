"""Decisions and notices as recorded: attendance and votes, 落款, approval, a village's own
steps, notice ends as stated, pinned rules, and posting dates that cannot be."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.helpers.cli import problems
from tests.helpers.sites import CONFIG, LEDGER, NOTICE, PARTY, VILLAGE, with_front

NOTICE_FILE = "content/qingshan/affairs/道路硬化公示.md"
NOTICE_PAGE = "public/qingshan/affairs/道路硬化公示.html"
PARTY_FILE = "content/qingshan/party/2025-03-party-day.md"


DECISION = """\
attendance:
  - {group: 党员, expected: 52, present: 47, for: 45, against: 0, abstain: 2}
  - {group: 村民代表, expected: 41, present: 38, for: 35, against: 1, abstain: 2}
  - {group: 听证会参加人员, present: 23}
approval: {status: 待审批, by: 青山镇人民政府, date: 2025-04-06}
issued:
  by: [中共青山村支部委员会, 青山村村民委员会]
  date: 2025-04-06
"""


def test_attendance_votes_approval_and_issuing_bodies_show_on_the_page(make_site, run):
    root = make_site({NOTICE_FILE: with_front(NOTICE.replace("type: 公示", "type: 决议"),
                                              DECISION)})
    assert problems(run, root) == (0, [])
    assert run("build", "--site", root)[0] == 0
    page = (root / NOTICE_PAGE).read_text()
    assert "<strong>党员</strong>\n应到 52 人，实到 47 人" in page
    assert "<strong>听证会参加人员</strong>\n实到 23 人" in page
    # Shares of those present, to one decimal: 35/38 = 92.1 %, 1/38 = 2.6 %, 2/38 = 5.3 %.
    for text in ('<span class="vote vote-for">同意 35 票（92.1%）</span>',
                 '<span class="vote vote-against">反对 1 票（2.6%）</span>',
                 '<span class="vote vote-abstain">弃权 2 票（5.3%）</span>',
                 '<span class="vote vote-for">同意 45 票（95.7%）</span>'):
        assert text in page
    assert ('<span class="status status-upcoming">待审批</span> <span class="meta">青山镇人民政府</span> '
            '<span class="meta">2025年4月6日报送</span>') in page
    issued = page[page.index('<div class="issued"'):]
    issued = issued[:issued.index("</div>")]
    assert "<p>中共青山村支部委员会</p><p>青山村村民委员会</p>" in issued
    assert "<p>2025年4月6日</p>" in issued
    # The 落款 closes the notice: after the body and the votes.
    assert page.index("道路硬化工程预算") < page.index("到会和表决情况") < page.index('class="issued"')


def test_a_result_is_shown_with_its_date_and_needs_one(make_site, run):
    approved = "approval: {status: 已批准, by: 青山镇人民政府, date: 2025-04-20}\n"
    root = make_site({NOTICE_FILE: with_front(NOTICE, approved)})
    assert run("build", "--site", root)[0] == 0
    page = (root / NOTICE_PAGE).read_text()
    assert ('<span class="status status-open">已批准</span> <span class="meta">青山镇人民政府</span> '
            '<span class="meta">2025年4月20日</span>') in page
    refused = make_site({NOTICE_FILE: with_front(NOTICE, "approval: {status: rejected}\n")})
    assert problems(run, refused) == (1, [
        "content/qingshan/affairs/道路硬化公示.md:6:20: 错误：approval.date：乡镇审批结果要写明日期："
        "请在 approval 中加上“date: …”"])


def test_votes_must_add_up_to_those_present(make_site, run):
    wrong = ("attendance:\n  - {group: 村民代表, expected: 41, present: 38, for: 35, against: 0, "
             "abstain: 2}\n  - {group: 党员, expected: 40, present: 47}\n")
    code, lines = problems(run, make_site({NOTICE_FILE: with_front(NOTICE, wrong)}))
    assert code == 1
    assert lines == [
        "content/qingshan/affairs/道路硬化公示.md:7:51: 错误：attendance[0].for：表决票数合计 37（同意 35 + "
        "反对 0 + 弃权 2），但实到 38 人；每位到会人员都应投同意、反对或弃权票：请核对数字",
        "content/qingshan/affairs/道路硬化公示.md:8:40: 错误：attendance[1].present：实到 47 人，多于应到 "
        "40 人；请核对数字",
    ]


def test_a_share_is_of_those_present_to_one_decimal():
    from gongkai.check.affairs import share

    assert share(35, 38) == Decimal("92.1")
    assert share(1, 3) == Decimal("33.3")
    assert share(1, 8) == Decimal("12.5")
    assert share(0, 0) == Decimal("0.0")


HEARING = """\
steps:
  - {step: 村两委商议, date: 2025-03-01}
  - {step: 民主听证会, date: 2025-03-10}
  - {step: 党员大会审议, date: 2025-03-20}
"""
EXTRA = "extra_steps:\n  - {step: 民主听证会, after: 村两委商议}\n"


def test_a_village_adds_its_own_step_checked_for_order(make_site, run):
    notice = with_front(NOTICE, HEARING)
    without = make_site({NOTICE_FILE: notice})
    code, lines = problems(run, without)
    assert code == 1 and lines[0].startswith(
        "content/qingshan/affairs/道路硬化公示.md:8:12: 错误：steps[1].step：应为 rules.decision_steps 中的"
        "步骤，或本村在 village.yaml 中用 extra_steps 增加的步骤（")
    # The same disclosure, unchanged: village.yaml alone makes the step known (not the cache).
    (without / "content/qingshan/village.yaml").write_text(VILLAGE + EXTRA, encoding="utf-8")
    assert problems(run, without) == (0, [])
    assert run("build", "--site", without)[0] == 0
    assert "<strong>民主听证会</strong>" in (without / NOTICE_PAGE).read_text()
    late = with_front(NOTICE, HEARING.replace("村两委商议, date: 2025-03-01", "党员大会审议, "
                                              "date: 2025-03-01").replace(
        "党员大会审议, date: 2025-03-20", "村民代表会议决议, date: 2025-03-20"))
    root = make_site({NOTICE_FILE: late, "content/qingshan/village.yaml": VILLAGE + EXTRA})
    assert problems(run, root) == (0, [
        "content/qingshan/affairs/道路硬化公示.md:8:12: 警告：steps[1].step：按议事程序，这一步应在"
        "“党员大会审议”之前，却排在它之后"])


def test_village_steps_are_placed_after_their_anchor():
    from gongkai.check.affairs import village_steps
    from gongkai.model.config import DEFAULT_DECISION_STEPS
    from gongkai.model.village import ExtraStep

    steps = village_steps(DEFAULT_DECISION_STEPS, [
        ExtraStep(step="民主听证会", after="村两委商议"),
        ExtraStep(step="村务监督委员会审议", after="村两委商议"),
        ExtraStep(step="镇审批", after="村民代表会议决议")])
    assert steps == ("党员群众建议", "村党组织提议", "村两委商议", "民主听证会", "村务监督委员会审议",
                     "党员大会审议", "村民代表会议决议", "镇审批", "决议公开", "实施结果公开")


def test_an_added_step_must_be_new_and_follow_a_known_step(make_site, run):
    extra = ("extra_steps:\n  - {step: 村两委商议, after: 村党组织提议}\n"
             "  - {step: 民主听证会, after: 两委商议}\n")
    code, lines = problems(run, make_site({"content/qingshan/village.yaml": VILLAGE + extra}))
    assert code == 1
    assert lines == [
        "content/qingshan/village.yaml:5:12: 错误：extra_steps[0].step：村两委商议 已经是议事步骤之一；"
        "这里只写 rules.decision_steps 中没有的步骤",
        "content/qingshan/village.yaml:6:26: 错误：extra_steps[1].after：应为 rules.decision_steps 中的"
        "步骤或上面已增加的步骤（党员群众建议、村党组织提议、村两委商议、党员大会审议、村民代表会议决议、决议公开、"
        "实施结果公开），实际为 “两委商议”；是不是要写“村两委商议”？",
    ]


def test_a_notice_without_an_end_says_the_end_is_by_rule(make_site, run):
    root = make_site()
    assert run("build", "--site", root)[0] == 0
    page = (root / NOTICE_PAGE).read_text()
    assert "公示期：2025年4月6日起，按规定 7 日（至 2025年4月13日）" in page


def test_where_the_rule_does_not_apply_no_end_is_made_up(make_site, run):
    config = CONFIG + "rules: {notice_end_by_rule: false}\n"
    root = make_site({"site_config.yaml": config})
    assert run("build", "--site", root)[0] == 0
    page = (root / NOTICE_PAGE).read_text()
    assert "公示期：2025年4月6日起，未注明截止日期" in page
    assert '<span class="status status-unended">未注明截止日期</span>' in page
    assert "4月13日" not in page
    board = (root / "public/qingshan/index.html").read_text()
    assert "正在公示" not in board and "未注明截止日期" in board


def test_a_standing_notice_never_closes(make_site, run):
    standing = NOTICE.replace("notice: {from: 2025-04-06}", "notice: {from: 2025-04-06, to: 长期公开}")
    config = CONFIG.replace("today: 2025-04-08", "today: 2027-04-08")
    root = make_site({NOTICE_FILE: standing, "site_config.yaml": config})
    run("build", "--site", root)
    page = (root / NOTICE_PAGE).read_text()
    assert "公示期：长期公开（2025年4月6日起）" in page
    assert '<span class="status status-standing">长期公开</span>' in page
    recruit = PARTY.replace("type: party-day", "type: 发展党员\nstage: 发展对象\n"
                            "notice: {from: 2025-03-17, to: 长期}")
    code, lines = problems(run, make_site({PARTY_FILE: recruit}))
    assert code == 1 and lines == [
        "content/qingshan/party/2025-03-party-day.md:6:32: 错误：notice.to：发展党员公示要写明公示期：请用"
        "“to: …”写明最后一天，至少 5 个工作日"]


RULE = """\
---
title: 青山村“一事一议”筹资筹劳议事制度
date: 2024-01-08
type: 制度
pinned: true
notice: {from: 2024-01-08, to: 长期公开}
---
一事一议按五议程序办理。
"""


def test_a_pinned_rule_stands_at_the_top_of_the_board_and_is_not_a_disclosure(make_site, run):
    root = make_site({"content/qingshan/affairs/制度.md": RULE, NOTICE_FILE: None})
    code, lines = problems(run, root)
    # The rule does not count: village affairs were never disclosed.
    assert code == 0 and lines == ["content/qingshan: 警告：村务：尚未有任何公开"]
    assert run("build", "--site", root)[0] == 0
    board = (root / "public/qingshan/index.html").read_text()
    pinned = board[board.index('<section class="pinned"'):board.index('<div class="board">')]
    assert "长期公开的制度" in pinned and "青山村“一事一议”筹资筹劳议事制度" in pinned
    panel = board[board.index('id="panel-affairs"'):board.index('id="panel-finance"')]
    assert "议事制度" not in panel and "暂无公开内容" in panel
    # Listed with everything else on the panel's own page.
    assert "议事制度" in (root / "public/qingshan/affairs/index.html").read_text()


def test_a_rule_or_pinned_item_does_not_count_toward_the_calendar(make_site):
    from gongkai.check.schedule import counts
    from gongkai.core.errors import Report
    from gongkai.load.site import load_site

    site = load_site(make_site({"content/qingshan/affairs/制度.md": RULE}), Report())
    assert site is not None
    village = site.villages[0]
    by_title = {item.data.title[:4]: item for item in village.affairs}
    assert not counts(by_title["青山村“"], date(2025, 4, 8))
    assert counts(by_title["关于村内"], date(2025, 4, 8))
    assert not counts(by_title["关于村内"], date(2025, 4, 5))  # dated after that day


def test_a_posting_date_after_the_as_of_date_is_warned_and_does_not_count(make_site, run):
    config = CONFIG.replace("today: 2025-04-08", "today: 2025-07-01")
    future_party = PARTY.replace("date: 2025-03-15", "date: 2026-06-15")
    root = make_site({"site_config.yaml": config, PARTY_FILE: future_party})
    code, lines = problems(run, root)
    assert code == 0
    # The party day, moved to next year, no longer counts: the party panel is empty.
    assert lines == [
        "content/qingshan: 警告：党务：尚未有任何公开",
        "content/qingshan: 警告：财务已逾期 52 天：下次公开应于 2025-05-10 前完成（最近一次：2025-03）"
        "；期满后 10 天内公开是本县的规定（rules.finance_due_days），法定最低要求是至少每季度公开一次（农经发〔2011〕13号）",
        "content/qingshan/party/2025-03-party-day.md:3:7: 警告：date：公开日期 2026-06-15 晚于统计截止日期 "
        "2025-07-01（site.today 或 --today）：公开日期不能在将来，到那一天之前也不算已公开；请更正日期",
    ]
    ledger = LEDGER.replace("published: 2025-04-05", "published: 2025-08-05")
    code, lines = problems(run, make_site({"site_config.yaml": config,
                                           "content/qingshan/finance/2025-03.yaml": ledger}))
    assert "content/qingshan/finance/2025-03.yaml:1:12: 警告：published：公开日期 2025-08-05 晚于统计截止日期 " \
        "2025-07-01（site.today 或 --today）：公开日期不能在将来，到那一天之前也不算已公开；请更正日期" in lines
    assert "content/qingshan: 警告：财务：尚未有任何公开" in lines
    # --today moves the as-of date, and the same files are then fine.
    code, _out, err = run("check", "--site", root, "--today", "2026-06-20")
    assert "晚于统计截止日期" not in err
