"""A clerk's first hour (issue 15, part 1): the common slips are reported at the line that
holds them, with the fix, in the site's language; nothing passes silently."""

from __future__ import annotations

import pytest
import yaml

from gongkai.core.i18n import translations
from gongkai.read.markup import mend_tables, render_markdown
from gongkai.read.mdcost import MarkdownTooComplex
from gongkai.read.source import SourceError
from gongkai.read.yamlfile import parse_yaml
from gongkai.read.yamlhints import yaml_problem
from tests.helpers.sites import CONFIG, LEDGER, NOTICE, PARTY, VILLAGE

ZH = translations("zh-CN")
EN = translations("en")
EN_CONFIG = CONFIG.replace("today:", "language: en\n  today:")
FULLWIDTH_COLON = ("YAML 格式错误：字段名后面要用英文冒号加一个空格（“名称: 值”），"
                   "不能用中文冒号“：”")
FULLWIDTH_SPACE = "YAML 格式错误：这一行用全角空格“\u3000”缩进（中文输入法打出的空格）；请改用普通（半角）空格缩进"


def errors(run, root) -> list[str]:
    """Check a site; return its problem lines without the count."""
    code, _, err = run("check", "--site", root)
    assert code == 1
    return err.splitlines()[:-1]


# 1. A full-width colon or indent is reported on its own line --------------------------

def test_a_fullwidth_colon_on_the_first_line_is_reported_there_not_on_the_next(make_site, run):
    root = make_site({
        "content/qingshan/village.yaml": "name：东山村\ntown: qingshan\n",
        "content/qingshan/finance/2025-03.yaml": LEDGER.replace("prepared_by:", "prepared_by："),
        "content/qingshan/party/2025-03-party-day.md": PARTY.replace("title:", "title："),
    })
    assert errors(run, root) == [
        f"content/qingshan/finance/2025-03.yaml:2:1: 错误：{FULLWIDTH_COLON}",
        f"content/qingshan/party/2025-03-party-day.md:2:1: 错误：{FULLWIDTH_COLON}",
        f"content/qingshan/village.yaml:1:1: 错误：{FULLWIDTH_COLON}",
    ]


def test_a_fullwidth_colon_inside_a_block_names_its_line_in_english_too(make_site, run):
    root = make_site({
        "site_config.yaml": EN_CONFIG,
        "content/qingshan/village.yaml": VILLAGE + "profile:\n  households：268\n  groups: 8\n",
    })
    assert errors(run, root) == [
        "content/qingshan/village.yaml:5:3: error: the YAML is malformed: after a field name "
        "write an English colon and a space (“key: value”), not the Chinese colon “：”"]


def test_a_fullwidth_indent_is_reported_on_its_own_line(make_site, run):
    root = make_site({"content/qingshan/village.yaml":
                      VILLAGE + "profile:\n\u3000\u3000households: 268\n  groups: 8\n"})
    assert errors(run, root) == [f"content/qingshan/village.yaml:5:1: 错误：{FULLWIDTH_SPACE}"]


def test_a_fullwidth_colon_in_a_line_is_not_also_a_missing_field(make_site, run):
    root = make_site({"content/qingshan/finance/2025-03.yaml":
                      LEDGER.replace("amount: 3200.50", "amount：3200.50")})
    line = LEDGER.splitlines().index(next(row for row in LEDGER.splitlines()
                                          if "amount: 3200.50" in row)) + 1
    column = next(row for row in LEDGER.splitlines() if "amount: 3200.50" in row).index(
        "amount") + 1
    assert errors(run, root) == [
        f"content/qingshan/finance/2025-03.yaml:{line}:{column}: 错误：{FULLWIDTH_COLON}"]


def test_a_fullwidth_space_after_a_colon_is_reported_on_its_line(make_site, run):
    root = make_site({"content/qingshan/village.yaml":
                      VILLAGE.replace("town: qingshan", "town:\u3000qingshan")})
    line = VILLAGE.splitlines().index("town: qingshan") + 1
    assert errors(run, root) == [
        f"content/qingshan/village.yaml:{line}:1: 错误：YAML 格式错误：冒号后面要用普通（半角）"
        "空格，不能用全角空格“\u3000”（中文输入法打出的空格）"]


