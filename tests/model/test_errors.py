"""Invalid sites: every problem is reported with file, line, field, expected and found."""

from __future__ import annotations

import pytest

from tests.helpers.sites import CONFIG, LEDGER, NOTICE, PARTY, snapshot

BAD_FILES = {
    "bad YAML": (
        {"content/qingshan/village.yaml": "name: 青山村\ntown: [qingshan\n"},
        "content/qingshan/village.yaml:2:7: 错误：YAML 格式错误：这里的“[”没有结束；请在最后一项后面补上“]”",
    ),
    "wrong type": (
        {"content/qingshan/village.yaml": "name: 青山村\ntown: qingshan\ncommittee: 张伟\n"},
        "content/qingshan/village.yaml:3:12: 错误：committee：应为列表（以“- ”开头的若干行），"
        "实际为 “张伟”",
    ),
    "unknown key": (
        {"content/qingshan/village.yaml": "name: 青山村\ntown: qingshan\nsupervisor: []\n"},
        "content/qingshan/village.yaml:3:1: 错误：supervisor：应为已知字段（name、town、profile、"
        "committee、supervisors、contacts、office_hours、duty_roster、services、cadence、venue、extra_steps），"
        "实际为 “supervisor”；是不是要写“supervisors”？",
    ),
    "bad date": (
        {"content/qingshan/finance/2025-03.yaml": LEDGER.replace("2025-04-05", "2025-04-31")},
        "content/qingshan/finance/2025-03.yaml:1:12: 错误：published：应为日期，例如 2025-03-05，"
        "实际为 “2025-04-31”；没有这一天：2025-04 只有 30 天",
    ),
    "bad amount": (
        {"content/qingshan/finance/2025-03.yaml": LEDGER.replace("3200.50", "3200.505")},
        "content/qingshan/finance/2025-03.yaml:8:60: 错误：expense[0].amount：应为最多两位小数的金额"
        "（元、角、分），实际为 “3200.505”",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_malformed_file_fails_with_its_line_and_leaves_public_alone(make_site, run, case):
    root = make_site()
    assert run("build", "--site", root)[0] == 0
    before = snapshot(root / "public")
    files, message = BAD_FILES[case]
    make_site(files)
    code, out, err = run("build", "--site", root)
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        message, f"1 个错误，0 个警告。没有写入任何文件，{root / 'public'} 保持不变。"]
    assert snapshot(root / "public") == before


def test_all_problems_of_a_run_are_reported_together_in_file_order(make_site, run):
    root = make_site({
        "content/qingshan/village.yaml": "name: 青山村\ntown: baishi\n",
        "content/qingshan/finance/2025-03.yaml": LEDGER.replace("161139.50", "161139.49")
        .replace("2025-03-10", "2025-04-01"),
        "content/qingshan/affairs/道路硬化公示.md": NOTICE.replace("type: 公示", "type: 工程"),
        "content/Xikou/village.yaml": "name: 溪口村\ntown: qingshan\n",
    })
    code, _, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines() == [
        "content/Xikou: 错误：村文件夹名只能用小写字母、数字和连字符（它就是网址的一部分），"
        "实际为 “Xikou”；请改名，例如 qingshan",
        "content/qingshan/affairs/道路硬化公示.md:4:7: 错误：type：应为以下之一（公示、决议、通知、"
        "工程项目、补助、其他、制度），实际为 “工程”；是不是要写“工程项目”？",
        "content/qingshan/finance/2025-03.yaml:8:12: 错误：expense[0].date：日期应在本文件所属期间内，"
        "实际为 2025-04-01",
        "content/qingshan/finance/2025-03.yaml:9:18: 错误：closing_balance：期末结余 161139.49 "
        "不等于 上期结余 + 本期收入 − 本期支出 = 161139.50（相差 -0.01）；请核对数字",
        "content/qingshan/village.yaml:2:7: 错误：town：应为 site_config.yaml 中某个镇的 id（qingshan），"
        "实际为 “baishi”",
        "5 个错误，0 个警告。",
    ]


def test_messages_follow_the_site_language(make_site, run):
    root = make_site({
        "site_config.yaml": CONFIG.replace("today:", "language: en\n  today:"),
        "content/qingshan/finance/2025-03.yaml": LEDGER.replace("opening_balance", "opening"),
    })
    code, _, err = run("build", "--site", root)
    assert code == 1
    assert err.splitlines() == [
        "content/qingshan/finance/2025-03.yaml:4:1: error: opening: expected a known field "
        "(published, notice_until, prepared_by, reviewed_by, opening_balance, income, expense, "
        "closing_balance, note, chart_of_accounts, corrections), found “opening”; did you mean "
        "“opening_balance”?",
        f"1 error, 0 warnings. Nothing was written; {root / 'public'} is unchanged.",
    ]


def test_config_errors(make_site, run):
    root = make_site({"site_config.yaml": "site:\n  titel: x\n  language: fr\ntowns: []\n"})
    code, _, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines()[:4] == [
        "site_config.yaml:2:3: 错误：site.title：缺少必填字段；请添加“title: …”",
        "site_config.yaml:2:3: 错误：site.titel：应为已知字段（title、base_url、language、"
        "timezone、today），实际为 “titel”；是不是要写“title”？",
        "site_config.yaml:3:13: 错误：site.language：应为以下之一（zh-CN、en），实际为 “fr”",
        "site_config.yaml:4:8: 错误：towns：应为至少 1 项，实际为 一个列表",
    ]


def test_markdown_without_front_matter(make_site, run):
    root = make_site({"content/qingshan/party/note.md": "# 标题\n正文\n"})
    code, _, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines()[0] == (
        "content/qingshan/party/note.md:1: 错误：缺少文件开头的信息块：文件第一行必须是“---”，"
        "接着写 title、date、type，再用一行“---”结束")


def test_missing_attachment_is_an_error(make_site, run):
    root = make_site({"content/qingshan/affairs/道路硬化公示.md":
                      NOTICE.replace("type: 公示", "type: 公示\nattachments: [files/预算.pdf, ../x]")})
    code, _, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines()[:2] == [
        "content/qingshan/affairs/道路硬化公示.md:5:15: 错误：attachments[0]：应为本村 files/ 文件夹中的文件，"
        "例如 files/plan.pdf；实际为 “files/预算.pdf”，该文件不在那里",
        "content/qingshan/affairs/道路硬化公示.md:5:29: 错误：attachments[1]：应为本村 files/ 文件夹中的文件，"
        "例如 files/plan.pdf；实际为 “../x”，该文件不在那里",
    ]


def test_stray_files_are_warnings_and_strict_fails_on_them(make_site, run):
    root = make_site({"content/qingshan/finance/readme.txt": "x", "content/qingshan/.hidden": "x",
                      "content/qingshan/finance/2025-03.yaml~": "x"})
    code, out, err = run("build", "--site", root)
    assert code == 0
    assert err.splitlines() == [
        "content/qingshan/finance/readme.txt: 警告：这个文件没有被使用：它不在 Gongkai 读取的位置；请移走或删除"]
    assert "1 个警告" in out
    code, _, err = run("build", "--site", root, "--strict")
    assert code == 1
    assert err.splitlines()[-1].startswith("0 个错误，1 个警告。没有写入任何文件")


def test_usage_errors_exit_2(make_site, run, tmp_path):
    assert run("build", "--site", tmp_path / "nowhere")[0] == 2
    root = make_site({"notes/mine.txt": "precious"})
    code, _, err = run("build", "--site", root, "--out", root / "notes")
    assert code == 2
    assert "拒绝写入" in err
    assert (root / "notes" / "mine.txt").read_text() == "precious"
    assert run("build", "--site", root, "--out", root)[0] == 2
    with pytest.raises(SystemExit) as caught:
        run("build", "--today", "yesterday")
    assert caught.value.code == 2


def test_missing_attachment_of_a_finance_line(make_site, run):
    root = make_site({"content/qingshan/finance/2025-03.yaml": LEDGER.replace(
        "voucher: 记-011}", "voucher: 记-011, attachments: [files/发票.jpg]}")})
    code, _, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines()[0] == (
        "content/qingshan/finance/2025-03.yaml:8:113: 错误：expense[0].attachments[0]："
        "应为本村 files/ 文件夹中的文件，例如 files/plan.pdf；实际为 “files/发票.jpg”，该文件不在那里")


def test_thousands_comma_inside_braces_is_explained(make_site, run):
    root = make_site({"content/qingshan/finance/2025-03.yaml":
                      LEDGER.replace("amount: 12000.00", "amount: 12,000.00")})
    code, _, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines()[0] == (
        "content/qingshan/finance/2025-03.yaml:6:64: 错误：income[0]：字段名的位置出现了数字；"
        '在 { } 里逗号用来分隔字段，带千位逗号的金额请加引号，例如 "12,000.00"')


def test_chinese_colon_is_reported_on_its_own_line(make_site, run):
    root = make_site({"content/qingshan/village.yaml": "name: 青山村\ntown: qingshan\noffice_hours：周一至周五\n",
                      "content/qingshan/party/2025-03-party-day.md": PARTY_DAY_WITH_CHINESE_COLON})
    code, _, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines()[:2] == [
        "content/qingshan/party/2025-03-party-day.md:3:1: 错误：YAML 格式错误：字段名后面要用英文冒号加一个空格（“名称: 值”），不能用中文冒号“：”",
        "content/qingshan/village.yaml:3:1: 错误：YAML 格式错误：字段名后面要用英文冒号加一个空格（“名称: 值”），不能用中文冒号“：”",
    ]


PARTY_DAY_WITH_CHINESE_COLON = "---\ntitle: 主题党日\ndate：2025-03-15\ntype: party-day\n---\n正文\n"


def test_a_key_that_is_not_text_is_reported_at_its_line(make_site, run):
    root = make_site({"content/qingshan/party/2025-03-party-day.md":
                      "---\ntitle: 主题党日\ndate: 2025-03-15\ntype: party-day\n2025-04-06: 开始公示\n---\n正文\n"})
    code, _, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines()[0] == (
        "content/qingshan/party/2025-03-party-day.md:5:1: 错误：应为字段名，实际为 “2025-04-06”；"
        "字段名是文字，后面跟英文冒号和一个空格")


def test_a_town_id_used_twice_names_its_line(make_site, run):
    root = make_site({"site_config.yaml": CONFIG + "  - {id: qingshan, name: 青山镇二}\n"})
    code, _, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines()[0] == (
        "site_config.yaml:7:10: 错误：towns[1].id：镇的 id “qingshan” 用了两次；每个镇的 id 必须不同")


def test_attachments_must_be_published_files(make_site, run):
    root = make_site({
        "content/qingshan/预算.pdf": b"%PDF", "content/qingshan/files/.scan.pdf": b"%PDF",
        "content/qingshan/affairs/道路硬化公示.md": NOTICE.replace(
            "type: 公示", "type: 公示\nattachments: [预算.pdf, village.yaml, files/.scan.pdf]")})
    code, _, err = run("check", "--site", root)
    assert code == 1
    assert [line.split("：")[0] for line in err.splitlines()[:3]] == [
        f"content/qingshan/affairs/道路硬化公示.md:5:{col}: 错误" for col in (15, 23, 37)]


def test_blank_optional_keys_are_like_missing_ones(make_site, run):
    root = make_site({"content/qingshan/finance/2025-03.yaml": LEDGER.replace(
        "expense:\n  - {date: 2025-03-10, category: 公益支出, item: 路灯维修, amount: 3200.50, payee: 青山电器店, voucher: 记-011}",
        "expense:\nnote:").replace("161139.50", "164340.00")})
    code, _, err = run("check", "--site", root)
    assert (code, err) == (0, "")


def test_a_blank_type_says_nothing_was_given(make_site, run):
    root = make_site({"content/qingshan/party/2025-03-party-day.md": PARTY.replace("type: party-day", "type:")})
    code, _, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines()[0] == (
        "content/qingshan/party/2025-03-party-day.md:4:6: 错误：type：应为以下之一（主题党日、三会一课、"
        "党费、发展党员、组织生活、其他、制度），实际为 “”")


def test_a_notice_that_ends_before_it_starts(make_site, run):
    root = make_site({
        "content/qingshan/affairs/道路硬化公示.md": NOTICE.replace("{from: 2025-04-06}", "{from: 2025-04-06, to: 2025-04-01}"),
        "content/qingshan/finance/2025-03.yaml": LEDGER.replace("prepared_by:", "notice_until: 2025-04-01\nprepared_by:"),
    })
    code, _, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines()[:2] == [
        "content/qingshan/affairs/道路硬化公示.md:5:32: 错误：notice.to：公示期的结束日期应不早于开始日期（2025-04-06）",
        "content/qingshan/finance/2025-03.yaml:2:15: 错误：notice_until：公示期的结束日期应不早于开始日期（2025-04-05）",
    ]
