"""Hostile and messy input: links out of the village, huge files, clashing periods."""

from __future__ import annotations

import os

import pytest

from tests.helpers.sites import LEDGER, NOTICE


def test_a_link_out_of_the_village_folder_is_refused(make_site, run, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    root = make_site()
    (root / "content/qingshan/files").mkdir(parents=True)
    os.symlink(secret, root / "content/qingshan/files/plan.pdf")
    code, _out, err = run("build", "--site", root)
    assert code == 1
    assert err.splitlines()[0] == ("content/qingshan/files/plan.pdf: 错误：这是指向本村文件夹以外"
                                   "位置的链接；请把文件本身放在这里，不要用链接")
    assert not (root / "public").exists()


def test_an_attachment_over_the_size_limit_is_refused(make_site, run):
    root = make_site()
    big = root / "content/qingshan/files/scan.pdf"
    big.parent.mkdir(parents=True)
    with big.open("wb") as fh:
        fh.truncate(20 * 1024 * 1024 + 1)  # sparse: no 20 MB written to disk
    code, _out, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines()[0] == ("content/qingshan/files/scan.pdf: 错误：文件大小为 20.0 MB，"
                                   "超过附件 20 MB 的上限；请缩小扫描件（150 dpi 就够了）或拆分成几个文件")


def test_two_files_for_one_period_name_both(make_site, run):
    root = make_site({"content/qingshan/finance/２０２５-０３.yaml": LEDGER})
    code, _out, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines()[0] == ("content/qingshan/finance/２０２５-０３.yaml: 错误：本文件与 "
                                   "content/qingshan/finance/2025-03.yaml 是同一期（2025-03）；只保留其中一个")


def test_a_full_width_period_name_gets_the_plain_address(make_site, run):
    root = make_site({"content/qingshan/finance/2025-03.yaml": None,
                      "content/qingshan/finance/２０２５－０３.yaml": LEDGER})
    assert run("build", "--site", root)[0] == 0
    assert (root / "public/qingshan/finance/2025-03.html").is_file()


def test_attachments_cannot_point_outside_the_files_folder(make_site, run, tmp_path):
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(b"%PDF")
    root = make_site({"content/qingshan/files/ok.pdf": b"%PDF"})
    os.symlink(outside, root / "content/qingshan/files/link.pdf")
    names = [str(outside), "files/../village.yaml", "files/../../../secret.pdf", "files/link.pdf"]
    notice = NOTICE.replace("type: 公示", f"type: 公示\nattachments: {names}".replace("'", '"'))
    (root / "content/qingshan/affairs/道路硬化公示.md").write_text(notice, encoding="utf-8")
    code, _out, err = run("check", "--site", root)
    assert code == 1
    shown = str(outside)[:57] + "…" if len(str(outside)) > 60 else str(outside)
    assert (f"attachments[0]：应为本村文件夹中的路径，例如 files/plan.pdf；实际为 “{shown}”，"
            "这是文书自己电脑上的路径，村民无法打开") in err
    for index, name in enumerate(names[1:], start=1):
        assert (f"attachments[{index}]：应为本村 files/ 文件夹中的文件，例如 files/plan.pdf；"
                f"实际为 “{name}”，该文件不在那里") in err
    assert "files/link.pdf: 错误：这是指向本村文件夹以外位置的链接" in err


def test_files_that_could_run_script_are_not_published(make_site, run):
    root = make_site({"content/qingshan/files/plan.svg": "<svg onload=alert(1)></svg>",
                      "content/qingshan/files/map.html": "<script>alert(1)</script>",
                      "content/qingshan/files/plan.pdf": b"%PDF"})
    code, _out, err = run("build", "--site", root)
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith("content/qingshan/files/map.html: 错误：files/ 中只发布文档和图片（.7z .csv")
    assert lines[0].endswith("）；.html 文件可能在村民的浏览器里运行脚本，或不是给村民看的：请另存为 PDF")
    assert lines[1].startswith("content/qingshan/files/plan.svg: 错误：files/ 中只发布文档和图片")
    assert not (root / "public").exists()


@pytest.mark.parametrize(("name", "change"), [
    ("deep YAML", ("type: 公示", "type: 公示\nsummary: " + "[" * 5000)),
    ("deep Markdown", ("道路硬化工程预算", "".join("  " * i + "- x\n" for i in range(600)))),
    ("NUL in a path", ("type: 公示", 'type: 公示\nattachments: ["files/a\\0b.pdf"]')),
])
def test_input_too_odd_for_the_parsers_is_an_error_not_a_crash(make_site, run, name, change):
    notice = NOTICE.replace(*change)
    root = make_site({"content/qingshan/affairs/道路硬化公示.md": notice})
    code, _out, err = run("check", "--site", root)
    assert code == 1, name
    assert err.startswith("content/qingshan/affairs/道路硬化公示.md:"), err
    assert "Traceback" not in err


@pytest.mark.parametrize(("change", "message"), [
    (("opening_balance: 152340.00", "opening_balance: " + "9" * 5000),
     "content/qingshan/finance/2025-03.yaml: 错误：无法读取这个文件（ValueError）"),
    (("published: 2025-04-05", "published: 9999-12-31"),
     "content/qingshan/finance/2025-03.yaml:1:12: 错误：published：应为日期"),
    (("amount: 12000.00", "amount: 1.0e999999999"),
     "content/qingshan/finance/2025-03.yaml:6:"),
])
def test_huge_numbers_and_dates_are_errors_not_crashes(make_site, run, change, message):
    root = make_site({"content/qingshan/finance/2025-03.yaml": LEDGER.replace(*change)})
    code, _out, err = run("check", "--site", root)
    assert code == 1 and err.startswith(message), err
