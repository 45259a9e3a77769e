"""The cached, incremental build: byte-identical to a cold one, never trusting a bad cache."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from gongkai.build.options import Options, Result
from gongkai.build.pipeline import build
from gongkai.build.replay import RACY_SECONDS
from gongkai.core.cache import CACHE_DIR
from tests.helpers.sites import REPO, snapshot

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
    monkeypatch.setattr("gongkai.build.production.PARALLEL_THRESHOLD", 10)  # the sample is small
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


# --- replaying a build whose inputs all look unchanged ----------------------------------


@pytest.fixture
def settled(monkeypatch):
    """Treat inputs as settled at once, rather than 2 s after their last change."""
    monkeypatch.setattr("gongkai.build.replay.RACY_SECONDS", 0)


def refuse_loading(monkeypatch):
    """Make any loading of the site fail the test."""
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the site was loaded")
    monkeypatch.setattr("gongkai.build.assemble.load_site", refuse)


def test_a_build_with_no_input_changed_replays_the_last_one_without_loading(
        county, settled, monkeypatch):
    first = run(county)
    assert not first.replayed and len(first.report.warnings) == 4
    before = snapshot(county / "public")
    refuse_loading(monkeypatch)
    again = run(county)
    assert again.replayed and again.made == [] and again.removed == []
    assert again.report.problems == first.report.problems  # the same warnings, told again
    assert (again.pages, again.files) == (first.pages, first.files)
    assert snapshot(county / "public") == before


def test_an_edit_of_the_same_size_is_not_replayed(county, settled, tmp_path):
    run(county)
    edit(county, LEDGER, "（3月）", "（4月）")  # the same number of bytes
    result = run(county)
    assert not result.replayed
    assert "qingshan/finance/2025-03.html" in result.made
    assert snapshot(county / "public") == cold(county, tmp_path)


def test_a_new_file_an_option_or_a_new_template_is_not_replayed(county, settled):
    run(county)
    (county / "content/qingshan/affairs/2025-04-新通知.md").write_bytes(
        (county / NOTICE).read_bytes())
    assert not run(county).replayed
    assert run(county).replayed
    assert not build(Options(county, county / "public", strict=True)).replayed
    (county / "layouts").mkdir()
    (county / "layouts/profile.html").write_bytes((REPO / "layouts/profile.html").read_bytes())
    assert not run(county).replayed


def test_a_hand_edited_output_is_not_replayed_but_made_again(county, settled):
    run(county)
    page = county / "public/qingshan/profile.html"
    good = page.read_bytes()
    page.write_bytes(good.replace("青山村".encode(), "假村".encode()))
    result = run(county)
    assert not result.replayed and result.made == ["qingshan/profile.html"]
    assert page.read_bytes() == good


def test_a_new_day_is_not_replayed_when_the_date_is_not_pinned(county, settled, monkeypatch):
    config = county / "site_config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("  today: 2026-01-20\n", ""),
                      encoding="utf-8")
    run(county)
    assert run(county).replayed
    monkeypatch.setattr("gongkai.build.replay._today", lambda _zone: date(2099, 1, 1))
    assert not run(county).replayed


def test_inputs_changed_moments_before_a_build_are_not_vouched_for(county):
    assert RACY_SECONDS == 2
    run(county)  # the county was copied just now: too fresh to record
    again = run(county)
    assert not again.replayed and again.made == []


def test_a_new_process_takes_the_compiled_theme_from_the_cache(county, tmp_path, monkeypatch):
    """The next build compiles no template (it reads their code, HMAC-checked, from the
    cache) and still makes the same bytes as a cold build."""
    import jinja2

    from gongkai.render import compiled

    # This process may hold the theme compiled by an earlier test, which the first build
    # would take instead of compiling it and keeping it in the site's cache.
    monkeypatch.setattr(compiled, "_IN_PROCESS", {})
    run(county)
    edit(county, LEDGER, "item: 垃圾清运费（3月）", "item: 垃圾清运费（三月）")
    monkeypatch.setattr(compiled, "_IN_PROCESS", {})   # as a new process starts
    monkeypatch.setattr(jinja2.Environment, "compile", _no_compiling)
    assert run(county).made
    monkeypatch.undo()
    assert snapshot(county / "public") == cold(county, tmp_path)


def _no_compiling(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("a template was compiled again")
