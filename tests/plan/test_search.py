"""Search (issue 16): the index shards built at build time and the script that reads them."""

from __future__ import annotations

import json
import re
import shutil
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gongkai.build.options import Options
from gongkai.build.pipeline import build
from gongkai.plan.search import (
    ACCOUNT,
    BODY,
    HOME_ALL_TOWNS,
    TITLE,
    Doc,
    body_text,
    organisations,
    shard_bytes,
    terms,
)
from gongkai.read.sitefolder import default_layouts
from gongkai.render.jinja import Renderer
from tests.helpers.browser import screenshot, serve
from tests.helpers.sites import REPO

BUDGET = 100_000  # what the first query on a village may transfer (issue 16): 100 KB


# --- terms ----------------------------------------------------------------------------

def test_chinese_is_cut_into_bigrams_and_a_lone_character_is_kept():
    assert terms("道路硬化") == {"道路", "路硬", "硬化"}
    assert terms("修 路") == {"修", "路"}
    assert terms("村道（C30）") == {"村道", "c30"}


def test_ascii_words_are_lowercased_and_long_numbers_left_out():
    assert terms("Road 2025年 326480.00 ＡＢＣ") == {"road", "2025", "年", "00", "abc"}


def test_payers_and_payees_are_indexed_only_when_they_are_organisations():
    # The same rule as the index by term's (gongkai/plan/terms.py): one list of who may be named.
    assert organisations("县供电公司、县自来水公司") == ("县供电公司", "县自来水公司")
    assert organisations("县农商银行青山支行") == ("县农商银行青山支行",)
    assert organisations("青山县路桥养护队") == ("青山县路桥养护队",)
    for person in ("便民超市经营户王某", "经办人金伟民", "保洁员（3人）", "慰问对象（18户）",
                   "王建社", "李芳", None):
        assert organisations(person) == (), person


def test_tables_of_a_body_are_never_read():
    html = ("<p>拟对以下困难家庭给予临时救助：</p><table><tr><td>周桂花</td><td>2</td></tr>"
            "</table><p>资金直接发放到户。</p>")
    assert body_text(html) == "拟对以下困难家庭给予临时救助： 资金直接发放到户。"


# --- shards ---------------------------------------------------------------------------

def shard_docs(shard: dict[str, Any]) -> list[str]:
    """The titles of a shard's documents, in its order."""
    return [row[1] for row in shard["d"]]


def holding(shard: dict[str, Any], term: str) -> set[str]:
    """The titles of the documents holding a term (postings are gaps * 4 + weight)."""
    number, titles = 0, set()
    for posting in shard["t"][term]:
        number += posting >> 2
        titles.add(shard["d"][number][1])
    return titles


def test_a_shard_is_compact_sorted_and_the_same_whatever_the_order_of_its_documents():
    docs = [Doc("a.html", "道路公示", "a", date(2025, 3, 1), "", [(TITLE, "道路公示")]),
            Doc("b.html", "路灯", "f", date(2025, 4, 1), "", [(ACCOUNT, "路灯")], ["路灯1元"])]
    data = shard_bytes(docs)
    assert data == shard_bytes(reversed(docs))
    assert b" " not in data and b"\n" not in data
    shard = json.loads(data)
    assert shard_docs(shard) == ["路灯", "道路公示"]  # newest first: number 0
    assert shard["t"]["道路"] == [1 * 4 + TITLE]
    assert shard["t"]["路灯"] == [0 * 4 + ACCOUNT]
    assert list(shard["t"]) == sorted(shard["t"])
    three = [*docs, Doc("c.html", "道路", "a", date(2025, 5, 1), "", [(TITLE, "道路")])]
    assert json.loads(shard_bytes(three))["t"]["道路"] == [0 * 4 + TITLE, 2 * 4 + TITLE]


