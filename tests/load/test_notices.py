"""What real notices say: 文号 and 落款 on town and county notices, the county's name, every
kind at every level, a deadline for answers, computed amounts, and no page left unlisted."""

from __future__ import annotations

from tests.helpers.sites import CONFIG

TOWN_FILE = "content/_towns/qingshan/affairs/2025-04-hearing.md"
COUNTY_FILE = "content/_county/affairs/2025-04-dues.md"
HEARING = """\
---
title: 关于拟征收青山村集体土地的听证告知书
doc_no: 青镇征告〔2025〕2号
date: 2025-04-03
type: 通知
respond_by: {respond_by}
villages: [qingshan]
amounts:
  - {{item: 土地补偿费, quantity: 34.5, unit: 垧, unit_price: 3800.00, total: {total}}}
issued:
  by: 青山镇人民政府
  date: 2025-04-03
---
你村有权在收到本告知书之日起5个工作日内提出听证申请。
"""
DUES = """\
---
title: 关于做好党费收缴工作的通知
doc_no: 潼组通〔2014〕85号
date: 2025-04-01
type: 党费
villages: [qingshan]
issued: {by: [中共青山县委组织部, 青山县财政局], date: 2025-04-01}
---
各村党组织：请于4月底前公开党费收缴情况。
"""
COUNTY_CONFIG = CONFIG.replace("towns:", "county: {name: 青山县}\ntowns:")


def hearing(respond_by: str = "5个工作日", total: str = "131100.00") -> str:
    return HEARING.format(respond_by=respond_by, total=total)


def problems(run, root):
    code, _out, err = run("check", "--site", root)
    return code, [line for line in err.splitlines() if ": 错误：" in line or ": 警告：" in line]


def test_a_town_notice_shows_its_document_number_issuer_deadline_and_amounts(make_site, run):
    root = make_site({TOWN_FILE: hearing()})
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/_towns/qingshan/affairs/2025-04-hearing.html").read_text()
    assert '<p class="doc-no">青镇征告〔2025〕2号</p>' in page
    assert ('<div class="issued" role="group" aria-label="落款">\n<p>青山镇人民政府</p>'
            '<p>2025年4月3日</p></div>') in page
    # 2025-04-03 is a Thursday: five working days on is Thursday the 10th; on Tuesday the
    # 8th (site.today) the 8th, 9th and 10th are left.
    assert "自通知之日起 5 个工作日内，即 2025年4月10日前" in page
    assert '<span class="status status-open">还剩 3 个工作日</span>' in page
    assert ('<td class="item" data-label="项目">土地补偿费</td><td class="num" data-label="数量">'
            '34.5</td><td data-label="单位">垧</td><td class="num" data-label="单价（元）">'
            '3,800.00</td><td class="num amount" data-label="金额（元）">131,100.00</td>') in page
    assert '<p class="capital-total">合计（大写）：壹拾叁万壹仟壹佰元整</p>' in page


def test_a_deadline_that_has_passed_says_so(make_site, run):
    root = make_site({TOWN_FILE: hearing("2025-04-07")})
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/_towns/qingshan/affairs/2025-04-hearing.html").read_text()
    assert "2025年4月7日" in page and '<span class="status status-closed">已过期限</span>' in page


def test_a_county_notice_says_the_countys_name_and_takes_a_party_kind(make_site, run):
    root = make_site({"site_config.yaml": COUNTY_CONFIG, COUNTY_FILE: DUES})
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/_county/affairs/2025-04-dues.html").read_text()
    assert '<p class="kicker">青山县 · 党费</p>' in page
    assert '<p class="doc-no">潼组通〔2014〕85号</p>' in page
    assert "<p>中共青山县委组织部</p><p>青山县财政局</p>" in page
    board = (root / "public/qingshan/index.html").read_text()
    assert '<span class="meta office-name">青山县</span>' in board
    home = (root / "public/index.html").read_text()
    assert '<a href="_county/affairs/2025-04-dues.html">关于做好党费收缴工作的通知</a>' in home


def test_a_village_notice_takes_a_document_number_deadline_and_amounts(make_site, run):
    notice = hearing().replace("villages: [qingshan]\n", "").replace("type: 通知", "type: 决议")
    root = make_site({"content/qingshan/affairs/2025-04-lease.md": notice})
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/qingshan/affairs/2025-04-lease.html").read_text()
    assert '<p class="doc-no">青镇征告〔2025〕2号</p>' in page
    assert "还剩 3 个工作日" in page and "壹拾叁万壹仟壹佰元整" in page


def test_a_total_that_is_not_quantity_times_price_is_an_error_naming_both(make_site, run):
    root = make_site({TOWN_FILE: hearing(total="131000.00")})
    code, lines = problems(run, root)
    assert code == 1
    assert lines == [
        f"{TOWN_FILE}:9:72: 错误：amounts[0].total：应为数量 × 单价 = 34.5 × 3800.00 = "
        "131100.00，实际为 131000.00（相差 -100.00）；请更正金额"]


