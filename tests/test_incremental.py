"""The cached, incremental build: byte-identical to a cold one, never trusting a bad cache."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from gongkai.cache import CACHE_DIR
from gongkai.pipeline import Options, Result, build
from tests.conftest import REPO
from tests.test_errors import snapshot

LEDGER = "content/qingshan/finance/2025-03.yaml"
NOTICE = "content/qingshan/affairs/2025-03-road-hardening.md"


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """A copy of the sample county to edit."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site_config.yaml", site / "site_config.yaml")
    return site


def run(site: Path, out: Path | None = None, *, cache: bool = True, jobs: int = 1,
        write: bool = True) -> Result:
    """Build a site (into ``public/`` unless told otherwise) and check it succeeded."""
    result = build(Options(site, out or site / "public", jobs=jobs, cache=cache, write=write))
    assert not result.failed, [p.message for p in result.report.errors]
    return result


def cold(site: Path, tmp_path: Path, name: str = "cold") -> dict[str, str]:
    """Build without the cache into a folder of its own and return its snapshot."""
    out = tmp_path / name
    run(site, out, cache=False)
    return snapshot(out)


def edit(site: Path, name: str, old: str, new: str) -> None:
    """Change one piece of text in a content file."""
    path = site / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rebuild_with_nothing_changed_makes_nothing_and_touches_nothing(county):
    first = run(county)
    assert len(first.made) == first.pages + first.files
    before = {p: p.stat().st_ino for p in (county / "public").rglob("*") if p.is_file()}
    again = run(county)
    assert again.made == [] and again.removed == []
    assert (again.pages, again.files) == (first.pages, first.files)
    after = {p: p.stat().st_ino for p in (county / "public").rglob("*") if p.is_file()}
    assert after == before  # the very same files: nothing was written


def test_one_ledger_edit_remakes_its_pages_and_matches_a_cold_build(county, tmp_path):
    run(county)
    edit(county, LEDGER, "item: 村部一楼店面租金（3月）", "item: 村部一楼店面租金（三月）")
    result = run(county)
    made = set(result.made)
    assert {"qingshan/finance/2025-03.html", "qingshan/poster/2025-03.html",
            "qingshan/finance/2025-03.csv", "qingshan/finance/2025-03.json"} <= made
    assert "qingshan/finance/2025-02.html" not in made  # another period: carried over
    assert "xikou/index.html" not in made               # another village: carried over
    assert not any(path.endswith(".qr.png") for path in made)  # addresses did not change
    assert len(made) < (result.pages + result.files) / 10
    assert snapshot(county / "public") == cold(county, tmp_path)


def test_one_markdown_edit_remakes_its_page_and_matches_a_cold_build(county, tmp_path):
    run(county)
    edit(county, NOTICE, "\n\n", "\n\n补充说明：工程已开工。\n\n")
    result = run(county)
    assert "qingshan/affairs/2025-03-road-hardening.html" in result.made
    assert "xikou/index.html" not in result.made
    assert snapshot(county / "public") == cold(county, tmp_path)


def test_a_new_and_a_deleted_file_match_a_cold_build(county, tmp_path):
    run(county)
    (county / NOTICE).rename(county / "content/qingshan/affairs/2025-03-道路.md")
    result = run(county)
    assert "qingshan/affairs/2025-03-road-hardening.html" in result.removed
    assert "qingshan/affairs/2025-03-道路.html" in result.made
    assert snapshot(county / "public") == cold(county, tmp_path)


def test_a_changed_template_remakes_the_pages_that_use_it(county, tmp_path):
    run(county)
    layouts = county / "layouts"
    layouts.mkdir()
    text = (REPO / "layouts/profile.html").read_text(encoding="utf-8")
    (layouts / "profile.html").write_text(text.replace("</main>", "<p>新版</p></main>", 1)
                                          if "</main>" in text else text + "<!-- 新版 -->\n",
                                          encoding="utf-8")
    result = run(county)
    assert "qingshan/profile.html" in result.made
    assert snapshot(county / "public") == cold(county, tmp_path)


def test_a_hand_edited_output_is_made_again(county):
    run(county)
    page = county / "public/qingshan/profile.html"
    good = page.read_bytes()
    page.write_bytes(good.replace("青山村".encode(), "假村".encode()))
    result = run(county)
    assert "qingshan/profile.html" in result.made
    assert page.read_bytes() == good


def test_a_damaged_cache_is_thrown_away_not_trusted(county, tmp_path):
    run(county)
    (county / CACHE_DIR / "cache.sqlite").write_bytes(b"not a database" * 100)
    for extra in (county / CACHE_DIR).glob("cache.sqlite-*"):
        extra.unlink()
    result = run(county)
    assert len(result.made) == result.pages + result.files  # nothing could be carried
    assert snapshot(county / "public") == cold(county, tmp_path)


def test_a_tampered_cache_entry_fails_its_check_and_is_recomputed(county, tmp_path):
    run(county)
    edit(county, LEDGER, "item: 村部一楼店面租金（3月）", "item: 村部一楼店面租金（三月）")
    run(county)
    db = sqlite3.connect(county / CACHE_DIR / "cache.sqlite")
    with db:  # swap every parse result's bytes for another's: each now fails its check
        rows = db.execute("SELECT key, blob FROM parsed").fetchall()
        for (key, _blob), (_other, blob) in zip(rows, rows[1:] + rows[:1], strict=True):
            db.execute("UPDATE parsed SET blob = ? WHERE key = ?", (blob, key))
    db.close()
    shutil.rmtree(county / "public")
    run(county)
    assert snapshot(county / "public") == cold(county, tmp_path)


def test_parallel_rendering_gives_the_same_bytes(county, tmp_path, monkeypatch):
    monkeypatch.setattr("gongkai.production.PARALLEL_THRESHOLD", 10)  # the sample is small
    one = tmp_path / "one"
    two = tmp_path / "two"
    run(county, one, cache=False, jobs=1)
    run(county, two, cache=False, jobs=2)
    assert snapshot(one) == snapshot(two)


def test_check_writes_nothing_and_reuses_the_weights_of_unchanged_pages(county):
    built = run(county)
    checked = run(county, write=False)
    assert checked.made == []
    assert checked.weights == built.weights
    assert sorted(p.name for p in county.iterdir() if p.name.startswith(".public")) == []


def test_a_lost_qr_image_is_drawn_again_for_its_page(county, tmp_path):
    run(county)
    (county / "public/qingshan/finance/2025-03.qr.png").unlink()
    result = run(county)
    assert result.made == ["qingshan/finance/2025-03.qr.png"]  # its page is carried over
    assert snapshot(county / "public") == cold(county, tmp_path)
