"""Village and party affairs: decision steps, projects, subsidy lists, dues, the 回音壁."""

from __future__ import annotations

from tests.helpers.cli import problems
from tests.helpers.sites import NOTICE, PARTY, with_front

NOTICE_FILE = "content/qingshan/affairs/道路硬化公示.md"
PARTY_FILE = "content/qingshan/party/2025-03-party-day.md"


STEPS = """\
steps:
  - {step: 村党组织提议, date: 2025-02-20}
  - {step: 党员群众建议, date: 2025-02-10}
  - {step: 村两委商议, date: 2025-02-18}
"""


def test_decision_steps_out_of_order_are_warned_and_flagged(make_site, run):
    root = make_site({NOTICE_FILE: with_front(NOTICE, STEPS)})
    code, lines = problems(run, root)
    assert code == 0
    # 村两委商议 (02-18) is after the step above it (02-10), so only one date is flagged.
    assert lines == [
        "content/qingshan/affairs/道路硬化公示.md:8:12: 警告：steps[1].step：按议事程序，这一步应在"
        "“村党组织提议”之前，却排在它之后",
        "content/qingshan/affairs/道路硬化公示.md:8:26: 警告：steps[1].date：这一步的日期 2025-02-10 "
        "早于上一步（2025-02-20）",
    ]
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/qingshan/affairs/道路硬化公示.html").read_text()
    assert page.count('<span class="badge-late">日期早于上一步</span>') == 1


def test_an_unknown_step_names_the_sequence(make_site, run):
    root = make_site({NOTICE_FILE: with_front(NOTICE, "steps: [{step: 村委会商议}]\n")})
    code, lines = problems(run, root)
    assert code == 1
    assert lines[0] == (
        "content/qingshan/affairs/道路硬化公示.md:6:16: 错误：steps[0].step：应为 rules.decision_steps 中的"
        "步骤，或本村在 village.yaml 中用 extra_steps 增加的步骤（党员群众建议、村党组织提议、村两委商议、党员大会审议、村民代表会议决议、决议公开、实施结果公开），"
        "实际为 “村委会商议”；是不是要写“村两委商议”？")


def test_a_project_shows_budget_contractor_progress_and_final_cost(make_site, run):
    project = "project: {budget: 332000.00, contractor: 青山路桥公司, progress: 已完工}\n"
    root = make_site({NOTICE_FILE: with_front(NOTICE.replace("type: 公示", "type: 工程项目"), project)})
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/qingshan/affairs/道路硬化公示.html").read_text()
    for text in ("<dt>预算</dt><dd>332,000.00 元</dd>", "<dd>青山路桥公司</dd>", "<dd>已完工</dd>",
                 "<dt>决算金额</dt><dd>尚未决算</dd>"):
        assert text in page


def test_a_subsidy_list_has_name_household_size_and_amount_only(make_site, run):
    recipients = ("recipients:\n  - {name: 胡阿土, household_size: 1, amount: 2400.00}\n"
                  "  - {name: 何小妹, household_size: 3, amount: 3600.00}\n")
    root = make_site({NOTICE_FILE: with_front(NOTICE.replace("type: 公示", "type: 补助"), recipients)})
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/qingshan/affairs/道路硬化公示.html").read_text()
    assert '<td class="item" data-label="姓名">合计 2 户</td>' in page
    assert '<td class="num amount" data-label="金额（元）">6,000.00</td>' in page
    extra = recipients.replace("amount: 2400.00}", "amount: 2400.00, id_card: x}")
    code, lines = problems(run, make_site({NOTICE_FILE: with_front(NOTICE, extra)}))
    assert code == 1 and "recipients[0].id_card：应为已知字段（name、household_size、amount）" in lines[0]


DUES = """\
dues:
  - {member: 张伟, basis: 4000.00, rate: 0.005, monthly: 20.00, months: 12, total: 240.00}
  - {member: 李芳, basis: 1000.00, rate: 0.001, monthly: 1.50, months: 12, total: 12.00}
"""


