"""``gongkai new``: each command writes a commented file that checks, and never overwrites."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.clerk.scaffold import file_stem, pick_type

REPO = Path(__file__).resolve().parent.parent.parent

# A ledger whose closing balance is left out: the next period carries what its lines give.
NO_CLOSING = """\
published: 2025-01-08
reviewed_by: {names: [李芳], date: 2025-01-07}
opening_balance: 1000.00
income:
  - {date: 2024-12-02, category: 经营收入, item: 租金, amount: 500.50}
expense:
  - {date: 2024-12-09, category: 管理费用, item: 办公用品, amount: 100.25}
"""


def problems(err: str) -> list[str]:
    """The problem lines of a check's stderr (without the summary line)."""
    return [line for line in err.splitlines() if ": 错误：" in line or ": 警告：" in line]


def checks_without_errors(run, root: Path) -> list[str]:
    """Check a site; assert it has no errors; return its warnings."""
    code, _, err = run("check", "--site", root)
    assert code == 0, err
    assert ": 错误：" not in err
    return problems(err)


# --- new site ------------------------------------------------------------------------

def test_new_site_starts_a_site_that_a_village_and_a_month_make_buildable(run, tmp_path):
    root = tmp_path / "白石镇网站"
    code, out, err = run("new", "site", "白石镇村级“三务”公开", "--town", "baishi=白石镇",
                         "--town", "dongxi ＝ 东溪乡", "--site", root)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"已写好 {(root / 'site_config.yaml').as_posix()}。",
        f"下一步：进入网站文件夹（cd {root}），再运行“gongkai new village 村的id --town 乡镇id "
        "--name 村名”添加一个村。"]
    text = (root / "site_config.yaml").read_text(encoding="utf-8")
    assert "  title: 白石镇村级“三务”公开\n" in text
    assert "towns:\n  - {id: baishi, name: 白石镇}\n  - {id: dongxi, name: 东溪乡}\n" in text
    assert "  # base_url: https://sanwu.example.cn/\n" in text
    assert (root / "content").is_dir()
    assert run("new", "village", "dongshan", "--town", "baishi", "--name", "东山村",
               "--site", root)[0] == 0
    assert run("new", "finance", "dongshan", "2026-01", "--today", "2026-02-03",
               "--site", root)[0] == 0
    code, _, err = run("build", "--site", root, "--today", "2026-02-03")
    assert code == 0, err
    assert (root / "public/dongshan/finance/2026-01.html").is_file()


def test_new_site_refuses_a_town_without_its_id_and_an_existing_config(run, tmp_path):
    code, _, err = run("new", "site", "某县", "--town", "白石镇", "--site", tmp_path / "a")
    assert code == 2
    assert err.strip() == ("乡镇应写作 id=名称，id 只用小写英文字母、数字和连字符，"
                           "例如 qingshan=青山镇；实际为“白石镇”")
    assert not (tmp_path / "a/site_config.yaml").exists()
    assert run("new", "site", "某县", "--town", "baishi=白石镇", "--site", tmp_path / "b")[0] == 0
    code, _, err = run("new", "site", "别的县", "--town", "x=某镇", "--site", tmp_path / "b")
    assert code == 2
    assert err.strip() == ("site_config.yaml 已经存在；Gongkai 不会覆盖已有的文件："
                           "请直接修改它，或先把它移走")
    assert "title: 某县" in (tmp_path / "b/site_config.yaml").read_text(encoding="utf-8")


# --- new village ---------------------------------------------------------------------