def test_a_shard_over_its_limit_leaves_out_the_lines_of_its_oldest_periods_first():
    docs = [Doc(f"{m}.html", f"{m}月", "f", date(2025, m, 1), "", [(ACCOUNT, "路灯")],
                ["路灯电费" * 20]) for m in range(1, 13)]
    whole = shard_bytes(docs)
    shard = json.loads(shard_bytes(docs, limit=len(whole) - 500))
    kept = [len(row) > 5 for row in shard["d"]]
    assert kept == [True] * 9 + [False] * 3  # about 170 bytes of lines each
    assert holding(shard, "路灯") == {f"{m}月" for m in range(1, 13)}  # all still found


def test_recipients_names_are_in_no_shard_of_the_sample(sample_site):
    names = {"胡阿土", "何小妹", "郑根生", "朱秀英", "蒋金福", "叶彩凤", "方水根", "胡美娟",  # xikou
             "周桂花", "张金土", "刘根法", "王秋菊", "陈阿福", "吴小平"}  # qingshan's table
    assert "周桂花" in (sample_site / "qingshan/affairs/2024-09-临时救助名单公示.html").read_text()
    shards = [*sample_site.glob("*/search.json"), *sample_site.glob("towns/*.search.json")]
    assert len(shards) == 7
    for shard in shards:
        text = shard.read_text(encoding="utf-8")
        # Neither a name nor any two characters of one are terms (金伟民 is a payee).
        for name in (*names, "金伟民"):
            assert name not in text, (shard, name)
            assert name[1:] not in json.loads(text)["t"], (shard, name)


def test_the_road_project_and_the_subsidy_notices_are_indexed(sample_site):
    shard = json.loads((sample_site / "qingshan/search.json").read_text(encoding="utf-8"))
    road = holding(shard, "道路")
    assert {"关于村内道路硬化工程的公示", "关于村内道路硬化工程实施结果的公示",
            "2025年6月财务公开"} <= road
    town = json.loads((sample_site / "towns/qingshan.search.json").read_text(encoding="utf-8"))
    aid = holding(town, "低保")
    assert aid == {"2024年第三季度困难群众临时救助对象公示", "2025年度低收入农户帮扶资金发放公示"}


def two_towns(make_site):
    """A site of two towns with one village each."""
    config = ("site:\n  title: 测试县\n  today: 2025-04-08\ntowns:\n"
              "  - {id: qingshan, name: 青山镇}\n  - {id: baishi, name: 白石镇}\n")
    notice = "---\ntitle: 关于修路的公示\ndate: 2025-04-01\ntype: 公示\n---\n修路。\n"
    return make_site({"site_config.yaml": config,
                      "content/baishi/village.yaml": "name: 白石村\ntown: baishi\n",
                      "content/baishi/affairs/road.md": notice})


def test_an_edit_in_one_village_makes_only_its_shard_and_its_towns_again(make_site, tmp_path):
    root, out = two_towns(make_site), tmp_path / "out"
    assert not build(Options(root, out)).failed
    first = {p: (out / p).read_bytes() for p in ("qingshan/search.json", "baishi/search.json",
                                                 "towns/qingshan.search.json",
                                                 "towns/baishi.search.json")}
    road = root / "content/baishi/affairs/road.md"
    road.write_text(road.read_text(encoding="utf-8").replace("修路。", "修路，村道拓宽。"),
                    encoding="utf-8")
    result = build(Options(root, out))
    made = {p for p in result.made if "search" in p}
    assert made == {"baishi/search.json", "towns/baishi.search.json"}
    assert "拓宽" in (out / "baishi/search.json").read_text(encoding="utf-8")
    for path in ("qingshan/search.json", "towns/qingshan.search.json"):
        assert (out / path).read_bytes() == first[path]
    profile = root / "content/baishi/village.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "office_hours: 周一至周五\n",
                       encoding="utf-8")
    assert not [p for p in build(Options(root, out)).made if "search" in p]
    cold = tmp_path / "cold"
    assert not build(Options(root, cold, cache=False)).failed
    for path in first:
        assert (cold / path).read_bytes() == (out / path).read_bytes(), path