def test_a_fullwidth_indent_yaml_reads_without_complaint_is_still_reported(make_site, run):
    # Read as a field named "　　groups" of the file: reported once, at its line.
    root = make_site({"content/qingshan/village.yaml":
                      VILLAGE + "profile:\n  households: 268\n\u3000\u3000groups: 8\n"})
    assert errors(run, root) == [f"content/qingshan/village.yaml:6:1: 错误：{FULLWIDTH_SPACE}"]


def test_a_list_entry_with_a_fullwidth_colon_says_so(make_site, run):
    root = make_site({"content/qingshan/village.yaml": VILLAGE + "committee:\n  - name：张伟\n"})
    assert errors(run, root) == [
        "content/qingshan/village.yaml:5:5: 错误：committee[0]：应为一组字段（“名称: 值”形式的若干行），"
        "实际为 “name：张伟”；字段名后面要用英文冒号加一个空格（“名称: 值”），不能用中文冒号“：”"]


def test_prose_indented_with_fullwidth_spaces_inside_a_text_is_fine() -> None:
    text = "intro: |\n  \u3000\u3000青山村位于青山镇东部。\n  \u3000\u3000QQ：12345\nname: x\n"
    data, positions = parse_yaml(text, "v.yaml")
    assert data["intro"] == "\u3000\u3000青山村位于青山镇东部。\n\u3000\u3000QQ：12345\n"
    assert positions.problems == []


# 2. Full-width digits in whole numbers ---------------------------------------------------

def test_fullwidth_digits_are_read_in_whole_numbers(make_site, run, tmp_path):
    root = make_site({"content/qingshan/village.yaml":
                      VILLAGE + "profile: {households: ２６８, population: ８１２, area_km2: ３．２}\n"})
    out = tmp_path / "out"
    code, _, err = run("build", "--site", root, "--out", out)
    assert (code, err) == (0, "")
    page = (out / "qingshan" / "profile.html").read_text(encoding="utf-8")
    assert "268" in page and "812" in page and "3.2" in page


def test_a_whole_number_with_a_unit_is_still_an_error_showing_what_was_typed(make_site, run):
    root = make_site({"content/qingshan/village.yaml": VILLAGE + "profile: {households: ２６８户}\n"})
    assert errors(run, root) == [
        "content/qingshan/village.yaml:4:23: 错误：profile.households：应为整数，实际为 “２６８户”"]


def test_a_day_past_the_end_of_its_month_says_how_long_the_month_is(make_site, run):
    root = make_site({"content/qingshan/finance/2025-03.yaml":
                      LEDGER.replace("published: 2025-04-05", "published: 2025-02-29")})
    assert errors(run, root) == [
        "content/qingshan/finance/2025-03.yaml:1:12: 错误：published：应为日期，例如 2025-03-05，"
        "实际为 “2025-02-29”；没有这一天：2025-02 只有 28 天"]


def test_reviewers_run_together_are_an_error_and_a_review_after_posting_is_warned(make_site, run):
    ledger = LEDGER.replace("reviewed_by: {names: [李芳, 赵强], date: 2025-04-03,",
                            "reviewed_by: {names: [李芳、赵强], date: 2025-04-08,")
    assert ledger != LEDGER
    root = make_site({"content/qingshan/finance/2025-03.yaml": ledger})
    code, _, err = run("check", "--site", root)
    assert code == 1
    assert [line for line in err.splitlines() if "reviewed_by" in line] == [
        "content/qingshan/finance/2025-03.yaml:3:23: 错误：reviewed_by.names[0]：“李芳、赵强” "
        "会被当作一个人名；多位审核人要分开写，中间用英文逗号：[李芳, 赵强]",
        "content/qingshan/finance/2025-03.yaml:3:37: 警告：reviewed_by.date：审核日期 2025-04-08 "
        "晚于公开日期 2025-04-05：村务监督委员会应在公开前审核；请核对这两个日期"]


# 3. Tables pasted from a spreadsheet, tables with no blank line above ---------------------

TAB_TABLE = "费用明细如下：\n项目\t金额（元）\t备注\n水泥\t1200.00\t\n沙子\t800.00\t含运费\n合计 2000 元。\n"


def test_a_table_pasted_from_a_spreadsheet_becomes_a_table() -> None:
    html = render_markdown(TAB_TABLE)
    assert html.startswith("<p>费用明细如下：</p>\n<table class=\"ledger\">")
    assert "<th>项目</th>\n<th>金额（元）</th>\n<th>备注</th>" in html
    assert '<td data-label="项目">沙子</td>\n<td class="num" data-label="金额（元）">800.00</td>' \
        '\n<td data-label="备注">含运费</td>' in html
    assert html.endswith("</table>\n<p>合计 2000 元。</p>")


