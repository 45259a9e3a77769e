"""County scale: pages that list villages go by town, and pages that do not depend on
the date render the same bytes on any later day."""

from __future__ import annotations

import dataclasses
import gzip
import re
import textwrap
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from gongkai.build.options import Options
from gongkai.build.pipeline import build
from gongkai.core.dates import Period, parse_period
from gongkai.core.errors import Report
from gongkai.load.site import load_site
from gongkai.model.addresses import TEMPLATE_PATHS
from gongkai.model.config import Town
from gongkai.plan.datapages import TOWN_DATA_PERIODS, village_files
from gongkai.plan.opendata import DataFile
from gongkai.plan.pages import plan_pages
from gongkai.plan.views import VillageLink
from gongkai.read.sitefolder import layout_dirs
from gongkai.render.jinja import Renderer
from tests.helpers.sites import LEDGER, NOTICE, PARTY, VILLAGE

TOWNS = 3
VILLAGES_PER_TOWN = 50   # more than a real town's 20 or so: the town pages' worst case
HTML_LIMIT = 150 * 1024  # bytes uncompressed, per page
HTML_BUDGET = 30 * 1024  # bytes gzipped, per page
# Made-up, distinct village names: 山溪村, 山河村, ...
FIRST, LAST = "山水石竹松桃李梅兰柳", "溪河湖塘坪湾桥林园庄岗口坑源田"


def village_ids(town: int) -> list[str]:
    """Name the village folders of a town: t1-v01, t1-v02, ..."""
    return [f"t{town}-v{n:02d}" for n in range(1, VILLAGES_PER_TOWN + 1)]


def county() -> dict[str, str]:
    """Write the files of a county of TOWNS towns of VILLAGES_PER_TOWN villages each."""
    towns = "".join(f"  - {{id: t{t}, name: 第{t}镇, supervision_phone: 0579-8600000{t}}}\n"
                    for t in range(1, TOWNS + 1))
    # No base_url: QR codes are not what this measures, and they would triple the time.
    files = {"site_config.yaml": "site:\n  title: 测试县三务公开\n  today: 2025-04-08\n"
                                 f"towns:\n{towns}"}
    names = iter(a + b + "村" for a in FIRST for b in LAST)
    for town in range(1, TOWNS + 1):
        for village in village_ids(town):
            folder = f"content/{village}"
            files[f"{folder}/village.yaml"] = VILLAGE.replace("青山村", next(names)).replace(
                "town: qingshan", f"town: t{town}")
            files[f"{folder}/finance/2025-03.yaml"] = LEDGER
            files[f"{folder}/affairs/道路硬化公示.md"] = NOTICE
            files[f"{folder}/party/2025-03-party-day.md"] = PARTY
    return files


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the county once for this module; return its output folder."""
    root = tmp_path_factory.mktemp("county")
    for name, text in county().items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    result = build(Options(root, root / "public"))
    assert not result.failed
    # The missing base_url is the only warning: no page over any budget or limit.
    assert [p.message.msgid for p in result.report.warnings] == [
        "site.base_url is not set, so pages carry no QR codes and the site has no feeds "
        "or sitemaps: add the site's public address, such as "
        "“base_url: https://sanwu.example.cn/”"]
    return root / "public"


def links(html: str) -> list[str]:
    """List the targets of a page's links, in order."""
    return re.findall(r'href="([^"]+)"', html)


def boards(html: str) -> list[str]:
    """List the village boards a town page links to, in order (ids only)."""
    return [m.group(1) for m in re.finditer(r'href="\.\./([a-z0-9-]+)/index\.html"', html)]


def test_the_home_page_lists_towns_not_villages(big):
    home = (big / "index.html").read_text()
    assert [t for t in links(home) if t.startswith("towns/")] == [
        f"towns/t{t}.html" for t in range(1, TOWNS + 1)]
    assert not re.search(r'href="t\d-v\d\d/', home)
    assert "山溪村" not in home
    assert home.count(f'<td class="num" data-label="村数">{VILLAGES_PER_TOWN}</td>') == TOWNS
    assert 'href="venues.html"' in home and 'href="data.html"' in home
    # 2025-04-08: March is in, the notice is of 04-06, the party day of 03-15: all on time.
    assert home.count('<span class="on-time">全部按时</span>') == TOWNS * 3


