"""The disclosure calendar: cadence arithmetic, what is due, what is late."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.check.schedule import add_months, next_period
from gongkai.core.dates import parse_period
from tests.helpers.sites import CONFIG, VILLAGE


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2025, 1, 31), 1, date(2025, 2, 28)),     # no 31 February: the month's last day
    (date(2024, 1, 31), 1, date(2024, 2, 29)),     # leap year
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2023, 11, 30), 3, date(2024, 2, 29)),
    (date(2025, 12, 15), 1, date(2026, 1, 15)),    # across the year
    (date(2025, 9, 15), 3, date(2025, 12, 15)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("after", "cadence", "expected"), [
    ("2025-12", "monthly", "2026-01"),
    ("2025-02", "monthly", "2025-03"),
    ("2025-Q4", "quarterly", "2026-Q1"),
    ("2025-Q2", "quarterly", "2025-Q3"),
    ("2025-03", "quarterly", "2025-Q2"),          # monthly until March, then quarterly
    ("2025-Q4", "monthly", "2026-01"),
    ("2024", "yearly", "2025"),
])
def test_next_period(after, cadence, expected):
    period = parse_period(after)
    assert period is not None
    assert next_period(period, cadence).name == expected


def warnings(run, root):
    code, _out, err = run("check", "--site", root)
    return code, [line for line in err.splitlines() if ": 警告：" in line]


def test_a_late_village_is_warned_per_kind_with_days_and_dates(make_site, run):
    # today 2025-04-08; March's finance is in (due April 10), the notice was posted 04-06,
    # the party day 03-15: nothing late.
    assert warnings(run, make_site()) == (0, [])
    config = CONFIG.replace("today: 2025-04-08", "today: 2025-07-01")
    code, lines = warnings(run, make_site({"site_config.yaml": config}))
    assert code == 0
    assert lines == [
        "content/qingshan: 警告：党务已逾期 16 天：下次公开应于 2025-06-15 前完成（最近一次：2025-03-15）",
        "content/qingshan: 警告：财务已逾期 52 天：下次公开应于 2025-05-10 前完成（最近一次：2025-03）"
        "；期满后 10 天内公开是本县的规定（rules.finance_due_days），法定最低要求是至少每季度公开一次（农经发〔2011〕13号）",
    ]


def test_strict_fails_on_overdue_disclosures(make_site, run):
    config = CONFIG.replace("today: 2025-04-08", "today: 2025-07-01")
    code, _out, _err = run("check", "--strict", "--site", make_site({"site_config.yaml": config}))
    assert code == 1


def test_boundaries_the_due_day_itself_is_not_late(make_site, run):
    on_due = CONFIG.replace("today: 2025-04-08", "today: 2025-05-10")
    assert warnings(run, make_site({"site_config.yaml": on_due}))[1] == []
    day_after = CONFIG.replace("today: 2025-04-08", "today: 2025-05-11")
    assert warnings(run, make_site({"site_config.yaml": day_after}))[1] == [
        "content/qingshan: 警告：财务已逾期 1 天：下次公开应于 2025-05-10 前完成（最近一次：2025-03）"
        "；期满后 10 天内公开是本县的规定（rules.finance_due_days），法定最低要求是至少每季度公开一次（农经发〔2011〕13号）"]


def test_a_village_may_keep_its_own_cadence(make_site, run):
    config = CONFIG.replace("today: 2025-04-08", "today: 2025-07-01")
    village = VILLAGE + "cadence: {finance: quarterly, party: yearly}\n"
    _code, lines = warnings(run, make_site({"site_config.yaml": config,
                                           "content/qingshan/village.yaml": village}))
    # March closes the first quarter early; the second quarter is due on 10 July.
    assert lines == []


def test_a_yearly_finance_cadence_is_refused_with_the_rule_named(make_site, run):
    config = CONFIG + "rules:\n  cadence: {finance: yearly}\n"
    code, _out, err = run("check", "--site", make_site({"site_config.yaml": config}))
    assert code == 1
    assert ("site_config.yaml:8:22: 错误：rules.cadence.finance：应为每月（monthly）或每季度（quarterly）："
            "集体财务至少每季度公开一次，财务往来较多的，收支情况应当每月公开一次（《农村集体经济组织"
            "财务公开规定》，农经发〔2011〕13号），实际为 “yearly”") in err.splitlines()
    # A village may not set it either; affairs and party may still be yearly.
    village = VILLAGE + "cadence: {finance: yearly, party: yearly}\n"
    code, _out, err = run("check", "--site", make_site({"content/qingshan/village.yaml": village}))
    assert code == 1
    assert [line for line in err.splitlines() if ": 错误：" in line] == [
        "content/qingshan/village.yaml:4:20: 错误：cadence.finance：应为每月（monthly）或每季度"
        "（quarterly）：集体财务至少每季度公开一次，财务往来较多的，收支情况应当每月公开一次（《农村集体"
        "经济组织财务公开规定》，农经发〔2011〕13号），实际为 “yearly”"]


def test_board_and_town_page_show_what_is_due_and_what_is_late(make_site, run):
    config = CONFIG.replace("today: 2025-04-08", "today: 2025-07-01")
    root = make_site({"site_config.yaml": config})
    assert run("build", "--site", root)[0] == 0
    board = (root / "public/qingshan/index.html").read_text()
    assert ('<p class="due"><span class="badge-late">已逾期 52 天</span> 2025年4月应于2025年5月10日前公开'
            '</p>') in board
    assert '<p class="due">下次公开：2025年7月6日前</p>' in board          # affairs: 04-06 + 3 months
    town = (root / "public/towns/qingshan.html").read_text()
    assert "各村公开是否及时" in town and '<span class="on-time">按时</span>' in town
    assert "最近：2025年3月" in town
    home = (root / "public/index.html").read_text()
    assert ('<td data-label="财务"><span><span class="badge-late">1 个村逾期</span> 最长逾期 52 天'
            '</span></td>') in home
    assert '<td data-label="村务"><span><span class="on-time">全部按时</span></span></td>' in home


def test_the_town_table_puts_the_most_overdue_village_first(make_site, run):
    second = VILLAGE.replace("name: 青山村", "name: 溪口村")
    root = make_site({"content/xikou/village.yaml": second})
    assert run("build", "--site", root)[0] == 0
    town = (root / "public/towns/qingshan.html").read_text()
    table = town[town.index("各村公开是否及时"):]
    assert table.index("溪口村") < table.index("青山村")         # xikou never disclosed anything
    assert '<span class="badge-late">从未公开</span>' in table
    home = (root / "public/index.html").read_text()
    assert home.count('<span class="badge-late">1 个村从未公开</span>') == 3


@pytest.mark.parametrize(("start", "end", "count"), [
    (date(2025, 6, 16), date(2025, 6, 20), 5),    # Monday to Friday
    (date(2025, 6, 16), date(2025, 6, 23), 6),    # over a weekend
    (date(2025, 6, 20), date(2025, 6, 23), 2),    # Friday to Monday
    (date(2025, 6, 21), date(2025, 6, 22), 0),    # a weekend only
    (date(2024, 2, 26), date(2024, 3, 4), 6),     # across 29 February
    (date(2025, 6, 23), date(2025, 6, 20), 0),    # backwards
])
def test_working_days(start, end, count):
    from gongkai.core.dates import working_days

    assert working_days(start, end) == count


RECRUIT = """\
---
title: 关于确定张三同志为发展对象的公示
date: 2025-06-19
type: 发展党员
stage: 发展对象
notice: {from: 2025-06-19, to: 2025-06-24}
---
公示期间如有意见，请向党支部反映。
"""


def test_a_recruitment_notice_shorter_than_five_working_days_is_an_error(make_site, run):
    root = make_site({"content/qingshan/party/2025-06-recruit.md": RECRUIT})
    code, _out, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines()[0] == (
        "content/qingshan/party/2025-06-recruit.md:6:9: 错误：notice：公示期只有 4 个工作日"
        "（2025-06-19 至 2025-06-24）；发展党员公示至少 5 个工作日，周末不计")


def test_five_working_days_over_a_weekend_is_enough(make_site, run):
    notice = RECRUIT.replace("to: 2025-06-24", "to: 2025-06-25")
    root = make_site({"content/qingshan/party/2025-06-recruit.md": notice})
    assert run("check", "--site", root)[0] == 0
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/qingshan/party/2025-06-recruit.html").read_text()
    assert '<p class="kicker">党务公开 · 发展党员 · 发展对象阶段</p>' in page


def test_the_minimum_is_configurable_and_stage_and_notice_are_required(make_site, run):
    from tests.helpers.sites import CONFIG

    config = CONFIG + "rules: {recruitment_notice_working_days: 3}\n"
    root = make_site({"site_config.yaml": config,
                      "content/qingshan/party/2025-06-recruit.md": RECRUIT})
    assert run("check", "--site", root)[0] == 0
    bare = RECRUIT.replace("stage: 发展对象\n", "").replace(
        "notice: {from: 2025-06-19, to: 2025-06-24}\n", "")
    root = make_site({"content/qingshan/party/2025-06-recruit.md": bare})
    code, _out, err = run("check", "--site", root)
    assert code == 1
    assert sorted(err.splitlines()[:2]) == [
        "content/qingshan/party/2025-06-recruit.md:4:7: 错误：notice：发展党员公示须写明公示期："
        "请添加“notice: {from: …, to: …}”，至少 5 个工作日",
        "content/qingshan/party/2025-06-recruit.md:4:7: 错误：stage：发展党员公示须写明阶段："
        "请添加“stage: ”，取积极分子、发展对象、预备党员或转正之一"]


@pytest.mark.parametrize(("today", "status"), [
    (date(2025, 4, 5), "upcoming"),   # the day before it opens
    (date(2025, 4, 6), "open"),       # the first day
    (date(2025, 4, 12), "open"),      # the last day is still open
    (date(2025, 4, 13), "closed"),    # the day after
])
def test_notice_status_at_its_boundaries(today, status):
    from gongkai.model.content import Notice

    assert Notice(date(2025, 4, 6), date(2025, 4, 12)).status(today) == status


def test_the_sample_shows_an_overdue_village_an_open_and_a_closed_notice(run, tmp_path):
    from tests.helpers.sites import REPO

    code, _out, err = run("build", "--site", REPO, "--out", tmp_path / "out")
    assert code == 0 and "content/baishi: 警告：财务已逾期" in err
    home = (tmp_path / "out/index.html").read_text()
    assert home.index("青山镇") < home.index("白石镇")        # towns in the configuration's order
    assert home.count("全部按时") == 3 and home.count("1 个村逾期") == 3
    assert "白石村" in (tmp_path / "out/towns/baishi.html").read_text()
    board = (tmp_path / "out/qingshan/index.html").read_text()
    assert "公示中，还剩 3 天" in board and "公示已结束" in board


def test_the_calendar_is_worked_out_once_per_village_and_reused(make_site, monkeypatch):
    from gongkai.check import schedule
    from gongkai.core.errors import Report
    from gongkai.load.site import load_site
    from gongkai.plan.pages import plan_pages

    second = VILLAGE.replace("name: 青山村", "name: 溪口村")
    site = load_site(make_site({"content/xikou/village.yaml": second}), Report())
    assert site is not None
    calls: list[str] = []
    real = schedule.duties

    def counted(village, rules, today):
        calls.append(village.id)
        return real(village, rules, today)

    monkeypatch.setattr(schedule, "duties", counted)
    today = date(2025, 7, 1)
    calendar = schedule.disclosure_calendar(site.villages, site.config.rules, today)
    assert calls == ["qingshan", "xikou"]
    report = Report()
    schedule.report_late(calendar, report)
    plan_pages(site, today, Report(), calendar=calendar)
    assert calls == ["qingshan", "xikou"]            # the pages reuse the build's calendar
    assert len(report.warnings) == 2 + 3              # qingshan late twice, xikou never (x3)
    plan_pages(site, today, Report())
    assert calls == ["qingshan", "xikou"] * 2         # without one, worked out once


def test_a_town_summary_counts_late_villages_per_kind(make_site):
    from gongkai.check import schedule
    from gongkai.core.errors import Report
    from gongkai.load.site import load_site

    second = VILLAGE.replace("name: 青山村", "name: 溪口村")
    site = load_site(make_site({"content/xikou/village.yaml": second}), Report())
    assert site is not None
    calendar = schedule.disclosure_calendar(site.villages, site.config.rules, date(2025, 7, 1))
    summary = {s.kind: s for s in schedule.summarize(calendar.owed.values())}
    assert summary["finance"] == schedule.KindSummary("finance", overdue=1, never=1, worst=52)
    assert summary["affairs"] == schedule.KindSummary("affairs", overdue=0, never=1, worst=0)
    assert [row.village for row in schedule.timeliness(calendar.owed.values())] == [
        "qingshan", "xikou"]                           # 52 days late beats never, then by id