def test_a_table_right_under_text_is_a_table_not_raw_pipes() -> None:
    html = render_markdown("说明如下：\n| 项目 | 金额 |\n|---|---:|\n| 水泥 | 1200 |\n")
    assert "|" not in html
    assert '<td align="right" class="num" data-label="金额">1200</td>' in html


def test_tabs_in_code_and_lists_are_left_alone() -> None:
    text = "```\na\tb\nc\td\n```\n\n1.\t第一条\n2.\t第二条\n"
    assert mend_tables(text) == (text, [])
    # The lines added are counted back out: a problem names the line as typed.
    assert mend_tables("文字\n甲\t乙\n1\t2\n")[1] == [2, 4]


def test_a_problem_after_a_pasted_table_names_the_line_as_typed() -> None:
    with pytest.raises(MarkdownTooComplex) as caught:
        render_markdown("文字\n甲\t乙\n1\t2\n" + ">" * 40 + " 引文\n")
    assert caught.value.line == 4


def test_a_pasted_table_in_a_disclosure_builds_as_a_table(make_site, run, tmp_path):
    root = make_site({"content/qingshan/affairs/道路硬化公示.md": NOTICE + TAB_TABLE})
    out = tmp_path / "out"
    assert run("build", "--site", root, "--out", out)[:3:2] == (0, "")
    page = (out / "qingshan" / "affairs" / "道路硬化公示.html").read_text(encoding="utf-8")
    assert "<th>金额（元）</th>" in page and "水泥\t" not in page


# 4. Links in bodies, attachments with a typo ---------------------------------------------

LINKED = NOTICE + ("\n详见[预算明细](../files/灌概预算.pdf)和[开工照片](../files/road/start.jpg)。\n\n"
                   "另见[上一次公示](2025-03-道路.md)、[党费](../../qingshan/party/2025-03-party-day.html)、"
                   "[首页](../../index.html)和[县里](https://example.cn/x.pdf)。\n")


def test_a_link_to_a_missing_file_or_page_names_its_line_and_the_nearest_name(make_site, run):
    root = make_site({
        "content/qingshan/files/灌溉预算.pdf": b"%PDF",
        "content/qingshan/files/road/start.jpg": b"\xff\xd8",
        "content/qingshan/affairs/2025-03-道路.md": NOTICE,
        "content/qingshan/affairs/道路硬化公示.md": LINKED,
    })
    assert errors(run, root) == [
        "content/qingshan/affairs/道路硬化公示.md:9: 错误：链接 “../files/灌概预算.pdf” 指向 "
        "qingshan/files/灌概预算.pdf，但网站上没有这个页面或文件；是不是要写“../files/灌溉预算.pdf”？",
        "content/qingshan/affairs/道路硬化公示.md:11: 错误：链接 “2025-03-道路.md” 指向 "
        "qingshan/affairs/2025-03-道路.md，但网站上没有这个页面或文件；是不是要写“2025-03-道路.html”？",
    ]


def test_links_that_lead_somewhere_build(make_site, run):
    root = make_site({
        "content/qingshan/files/灌概预算.pdf": b"%PDF",
        "content/qingshan/files/road/start.jpg": b"\xff\xd8",
        "content/qingshan/affairs/道路硬化公示.md": LINKED.replace("2025-03-道路.md",
                                                             "../finance/2025-03.html"),
    })
    code, _, err = run("check", "--site", root)
    assert (code, err) == (0, "")


def test_a_broken_link_in_a_ledger_note_and_out_of_the_site_in_english(make_site, run):
    root = make_site({
        "site_config.yaml": EN_CONFIG,
        "content/qingshan/finance/2025-03.yaml": LEDGER + "note: |\n  见[凭证](../files/凭证.pdf)\n"
                                                          "  和[别处](../../../x.html)\n",
    })
    assert errors(run, root) == [
        "content/qingshan/finance/2025-03.yaml:11: error: the link “../files/凭证.pdf” leads to "
        "qingshan/files/凭证.pdf, which is not a page or file of the site; check the name",
        "content/qingshan/finance/2025-03.yaml:12: error: the link “../../../x.html” leads "
        "outside the site; link to pages and files of the site only, or write the full address "
        "starting with https://",
    ]


