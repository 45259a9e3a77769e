"""The village venue (三室一栏) against the 八有八规范 standard, and the county scoreboard."""

from __future__ import annotations

from gongkai.model.village import STANDARD
from tests.helpers.sites import VILLAGE

VENUE = VILLAGE + """\
venue:
  area_m2: 180
  rooms: [{name: 党员活动室, area_m2: 80}]
  board: 村部门口
  checklist:
    有适度的场所面积: {met: false, note: 面积不足}
    有醒目的标牌标识: {met: true}
"""


def test_the_venue_page_shows_every_item_met_not_met_or_not_reported(make_site, run):
    root = make_site({"content/qingshan/village.yaml": VENUE})
    assert run("build", "--site", root)[0] == 0
    page = (root / "public/qingshan/venue.html").read_text()
    assert "对照“八有八规范”16项标准：达标 1 项。" in page
    assert page.count('<span class="meta">未填报</span>') == 14
    assert '<span class="badge-late">未达标</span>' in page and "<td data-label=\"说明\">面积不足" in page
    for item in STANDARD:
        assert item in page


def test_the_scoreboard_puts_the_lowest_score_first(make_site, run):
    second = VILLAGE.replace("name: 青山村", "name: 溪口村") + "venue:\n  checklist:\n" + "".join(
        f"    {item}: {{met: true}}\n" for item in STANDARD)
    root = make_site({"content/qingshan/village.yaml": VENUE, "content/xikou/village.yaml": second})
    assert run("build", "--site", root)[0] == 0
    board = (root / "public/towns/qingshan-venues.html").read_text()
    assert board.index("青山村") < board.index("溪口村")
    assert "1 / 16" in board and "16 / 16" in board
    assert "有适度的场所面积" in board
    county = (root / "public/venues.html").read_text()
    assert '<a href="towns/qingshan-venues.html">青山镇</a>' in county
    assert '<td class="num" data-label="平均得分">8.5 / 16</td>' in county
    assert '<td class="num" data-label="最低得分">1 / 16</td>' in county


def test_an_unknown_checklist_item_is_an_error(make_site, run):
    root = make_site({"content/qingshan/village.yaml": VENUE.replace("有醒目的标牌标识", "有醒目标牌")})
    code, _out, err = run("check", "--site", root)
    assert code == 1
    assert "venue.checklist.有醒目标牌" in err and "是不是要写“有醒目的标牌标识”？" in err


def test_a_checklist_photo_must_be_a_published_file(make_site, run):
    venue = VENUE.replace("{met: true}", "{met: true, photo: files/sign.jpg}")
    code, _out, err = run("check", "--site", make_site({"content/qingshan/village.yaml": venue}))
    assert code == 1
    assert "venue.checklist.有醒目的标牌标识.photo：应为本村 files/ 文件夹中的文件" in err
    root = make_site({"content/qingshan/village.yaml": venue, "content/qingshan/files/sign.jpg": b"\xff\xd8"})
    assert run("build", "--site", root)[0] == 0
    assert 'href="files/sign.jpg">照片</a>' in (root / "public/qingshan/venue.html").read_text()