# --- the script, in Chromium -------------------------------------------------------------

def script() -> str:
    """The theme's search script."""
    return (default_layouts() / "assets" / "search.js").read_text(encoding="utf-8")


@pytest.fixture
def page(chromium) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    tab.set_content("<!doctype html><meta charset=utf-8><body></body>")
    tab.add_script_tag(content=script())
    yield tab
    context.close()


def found(page: Any, docs: list[Doc], query: str) -> list[str]:
    """Run the script's search on a shard of these documents; return the titles found."""
    shard = json.loads(shard_bytes(docs))
    shard["base"] = ""
    return page.evaluate("([s, q]) => window.gongkaiSearch([s], q).map(h => h.doc[1])",
                         [shard, query])


def doc(title: str, day: int, *fields: tuple[int, str], lines: tuple[str, ...] = ()) -> Doc:
    return Doc(f"{day}.html", title, "a", date(2025, 1, day), "", [(TITLE, title), *fields],
               list(lines))


def test_queries_of_one_to_four_characters_find_what_they_should(page):
    docs = [doc("关于村内道路硬化工程的公示", 5), doc("路灯电费", 4), doc("修路", 3),
            doc("鱼塘承包", 2)]
    assert found(page, docs, "路") == ["关于村内道路硬化工程的公示", "路灯电费", "修路"]
    assert found(page, docs, "道路") == ["关于村内道路硬化工程的公示"]
    assert found(page, docs, "道路硬") == ["关于村内道路硬化工程的公示"]
    assert found(page, docs, "道路硬化") == ["关于村内道路硬化工程的公示"]
    assert found(page, docs, "ＲＯＡＤ") == [] and found(page, docs, "桥梁") == []


def test_titles_rank_above_accounts_above_bodies_then_newest_first(page):
    docs = [doc("一月财务", 1, (ACCOUNT, "道路养护")), doc("通知", 9, (BODY, "道路")),
            doc("道路公示", 2), doc("道路验收", 3), doc("二月财务", 8, (ACCOUNT, "道路养护"))]
    assert found(page, docs, "道路") == ["道路验收", "道路公示", "二月财务", "一月财务", "通知"]


def test_several_words_find_the_documents_holding_all_of_them(page):
    docs = [doc("路灯电费", 4, (ACCOUNT, "公益支出")), doc("路灯维修", 3, (ACCOUNT, "管理费用")),
            doc("保洁工资", 2, (ACCOUNT, "公益支出"))]
    assert found(page, docs, "路灯 公益") == ["路灯电费"]
    assert found(page, docs, "路灯　管理") == ["路灯维修"]  # a full-width space too
    # No document has both: those with either, most telling first.
    assert found(page, docs, "保洁 维修") == ["路灯维修", "保洁工资"]


def test_a_three_character_word_found_apart_ranks_below_one_found_whole(page):
    docs = [doc("硬化道路", 5, (BODY, "路硬")), doc("道路硬化通知", 1)]
    assert found(page, docs, "道路硬") == ["道路硬化通知", "硬化道路"]


def strings_attributes() -> str:
    """The script's messages as the theme's partial writes them, in Chinese."""
    renderer = Renderer([default_layouts()], "zh-CN")
    return renderer.render("x.html", "_search_strings.html", {}).decode().strip()