def test_an_attachment_with_a_typo_gets_a_did_you_mean(make_site, run):
    root = make_site({
        "content/qingshan/files/灌溉预算.pdf": b"%PDF",
        "content/qingshan/affairs/道路硬化公示.md": NOTICE.replace(
            "type: 公示", "type: 公示\nattachments: [files/灌概预算.pdf]")})
    assert errors(run, root) == [
        "content/qingshan/affairs/道路硬化公示.md:5:15: 错误：attachments[0]：应为本村 files/ 文件夹中的"
        "文件，例如 files/plan.pdf；实际为 “files/灌概预算.pdf”，该文件不在那里；是不是要写“files/灌溉预算.pdf”？"]


# 5. Every YAML parser message is translated ----------------------------------------------

PARSER_CASES = {
    "list entry out of line": ("committee:\n  - 张伟\n  李芳: 主任\n", 3, 3,
                               "这一行没有和上面的列表对齐：列表的每一项都以“- ”开头，缩进相同"),
    "field out of line": ("name: a\nprofile:\n  households: 1\n groups: 2\n", 4, 2,
                          "这一行没有和上面的字段对齐：同一层的字段要从同一列开始，缩进的空格数相同"),
    "sign that starts no token": ("name: @东山村\n", 1, 7,
                                  "值不能以“@”开头；请给整个值加上引号，例如 \"@…\""),
    "quote never closed": ("name: 东山村\nintro: \"青山村位于东部\n", 2, 8,
                           "这里开始的引号没有结束；请在值的末尾补上同样的引号（\" 或 '）"),
    "text after a quote": ("title: \"公示\" 第二期\n", 1, 13, "引号结束后还有文字；请把整个值都放在引号里"),
    "undefined tag handle": ("title: !x!y 公示\n", 1, 8, "“!”开头表示 YAML 标记，不支持；请给值加上引号"),
    "bracket never closed": ("name: a\ntown: [qingshan\n", 2, 7, "这里的“[”没有结束；请在最后一项后面补上“]”"),
    "full-width comma": ("committee:\n  - {name: 张伟，role: 书记}\n", 2, 14,
                         "在 { } 或 [ ] 里要用英文逗号“,”分隔各项，不能用中文逗号“，”"),
    "dash after a key": ("committee: - 张伟\n", 1, 12,
                         "“- ”表示列表的一项，不能和字段名写在同一行：请把每一项另起一行并缩进（“  - …”），或给值加上引号"),
    "backslash in double quotes": ("path: \"C:\\Users\\x\"\n", 1, 12,
                                   "在双引号里反斜杠“\\”有特殊含义；要写一个反斜杠请连写两个，或改用单引号"),
    "text after a block mark": ("intro: |第一段\n  正文\n", 1, 9,
                                "“|”或“>”后面同一行不能再写别的；请从下一行开始写正文，并且缩进"),
    "second document": ("title: a\n---\ndate: 2025-03-05\n", 2, 1,
                        "这里的“---”或“...”一行会结束字段；请删除它（Markdown 文件开头的信息块在第二个“---”行结束）"),
}
LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
@pytest.mark.parametrize("case", PARSER_CASES)
def test_parser_messages_are_translated_with_a_fix(case, loader) -> None:
    """Both PyYAML's Python parser and libyaml (their texts differ) give the same message."""
    text, line, column, hint = PARSER_CASES[case]
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yaml.load(text, Loader=loader)  # only the safe loaders
    problem = yaml_problem(caught.value, text, "v.yaml", 0)
    assert problem.render(ZH) == f"v.yaml:{line}:{column}: 错误：YAML 格式错误：{hint}"


def test_parse_yaml_tells_the_parser_problem_in_the_site_language() -> None:
    with pytest.raises(SourceError) as caught:
        parse_yaml("committee:\n  - 张伟\n  李芳: 主任\n", "v.yaml", line_offset=1)
    assert caught.value.problem.render(EN) == (
        "v.yaml:4:3: error: the YAML is malformed: this line does not line up with the list "
        "above it: every entry of a list starts with “- ”, indented the same")


