"""Building a site: the pages, links, output safety and determinism."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote

from gongkai.core.cache import CACHE_DIR
from tests.helpers.sites import CONFIG, LEDGER, snapshot

REPO = Path(__file__).resolve().parent.parent.parent


def pages(folder: Path) -> list[str]:
    """List the HTML pages of an output folder."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))


def test_build_writes_every_page_and_a_summary(make_site, run):
    root = make_site()
    code, out, err = run("build", "--site", root)
    assert (code, err) == (0, "")
    assert re.fullmatch(r"已生成 19 个页面，另有 18 个文件（数据、样式、附件），输出到 \S+；0 个警告；用时 \d+\.\d\d 秒。\n", out)
    assert pages(root / "public") == [
        "data.html", "index.html", "qingshan/affairs/index.html", "qingshan/affairs/道路硬化公示.html",
        "qingshan/archive.html", "qingshan/finance/2025-03.html", "qingshan/finance/index.html",
        "qingshan/index.html",
        "qingshan/party/2025-03-party-day.html", "qingshan/party/index.html",
        "qingshan/poster/2025-03.html", "qingshan/profile.html", "qingshan/terms.html",
        "qingshan/venue.html", "search.html",
        "towns/qingshan-data.html", "towns/qingshan-venues.html", "towns/qingshan.html",
        "venues.html"]
    assert len(list((root / "public" / "assets").glob("style.*.css"))) == 1


def test_pages_show_the_content(make_site, run):
    root = make_site()
    run("build", "--site", root)
    public = root / "public"
    board = (public / "qingshan/index.html").read_text()
    assert "青山镇" in board and "0579-86000002" in board and "0579-86000000" in board
    assert board.index("党务公开") < board.index("村务公开") < board.index("财务公开")
    # The notice opened 2025-04-06 runs 7 days by default: open on 2025-04-08.
    assert "公示中，还剩 6 天" in board
    finance = (public / "qingshan/finance/2025-03.html").read_text()
    assert "2025年3月收入 12,000.00 元，支出 3,200.50 元，期末结余 161,139.50 元。" in finance
    assert '路灯维修</span><span class="amount">3,200.50</span></summary>' in finance
    notice = (public / "qingshan/affairs/道路硬化公示.html").read_text()
    assert "道路硬化工程预算 <strong>12 万元</strong>。" in notice
    assert "公示期：2025年4月6日起，按规定 7 日（至 2025年4月13日）" in notice  # the rule's end, said so
    town = (public / "towns/qingshan.html").read_text()
    assert "关于村内道路硬化工程的公示" in town and "2025年3月财务公开" in town
    assert '<a href="towns/qingshan.html">青山镇</a>' in (public / "index.html").read_text()


def test_every_link_is_relative_and_resolves(make_site, run):
    root = make_site()
    run("build", "--site", root)
    public = root / "public"
    for page in public.rglob("*.html"):
        for target in re.findall(r'(?:href|src)="([^"]+)"', page.read_text()):
            if target.startswith(("#", "tel:")):
                continue
            assert "://" not in target and not target.startswith("/"), (page, target)
            path = target.split("#")[0]  # archive.html#year-2025: the page must exist
            assert (page.parent / unquote(path)).resolve().is_file(), (page, target)


def test_same_input_same_bytes(make_site, run, tmp_path):
    root = make_site()
    run("build", "--site", root, "--out", tmp_path / "a")
    run("build", "--site", root, "--out", tmp_path / "b")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_files_no_longer_produced_are_gone(make_site, run):
    root = make_site({"content/qingshan/files/plan.pdf": b"%PDF-1.4\n",
                      "content/qingshan/files/.DS_Store": b"x"})
    run("build", "--site", root)
    assert (root / "public/qingshan/files/plan.pdf").is_file()
    assert not (root / "public/qingshan/files/.DS_Store").exists()
    (root / "content/qingshan/files/plan.pdf").unlink()
    (root / "content/qingshan/party/2025-03-party-day.md").unlink()
    assert run("build", "--site", root)[0] == 0
    assert not (root / "public/qingshan/files/plan.pdf").exists()
    assert not (root / "public/qingshan/party/2025-03-party-day.html").exists()
    assert not list(root.glob(".public.*")), "no staging folder is left behind"


def test_check_writes_nothing(make_site, run):
    root = make_site()
    code, out, _ = run("check", "--site", root)
    assert code == 0 and out.splitlines()[-1].startswith("已检查 19 个页面：没有错误，0 个警告")
    assert not (root / "public").exists()


def test_interrupted_swap_is_recovered(make_site, run):
    root = make_site()
    run("build", "--site", root)
    before = snapshot(root / "public")
    (root / "public").rename(root / ".public.old-123")  # killed between the two renames
    assert run("build", "--site", root)[0] == 0
    assert snapshot(root / "public") == before
    assert not (root / ".public.old-123").exists()


def test_today_option_overrides_site_today(make_site, run):
    root = make_site()
    run("build", "--site", root, "--today", "2025-04-20")
    board = (root / "public/qingshan/index.html").read_text()
    assert "公示已结束" in board and "公示中" not in board
    assert "状态截至2025年4月20日。" in board


def test_english_site(make_site, run):
    root = make_site({"site_config.yaml": CONFIG.replace("today:", "language: en\n  today:")})
    code, out, _ = run("build", "--site", root)
    assert code == 0 and out.startswith("Wrote 19 pages and 18 files more (data, styles, attachments) to ")
    feed = (root / "public/qingshan/atom.xml").read_text()
    assert 'xml:lang="en"' in feed and "<title>青山村: newest disclosures</title>" in feed
    assert "<title>Finance disclosure, March 2025</title>" in feed
    finance = (root / "public/qingshan/finance/2025-03.html").read_text()
    assert '<html lang="en">' in finance
    assert ("In March 2025: income 12,000.00 yuan, expenses 3,200.50 yuan, "
            "closing balance 161,139.50 yuan.") in finance