def test_deadlines_are_checked_against_the_working_days(make_site, run):
    for value, expected in [
            ("2025-04-05", "警告：respond_by：期限 2025-04-05 是星期六或星期日，不是工作日；"
                           "请写通知所指的工作日，或写成“5个工作日”"),
            ("2025-04-02", "错误：respond_by：期限应不早于通知日期 2025-04-03，实际为 "
                           "2025-04-02；请更正日期"),
            ("五个工作日", "错误：respond_by：应为日期（例如 2025-03-05），或从通知日期起算的"
                          "工作日数（例如 5个工作日，1 至 60），实际为 “五个工作日”")]:
        root = make_site({TOWN_FILE: hearing(value)})
        _code, lines = problems(run, root)
        assert lines == [f"{TOWN_FILE}:6:13: {expected}"], value


def test_a_town_without_villages_is_an_error_naming_its_notice(make_site, run):
    config = CONFIG + "  - {id: baishi, name: 白石镇}\n"
    path = "content/_towns/baishi/affairs/2025-04-hearing.md"
    root = make_site({"site_config.yaml": config,
                      path: hearing().replace("villages: [qingshan]\n", "")})
    code, lines = problems(run, root)
    assert code == 1
    assert lines == [
        f"{path}: 错误：乡镇 baishi 的这份公示没有任何页面列出：没有哪个村的 village.yaml 写着"
        "“town: baishi”，所以不生成这个乡镇的页面；请添加这个乡镇的村，或把公示移到发布它的乡镇的"
        "文件夹"]


def test_a_link_a_template_writes_to_a_page_not_built_is_an_error_naming_the_file(
        make_site, run):
    layout = '{% extends "office_item.html" %}{% block main %}<a href="{{ url("towns/baishi.html") }}">白石镇</a>{% endblock %}\n'
    root = make_site({TOWN_FILE: hearing(), "layouts/office_item.html": layout.replace(
        'extends "office_item.html"', 'extends "base.html"')})
    code, _out, err = run("build", "--site", root)
    assert code == 1
    assert (f"{TOWN_FILE}: 错误：由这个文件生成的页面 _towns/qingshan/affairs/2025-04-hearing.html "
            "链接到 towns/baishi.html，但网站不生成这个页面或文件，链接打不开") in err
    assert not (root / "public").exists()


EXTRA = "extra_steps:\n  - {step: 民主评议, after: 村两委商议}\n"


def test_new_decision_writes_the_villages_steps_and_every_field_it_uses(make_site, run):
    from tests.helpers.sites import VILLAGE
    root = make_site({"content/qingshan/village.yaml": VILLAGE + EXTRA})
    code, _out, _err = run("new", "affairs", "qingshan", "关于机动地发包的决议", "--type", "决议",
                           "--today", "2025-04-08", "--site", root)
    assert code == 0
    text = next((root / "content/qingshan/affairs").glob("2025-04-*机动地*.md")).read_text()
    steps = text[text.index("steps:\n"):text.index("# 每次会议")]
    assert steps.splitlines()[1:] == [
        "  - {step: 党员群众建议, date: }", "  - {step: 村党组织提议, date: }",
        "  - {step: 村两委商议, date: }", "  - {step: 民主评议, date: }",
        "  - {step: 党员大会审议, date: }", "  - {step: 村民代表会议决议, date: }",
        "  - {step: 决议公开, date: }", "  - {step: 实施结果公开, date: }"]
    for field in ("# attendance:", "# approval: {status: 待审批, by: 青山镇人民政府",
                  "# doc_no:", "# respond_by: 5个工作日", "# amounts:", "# questions:",
                  "# issued: {by: [青山村村民委员会], date: 2025-04-08}"):
        assert field in text, field
    assert run("check", "--site", root)[0] == 0
    # Each commented example, uncommented, checks too.
    uncommented = "\n".join(line[2:] if line.startswith(("# attendance", "#   - {group",
                                                           "# approval", "# doc_no",
                                                           "# respond_by", "# amounts",
                                                           "#   - {item", "# issued"))
                            else line for line in text.splitlines())
    path = next((root / "content/qingshan/affairs").glob("2025-04-*机动地*.md"))
    path.write_text(uncommented.replace("date: }", "date: 2025-04-01}"), encoding="utf-8")
    code, _out, err = run("check", "--site", root)
    assert code == 0, err


def test_new_writes_each_types_own_block(make_site, run):
    root = make_site({})
    for kind, kind_type, field in (("affairs", "工程项目", "#   funds:"),
                                   ("affairs", "补助", "# recipients:"),
                                   ("party", "党费", "# dues:"),
                                   ("party", "主题党日", "# meeting:")):
        assert run("new", kind, "qingshan", f"测试{kind_type}", "--type", kind_type,
                   "--site", root)[0] == 0
        written = next((root / "content/qingshan" / kind).glob(f"*测试{kind_type}.md"))
        assert field in written.read_text(), kind_type
    assert run("check", "--site", root)[0] == 0
