"""Atom feeds, sitemaps and robots.txt: what feed readers and search engines are given."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import feedparser
import yaml

from gongkai.build.options import Options
from gongkai.build.pipeline import build
from gongkai.model.addresses import absolute_url, sitemap_paths
from gongkai.model.outputs import Output
from gongkai.plan.feeds import FEED_SIZE, plain_text, tag_uri
from gongkai.plan.sitemaps import MAX_URLS, outputs, robots_txt, split_urls
from tests.helpers.sites import CONFIG, REPO

BASE = "https://sanwu.example.cn/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ROAD_DAY = "2025-03-12"  # the date of content/qingshan/affairs/2025-03-road-hardening.md


def parse(path: Path) -> feedparser.FeedParserDict:
    """Parse a feed as a feed reader does, and insist it is well formed."""
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, (path, feed.get("bozo_exception"))
    return feed


def locs(path: Path) -> list[str]:
    """List the addresses of a sitemap file."""
    return [node.text or "" for node in ET.parse(path).getroot().iter(f"{SITEMAP}loc")]


def alternates(html: str) -> list[tuple[str, str]]:
    """List a page's feed links as (title, href)."""
    return re.findall(r'<link rel="alternate" type="application/atom\+xml" '
                      r'title="([^"]*)" href="([^"]*)">', html)


# --- the sample county -------------------------------------------------------------------

def test_the_sample_feeds_are_valid_atom_with_absolute_links_and_stable_ids(sample_site):
    villages = sorted(p.parent.name for p in sample_site.glob("*/atom.xml"))
    assert villages == ["baishi", "qingshan", "shangyuan", "xikou", "zhuyuan"]
    for path, page in [(sample_site / "atom.xml", BASE),
                       *((sample_site / v / "atom.xml", BASE + v + "/") for v in villages)]:
        feed = parse(path)
        relative = path.relative_to(sample_site).as_posix()
        assert feed.version == "atom10"
        links = {link.rel: link.href for link in feed.feed.links}
        assert links == {"self": BASE + relative, "alternate": page}
        assert re.fullmatch(r"tag:sanwu\.example\.cn,20\d\d:" + re.escape(relative), feed.feed.id)
        assert 0 < len(feed.entries) <= FEED_SIZE
        days = [entry.updated for entry in feed.entries]
        assert days == sorted(days, reverse=True)  # newest first
        assert feed.feed.updated == days[0]       # the feed is as new as its newest entry
        for entry in feed.entries:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00\+08:00", entry.updated)
            assert entry.link.startswith(BASE)
            target = entry.link.removeprefix(BASE)
            assert re.fullmatch(r"tag:sanwu\.example\.cn,20\d\d:" + re.escape(target), entry.id)
            assert entry.summary and entry.author
    site = parse(sample_site / "atom.xml")
    assert len(site.entries) == FEED_SIZE  # the county has more than 50 disclosures
    assert site.feed.title == "青山县村级“三务”公开：最新公开"


def test_a_finance_entry_sums_up_the_period_and_an_item_its_own_summary(sample_site):
    feed = parse(sample_site / "qingshan/atom.xml")
    entries = {entry.link.removeprefix(BASE): entry for entry in feed.entries}
    period = entries["qingshan/finance/2025-12.html"]
    assert period.title == "2025年12月财务公开"
    assert period.id == "tag:sanwu.example.cn,2025:qingshan/finance/2025-12.html"
    assert re.fullmatch(r"本期收入 [\d,]+\.\d\d 元；本期支出 [\d,]+\.\d\d 元；本期结余 [\d,]+\.\d\d 元",
                        period.summary)
    page = (sample_site / "qingshan/finance/2025-12.html").read_text(encoding="utf-8")
    for figure in re.findall(r"[\d,]+\.\d\d", period.summary):
        assert figure in page
    site = parse(sample_site / "atom.xml")
    titles = [entry.title for entry in site.entries]
    assert any(title.startswith("青山村：") for title in titles)  # who published it, first


def test_no_recipient_of_a_subsidy_list_is_named_in_any_feed(sample_site):
    text = (REPO / "content/xikou/affairs/2025-10-low-income-aid.md").read_text(encoding="utf-8")
    names = [row["name"] for row in yaml.safe_load(text.split("---")[1])["recipients"]]
    assert len(names) == 8
    page = (sample_site / "xikou/affairs/2025-10-low-income-aid.html").read_text(encoding="utf-8")
    assert all(name in page for name in names)  # the page lists them, as the rules ask
    feeds = list(sample_site.rglob("atom.xml"))
    entry = [e for e in parse(sample_site / "xikou/atom.xml").entries
             if e.link.endswith("2025-10-low-income-aid.html")]
    assert entry and entry[0].summary == "8户低收入农户拟发放帮扶资金23400元。"
    for feed in feeds:
        data = feed.read_text(encoding="utf-8")
        assert not [name for name in names if name in data], feed