def test_new_village_writes_a_commented_profile_that_builds(make_site, run, tmp_path):
    root = make_site()
    code, out, err = run("new", "village", "dongshan", "--town", "qingshan", "--name", "东山村",
                         "--site", root)
    assert (code, err) == (0, "")
    path = root / "content/dongshan/village.yaml"
    assert out.splitlines() == [
        f"已写好 {path.as_posix()}。",
        f"下一步：打开这个文件填写，然后运行“gongkai serve --site {root}”预览，"
        f"或运行“gongkai check --site {root}”检查。"]
    text = path.read_text(encoding="utf-8")
    assert "\nname: 东山村\n" in text and "\ntown: qingshan\n" in text
    assert "# 所属乡镇在 site_config.yaml 中的 id（必填）：qingshan 即青山镇。\n" in text
    assert "# committee:\n#   - {name: 张伟, role: 党支部书记、村委会主任}\n" in text
    assert "# 只有 name 和 town 必须填写。" in text
    warnings = checks_without_errors(run, root)
    assert [w for w in warnings if "dongshan" in w] == [
        "content/dongshan: 警告：党务：尚未有任何公开",
        "content/dongshan: 警告：村务：尚未有任何公开",
        "content/dongshan: 警告：财务：尚未有任何公开"]
    code, _, err = run("build", "--site", root, "--out", tmp_path / "out")
    assert code == 0, err
    assert (tmp_path / "out/dongshan/index.html").is_file()


def test_every_commented_example_of_village_yaml_is_valid(make_site, run):
    root = make_site()
    run("new", "village", "dongshan", "--town", "qingshan", "--name", "东山村", "--site", root)
    path = root / "content/dongshan/village.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    # Uncomment every example (the lines that are YAML, not help).
    uncommented = [line[2:] if re.match(r"# (?:[a-z_0-9]+:|  - )", line) else line
                   for line in lines]
    path.write_text("\n".join(uncommented) + "\n", encoding="utf-8")
    assert "\ncommittee:\n  - {name: 张伟" in path.read_text(encoding="utf-8")
    assert "\ncadence: {finance: quarterly}" in path.read_text(encoding="utf-8")
    checks_without_errors(run, root)


@pytest.mark.parametrize(("town", "message"), [
    ("青山镇", "“青山镇” 是乡镇的名称；这里要写 site_config.yaml 中乡镇的 id：是不是要写 qingshan（青山镇）？"),
    ("青山", "“青山” 是乡镇的名称；这里要写 site_config.yaml 中乡镇的 id：是不是要写 qingshan（青山镇）？"),
    ("qingshn", "应为site_config.yaml 中乡镇的 id（qingshan（青山镇）），实际为 “qingshn”；是不是要写“qingshan”？"),
    ("baishi", "应为site_config.yaml 中乡镇的 id（qingshan（青山镇）），实际为 “baishi”"),
])
def test_new_village_refuses_a_town_that_is_not_an_id(make_site, run, town, message):
    root = make_site()
    code, out, err = run("new", "village", "dongshan", "--town", town, "--name", "东山村",
                         "--site", root)
    assert (code, out, err) == (2, "", message + "\n")
    assert not (root / "content/dongshan").exists()


def test_new_village_refuses_a_bad_id_and_an_existing_village(make_site, run):
    root = make_site()
    code, _, err = run("new", "village", "Dongshan", "--town", "qingshan", "--name", "东山村",
                       "--site", root)
    assert code == 2
    assert err == ("村文件夹名只能用小写字母、数字和连字符（它就是网址的一部分），实际为 “Dongshan”；"
                   "请改名，例如 qingshan\n")
    before = (root / "content/qingshan/village.yaml").read_bytes()
    code, out, err = run("new", "village", "qingshan", "--town", "qingshan", "--name", "青山村",
                         "--site", root)
    assert (code, out) == (2, "")
    assert err == ("content/qingshan/village.yaml 已经存在；"
                   "Gongkai 不会覆盖已有的文件：请直接修改它，或先把它移走\n")
    assert (root / "content/qingshan/village.yaml").read_bytes() == before


# --- new finance -----------------------------------------------------------------------