def test_an_unknown_parser_problem_is_still_told_without_english() -> None:
    mark = yaml.Mark("v.yaml", 0, 1, 4, None, None)
    problem = yaml_problem(yaml.MarkedYAMLError(None, None, "something new went wrong", mark),
                           "a: 1\nb: 2\n", "v.yaml", 0)
    assert problem.render(ZH) == "v.yaml:2:5: 错误：YAML 格式错误；请检查这一行和上一行的缩进、冒号和引号"


# 6. A percentage for a rate, a town's name for its id ----------------------------------

DUES = PARTY.replace("type: party-day", "type: dues\ndues:\n"
                     "  - {member: 张伟, basis: 4000.00, rate: 0.5%, monthly: 20.00, months: 12, "
                     "total: 240.00}")


def test_a_percentage_where_a_rate_is_expected_says_how_to_write_it(make_site, run):
    root = make_site({"content/qingshan/party/2025-03-party-day.md": DUES})
    assert errors(run, root) == [
        "content/qingshan/party/2025-03-party-day.md:6:40: 错误：dues[0].rate：应为数字，实际为 “0.5%”；"
        "百分比请写成不带“%”的小数：0.5% 应写作 0.005"]


def test_a_towns_name_instead_of_its_id_gets_the_id(make_site, run):
    root = make_site({
        "site_config.yaml": CONFIG + "  - {id: baishi, name: 白石镇}\n",
        "content/qingshan/village.yaml": VILLAGE.replace("town: qingshan", "town: 白石镇"),
    })
    assert errors(run, root) == [
        "content/qingshan/village.yaml:2:7: 错误：town：应为 site_config.yaml 中某个镇的 id（qingshan、"
        "baishi），实际为 “白石镇”；是不是要写“baishi”（白石镇）？"]


# 7. .yml files are read like .yaml -------------------------------------------------------

def test_yml_files_are_read_like_yaml(make_site, run, tmp_path):
    root = make_site({
        "content/qingshan/finance/2025-03.yaml": None,
        "content/qingshan/finance/2025-03.yml": LEDGER,
        "content/qingshan/village.yaml": None,
        "content/qingshan/village.yml": VILLAGE,
    })
    out = tmp_path / "out"
    code, _, err = run("build", "--site", root, "--out", out)
    assert (code, err) == (0, "")
    assert "161,139.50" in (out / "qingshan" / "finance" / "2025-03.html").read_text("utf-8")


def test_both_spellings_of_one_file_are_an_error_naming_both(make_site, run):
    root = make_site({"content/qingshan/finance/2025-03.yml": LEDGER,
                      "content/qingshan/village.yml": VILLAGE})
    assert errors(run, root) == [
        "content/qingshan/finance/2025-03.yml: 错误：本文件与 content/qingshan/finance/2025-03.yaml "
        "是同一期（2025-03）；只保留其中一个",
        "content/qingshan/village.yml: 错误：content/qingshan/village.yaml 和 "
        "content/qingshan/village.yml 同时存在，只会读取其中一个；请只保留一个",
    ]


def test_a_site_config_yml_is_refused_with_the_name_it_needs(make_site, run):
    root = make_site()
    (root / "site_config.yaml").rename(root / "site_config.yml")
    assert errors(run, root) == [
        "site_config.yml: 错误：网站配置文件的名字必须是 site_config.yaml：请把 site_config.yml "
        "改名为 site_config.yaml"]


def test_a_towns_attachment_and_link_with_a_typo_get_a_did_you_mean(make_site, run):
    root = make_site({
        "content/_towns/qingshan/files/灌溉预算.pdf": b"%PDF",
        "content/_towns/qingshan/affairs/a.md": NOTICE.replace(
            "type: 公示", "type: 公示\nattachments: [files/灌概预算.pdf]") + "[预算](../files/灌概预算.pdf)\n",
    })
    assert errors(run, root) == [
        "content/_towns/qingshan/affairs/a.md:5:15: 错误：attachments[0]：应为 content/_towns/qingshan/ "
        "的 files/ 文件夹中的文件，例如 files/plan.pdf；实际为 “files/灌概预算.pdf”，该文件不在那里；"
        "是不是要写“files/灌溉预算.pdf”？",
        "content/_towns/qingshan/affairs/a.md:9: 错误：链接 “../files/灌概预算.pdf” 指向 "
        "_towns/qingshan/files/灌概预算.pdf，但网站上没有这个页面或文件；是不是要写“../files/灌溉预算.pdf”？",
    ]