def test_pages_link_the_site_feed_and_village_pages_their_village_feed(sample_site):
    site = ("青山县村级“三务”公开：最新公开", "atom.xml")
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert alternates(home) == [site]
    town = (sample_site / "towns/qingshan.html").read_text(encoding="utf-8")
    assert alternates(town) == [("青山县村级“三务”公开：最新公开", "../atom.xml")]
    board = (sample_site / "qingshan/index.html").read_text(encoding="utf-8")
    assert alternates(board) == [("青山县村级“三务”公开：最新公开", "../atom.xml"),
                                 ("青山村：最新公开", "atom.xml")]
    item = (sample_site / "qingshan/affairs/2025-03-road-hardening.html").read_text(
        encoding="utf-8")
    assert alternates(item) == [("青山县村级“三务”公开：最新公开", "../../atom.xml"),
                                ("青山村：最新公开", "../atom.xml")]
    for page in sample_site.rglob("*.html"):
        for _title, href in alternates(page.read_text(encoding="utf-8")):
            assert (page.parent / href).resolve().is_file(), (page, href)


def test_every_html_page_of_the_sample_is_in_the_sitemap_and_nothing_else(sample_site):
    pages = sorted(p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*.html"))
    assert len(pages) > 200
    listed = locs(sample_site / "sitemap.xml")
    assert sorted(listed) == sorted(absolute_url(BASE, page) for page in pages)
    assert len(set(listed)) == len(listed)
    assert BASE + "qingshan/" in listed and BASE + "index.html" not in listed
    tree = ET.parse(sample_site / "sitemap.xml").getroot()
    days = {url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod").text  # type: ignore[union-attr]
            for url in tree}
    assert days[BASE + "qingshan/finance/2025-03.html"] == "2025-04-07"  # its published day
    assert days[BASE + "qingshan/affairs/2025-03-road-hardening.html"] == ROAD_DAY
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", day or "") for day in days.values())
    assert not list(sample_site.glob("sitemap-*.xml"))
    robots = (sample_site / "robots.txt").read_text(encoding="utf-8")
    assert robots == ("User-agent: *\nAllow: /\n\nSitemap: https://sanwu.example.cn/sitemap.xml\n")


# --- splitting --------------------------------------------------------------------------

def test_above_the_limit_the_sitemap_is_cut_into_flat_files_all_named_in_robots():
    assert MAX_URLS == 45_000
    assert split_urls(list(range(5)), 2) == [[0, 1], [2, 3], [4]]  # type: ignore[arg-type]
    assert split_urls(list(range(4)), 2) == [[0, 1], [2, 3]]      # type: ignore[arg-type]
    assert sitemap_paths(1) == ["sitemap.xml"]
    assert sitemap_paths(3) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    built = [Output(f"v/affairs/{n:02d}-公示.html", b"", "x") for n in range(7)]
    built += [Output("v/finance/2025-03.csv", b"", "x"), Output("assets/style.css", b"", "x")]
    site = SimpleNamespace(villages=[], offices=[])
    made = list(outputs(built, BASE, site, limit=3))  # type: ignore[arg-type]
    assert [o.path for o in made] == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml",
                                      "robots.txt"]
    files = {o.path: (o.make() if o.make else o.data) for o in made}
    listed = []
    for name in ("sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"):
        root = ET.fromstring(files[name] or b"")
        listed.append([node.text for node in root.iter(f"{SITEMAP}loc")])
    assert [len(run) for run in listed] == [3, 3, 1]
    assert listed[0][0] == BASE + "v/affairs/00-%E5%85%AC%E7%A4%BA.html"
    assert files["robots.txt"] == robots_txt(BASE, sitemap_paths(3))
    assert (files["robots.txt"] or b"").decode().splitlines()[3:] == [
        f"Sitemap: {BASE}sitemap-{n}.xml" for n in (1, 2, 3)]


def test_summaries_are_plain_text_without_tables_and_cut_short():
    html = ("<p>名单见下表。</p><table><tr><td>张三</td><td>2400.00</td></tr></table>"
            "<p>有异议请&lt;反映&gt;。</p>")
    assert plain_text(html) == "名单见下表。 有异议请<反映>。"
    assert plain_text("<p>" + "字" * 200 + "</p>", 10) == "字" * 10 + "…"
    assert plain_text("<p>预算 <strong>12 万元</strong>。</p><ul><li>一</li><li>二</li></ul>") == \
        "预算 12 万元。 一 二"
    assert tag_uri("https://cun.example.cn/sanwu/", 2025, "青山/atom.xml") == \
        "tag:cun.example.cn,2025:sanwu/" + quote("青山/atom.xml")


