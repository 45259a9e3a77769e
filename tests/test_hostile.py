"""Hostile and messy input: links out of the village, huge files, clashing periods."""

from __future__ import annotations

import os

from tests.conftest import LEDGER, NOTICE


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
    for index, name in enumerate(names):
        shown = name if len(name) <= 60 else name[:57] + "…"  # long values are shortened
        assert (f"attachments[{index}]：应为本村 files/ 文件夹中的文件，例如 files/plan.pdf；"
                f"实际为 “{shown}”，该文件不在那里") in err
    assert "files/link.pdf: 错误：这是指向本村文件夹以外位置的链接" in err