def test_new_finance_carries_the_balance_into_the_next_month(make_site, run):
    root = make_site()
    code, out, err = run("new", "finance", "qingshan", "2025-04", "--site", root)
    assert (code, err) == (0, "")
    path = root / "content/qingshan/finance/2025-04.yaml"
    assert out.splitlines()[0] == f"已写好 {path.as_posix()}。"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 青山村 2025年4月 财务收支公开\n"
                           "# 本期从 2025-04-01 到 2025-04-30：每一笔收支的日期都要在这段时间内。\n")
    # site.today is 2025-04-08, inside the month: the file gets the day it is due.
    assert ("# 公开（张贴）日期（必填）。应于 2025-05-10 前公开（本期结束后 10 天，见 site_config.yaml 的 "
            "rules.finance_due_days）；这里先按这一天填写。请改成实际张贴的那一天。\npublished: 2025-05-10\n"
            ) in text
    assert ("# 上期结余：由 content/qingshan/finance/2025-03.yaml 的期末结余结转而来，必须与它相等。\n"
            "opening_balance: 161139.50\n") in text
    # The village lists no supervisors: the names are an example.
    assert "\nreviewed_by:\n  # names: [李芳, 赵强, 孙秀英]\n  # date: 2025-05-08\n" in text
    assert "\nincome:\n  # - {date: 2025-04-05, category: 经营收入, item: 集体鱼塘承包费," in text
    assert text.endswith("closing_balance: 161139.50\n")
    warnings = checks_without_errors(run, root)
    review_line = text.splitlines().index("reviewed_by:") + 1
    assert [w for w in warnings if "2025-04" in w] == [
        "content/qingshan/finance/2025-04.yaml:5:12: 警告：published：公开日期 2025-05-10 晚于统计截止日期 "
        "2025-04-08（site.today 或 --today）：公开日期不能在将来，到那一天之前也不算已公开；请更正日期",
        f"content/qingshan/finance/2025-04.yaml:{review_line}:1: 警告：reviewed_by：没有 reviewed_by："
        "财务公开应先经村务监督委员会审核再张贴；请添加“reviewed_by: {names: [...], date: ..., "
        "opinion: ...}”"]


def test_a_period_started_after_it_ended_is_dated_today(make_site, run):
    root = make_site()
    code, _, _ = run("new", "finance", "qingshan", "2025-04", "--site", root,
                     "--today", "2025-05-20")
    assert code == 0
    text = (root / "content/qingshan/finance/2025-04.yaml").read_text(encoding="utf-8")
    assert "本期已结束，这里先按今天填写。请改成实际张贴的那一天。\npublished: 2025-05-20\n" in text
    assert "  # date: 2025-05-18\n" in text
    code, _, err = run("check", "--site", root, "--today", "2025-05-20")
    assert code == 0 and ": 错误：" not in err
    assert not [w for w in problems(err) if "published" in w]


def test_the_uncommented_template_checks_clean(make_site, run):
    root = make_site({"content/qingshan/village.yaml": """\
        name: 青山村
        town: qingshan
        supervisors:
          - {name: 李芳, role: 主任}
          - {name: 赵强}
        """})
    run("new", "finance", "qingshan", "2025-04", "--site", root, "--today", "2025-05-20")
    path = root / "content/qingshan/finance/2025-04.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nreviewed_by:\n  # names: [李芳, 赵强]\n  # date: 2025-05-18\n" in text
    filled = text.replace("  # ", "  ").replace("closing_balance: 161139.50", "")
    path.write_text(filled, encoding="utf-8")
    code, _, err = run("check", "--site", root, "--today", "2025-05-20")
    assert code == 0, err
    assert not [w for w in problems(err) if "2025-04" in w]


