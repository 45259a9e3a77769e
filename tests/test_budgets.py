"""Page budgets of shared/spec/front-end.md, asserted from the built sample site."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from gongkai.pipeline import Options, build

REPO = Path(__file__).resolve().parent.parent
HTML_BUDGET = 30 * 1024   # gzipped bytes per page
CSS_BUDGET = 15 * 1024    # gzipped bytes, one file


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "public"
    assert not build(Options(REPO, out)).failed
    return out


def gz(path: Path) -> int:
    """Return the gzipped size of a file, as a web server would send it."""
    return len(gzip.compress(path.read_bytes(), mtime=0))


def test_every_page_is_within_the_html_budget(sample):
    sizes = {p.relative_to(sample).as_posix(): gz(p) for p in sample.rglob("*.html")}
    over = {name: size for name, size in sizes.items() if size > HTML_BUDGET}
    assert not over


def test_one_content_hashed_stylesheet_within_budget(sample):
    sheets = list((sample / "assets").glob("*.css"))
    assert len(sheets) == 1
    assert re.fullmatch(r"style\.[0-9a-f]{10}\.css", sheets[0].name)
    assert gz(sheets[0]) <= CSS_BUDGET


def test_no_script_no_web_font_no_other_host(sample):
    for page in sample.rglob("*.html"):
        html = page.read_text()
        assert "<script" not in html, page
        assert not re.search(r'(?:src|href)="(?:https?:)?//', html), page
    css = next((sample / "assets").glob("*.css")).read_text()
    assert "@font-face" not in css and "url(" not in css


def test_title_and_heading_come_in_the_first_14_kb(sample):
    for page in sample.rglob("*.html"):
        head = page.read_bytes()[:14 * 1024].decode("utf-8", "ignore")
        assert "<title>" in head and "<h1" in head, page
