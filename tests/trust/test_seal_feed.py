"""The seal log, 6. the feed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser

from gongkai.core.filehash import file_sha256
from gongkai.trust.seal import manifest
from tests.helpers.cli import cli
from tests.helpers.seal import (
    CORRECTED_ON,
    TODAY2,
)
from tests.helpers.sites import copy_site


def feed_entry(public: Path, page: str) -> feedparser.FeedParserDict:
    """Return the entry of a village's feed for one page, checking the feed is well formed."""
    feed = feedparser.parse((public / "qingshan/atom.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    found = [entry for entry in feed.entries if entry.link.endswith(page)]
    assert len(found) == 1
    return found[0]


def test_the_feed_entry_of_a_corrected_ledger_keeps_its_id_and_leads_with_the_note(
        sealed, corrected):
    before = feed_entry(sealed.site / "public", "/qingshan/finance/2025-03.html")
    after = feed_entry(corrected.site / "public", "/qingshan/finance/2025-03.html")
    assert after.id == before.id == (
        "tag:sanwu.example.cn,2025:qingshan/finance/2025-03.html")
    assert before.updated.startswith("2025-04-07")
    assert after.updated == f"{CORRECTED_ON}T00:00:00+08:00"
    assert after.published == before.published
    assert after.summary.startswith(
        "Corrected on 2026-02-03: 第3笔支出收款人由“县供电公司”更正为“县电力公司” (抄录错误). ")
    assert after.summary.endswith(before.summary)
    assert not any(entry.link.endswith(".v1.html") for entry in feedparser.parse(
        (corrected.site / "public/qingshan/atom.xml").read_bytes()).entries)


def lastmod(public: Path, page: str) -> str:
    """Return a page's lastmod as the sitemap gives it."""
    sitemap = (public / "sitemap.xml").read_text(encoding="utf-8")
    found = re.search(rf"<loc>[^<]*/{re.escape(page)}</loc>\s*<lastmod>([^<]+)</lastmod>",
                      sitemap)
    assert found is not None, page
    return found.group(1)


def test_the_sitemap_dates_a_corrected_page_and_its_village_by_the_correction(
        sealed, corrected):
    assert lastmod(sealed.site / "public", "qingshan/finance/2025-03.html") == "2025-04-07"
    assert lastmod(corrected.site / "public", "qingshan/finance/2025-03.html") == CORRECTED_ON
    assert lastmod(corrected.site / "public", "qingshan/") == CORRECTED_ON
    assert lastmod(corrected.site / "public", "qingshan/finance/2025-04.html") == (
        lastmod(sealed.site / "public", "qingshan/finance/2025-04.html"))



def test_a_build_of_a_sealed_site_lists_the_manifest_without_reading_its_files_again(
        sealed, tmp_path, monkeypatch):
    site = copy_site(sealed.site, tmp_path / "site")
    notice = site / "content/qingshan/affairs/2024-02-fishpond-lease.md"
    shutil.copy(notice, notice.with_name("2026-02-fishpond-lease-again.md"))
    read: list[Path] = []

    def counted(path: Path) -> str:
        read.append(path)
        return file_sha256(path)

    monkeypatch.setattr("gongkai.trust.seal.file_sha256", counted)
    assert cli("build", "--site", site, "--today", TODAY2)[0] == 0
    public = site / "public"
    assert (public / "qingshan/affairs/2026-02-fishpond-lease-again.html").is_file()
    assert read == []  # every digest came from what the build wrote or carried
    monkeypatch.undo()
    assert (public / "history/manifest.sha256").read_bytes() == manifest(public)


def test_counts_of_one_are_said_in_the_singular(corrected, sealed):
    assert "1 new version," in corrected.seal[1]
    out = cli("verify", corrected.site / "public", "--since", sealed.kept)[1]
    assert "entries added since: 1; none changed" in out