def test_typing_a_query_on_a_board_lists_the_road_project_within_the_budget(
        chromium, sample_site, tmp_path):
    """At 360 px: 道路 lists the road project; page, script and shard stay within 100 KB."""
    site = tmp_path / "site"
    shutil.copytree(sample_site, site)
    board = "qingshan/index.html"
    assert 'data-shard="search.json"' in (site / board).read_text(encoding="utf-8")
    sizes: dict[str, int] = {}
    with serve(site) as base:
        context = chromium.new_context(viewport={"width": 360, "height": 740})
        tab = context.new_page()
        tab.on("response", lambda r: sizes.__setitem__(r.url.removeprefix(base), len(r.body())))
        tab.goto(base + board)
        tab.fill("input[type=search]", "道路")
        tab.wait_for_selector(".search-results:not([hidden]) li")
        results = tab.inner_text(".search-results")
        context.close()
    assert "找到" in results and "关于村内道路硬化工程的公示" in results
    assert "2025年6月财务公开" in results
    search = sum(size for url, size in sizes.items() if "search" in url and url != board)
    assert "qingshan/search.json" in sizes
    assert search <= BUDGET, sizes
    assert sum(sizes.values()) <= BUDGET + 60 * 1024, sizes  # with the page, CSS and QR code


def test_the_script_is_small(sample_site):
    data = next(sample_site.glob("assets/search.*.js")).read_bytes()
    assert len(zlib.compress(data, 9)) < 5 * 1024
    assert b"http" not in data  # nothing from another host
    assert REPO.joinpath("layouts/assets/search.js").read_bytes() == data


def test_without_its_shard_the_form_still_leads_to_the_index_pages(chromium, sample_site,
                                                                    tmp_path):
    """A shard that cannot be fetched leaves the form to do what it does without script."""
    site = tmp_path / "site"
    (site / "qingshan").mkdir(parents=True)
    shutil.copytree(sample_site / "assets", site / "assets")
    js = next(site.glob("assets/search.*.js")).name
    (site / "qingshan/probe.html").write_text(
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body>'
        '<form role="search" action="terms.html" method="get" data-shard="gone.json">'
        '<input type="search" name="q" aria-label="搜索"><button>搜索</button></form>'
        f'<div class="search-results" hidden {strings_attributes()}></div>'
        f'<script src="../assets/{js}" defer></script>', encoding="utf-8")
    (site / "qingshan/terms.html").write_text("<!doctype html><title>terms</title>",
                                              encoding="utf-8")
    with serve(site) as base:
        context = chromium.new_context(viewport={"width": 360, "height": 740})
        tab = context.new_page()
        tab.goto(base + "qingshan/probe.html")
        tab.fill("input[type=search]", "道路")
        tab.press("input[type=search]", "Enter")
        tab.wait_for_url("**/qingshan/terms.html?q=*")
        assert tab.title() == "terms"
        context.close()


def test_punctuation_and_mixed_scripts_split_a_query_into_words(page):
    docs = [doc("C30混凝土路面", 2), doc("混凝土", 1)]
    assert found(page, docs, "道路。") == []
    assert found(page, docs, "c30混凝土。") == ["C30混凝土路面"]
    assert found(page, docs, "“混凝土”") == ["C30混凝土路面", "混凝土"]


# --- a town's page and the home page of a county of many towns ---------------------------

# Three towns added to the sample's two, one village each: more than HOME_ALL_TOWNS.
EXTRA_TOWNS = (("dongling", "东岭镇", "dongcun", "东村"), ("nanhu", "南湖乡", "nancun", "南村"),
               ("beishan", "北山镇", "beicun", "北村"))
ROAD_NOTICE = "---\ntitle: 关于{name}道路维修的公示\ndate: 2026-01-05\ntype: 公示\n---\n修补村道。\n"


