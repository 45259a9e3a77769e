"""QR codes: every board and disclosure page carries one that decodes to its own address."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
import zxingcpp
from PIL import Image

from gongkai.model.addresses import absolute_url, readable_url
from tests.helpers.sites import CONFIG

BASE = "https://sanwu.example.cn/"


def decode(path: Path) -> str:
    """Read the one QR code in a PNG."""
    found = zxingcpp.read_barcodes(Image.open(path))
    assert len(found) == 1, path
    return found[0].text


def test_every_board_and_disclosure_qr_code_decodes_to_its_own_address(sample_site):
    boards = [p for p in sample_site.glob("*/index.html")]
    disclosures = [p for kind in ("finance", "affairs", "party")
                   for p in sample_site.glob(f"*/{kind}/*.html") if p.name != "index.html"]
    pages = boards + disclosures
    assert len(pages) > 90
    for page in pages:
        relative = page.relative_to(sample_site).as_posix()
        png = page.with_name(page.stem + ".qr.png")
        assert png.is_file(), relative
        expected = BASE + quote(relative.removesuffix("index.html"))
        assert decode(png) == expected
        html = page.read_text()
        # The code carries the escaped address; the text under it is the readable one.
        printed = BASE + relative.removesuffix("index.html")
        assert readable_url(expected) == printed
        assert 'alt="本页二维码"' in html and f'<p class="qr-url">{printed}</p>' in html


@pytest.mark.parametrize(("path", "url"), [
    ("qingshan/index.html", BASE + "qingshan/"),
    ("qingshan/affairs/道路硬化.html", BASE + "qingshan/affairs/%E9%81%93%E8%B7%AF%E7%A1%AC%E5%8C%96.html"),
    ("index.html", BASE),
])
def test_absolute_addresses(path, url):
    assert absolute_url(BASE, path) == url


def test_without_base_url_the_build_warns_once_and_leaves_qr_codes_out(make_site, run):
    root = make_site({"site_config.yaml": CONFIG.replace("  base_url: https://sanwu.example.cn/\n", "")})
    code, _out, err = run("build", "--site", root)
    assert code == 0
    assert err == ("site_config.yaml: 警告：site.base_url：没有设置 site.base_url，页面上不会有二维码，网站也没有订阅源（Atom）和站点地图："
                   "请添加网站的公网地址，例如“base_url: https://sanwu.example.cn/”\n")
    assert not list((root / "public").rglob("*.qr.png"))
    with_base = CONFIG.replace("https://sanwu.example.cn/", "https://cun.example.cn/sanwu")
    root = make_site({"site_config.yaml": with_base})
    assert run("build", "--site", root)[0] == 0
    assert decode(root / "public/qingshan/finance/2025-03.qr.png") == \
        "https://cun.example.cn/sanwu/qingshan/finance/2025-03.html"


def test_the_fast_mask_choice_gives_the_codes_segno_gives(monkeypatch):
    import random

    import segno
    import segno.encoder

    from gongkai.render import qrmask

    rng = random.Random(20261127)
    letters = "abcdefghijklmnopqrstuvwxyz0123456789/-._%"
    urls = ["https://sanwu.example.cn/" + "".join(rng.choice(letters)
                                                   for _ in range(rng.randint(1, 160)))
            for _ in range(1000)]
    urls += ["https://sanwu.example.cn/qingshan/finance/2025-03.html", "https://a.cn/"]
    monkeypatch.setattr(segno.encoder, "find_and_apply_best_mask", qrmask._ORIGINAL)
    theirs = [segno.make(url, error="m", micro=False) for url in urls]
    qrmask.install()
    ours = [segno.make(url, error="m", micro=False) for url in urls]
    assert {code.version for code in ours} >= {2, 5, 7, 9}  # small and large, with version info
    assert [(c.mask, c.matrix) for c in ours] == [(c.mask, c.matrix) for c in theirs]
