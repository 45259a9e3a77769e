"""A province as shards: every build's summary.json, and ``gongkai province`` over them."""

from __future__ import annotations

import base64
import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from gongkai.build.write import Staging
from gongkai.cli.main import main
from tests.helpers.sites import BASE_FILES, CONFIG, snapshot

# A second county: another title and address, a second village in the same town that has
# disclosed nothing, and a village in a second town whose finances are overdue.
BAISHI_CONFIG = CONFIG.replace("测试县三务公开", "白石县三务公开").replace(
    "https://sanwu.example.cn/", "https://baishi.example.cn/").replace(
    "  - {id: qingshan, name: 青山镇, supervision_phone: 0579-86000000}\n",
    "  - {id: qingshan, name: 青山镇, supervision_phone: 0579-86000000}\n"
    "  - {id: xiaxi, name: 下溪镇}\n")
OVERDUE_LEDGER = """\
published: 2025-02-05
prepared_by: 王会计
reviewed_by: {names: [李芳], date: 2025-02-03, opinion: 经审核，收支真实}
opening_balance: 1000.00
income:
  - {date: 2025-01-02, category: 经营收入, item: 鱼塘承包费, amount: 500.00, voucher: 记-001}
expense: []
closing_balance: 1500.00
"""
BAISHI_FILES = {
    **BASE_FILES,
    "site_config.yaml": BAISHI_CONFIG,
    "content/dongcun/village.yaml": "name: 东村\ntown: qingshan\n",
    "content/xiacun/village.yaml": "name: 下村\ntown: xiaxi\n",
    "content/xiacun/finance/2025-01.yaml": OVERDUE_LEDGER,
}
PROVINCE = """\
title: 测试省三务公开
counties:
  - {id: qingshan, name: 青山县, url: https://qingshan.example.cn/sanwu}
  - {id: baishi, name: 白石县}
"""


def write(root: Path, files: dict[str, str]) -> None:
    """Write files under a folder."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture(scope="module")
def built_counties(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two county sites, each built into its own public/ (once for the module)."""
    root = tmp_path_factory.mktemp("counties")
    write(root / "qingshan", BASE_FILES)
    write(root / "baishi", BAISHI_FILES)
    for county in ("qingshan", "baishi"):
        assert main(["build", "--site", str(root / county)]) == 0
    return root