@pytest.mark.parametrize(("files", "period", "source", "opening"), [
    ({"content/qingshan/finance/2025-03.yaml": None,
      "content/qingshan/finance/2025-Q1.yaml": "published: 2025-04-05\nopening_balance: 300.00\n"
                                               "closing_balance: 300.00\n"},
     "2025-Q2", "2025-Q1", "300.00"),
    ({}, "2025-Q2", "2025-03", "161139.50"),  # monthly, then quarterly
    ({"content/qingshan/finance/2025-03.yaml": None,
      "content/qingshan/finance/2024.yaml": NO_CLOSING.replace("2025-01-08", "2025-04-01")},
     "2025", "2024", "1400.25"),  # 1000.00 + 500.50 - 100.25
])
def test_new_finance_carries_across_quarters_and_years(make_site, run, files, period, source,
                                                       opening):
    root = make_site(files)
    code, _, err = run("new", "finance", "qingshan", period, "--site", root)
    assert (code, err) == (0, "")
    text = (root / f"content/qingshan/finance/{period}.yaml").read_text(encoding="utf-8")
    assert (f"由 content/qingshan/finance/{source}.yaml 的期末结余结转而来，必须与它相等。\n"
            f"opening_balance: {opening}\n") in text
    assert text.endswith(f"closing_balance: {opening}\n")
    checks_without_errors(run, root)


def test_new_finance_across_a_missing_period_says_so(make_site, run):
    root = make_site()
    code, out, err = run("new", "finance", "qingshan", "2025-06", "--site", root)
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == ("请注意：2025-04-01 至 2025-05-31 还没有账：上期结余是从 "
                                   "content/qingshan/finance/2025-03.yaml 结转的；补上缺的那一期后请核对。")
    text = (root / "content/qingshan/finance/2025-06.yaml").read_text(encoding="utf-8")
    assert ("# 上期结余：暂按 content/qingshan/finance/2025-03.yaml 的期末结余填写，但2025-04-01 至 "
            "2025-05-31 还没有账；补上那一期后请核对。\nopening_balance: 161139.50\n") in text
    warnings = checks_without_errors(run, root)
    assert any("2025-06.yaml" in w and "2025-04-01" in w for w in warnings), warnings


def test_a_first_period_leaves_the_opening_balance_to_the_clerk(make_site, run):
    root = make_site({"content/qingshan/finance/2025-03.yaml": None})
    code, _, _ = run("new", "finance", "qingshan", "2025-03", "--site", root)
    assert code == 0
    text = (root / "content/qingshan/finance/2025-03.yaml").read_text(encoding="utf-8")
    assert ("# 上期结余：这是本村第一期账，没有上一期可以结转。请把 unknown 改成本期开始时的结余（元）；"
            "确实不知道的才保留 unknown（页面上会注明“不详”）。\nopening_balance: unknown\n") in text
    assert text.endswith("closing_balance:\n")
    checks_without_errors(run, root)


def test_new_finance_refuses_to_overwrite_or_overlap(make_site, run):
    root = make_site()
    ledger = root / "content/qingshan/finance/2025-03.yaml"
    before = ledger.read_bytes()
    code, out, err = run("new", "finance", "qingshan", "2025-03", "--site", root)
    assert (code, out) == (2, "")
    assert err == "content/qingshan/finance/2025-03.yaml 已经存在；Gongkai 不会覆盖已有的文件：请直接修改它，或先把它移走\n"
    code, out, err = run("new", "finance", "qingshan", "2025-Q1", "--site", root)
    assert (code, out) == (2, "")
    assert err == ("content/qingshan/finance/2025-03.yaml 已经包含 2025-Q1（全部或部分）；Gongkai 不会覆盖已有的文件："
                   "请修改那个文件\n")
    assert ledger.read_bytes() == before
    assert sorted(p.name for p in ledger.parent.iterdir()) == ["2025-03.yaml"]