def test_each_town_page_lists_exactly_its_villages(big):
    for town in range(1, TOWNS + 1):
        page = (big / f"towns/t{town}.html").read_text()
        found = boards(page)
        # Each village twice: its card, then its row of the timeliness table.
        assert found[:VILLAGES_PER_TOWN] == village_ids(town)
        assert sorted(found[VILLAGES_PER_TOWN:]) == village_ids(town)
        assert len(found) == 2 * VILLAGES_PER_TOWN
        assert f'<a href="tel:0579-8600000{town}">' in page
        assert page.count("关于村内道路硬化工程的公示") == VILLAGES_PER_TOWN
        assert f'href="t{town}-venues.html"' in page and f'href="t{town}-data.html"' in page


def test_village_pages_lead_up_to_their_town(big):
    board = (big / "t2-v07/index.html").read_text()
    assert '<li><a href="../towns/t2.html">第2镇</a></li>' in board
    item = (big / "t2-v07/affairs/道路硬化公示.html").read_text()
    assert '<li><a href="../../towns/t2.html">第2镇</a></li>' in item


def test_data_downloads_are_split_by_town(big):
    data = (big / "data.html").read_text()
    assert [t for t in links(data) if t.startswith("towns/")] == [
        f"towns/t{t}-data.html" for t in range(1, TOWNS + 1)]
    assert 'href="data/finance.csv"' in data and 'href="data/datapackage.json"' in data
    assert "/finance/2025-03.csv" not in data
    for town in range(1, TOWNS + 1):
        page = (big / f"towns/t{town}-data.html").read_text()
        csvs = re.findall(r'href="\.\./([a-z0-9-]+)/finance/2025-03\.csv"', page)
        assert csvs == village_ids(town)
        assert len(re.findall(r'/finance/2025-03\.json"', page)) == VILLAGES_PER_TOWN
        assert len(re.findall(r'-finance\.csv"', page)) == VILLAGES_PER_TOWN


def test_the_venue_scoreboard_is_split_by_town(big):
    venues = (big / "venues.html").read_text()
    assert [t for t in links(venues) if t.startswith("towns/")] == [
        f"towns/t{t}-venues.html" for t in range(1, TOWNS + 1)]
    assert venues.count('<td class="num" data-label="平均得分">0.0 / 16</td>') == TOWNS
    for town in range(1, TOWNS + 1):
        page = (big / f"towns/t{town}-venues.html").read_text()
        listed = re.findall(r'href="\.\./([a-z0-9-]+)/venue\.html"', page)
        assert sorted(listed) == village_ids(town)    # all score 0: then by id
        assert page.count("0 / 16") == VILLAGES_PER_TOWN


def test_no_page_is_over_150_kb_or_its_gzipped_budget(big):
    sizes = {p.relative_to(big).as_posix(): p.read_bytes() for p in big.rglob("*.html")}
    assert len(sizes) > TOWNS * VILLAGES_PER_TOWN * 10
    assert {name: len(html) for name, html in sizes.items() if len(html) > HTML_LIMIT} == {}
    heavy = {name: size for name, html in sizes.items()
             if (size := len(gzip.compress(html, compresslevel=1, mtime=0))) > HTML_BUDGET}
    assert heavy == {}


def test_a_page_over_150_kb_is_a_warning(make_site, run):
    # A long, repetitive body compresses well under the gzipped budget but is still
    # more than a phone should lay out.
    root = make_site({"content/qingshan/party/2025-03-party-day.md": PARTY + "全体党员参加。" * 8000})
    code, _out, err = run("check", "--site", root)
    assert code == 0
    assert re.fullmatch(
        r"content/qingshan/party/2025-03-party-day\.md: 警告：页面 qingshan/party/"
        r"2025-03-party-day\.html 未压缩时为 1\d\d\.\d KB，超过 150\.0 KB 的上限：在手机上排版"
        r"显示会很慢；请拆分内容，或把长表格改为附件\n", err)


# --- pages that do not depend on the date are the same bytes on any later day ----------

def test_a_closed_notice_and_a_profile_render_the_same_on_later_days(make_site, run, tmp_path):
    root = make_site()
    # The notice ran 2025-04-06 to 04-12 and March's finance notice 04-05 to 04-11: both
    # closed on either day.
    for day in ("2025-04-20", "2025-05-05"):
        assert run("build", "--site", root, "--out", tmp_path / day, "--today", day)[0] == 0
    first, later = tmp_path / "2025-04-20", tmp_path / "2025-05-05"
    for page in ("qingshan/affairs/道路硬化公示.html", "qingshan/profile.html",
                 "qingshan/venue.html", "qingshan/finance/2025-03.html",
                 "qingshan/poster/2025-03.html", "qingshan/affairs/index.html",
                 "qingshan/archive.html", "qingshan/finance/index.html", "data.html",
                 "venues.html", "towns/qingshan-venues.html", "towns/qingshan-data.html"):
        assert (first / page).read_bytes() == (later / page).read_bytes(), page
    for page in ("qingshan/index.html", "index.html", "towns/qingshan.html"):
        assert (first / page).read_bytes() != (later / page).read_bytes(), page
    board = (later / "qingshan/index.html").read_text()
    assert "状态截至2025年5月5日。" in board
    assert "状态截至" not in (later / "qingshan/profile.html").read_text()


