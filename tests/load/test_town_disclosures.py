"""A town's and the county's own disclosures: where they live, the villages they name
(checked), their pages, and where they are listed (town page, home page, village boards)."""

from __future__ import annotations

import re

from tests.helpers.sites import CONFIG, VILLAGE

TOWN_FILE = "content/_towns/qingshan/finance/2025-04-allocation.md"
COUNTY_FILE = "content/_county/affairs/2025-04-plan.md"
TWO_TOWNS = CONFIG + "  - {id: baishi, name: 白石镇}\n"
XIKOU = VILLAGE.replace("青山村", "溪口村")
ALLOCATION = """\
---
title: 青山镇一事一议奖补资金分配公示
date: 2025-04-02
type: 资金分配
notice: {from: 2025-04-02, to: 2025-04-09}
allocations:
  - {village: qingshan, amount: 200000.00, purpose: 道路硬化}
  - {village: xikou, amount: 150000.00}
attachments: [files/allocation.pdf]
---
经镇党委会议研究，现将分配情况公示如下。
"""
COUNTY = """\
---
title: 县级集体经济扶持项目计划公示
date: 2025-04-01
type: notice
villages: [xikou]
---
拟扶持溪口村。
"""


def site(make_site, **files):
    """A site of two towns' config, 青山村 and 溪口村, with the given extra files."""
    return make_site({"site_config.yaml": TWO_TOWNS, "content/xikou/village.yaml": XIKOU,
                      "content/_towns/qingshan/files/allocation.pdf": b"%PDF-1.4\n%%EOF\n",
                      **files})


def problems(run, root):
    code, _out, err = run("check", "--site", root)
    return code, [line for line in err.splitlines() if ": 错误：" in line or ": 警告：" in line]


def test_a_town_allocation_has_its_page_with_the_table_and_attachment(make_site, run):
    root = site(make_site, **{TOWN_FILE: ALLOCATION})
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/_towns/qingshan/finance/2025-04-allocation.html").read_text()
    assert '<p class="kicker">青山镇 · 资金分配</p>' in page
    assert '<li><a href="../../../towns/qingshan.html">青山镇</a></li>' in page
    assert ('<td class="item" data-label="村"><a href="../../../qingshan/index.html">青山村</a></td>'
            '<td class="num amount" data-label="金额（元）">200,000.00</td>'
            '<td data-label="用途">道路硬化</td>') in page
    assert ('<td class="item" data-label="村">合计 2 个村</td>'
            '<td class="num amount" data-label="金额（元）">350,000.00</td>') in page
    assert '<a href="../files/allocation.pdf">allocation.pdf</a>' in page
    assert (root / "public/_towns/qingshan/files/allocation.pdf").is_file()
    assert (root / "public/_towns/qingshan/finance/2025-04-allocation.qr.png").is_file()


def test_town_and_county_files_are_listed_on_town_home_and_the_boards_they_name(make_site, run):
    root = site(make_site, **{TOWN_FILE: ALLOCATION, COUNTY_FILE: COUNTY})
    assert run("build", "--site", root)[0] == 0
    town = (root / "public/towns/qingshan.html").read_text()
    assert '<h2 id="town-notices">本镇公示</h2>' in town
    assert '<a href="../_towns/qingshan/finance/2025-04-allocation.html">' in town
    assert "县级集体经济扶持项目计划公示" not in town
    home = (root / "public/index.html").read_text()
    assert '<a href="_county/affairs/2025-04-plan.html">县级集体经济扶持项目计划公示</a>' in home
    assert "青山镇一事一议奖补资金分配公示" not in home
    xikou = (root / "public/xikou/index.html").read_text()
    block = xikou[xikou.index('<section class="panel panel-office"'):]
    block = block[:block.index("</section>")]
    assert '<h2 id="panel-office">镇/县公示</h2>' in block
    # Newest first: the town's (04-02) above the county's (04-01), each naming who posted it.
    assert re.findall(r'<a href="([^"]+)">', block) == [
        "../_towns/qingshan/finance/2025-04-allocation.html", "../_county/affairs/2025-04-plan.html"]
    assert '<span class="meta office-name">青山镇</span>' in block
    assert '<span class="meta office-name">县</span>' in block
    qingshan = (root / "public/qingshan/index.html").read_text()
    assert "青山镇一事一议奖补资金分配公示" in qingshan and "县级集体经济扶持" not in qingshan