# --- a small site -----------------------------------------------------------------------

def party_item(number: int) -> str:
    """A party disclosure posted on day ``number`` of 2025."""
    month, day = divmod(number, 28)
    return (f"---\ntitle: 第{number}次支部会议 <纪要> & 通报\ndate: 2025-{month + 1:02d}-{day + 1:02d}\n"
            f"type: meetings\n---\n第{number}次会议的内容。\n")


def feed_ids(path: Path) -> dict[str, str]:
    """Map each entry's address to its id."""
    return {entry.link: entry.id for entry in parse(path).entries}


def test_ids_stay_the_same_across_builds_and_edits_and_feeds_hold_the_newest_fifty(
        make_site, tmp_path):
    files: dict[str, str | bytes | None] = {
        f"content/qingshan/party/p{n:02d}.md": party_item(n) for n in range(60)}
    files["content/baishi/village.yaml"] = "name: 白石村\ntown: qingshan\n"
    files["content/baishi/affairs/2025-02-notice.md"] = (
        "---\ntitle: 白石村公告\ndate: 2025-02-01\ntype: 通知\n---\n内容。\n")
    site = make_site(files)
    out = site / "public"
    first = build(Options(site, out))
    assert not first.failed, first.report.problems
    feed = parse(out / "qingshan/atom.xml")
    assert len(feed.entries) == FEED_SIZE
    # The notice (04-06), the period (04-05) and the party day (03-15) of the base site,
    # then the newest 47 of the 60 meetings (p59 on 03-04 … p13): 63 in all, 50 listed.
    titles = [entry.title for entry in feed.entries]
    assert titles[:4] == ["关于村内道路硬化工程的公示", "2025年3月财务公开", "2025年3月主题党日活动",
                          "第59次支部会议 <纪要> & 通报"]  # escaped and read back
    assert feed.entries[3].updated == "2025-03-04T00:00:00+08:00"
    assert titles[-1] == "第13次支部会议 <纪要> & 通报"
    assert len(parse(out / "atom.xml").entries) == FEED_SIZE  # 64 in the site
    before = {p: p.read_bytes() for p in out.rglob("*.xml")}
    ids = feed_ids(out / "qingshan/atom.xml")

    cold = tmp_path / "cold"
    assert not build(Options(site, cold, cache=False)).failed
    assert {p.relative_to(cold): p.read_bytes() for p in cold.rglob("*.xml")} == \
        {p.relative_to(out): data for p, data in before.items()}

    notice = site / "content/baishi/affairs/2025-02-notice.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("内容。", "改过的内容。"),
                      encoding="utf-8")
    again = build(Options(site, out))
    assert not again.failed
    assert "qingshan/atom.xml" not in again.made and "sitemap.xml" not in again.made
    assert feed_ids(out / "qingshan/atom.xml") == ids
    assert (out / "qingshan/atom.xml").read_bytes() == before[out / "qingshan/atom.xml"]


def test_an_edited_disclosure_remakes_its_village_feed_and_the_sites_only(make_site):
    site = make_site({"content/baishi/village.yaml": "name: 白石村\ntown: qingshan\n",
                      "content/baishi/affairs/2025-02-notice.md":
                          "---\ntitle: 白石村公告\ndate: 2025-02-01\ntype: 通知\n---\n内容。\n"})
    out = site / "public"
    assert not build(Options(site, out)).failed
    ids = feed_ids(out / "baishi/atom.xml")
    notice = site / "content/baishi/affairs/2025-02-notice.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("内容。", "改过的内容。"),
                      encoding="utf-8")
    again = build(Options(site, out))
    assert {"baishi/atom.xml", "atom.xml"} <= set(again.made)
    assert "qingshan/atom.xml" not in again.made
    assert "sitemap.xml" not in again.made and "robots.txt" not in again.made
    assert feed_ids(out / "baishi/atom.xml") == ids
    assert [e.summary for e in parse(out / "baishi/atom.xml").entries] == ["改过的内容。"]


def test_without_base_url_there_are_no_feeds_nor_sitemaps_and_one_warning(make_site, run):
    root = make_site({"site_config.yaml": CONFIG.replace(f"  base_url: {BASE}\n", "")})
    code, _out, err = run("build", "--site", root)
    assert code == 0
    assert err.count("警告") == 1
    assert "没有设置 site.base_url，页面上不会有二维码，网站也没有订阅源（Atom）和站点地图" in err
    public = root / "public"
    assert not [p for p in public.rglob("*") if p.suffix == ".xml" or p.name == "robots.txt"]
    assert not [p for p in public.rglob("*.html") if "application/atom+xml" in p.read_text()]