@pytest.mark.parametrize(("args", "message"), [
    (("qingshn", "2025-04"), "应为村的 id，即它在 content/ 中的文件夹名（qingshan），实际为 “qingshn”；"
                             "是不是要写“qingshan”？"),
    (("青山村", "2025-04"), "“青山村” 是村名；这里要写村的 id：是不是要写 qingshan（青山村）？"),
    (("qingshan", "2025-4"), "应为期间：2026-01（月）、2026-Q1（季度）或 2026（年），实际为 “2025-4”"),
])
def test_new_finance_refuses_an_unknown_village_or_period(make_site, run, args, message):
    root = make_site()
    code, out, err = run("new", "finance", *args, "--site", root)
    assert (code, out, err) == (2, "", message + "\n")


# --- new affairs / new party ---------------------------------------------------------------

def test_new_affairs_writes_a_dated_notice_that_checks(make_site, run):
    root = make_site()
    code, out, err = run("new", "affairs", "qingshan", "关于村道修补的公示", "--site", root)
    assert (code, err) == (0, "")
    path = root / "content/qingshan/affairs/2025-04-关于村道修补的公示.md"
    assert out.splitlines()[0] == f"已写好 {path.as_posix()}。"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n# 标题（必填）。\ntitle: 关于村道修补的公示\n# 公开日期（必填）。\n"
                           "date: 2025-04-08\n"
                           "# 类型（必填），可选：公示、决议、通知、工程项目、补助、其他、制度。\ntype: 公示\n")
    assert "\nnotice: {from: 2025-04-08}\n" in text
    assert "\n---\n\n（请把这一行换成公开的正文。" in text
    assert checks_without_errors(run, root) == []
    code, _, err = run("new", "affairs", "qingshan", "关于村道修补的公示", "--site", root)
    assert code == 2
    assert err == "content/qingshan/affairs/2025-04-关于村道修补的公示.md 已经存在；Gongkai 不会覆盖已有的文件：请直接修改它，或先把它移走\n"


def test_new_party_guesses_the_type_and_takes_today(make_site, run):
    root = make_site()
    code, _, err = run("new", "party", "qingshan", "四月主题党日：学习党章", "--site", root,
                       "--today", "2025-04-02")
    assert (code, err) == (0, "")
    path = root / "content/qingshan/party/2025-04-四月主题党日-学习党章.md"
    text = path.read_text(encoding="utf-8")
    assert "\ntitle: 四月主题党日：学习党章\n# 公开日期（必填）。\ndate: 2025-04-02\n" in text
    assert "\ntype: 主题党日\n" in text and "\n# notice: {from: 2025-04-02}\n" in text
    assert checks_without_errors(run, root) == []


def test_a_recruitment_notice_needs_its_stage(make_site, run):
    root = make_site()
    code, out, err = run("new", "party", "qingshan", "发展对象公示", "--type", "发展党员",
                         "--site", root)
    assert (code, out) == (2, "")
    assert err == "发展党员公示要写明阶段：请加上 --stage，可选 积极分子、发展对象、预备党员、转正\n"
    code, _, err = run("new", "party", "qingshan", "发展对象公示", "--type", "recruitment",
                       "--stage", "发展对象", "--slug", "candidates", "--site", root)
    assert (code, err) == (0, "")
    text = (root / "content/qingshan/party/2025-04-candidates.md").read_text(encoding="utf-8")
    assert "\ntype: 发展党员\n# 发展党员公示的阶段（必填），可选：积极分子、发展对象、预备党员、转正。\nstage: 发展对象\n" in text
    assert "\nnotice: {from: 2025-04-08, to: 2025-04-15}\n" in text
    assert checks_without_errors(run, root) == []


def test_a_type_that_is_not_one_is_refused_with_the_closest(make_site, run):
    root = make_site()
    code, out, err = run("new", "affairs", "qingshan", "道路工程", "--type", "工程",
                         "--site", root)
    assert (code, out) == (2, "")
    assert err == ("应为以下之一（公示、决议、通知、工程项目、补助、其他、制度），实际为 “工程”；"
                   "是不是要写“工程项目”？\n")


