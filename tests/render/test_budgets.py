"""Page budgets of shared/spec/front-end.md, asserted from the built sample site."""

from __future__ import annotations

import gzip
import random
import re
from pathlib import Path

from tests.helpers.sites import PARTY

HTML_BUDGET = 30 * 1024   # gzipped bytes per page
HTML_LIMIT = 150 * 1024   # bytes per page, uncompressed
CSS_BUDGET = 15 * 1024    # gzipped bytes, one file


def gz(path: Path) -> int:
    """Return the gzipped size of a file, as nginx sends it by default."""
    return len(gzip.compress(path.read_bytes(), compresslevel=1, mtime=0))


def test_every_page_is_within_the_html_budget(sample_site):
    sizes = {p.relative_to(sample_site).as_posix(): gz(p) for p in sample_site.rglob("*.html")}
    over = {name: size for name, size in sizes.items() if size > HTML_BUDGET}
    assert not over
    large = {p.name: p.stat().st_size for p in sample_site.rglob("*.html")
             if p.stat().st_size > HTML_LIMIT}
    assert not large


def test_one_content_hashed_stylesheet_within_budget(sample_site):
    sheets = list((sample_site / "assets").glob("*.css"))
    assert len(sheets) == 1
    assert re.fullmatch(r"style\.[0-9a-f]{10}\.css", sheets[0].name)
    assert gz(sheets[0]) <= CSS_BUDGET


# The only script: the theme's search, deferred, from the site itself, on the pages with
# the search box (village boards and the home page); every page works without it.
SEARCH_SCRIPT = re.compile(r'<script src="(?:\.\./)*assets/search\.[0-9a-f]{10}\.js" defer></script>')


def test_no_script_but_the_search_no_web_font_no_other_host(sample_site):
    for page in sample_site.rglob("*.html"):
        html = page.read_text()
        scripts = SEARCH_SCRIPT.findall(html)
        assert html.count("<script") == len(scripts), page
        assert len(scripts) == ('role="search"' in html), page
        assert not re.search(r'(?:src|href)="(?:https?:)?//', html), page
    css = next((sample_site / "assets").glob("*.css")).read_text()
    assert "@font-face" not in css and "url(" not in css


def test_title_date_and_summary_come_in_the_first_14_kb(sample_site):
    # The first round trip of a slow connection carries about 14 KB: what the page is
    # about must arrive in it.
    for page in sample_site.rglob("*.html"):
        html = page.read_bytes()
        markers = [b"<title>", b"<h1", b'class="meta"', b'class="lead"']
        if page.parent.name == "poster":
            # A wall poster's dates head every sheet; its "meta" spans are the disclosure
            # panels at the foot of the last sheet, after every line of the period.
            markers[2] = "公开日期".encode()
        for marker in markers:
            if marker in html:
                assert html.index(marker) < 14 * 1024, (page, marker)
        assert b"<h1" in html, page


def test_check_reports_the_heaviest_files_against_their_budgets(make_site, run):
    code, out, _err = run("check", "--site", make_site())
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "最重的文件（gzip 压缩后）与预算对比："
    assert len(lines) == 2 + 5  # the heading, five files, the summary
    for line in lines[1:6]:
        assert re.fullmatch(r"  +\d+\.\d KB / (30|15)\.0 KB  \S+", line), line
    assert any(re.search(r"KB  assets/style\.[0-9a-f]{10}\.css$", line) for line in lines)


def test_a_page_over_budget_is_a_warning_naming_its_source(make_site, run):
    # Random characters do not compress, as real long lists of names and figures barely do.
    rng = random.Random(7)
    body = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(24_000))
    root = make_site({"content/qingshan/party/2025-03-party-day.md": PARTY + body})
    code, out, err = run("check", "--site", root)
    assert code == 0
    assert re.fullmatch(
        r"content/qingshan/party/2025-03-party-day\.md: 警告：页面 qingshan/party/"
        r"2025-03-party-day\.html 压缩后为 \d\d\.\d KB，超过 30\.0 KB 的预算：在手机上打开会很慢；"
        r"请拆分内容，或把长表格改为附件\n", err)
    assert "/ 30.0 KB  qingshan/party/2025-03-party-day.html（超出预算）" in out
    code, _out, _err = run("check", "--strict", "--site", root)
    assert code == 1