@pytest.fixture(scope="module")
def many_towns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the sample county with three more towns of one village each; return its output."""
    root = tmp_path_factory.mktemp("many-towns")
    site, out = root / "site", root / "public"
    shutil.copytree(REPO / "content", site / "content")
    config = (REPO / "site_config.yaml").read_text(encoding="utf-8")
    added = "".join(f"  - {{id: {town}, name: {name}}}\n" for town, name, _v, _n in EXTRA_TOWNS)
    config, count = re.subn(r"(  - \{id: baishi,.*\n)", lambda m: m[1] + added, config)
    assert count == 1
    (site / "site_config.yaml").write_text(config, encoding="utf-8")
    for town, _name, village, village_name in EXTRA_TOWNS:
        folder = site / "content" / village
        (folder / "affairs").mkdir(parents=True)
        (folder / "village.yaml").write_text(f"name: {village_name}\ntown: {town}\n",
                                             encoding="utf-8")
        (folder / "affairs" / "2026-01-road.md").write_text(
            ROAD_NOTICE.format(name=village_name), encoding="utf-8")
    assert not build(Options(site, out)).failed
    return out


def form_tag(html: str) -> str:
    """The search form's opening tag."""
    found = re.search(r'<form role="search"[^>]*>', html)
    assert found, "no search form"
    return found[0]


def test_a_town_page_searches_its_towns_shard_and_leads_to_its_part_of_the_index(sample_site):
    html = (sample_site / "towns/qingshan.html").read_text(encoding="utf-8")
    assert form_tag(html) == ('<form role="search" class="search" action="../search.html'
                              '#town-qingshan" method="get" data-shard="qingshan.search.json">')
    assert '<label for="search-q">搜索本镇公开内容</label>' in html
    assert 'name="town"' not in html
    shard = json.loads((sample_site / "towns/qingshan.search.json").read_text(encoding="utf-8"))
    assert "关于村内道路硬化工程的公示" in holding(shard, "道路")
    index = (sample_site / "search.html").read_text(encoding="utf-8")
    assert '<h2 id="town-qingshan">青山镇</h2>' in index


def test_the_sample_home_page_searches_both_towns_together(sample_site):
    html = (sample_site / "index.html").read_text(encoding="utf-8")
    assert HOME_ALL_TOWNS == 4
    assert form_tag(html) == ('<form role="search" class="search" action="search.html" '
                              'method="get" data-shards="towns/qingshan.search.json '
                              'towns/baishi.search.json">')
    assert "<select" not in html


def test_the_home_page_of_a_county_of_many_towns_asks_for_one_town(many_towns):
    html = (many_towns / "index.html").read_text(encoding="utf-8")
    assert form_tag(html) == ('<form role="search" class="search" action="search.html" '
                              'method="get" data-by-town>')
    assert '<label for="search-town">乡镇</label>' in html
    options = re.findall(r'<option value="([a-z]+)" data-shard="([^"]+)">([^<]+)</option>', html)
    assert options == [(t, f"towns/{t}.search.json", n) for t, n in (
        ("qingshan", "青山镇"), ("baishi", "白石镇"), *((t, n) for t, n, _v, _n in EXTRA_TOWNS))]
    for town, _url, _name in options:
        assert (many_towns / "towns" / f"{town}.search.json").is_file()
    assert '<select id="search-town" name="town">' in html  # submitted harmlessly without script


def _search_requests(requested: list[str], base: str) -> list[str]:
    """The shards a page asked for, in order."""
    return [u.removeprefix(base) for u in requested if u.endswith("search.json")]


def _wait_for(tab: Any, text: str) -> str:
    """Wait until the results say ``text``; return them."""
    tab.wait_for_function("t => document.querySelector('.search-results').innerText.includes(t)",
                          arg=text)
    return str(tab.inner_text(".search-results"))