@pytest.fixture
def province(tmp_path: Path, built_counties: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A province folder naming the two counties, each with its built site."""
    capsys.readouterr()  # the counties' builds said what they wrote
    root = tmp_path / "province"
    shutil.copytree(built_counties, root)
    write(root, {"province.yaml": PROVINCE})
    return root


def summary_of(folder: Path) -> dict[str, object]:
    """Read a built site's summary.json, checking that it is canonical JSON."""
    data = (folder / "summary.json").read_bytes()
    values = json.loads(data)
    assert json.dumps(values, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode() == data
    return values


KIND_OK = {"overdue": 0, "never": 0, "worst": 0}


def test_every_build_writes_its_summary(province):
    assert summary_of(province / "baishi/public") == {
        "format": 1, "title": "白石县三务公开", "base_url": "https://baishi.example.cn/",
        "language": "zh-CN", "as_of": "2025-04-08", "villages": 3,
        "towns": [
            {"id": "qingshan", "name": "青山镇", "villages": 2, "on_time": 1, "late": 1,
             "party": {"overdue": 0, "never": 1, "worst": 0},
             "affairs": {"overdue": 0, "never": 1, "worst": 0},
             "finance": {"overdue": 0, "never": 1, "worst": 0}},
            # 2025-01 was posted; 2025-02 was due by 2025-03-10: 29 days late on 2025-04-08.
            {"id": "xiaxi", "name": "下溪镇", "villages": 1, "on_time": 0, "late": 1,
             "party": {"overdue": 0, "never": 1, "worst": 0},
             "affairs": {"overdue": 0, "never": 1, "worst": 0},
             "finance": {"overdue": 1, "never": 0, "worst": 29}}],
        "disclosures": {"finance": 2, "affairs": 1, "party": 1}, "newest": "2025-04-06",
        "seal": None}


def test_summary_counts_only_what_is_posted_by_the_as_of_date(province, run):
    run("build", "--site", province / "qingshan", "--today", "2025-03-20")
    values = summary_of(province / "qingshan/public")
    # The ledger (posted 2025-04-05) and the notice (2025-04-06) are not up yet.
    assert values["disclosures"] == {"finance": 0, "affairs": 0, "party": 1}
    assert (values["as_of"], values["newest"]) == ("2025-03-20", "2025-03-15")


# Counted from content/ (every disclosure is posted by 2026-01-20): 白石村 is late with
# every kind, as the sample's warnings say (party affairs due 2025-06-28, village affairs
# 2025-08-20, the 2025-Q3 finances 2025-10-10); the three villages of 青山镇 and 白石镇's 上源村
# are on time.
SAMPLE_DISCLOSURES = {"finance": 73, "affairs": 21, "party": 22}  # with the lease decision
SAMPLE_NEWEST = "2026-01-19"
SAMPLE_TOWNS = [
    {"id": "qingshan", "name": "青山镇", "villages": 3, "on_time": 3, "late": 0,
     "party": KIND_OK, "affairs": KIND_OK, "finance": KIND_OK},
    {"id": "baishi", "name": "白石镇", "villages": 2, "on_time": 1, "late": 1,
     "party": {"overdue": 1, "never": 0, "worst": 206},
     "affairs": {"overdue": 1, "never": 0, "worst": 153},
     "finance": {"overdue": 1, "never": 0, "worst": 102}}]


def test_summary_of_the_sample(sample_site):
    values = summary_of(sample_site)
    assert {key: values[key] for key in ("format", "title", "base_url", "language", "as_of",
                                         "villages", "disclosures", "newest", "seal")} == {
        "format": 1, "title": "青山县村级“三务”公开", "base_url": "https://sanwu.example.cn/",
        "language": "zh-CN", "as_of": "2026-01-20", "villages": 5,
        "disclosures": SAMPLE_DISCLOSURES, "newest": SAMPLE_NEWEST, "seal": None}
    assert values["towns"] == SAMPLE_TOWNS
    assert len(json.dumps(values).encode()) < 2048


def test_province_index_shows_each_county(province, run):
    code, out, err = run("province", "--site", province, "--today", "2025-04-10")
    assert (code, err) == (0, "")
    assert out == f"已生成省级索引：2 个县，3 个页面，输出到 {province / 'public'}；0 个警告。\n"
    public = province / "public"
    assert sorted(p.relative_to(public).as_posix() for p in public.rglob("*.html")) == [
        "counties/baishi.html", "counties/qingshan.html", "index.html"]
    index = (public / "index.html").read_text()
    assert "<title>首页 · 测试省三务公开</title>" in index
    rows = re.findall(r"<tr>(.*?)</tr>", index, re.S)
    cells = [re.sub(r"<[^>]+>", "", cell).strip()
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", rows[2], re.S)]
    assert cells == ["白石县", "2", "3", "4", "1", "2", "2025年4月6日", "2025年4月8日", "未封存",
                     "baishi.example.cn/"]
    qingshan = [re.sub(r"<[^>]+>", "", cell).strip()
                for cell in re.findall(r"<td[^>]*>(.*?)</td>", rows[1], re.S)]
    assert qingshan == ["青山县", "1", "1", "3", "1", "0", "2025年4月6日", "2025年4月8日",
                        "未封存", "qingshan.example.cn/sanwu/"]
    total = re.search(r'<tr class="total">(.*?)</tr>', index, re.S)
    assert total is not None
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in
            re.findall(r"<td[^>]*>(.*?)</td>", total.group(1), re.S)][:6] == \
        ["合计", "3", "4", "7", "2", "2"]
    assert '<a href="counties/baishi.html">白石县</a>' in index
    assert '<a class="file" href="https://baishi.example.cn/">baishi.example.cn/</a>' in index
    assert '<a class="file" href="https://qingshan.example.cn/sanwu/">' in index  # a slash added
    assert re.search(r'<link rel="stylesheet" href="assets/style\.[0-9a-f]{10}\.css">', index)
    assert "编制于2025年4月10日" in index


def test_county_page_links_each_town_on_the_county_site(province, run):
    run("province", "--site", province, "--today", "2025-04-10")
    page = (province / "public/counties/baishi.html").read_text()
    assert '<li><a href="../index.html">首页</a></li>' in page
    assert '<a href="https://baishi.example.cn/towns/qingshan.html">青山镇</a>' in page
    assert '<a href="https://baishi.example.cn/towns/xiaxi.html">下溪镇</a>' in page
    assert "财务 2 个，村务 1 个，党务 1 个" in page
    assert ('<td data-label="财务"><span><span class="badge-late">1 个村逾期</span> 最长逾期 29 天'
            '</span></td></tr>') in page
    assert page.count("1 个村从未公开") == 5  # 东村 three times, 下村 twice
    # Every link the county's pages point to is a page of its site.
    for town in ("qingshan", "xiaxi"):
        assert (province / f"baishi/public/towns/{town}.html").is_file()


def test_a_missing_summary_is_an_error_naming_the_county(province, run):
    write(province, {"province.yaml": PROVINCE + "  - {id: zhuyuan, name: 竹园县}\n"})
    code, out, err = run("province", "--site", province, "--today", "2025-04-10")
    assert (code, out) == (1, "")
    assert err == (
        "province.yaml:5:5: 错误：竹园县（zhuyuan）：找不到它的汇总文件 "
        "zhuyuan/public/summary.json。请先生成该县的网站（生成时会在输出文件夹中写出 "
        "summary.json），或用“summary: …”写明汇总文件的位置\n"
        f"1 个错误，0 个警告。没有写入任何文件，{province / 'public'} 保持不变。\n")


def test_a_broken_summary_is_an_error_naming_the_county(province, run):
    summary = province / "baishi/public/summary.json"
    summary.write_text(summary.read_text().replace('"villages":3', '"villages":"许多"'))
    code, _, err = run("province", "--site", province, "--today", "2025-04-10")
    assert code == 1
    assert err.splitlines()[0] == (
        "province.yaml:4:5: 错误：白石县（baishi）：汇总文件 baishi/public/summary.json "
        "不是 Gongkai 写出的：villages：应为整数，实际为 “许多”")


def test_a_malformed_province_file_reports_every_problem(province, run):
    write(province, {"province.yaml": """\
        title: 测试省三务公开
        counties:
          - {id: QingShan, name: 青山县}
          - {id: baishi, name: 白石县, url: baishi.example.cn, summry: x.json}
        """})
    code, _, err = run("province", "--site", province)
    assert code == 1
    assert err.splitlines() == [
        "province.yaml:3:10: 错误：counties[0].id：应为小写字母、数字和连字符，例如 qingshan 或 "
        "xikou-2，实际为 “QingShan”",
        "province.yaml:4:34: 错误：counties[1].url：应为以 https:// 开头的完整网址，实际为 "
        "“baishi.example.cn”",
        "province.yaml:4:53: 错误：counties[1].summry：应为已知字段（id、name、url、summary），"
        "实际为 “summry”；是不是要写“summary”？",
        f"3 个错误，0 个警告。没有写入任何文件，{province / 'public'} 保持不变。"]


def test_a_county_id_used_twice(province, run):
    write(province, {"province.yaml": PROVINCE + "  - {id: baishi, name: 白石县}\n"})
    code, _, err = run("province", "--site", province, "--today", "2025-04-10")
    assert code == 1
    assert err.splitlines()[0] == (
        "province.yaml:5:10: 错误：counties[2].id：县的标识 “baishi” 用了两次；每个县都要有自己的标识")


def test_an_old_summary_is_a_warning(province, run):
    code, _, err = run("province", "--site", province, "--today", "2025-06-01")
    assert code == 0
    assert err.splitlines()[0] == (
        "province.yaml:3:5: 警告：青山县（qingshan）：它的汇总截至 2025-04-08，比 2025-06-01 早 "
        "54 天。请重新生成并发布该县的网站，或检查 qingshan/public/summary.json 是否就是它发布的汇总")


def test_a_failed_run_keeps_the_last_index(province, run, monkeypatch):
    assert run("province", "--site", province, "--today", "2025-04-10")[0] == 0
    before = snapshot(province / "public")
    (province / "baishi/public/summary.json").unlink()
    assert run("province", "--site", province, "--today", "2025-04-10")[0] == 1
    assert snapshot(province / "public") == before
    run("build", "--site", province / "baishi")

    def fail(self: Staging) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Staging, "commit", fail)
    code, _, err = run("province", "--site", province, "--today", "2025-04-11")
    assert code == 2
    assert err == f"无法写入 {province / 'public'}：No space left on device；原有网站保持不变\n"
    assert snapshot(province / "public") == before
    assert [p.name for p in province.iterdir() if p.name.startswith(".public")] == []


def test_refuses_to_write_over_a_county(province, run):
    before = snapshot(province / "baishi/public")
    code, _, err = run("province", "--site", province, "--out", province / "baishi/public")
    assert code == 2
    assert err == (f"拒绝写入 {province / 'baishi/public'}：其中有白石县（baishi）的汇总文件 "
                   "baishi/public/summary.json；请用 --out 另选文件夹\n")
    assert snapshot(province / "baishi/public") == before


def test_sitemap_with_the_province_address(province, run):
    write(province, {"province.yaml": "base_url: https://sanwu.example.gov.cn\n" + PROVINCE})
    assert run("province", "--site", province, "--today", "2025-04-10")[0] == 0
    sitemap = (province / "public/sitemap.xml").read_text()
    assert "<loc>https://sanwu.example.gov.cn/</loc>" in sitemap
    assert ("<loc>https://sanwu.example.gov.cn/counties/baishi.html</loc>\n"
            "    <lastmod>2025-04-06</lastmod>") in sitemap
    assert (province / "public/robots.txt").read_text().endswith(
        "Sitemap: https://sanwu.example.gov.cn/sitemap.xml\n")


def test_english_province(province, run):
    write(province, {"province.yaml": "language: en\n" + PROVINCE})
    code, out, _ = run("province", "--site", province, "--today", "2025-04-10")
    assert code == 0 and out.startswith("Wrote the province's index of 2 counties (3 pages) to ")
    index = (province / "public/index.html").read_text()
    assert '<html lang="en">' in index and "Compiled on April 10, 2025" in index
    assert "Not sealed" in index


def test_a_sealed_county_shows_its_newest_seal(province, run):
    code, _, err = run("seal", "--site", province / "qingshan")
    assert code == 0, err
    lines = (province / "qingshan/public/history/checkpoint.txt").read_text().splitlines()
    assert lines[3] == "seal 1 2025-04-08"
    short = base64.b64decode(lines[2]).hex()[:12]
    assert summary_of(province / "qingshan/public")["seal"] == {
        "seal": 1, "date": "2025-04-08", "hash": short}
    assert run("province", "--site", province, "--today", "2025-04-10")[0] == 0
    index = (province / "public/index.html").read_text()
    assert f"第 1 次封存，2025年4月8日 <code>{short}</code>" in index
    county = (province / "public/counties/qingshan.html").read_text()
    assert f"<dd>第 1 次封存，2025年4月8日 <code>{short}</code></dd>" in county


def test_a_folder_without_a_province(tmp_path, run):
    assert run("province", "--site", tmp_path / "nowhere") == (
        2, "", f"省文件夹 {tmp_path / 'nowhere'} 不存在\n")
    code, _, err = run("province", "--site", tmp_path)
    assert code == 1
    assert err.splitlines()[0] == "province.yaml: 错误：缺少全省配置：请在省文件夹中创建 province.yaml"
    assert not (tmp_path / "public").exists()
