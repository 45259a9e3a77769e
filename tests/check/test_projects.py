"""Works projects in full: fund sources checked against the budget, the timeline of the
works with photos, budget against final cost; the old project fields keep working."""

from __future__ import annotations

from tests.helpers.sites import NOTICE

FILE = "content/qingshan/affairs/道路硬化公示.md"
PAGE = "public/qingshan/affairs/道路硬化公示.html"
PHOTO = "content/qingshan/files/road/start.jpg"
# The smallest JPEG header is enough: the photo is published as it is, never decoded.
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64 + b"\xff\xd9"

PROJECT = """\
project:
  scope: 通组道路硬化1450米
  location: 第三村民小组
  responsible: 青山村股份经济合作社
  budget: 332000.00
  funds:
    - {source: 县级奖补, amount: 200000.00}
    - {source: 村集体自筹, amount: 132000.00}
  milestones:
    - {date: 2025-04-08, event: 开工, photos: [files/road/start.jpg]}
    - {date: 2025-06-28, event: 完工}
  final_cost: 326480.00
"""


def project_file(project: str) -> str:
    """A 工程项目 disclosure with the given project block."""
    return NOTICE.replace("type: 公示", "type: 工程项目").replace("\n---\n", "\n" + project + "---\n", 1)


def problems(run, root):
    code, _out, err = run("check", "--site", root)
    return code, [line for line in err.splitlines() if ": 错误：" in line or ": 警告：" in line]


def test_a_project_in_full_shows_its_facts_fund_sources_timeline_and_outcome(make_site, run):
    root = make_site({FILE: project_file(PROJECT), PHOTO: JPEG})
    assert run("build", "--site", root)[0] == 0
    page = (root / PAGE).read_text()
    for text in ("<dt>建设内容</dt><dd>通组道路硬化1450米</dd>", "<dt>地点</dt><dd>第三村民小组</dd>",
                 "<dt>责任单位</dt><dd>青山村股份经济合作社</dd>",
                 "<dt>预算</dt><dd>332,000.00 元</dd>", "<dt>决算金额</dt><dd>326,480.00 元</dd>",
                 "<caption>资金来源</caption>",
                 '<td class="item" data-label="来源">县级奖补</td>'
                 '<td class="num amount" data-label="金额（元）">200,000.00</td>',
                 '<td class="item" data-label="来源">合计</td>'
                 '<td class="num amount" data-label="金额（元）">332,000.00</td>'):
        assert text in page, text
    assert "比预算节余 5,520.00 元" in page
    timeline = page[page.index('<ol class="timeline milestones">'):]
    timeline = timeline[:timeline.index("</ol>")]
    assert timeline.count("<li>") == 2
    assert '<span class="milestone-date">2025年4月8日</span> <strong>开工</strong>' in timeline
    assert '<img src="../files/road/start.jpg" alt="照片：开工" loading="lazy">' in timeline
    assert (root / "public/qingshan/files/road/start.jpg").read_bytes() == JPEG


def test_a_final_cost_over_the_budget_is_said_so(make_site, run):
    project = "project: {budget: 100000.00, final_cost: 104500.00}\n"
    root = make_site({FILE: project_file(project)})
    assert run("build", "--site", root)[0] == 0
    page = (root / PAGE).read_text()
    assert "超出预算 4,500.00 元" in page
    assert "资金来源" not in page and "milestones" not in page


def test_fund_sources_must_add_up_to_the_budget(make_site, run):
    root = make_site({FILE: project_file(PROJECT.replace("132000.00", "130000.00")), PHOTO: JPEG})
    code, lines = problems(run, root)
    assert code == 1
    assert lines == [
        "content/qingshan/affairs/道路硬化公示.md:12:5: 错误：project.funds：资金来源合计应等于预算 "
        "332000.00，实际为 330000.00（相差 -2000.00）；请更正金额"]


def test_fund_sources_need_a_budget(make_site, run):
    root = make_site({FILE: project_file(PROJECT.replace("  budget: 332000.00\n", "")),
                      PHOTO: JPEG})
    code, lines = problems(run, root)
    assert code == 1
    assert lines == [
        "content/qingshan/affairs/道路硬化公示.md:11:5: 错误：project.funds：资金来源合计为 "
        "332000.00，但项目没有可核对的预算；请在 project 中加上“budget: 332000.00”"]


def test_a_milestone_photo_must_be_a_published_file(make_site, run):
    root = make_site({FILE: project_file(PROJECT)})
    code, lines = problems(run, root)
    assert code == 1
    assert lines == [
        "content/qingshan/affairs/道路硬化公示.md:15:46: 错误：project.milestones[0].photos[0]："
        "应为本村 files/ 文件夹中的文件，例如 files/plan.pdf；实际为 “files/road/start.jpg”，该文件不在那里"]


def test_a_milestone_dated_before_the_one_above_is_a_warning(make_site, run):
    root = make_site({FILE: project_file(PROJECT.replace("2025-06-28", "2025-03-28")),
                      PHOTO: JPEG})
    code, lines = problems(run, root)
    assert code == 0
    assert lines == [
        "content/qingshan/affairs/道路硬化公示.md:16:14: 警告：project.milestones[1].date："
        "这一进度的日期 2025-03-28 早于上一条（2025-04-08）；请按发生的先后顺序排列"]


def test_a_fund_source_needs_an_amount_above_zero(make_site, run):
    root = make_site({FILE: project_file(PROJECT.replace("amount: 200000.00", "amount: 0")),
                      PHOTO: JPEG})
    code, lines = problems(run, root)
    assert code == 1
    assert lines == [
        "content/qingshan/affairs/道路硬化公示.md:12:30: 错误：project.funds[0].amount：应为大于零的金额，实际为 “0”"]


def test_the_sample_road_project_shows_its_sources_and_timeline(sample_site):
    page = (sample_site / "qingshan/affairs/2025-03-road-hardening.html").read_text()
    assert '<td class="item" data-label="来源">县“一事一议”财政奖补</td>' in page
    assert page.count('<img src="../files/road/') == 2
    assert "比预算节余 5,520.00 元" in page