def test_an_unknown_village_id_is_an_error_with_the_closest(make_site, run):
    root = site(make_site, **{TOWN_FILE: ALLOCATION.replace("village: xikou", "village: xiko")})
    code, lines = problems(run, root)
    assert code == 1
    assert lines == [
        "content/_towns/qingshan/finance/2025-04-allocation.md:8:15: 错误：allocations[1].village："
        "应为村的 id，即它在 content/ 中的文件夹名（qingshan、xikou），实际为 “xiko”；是不是要写“xikou”？"]
    (root / TOWN_FILE).unlink()
    root = site(make_site, **{COUNTY_FILE: COUNTY.replace("[xikou]", "[qingshan, zz]")})
    code, lines = problems(run, root)
    assert code == 1
    assert lines == [
        "content/_county/affairs/2025-04-plan.md:5:22: 错误：villages[1]："
        "应为村的 id，即它在 content/ 中的文件夹名（qingshan、xikou），实际为 “zz”"]


def test_a_town_folder_must_be_a_town_id(make_site, run):
    root = site(make_site, **{"content/_towns/qingshn/affairs/a.md": COUNTY})
    code, lines = problems(run, root)
    assert code == 1
    assert lines == [
        "content/_towns/qingshn: 错误：应为以 site_config.yaml 中乡镇 id 命名的文件夹"
        "（qingshan、baishi），实际为 “qingshn”；是不是要写“qingshan”？"]


def test_town_files_are_checked_like_village_files(make_site, run):
    body = ALLOCATION.replace("经镇党委", "联系人身份证号11010519491231002X，经镇党委")
    body = body.replace("2025-04-02,", "2025-02-30,")
    root = site(make_site, **{TOWN_FILE: body})
    code, lines = problems(run, root)
    assert code == 1
    text = "\n".join(lines)
    assert "2025-04-allocation.md:11: 错误：发现完整的身份证号码" in text
    assert "2025-04-allocation.md:5:16: 错误：notice.from：应为日期，例如 2025-03-05，实际为 “2025-02-30”" in text
    root = site(make_site, **{TOWN_FILE: ALLOCATION.replace("allocation.pdf]", "missing.pdf]")})
    code, lines = problems(run, root)
    assert code == 1
    assert lines == [
        "content/_towns/qingshan/finance/2025-04-allocation.md:9:15: 错误：attachments[0]："
        "应为 content/_towns/qingshan/ 的 files/ 文件夹中的文件，例如 files/plan.pdf；"
        "实际为 “files/missing.pdf”，该文件不在那里"]


def test_town_files_do_not_count_toward_a_villages_calendar(make_site, run):
    def town_and_board(root):
        assert run("build", "--site", root)[0] == 0
        town = (root / "public/towns/qingshan.html").read_text()
        board = (root / "public/xikou/index.html").read_text()
        return (town[town.index('<section class="timeliness"'):],
                re.findall(r'<p class="due">.*?</p>', board, re.S))

    without = town_and_board(site(make_site))
    with_files = town_and_board(site(make_site, **{TOWN_FILE: ALLOCATION, COUNTY_FILE: COUNTY}))
    assert with_files == without


def test_the_sample_town_allocation_is_listed_on_its_villages_boards(sample_site):
    page = (sample_site / "_towns/qingshan/finance/2025-04-yishiyiyi-allocation.html").read_text()
    assert "合计 3 个村" in page and "470,000.00" in page
    for village in ("qingshan", "xikou", "zhuyuan"):
        board = (sample_site / village / "index.html").read_text()
        assert "../_towns/qingshan/finance/2025-04-yishiyiyi-allocation.html" in board
    assert "_county/affairs/2026-01-village-aid-plan.html" in (sample_site / "index.html").read_text()