def test_site_layouts_override_the_default_theme_by_name(make_site, run):
    root = make_site({
        "layouts/profile.html": '{% extends "base.html" %}{% block title %}X{% endblock %}'
                                "{% block main %}<p>自定义：{{ info.name }}</p>{% endblock %}",
    })
    assert run("build", "--site", root)[0] == 0
    assert "<p>自定义：青山村</p>" in (root / "public/qingshan/profile.html").read_text()
    assert "党务公开" in (root / "public/qingshan/index.html").read_text()


def test_template_errors_name_the_template_line(make_site, run):
    root = make_site({"layouts/profile.html": "{% extends 'base.html' %}\n{% block main %}\n"
                                              "{{ info.nmae }}\n{% endblock %}\n"})
    code, _, err = run("build", "--site", root)
    assert code == 1
    assert err.splitlines()[0] == ("layouts/profile.html:3: 错误：模板错误："
                                   "'gongkai.model.village.VillageFile object' has no attribute 'nmae'")


def test_a_site_outside_the_repository(make_site, run, tmp_path, monkeypatch):
    # April carries March's closing balance over: no opening or closing balance stated.
    root = make_site({"content/qingshan/finance/2025-04.yaml": LEDGER
                      .replace("2025-03-", "2025-04-").replace("2025-04-05", "2025-05-05")
                      .replace("2025-04-03", "2025-05-03")
                      .replace("opening_balance: 152340.00\n", "")
                      .replace("closing_balance: 161139.50\n", "")})
    monkeypatch.chdir(tmp_path)
    code, _, _ = run("build", "--site", root, "--out", "X")
    assert code == 0
    assert (tmp_path / "X/qingshan/finance/2025-04.html").is_file()


def test_the_sample_site_builds_with_only_the_neglected_village_warned(run, tmp_path):
    code, _out, err = run("build", "--site", REPO, "--out", tmp_path / "out")
    # 白石村 is the sample's neglected village, on purpose: late with all three kinds, and a
    # resident's question on its water-pipe project left unanswered.
    assert code == 0
    assert [line.split("：")[0] for line in err.splitlines()] == [
        "content/baishi: 警告"] * 3 + ["content/baishi/affairs/2025-05-water-pipe.md: 警告"]
    built = pages(tmp_path / "out")
    assert len(built) > 100
    for village in ("qingshan", "xikou", "zhuyuan", "baishi"):
        assert f"{village}/index.html" in built and f"{village}/profile.html" in built
    assert "qingshan/finance/2024-01.html" in built and "zhuyuan/finance/2025-Q4.html" in built


def test_installed_package_finds_the_default_layouts(tmp_path, monkeypatch):
    from gongkai.read import sitefolder

    fake = tmp_path / "gongkai"
    shutil.copytree(REPO / "layouts", fake / "_layouts")
    monkeypatch.setattr(sitefolder, "__file__", str(fake / "read" / "sitefolder.py"))
    assert sitefolder.default_layouts() == fake / "_layouts"


def test_a_failed_swap_keeps_the_last_good_build(make_site, run, monkeypatch):
    root = make_site()
    run("build", "--site", root)
    before = snapshot(root / "public")
    real_rename = Path.rename
    monkeypatch.setattr("gongkai.build.write._exchange", lambda a, b: False)  # the two-step swap

    def failing_rename(self, target):
        if self.name.startswith(".public.building-"):
            raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    code, _, err = run("build", "--site", root, "--no-cache")  # a build that swaps
    assert code == 2
    assert err == f"无法写入 {root / 'public'}：No space left on device；原有网站保持不变\n"
    assert snapshot(root / "public") == before


def test_a_failed_atomic_exchange_keeps_the_last_good_build(make_site, run, monkeypatch):
    root = make_site()
    run("build", "--site", root)
    before = snapshot(root / "public")

    def failing_exchange(first, second):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("gongkai.build.write._exchange", failing_exchange)
    code, _, err = run("build", "--site", root, "--no-cache")  # a build that swaps
    assert code == 2
    assert err == f"无法写入 {root / 'public'}：No space left on device；原有网站保持不变\n"
    assert snapshot(root / "public") == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == [CACHE_DIR]


def test_write_output_refuses_a_folder_it_did_not_make(make_site, tmp_path):
    import pytest

    from gongkai.build.write import UnsafeOutput, write_output

    root = make_site()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("precious")
    with pytest.raises(UnsafeOutput):
        write_output(mine, root, [("index.html", b"x")], [])
    assert (mine / "thesis.docx").read_text() == "precious"
    note = tmp_path / "notes.txt"
    note.write_text("precious")
    with pytest.raises(UnsafeOutput):
        write_output(note, root, [("index.html", b"x")], [])
    assert note.read_text() == "precious"


def test_build_is_the_same_in_another_process(make_site, run, tmp_path):
    import os
    import subprocess
    import sys

    root = make_site()
    run("build", "--site", root, "--out", tmp_path / "a")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "gongkai", "build", "--site", str(root), "--out",
                    str(tmp_path / "b")], check=True, env=env, capture_output=True)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_last_day_of_a_notice_is_singular_in_english(make_site, run):
    root = make_site({"site_config.yaml": CONFIG.replace("today:", "language: en\n  today:")})
    run("build", "--site", root, "--today", "2025-04-13")
    assert "Open for comment, 1 day left" in (root / "public/qingshan/index.html").read_text()