def test_an_open_notice_and_an_unanswered_question_carry_the_date(make_site, run):
    question = NOTICE.replace("\n---\n", "\nquestions: [{asked: 2025-03-20, question: 路什么时候修？}]\n---\n", 1)
    root = make_site({"content/qingshan/affairs/道路硬化公示.md": question})
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/qingshan/affairs/道路硬化公示.html").read_text()
    assert "公示中，还剩 6 天" in page and "状态截至2025年4月8日。" in page
    assert "19 天仍未答复" in page


ALLOWED = (str, int, Decimal, date, bool, type(None), Period, BaseModel)


def frozen(value: Any, where: str) -> list[str]:
    """List what in a context is not an immutable value (a list, a set, a function...)."""
    if isinstance(value, ALLOWED):
        return []
    if isinstance(value, tuple):
        return [bad for i, v in enumerate(value) for bad in frozen(v, f"{where}[{i}]")]
    if isinstance(value, Mapping):
        return [bad for k, v in value.items() for bad in frozen(v, f"{where}.{k}")]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if not value.__dataclass_params__.frozen:  # type: ignore[attr-defined]
            return [f"{where}: {type(value).__name__} is not frozen"]
        return [bad for f in dataclasses.fields(value)
                for bad in frozen(getattr(value, f.name), f"{where}.{f.name}")]
    return [f"{where}: {type(value).__name__}"]


def dates_in(value: Any) -> set[date]:
    """Collect every date in a context, however deep (pydantic models included)."""
    if isinstance(value, date):
        return {value}
    if isinstance(value, BaseModel):
        return dates_in(dict(value))
    if isinstance(value, (tuple, list)):
        return set().union(*(dates_in(v) for v in value))
    if isinstance(value, Mapping):
        return set().union(*(dates_in(v) for v in value.values()))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return set().union(*(dates_in(getattr(value, f.name)) for f in dataclasses.fields(value)))
    return set()


def test_contexts_are_immutable_and_only_dated_pages_carry_today(make_site):
    site = load_site(make_site(), Report())
    assert site is not None
    today = date(2025, 5, 5)  # no content of the base site is dated that day
    pages = plan_pages(site, today, Report())
    assert [bad for page in pages for bad in frozen(page.context, page.path)] == []
    dated = sorted(page.path for page in pages if today in dates_in(page.context))
    # The boards and the pages that show the calendar; every notice has closed.
    assert dated == ["index.html", "qingshan/index.html", "towns/qingshan.html"]
    assert all(page.context["as_of"] == (today if page.path in dated else None)
               for page in pages)


def test_a_town_data_page_keeps_its_size_as_the_years_go_by():
    files = []
    for year in range(2016, 2026):  # ten years of monthly periods
        for month in range(1, 13):
            period = parse_period(f"{year}-{month:02d}")
            assert period is not None
            for kind, suffix in (("period-csv", "csv"), ("period-json", "json")):
                files.append(DataFile(f"v1/finance/{period.name}.{suffix}", kind,
                                      period.end, b"", lambda: b"", "v1", period, 2048))
    group = village_files(VillageLink("v1", "山溪村"), files)
    assert group.count == 120 and TOWN_DATA_PERIODS == 4
    assert [p.period.name for p in group.periods] == ["2025-12", "2025-11", "2025-10",
                                                       "2025-09"]
    renderer = Renderer(layout_dirs(Path(".")), "zh-CN", site_title="测试县",
                        stylesheet="assets/style.css", **TEMPLATE_PATHS)
    town = Town(id="t1", name="第1镇", supervision_phone="0579-86000001")
    html = renderer.render("t1/data.html", "town_data.html",
                           {"town": town, "villages": (group,), "as_of": None}).decode()
    assert html.count('<span class="period">') == 4
    assert '<a href="../v1/finance/index.html">全部 120 期，每期都有 CSV 和 JSON</a>' in html