def test_dues_are_checked_like_finance(make_site, run):
    code, lines = problems(run, make_site({PARTY_FILE: with_front(PARTY, DUES)}))
    assert code == 1
    assert lines == [
        "content/qingshan/party/2025-03-party-day.md:7:56: 错误：dues[1].monthly：月缴纳 1.50 不等于 "
        "申报基数 1000.00 × 比例 0.001 = 1.00；请核对数字",
        "content/qingshan/party/2025-03-party-day.md:7:81: 错误：dues[1].total：合计 12.00 不等于 "
        "1.50 × 12 个月 = 18.00（相差 -6.00）；请核对数字",
    ]
    good = DUES.replace("monthly: 1.50", "monthly: 1.00")
    root = make_site({PARTY_FILE: with_front(PARTY, good)})
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/qingshan/party/2025-03-party-day.html").read_text()
    assert '<td class="num" data-label="比例">0.50%</td>' in page
    assert '<td class="num amount" data-label="合计（元）">252.00</td>' in page


def test_an_unanswered_question_older_than_ten_days_is_flagged(make_site, run):
    questions = ("questions:\n  - {asked: 2025-03-20, question: 路什么时候修？}\n"
                 "  - {asked: 2025-04-01, question: 预算够吗？}\n"
                 "  - {asked: 2025-03-01, question: 谁来施工？, answer: 青山路桥公司。, answered: 2025-03-05}\n")
    root = make_site({NOTICE_FILE: with_front(NOTICE, questions)})
    code, lines = problems(run, root)
    assert code == 0
    assert lines == ["content/qingshan/affairs/道路硬化公示.md: 警告：村民 2025-03-20 的提问已 19 天没有答复；"
                     "应在 10 天内答复"]
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/qingshan/affairs/道路硬化公示.html").read_text()
    assert '<span class="badge-late">19 天仍未答复</span>' in page
    assert '<p class="meta">尚未答复</p>' in page                      # 7 days: not late yet
    assert "答复（2025年3月5日）： 青山路桥公司。" in page


def test_a_meeting_record_shows_topic_and_attendance(make_site, run):
    meeting = "meeting: {expected: 31, attended: 27, topic: 重温入党誓词}\n"
    root = make_site({PARTY_FILE: with_front(PARTY, meeting)})
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/qingshan/party/2025-03-party-day.html").read_text()
    assert "<dt>出席情况</dt><dd>应到 31 人，实到 27 人</dd>" in page and "<dd>重温入党誓词</dd>" in page


def test_the_archive_lists_everything_by_year_newest_first(make_site, run):
    from tests.helpers.sites import LEDGER

    old = NOTICE.replace("date: 2025-04-06", "date: 2024-11-02").replace(
        "notice: {from: 2025-04-06}", "notice: {from: 2024-11-02}")
    root = make_site({"content/qingshan/affairs/2024-old.md": old,
                      "content/qingshan/finance/2025-03.yaml": LEDGER})
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/qingshan/archive.html").read_text()
    order = ['id="year-2025"', "affairs/%E9%81%93", "finance/2025-03.html",
             "party/2025-03-party-day.html", 'id="year-2024"', "affairs/2024-old.html"]
    found = [page.index(marker) for marker in order]
    assert found == sorted(found)
    board = (root / "public/qingshan/index.html").read_text()
    assert '<a href="archive.html">全部公开档案（按年份）</a>' in board


def test_the_pages_and_the_warnings_read_one_step_rule():
    from datetime import date

    from gongkai.check.affairs import StepCheck, step_checks
    from gongkai.model.disclosure import Step

    steps = [Step(step="村党组织提议", date=date(2025, 2, 20)),
             Step(step="党员群众建议", date=date(2025, 2, 10)),
             Step(step="村两委商议"),
             Step(step="村委会商议", date=date(2025, 2, 1))]
    sequence = ("党员群众建议", "村党组织提议", "村两委商议")
    assert step_checks(steps, sequence) == (
        StepCheck(True), StepCheck(True, after="村党组织提议", early=date(2025, 2, 20)),
        StepCheck(True), StepCheck(False))


def test_a_question_counts_as_answered_only_with_an_answer(make_site, run):
    # An answer date with no answer text is not an answer: warned, and flagged on the page.
    questions = "questions:\n  - {asked: 2025-03-20, question: 路什么时候修？, answered: 2025-03-25}\n"
    root = make_site({NOTICE_FILE: with_front(NOTICE, questions)})
    code, lines = problems(run, root)
    assert code == 0 and len(lines) == 1 and "提问已 19 天没有答复" in lines[0]
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/qingshan/affairs/道路硬化公示.html").read_text()
    assert '<span class="badge-late">19 天仍未答复</span>' in page