def test_types_and_file_names():
    from datetime import date

    assert pick_type("affairs", None, "关于2026年村级预算的决议") == "decision"
    assert pick_type("affairs", None, "关于补助发放情况的公示") == "notice"  # the last one wins
    assert pick_type("affairs", None, "春节慰问") == "other"
    assert pick_type("party", None, "发展党员工作") == "other"  # the stage cannot be guessed
    assert pick_type("party", "dues", "x") == "dues"
    day = date(2026, 1, 5)
    assert file_stem(day, "关于“三资”清查: 结果?", None) == "2026-01-关于“三资”清查-结果"
    assert file_stem(day, "x" * 50, None) == "2026-01-" + "x" * 30
    assert file_stem(day, "///", None) == "2026-01-05"


# --- entry points and languages --------------------------------------------------------------

@pytest.mark.parametrize("entry", [["build.py"], ["-m", "gongkai"]])
def test_every_entry_point_runs_new(make_site, entry):
    root = make_site()
    command = [str(REPO / entry[0])] if entry == ["build.py"] else entry
    result = subprocess.run([sys.executable, *command, "new", "finance", "qingshan", "2025-04"],
                            cwd=root, capture_output=True, text=True, check=False,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    program = "python build.py" if entry == ["build.py"] else "python -m gongkai"
    assert result.stdout.splitlines() == [
        "已写好 content/qingshan/finance/2025-04.yaml。",
        f"下一步：打开这个文件填写，然后运行“{program} serve”预览，或运行“{program} check”检查。"]
    assert (root / "content/qingshan/finance/2025-04.yaml").is_file()


def test_an_english_site_gets_english_help_and_chinese_examples(make_site, run):
    root = make_site()
    config = root / "site_config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "today: 2025-04-08", "today: 2025-04-08\n  language: en"), encoding="utf-8")
    code, out, _ = run("new", "finance", "qingshan", "2025-04", "--site", root)
    assert code == 0
    assert out.splitlines()[0] == f"Wrote {(root / 'content/qingshan/finance/2025-04.yaml').as_posix()}."
    text = (root / "content/qingshan/finance/2025-04.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 青山村 April 2025 income and expenditure disclosure\n")
    assert "# Who prepared it (制表人).\n" in text
    assert "item: 集体鱼塘承包费" in text


def test_a_broken_site_config_is_reported_and_nothing_written(make_site, run):
    root = make_site({"site_config.yaml": "site: {title: 测试}\ntowns: []\n"})
    code, out, err = run("new", "affairs", "qingshan", "关于村道修补的公示", "--site", root)
    assert (code, out) == (1, "")
    assert err.startswith("site_config.yaml:2:8: 错误：towns：")
    assert not (root / "content/qingshan/affairs/2025-04-关于村道修补的公示.md").exists()


def test_a_village_folder_without_village_yaml_is_pointed_at_new_village(make_site, run):
    root = make_site({"content/dongshan/affairs/.keep": ""})
    code, _, err = run("new", "finance", "dongshan", "2025-04", "--site", root)
    assert code == 2
    assert err == ("缺少 content/dongshan/village.yaml；请先用“gongkai new village dongshan "
                   "--town … --name …”建立这个村\n")


def test_a_balance_that_is_not_known_is_not_made_up(make_site, run):
    unknown = "published: 2025-04-05\nreviewed_by: {names: [李芳]}\nopening_balance: unknown\n"
    root = make_site({"content/qingshan/finance/2025-03.yaml": unknown})
    code, out, err = run("new", "finance", "qingshan", "2025-04", "--site", root)
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == ("请注意：content/qingshan/finance/2025-03.yaml 的期末结余算不出来"
                                   "（文件有错误，或结余不详）；请自己填写上期结余。")
    text = (root / "content/qingshan/finance/2025-04.yaml").read_text(encoding="utf-8")
    assert "\nopening_balance:\n" in text and text.endswith("\nclosing_balance:\n")
    checks_without_errors(run, root)