def test_the_home_page_of_many_towns_fetches_only_the_chosen_towns_shard(chromium, many_towns):
    """At 360 px: 道路 in 东岭镇 fetches its shard alone; choosing 青山镇 fetches that one."""
    requested: list[str] = []
    sizes: dict[str, int] = {}
    with serve(many_towns) as base:
        context = chromium.new_context(viewport={"width": 360, "height": 740})
        tab = context.new_page()
        tab.on("request", lambda r: requested.append(r.url))
        tab.on("response", lambda r: sizes.__setitem__(r.url.removeprefix(base), len(r.body())))
        tab.goto(base + "index.html")
        assert _search_requests(requested, base) == []  # nothing until a query
        tab.select_option("select[name=town]", "dongling")
        assert _search_requests(requested, base) == []
        tab.fill("input[type=search]", "道路")
        results = _wait_for(tab, "关于东村道路维修的公示")
        assert "在东岭镇搜索" in results and "找到 1 条" in results
        assert _search_requests(requested, base) == ["towns/dongling.search.json"]
        first = sum(size for url, size in sizes.items() if "search" in url)
        assert first <= BUDGET, sizes
        tab.select_option("select[name=town]", "qingshan")
        results = _wait_for(tab, "在青山镇搜索")
        assert "关于村内道路硬化工程的公示" in results and "东村" not in results
        assert _search_requests(requested, base) == ["towns/dongling.search.json",
                                                     "towns/qingshan.search.json"]
        tab.select_option("select[name=town]", "dongling")  # fetched already: kept
        _wait_for(tab, "在东岭镇搜索")
        assert len(_search_requests(requested, base)) == 2
        screenshot(tab, "search-home-many-towns")
        context.close()


def _typed(chromium, base: str, page: str, query: str, expected: str):
    """Open a page at 360 px and type a query until a result shows; return the context,
    the tab, the results' text and every address requested."""
    requested: list[str] = []
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    tab.on("request", lambda r: requested.append(r.url))
    tab.goto(base + page)
    tab.fill("input[type=search]", query)
    return context, tab, _wait_for(tab, expected), requested


def test_the_sample_home_page_still_searches_every_town(chromium, sample_site):
    with serve(sample_site) as base:
        context, _tab, results, requested = _typed(chromium, base, "index.html", "道路",
                                                   "关于村内道路硬化工程的公示")
        context.close()
    assert sorted(_search_requests(requested, base)) == ["towns/baishi.search.json",
                                                         "towns/qingshan.search.json"]
    assert "找到 3 条" in results and "搜索" not in results  # no town named: it is the county


def test_a_town_page_searches_its_own_shard_and_without_script_leads_to_the_index(
        chromium, sample_site):
    with serve(sample_site) as base:
        context, tab, results, requested = _typed(chromium, base, "towns/qingshan.html", "道路",
                                                  "关于村内道路硬化工程的公示")
        assert "在青山镇搜索" not in results  # the page is the town's: nothing to choose
        screenshot(tab, "search-town")
        context.close()
        assert _search_requests(requested, base) == ["towns/qingshan.search.json"]
        context = chromium.new_context(viewport={"width": 360, "height": 740},
                                       java_script_enabled=False)
        tab = context.new_page()
        tab.goto(base + "towns/qingshan.html")
        tab.fill("input[type=search]", "道路")
        tab.press("input[type=search]", "Enter")
        tab.wait_for_url("**/search.html?q=*#town-qingshan")
        assert tab.title().startswith("查找")
        context.close()


@pytest.mark.parametrize("size", [(320, 640), (360, 740)], ids=["320", "360"])
def test_the_town_picker_reads_well_on_a_phone(chromium, many_towns, size):
    """The home page with its select, as test_browser.py holds every page: no sideways
    scrolling, no text under 18 px, 44 px targets, no serious axe violation, same text
    with and without the script."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.helpers.browser import AXE_TAGS, MEASURE

    texts = []
    with serve(many_towns) as base:
        for script in (False, True):
            context = chromium.new_context(viewport={"width": size[0], "height": size[1]},
                                           java_script_enabled=script)
            tab = context.new_page()
            tab.goto(base + "index.html")
            found = tab.evaluate(MEASURE)
            assert found["overflow"] <= 0 and found["small"] == [] and found["tiny"] == []
            box = tab.locator("select[name=town]").bounding_box()
            assert box is not None and box["height"] >= 44
            texts.append(found["text"])
            if script:
                results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
                assert [v["id"] for v in results.response["violations"]
                        if v["impact"] in ("serious", "critical")] == []
            context.close()
    assert texts[0] == texts[1]
