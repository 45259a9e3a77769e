"""Live preview: which edits count, and a real server that rebuilds, reloads and shows errors."""

from __future__ import annotations

import queue
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from gongkai.serve import EVENTS_PATH, SCRIPT_TAG, Preview, Server, is_relevant
from tests.conftest import LEDGER


@pytest.mark.parametrize(("relative", "relevant"), [
    ("content/qingshan/finance/2025-03.yaml", True),
    ("content/qingshan/affairs/新公示.md", True),
    ("layouts/board.html", True),
    ("site_config.yaml", True),
    ("public/index.html", False),                         # the output
    (".git/index", False),                                # hidden folders
    ("content/qingshan/.village.yaml.swp", False),        # vim
    ("content/qingshan/village.yaml~", False),            # emacs, gedit
    ("content/qingshan/#village.yaml#", False),
    ("content/qingshan/4913", False),                     # vim's write test
    ("content/qingshan/finance/2025-03.yaml.tmp", False),
    ("README.md", False),                                 # not part of the site
])
def test_which_edits_trigger_a_rebuild(tmp_path, relative, relevant):
    site = tmp_path / "site"
    assert is_relevant(str(site / relative), site, (site / "public",)) is relevant


def test_the_preview_folder_itself_is_ignored(tmp_path):
    preview = tmp_path / "preview"
    assert not is_relevant(str(preview / "index.html"), tmp_path, (preview,))


class Events:
    """Read a Server-Sent Events stream in the background."""

    def __init__(self, url: str) -> None:
        self.queue: queue.Queue[tuple[str, str]] = queue.Queue()
        self.stream = urllib.request.urlopen(url, timeout=30)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        name = ""
        for raw in self.stream:
            line = raw.decode("utf-8").rstrip("\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                self.queue.put((name, line[6:]))

    def next(self, timeout: float = 10) -> tuple[str, str]:
        return self.queue.get(timeout=timeout)


@contextmanager
def running(root: Path, reports: list[Any]) -> Iterator[Server]:
    """Run a preview of a site on a free port for the length of a test."""
    server = Server(Preview(root, None, "zh-CN", reports.append), "127.0.0.1", 0)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_editing_a_ledger_shows_the_error_then_reloads_with_the_new_figure(make_site):
    root = make_site()
    reports: list[Any] = []
    with running(root, reports) as server:
        page_url = server.url + "qingshan/finance/2025-03.html"
        page = fetch(page_url)
        assert SCRIPT_TAG in page and "期末结余 161,139.50 元" in page
        events = Events(server.url + EVENTS_PATH[1:])
        time.sleep(0.3)  # let the watcher and the event stream settle
        ledger = root / "content/qingshan/finance/2025-03.yaml"
        ledger.write_text(LEDGER.replace("161139.50", "161139.51"), encoding="utf-8")
        name, data = events.next()
        assert name == "problems"
        assert ("content/qingshan/finance/2025-03.yaml:9:18: 错误：closing_balance：期末结余 "
                "161139.51 不等于") in data
        assert "期末结余 161,139.50 元" in fetch(page_url)          # the last good site stays
        started = time.perf_counter()
        fixed = LEDGER.replace("amount: 12000.00", "amount: 13000.00").replace(
            "161139.50", "162139.50")
        ledger.write_text(fixed, encoding="utf-8")
        assert events.next()[0] == "reload"
        assert time.perf_counter() - started < 5
        assert "期末结余 162,139.50 元" in fetch(page_url)
    assert not (root / "public").exists()                  # public/ belongs to build alone
    assert not server.preview.out.exists()
    assert len(reports) == 3 and reports[1].failed and not reports[2].failed


def test_a_burst_of_saves_gives_one_rebuild(make_site):
    root = make_site()
    reports: list[Any] = []
    with running(root, reports):
        time.sleep(0.3)
        ledger = root / "content/qingshan/finance/2025-03.yaml"
        for _ in range(5):
            ledger.write_text(LEDGER, encoding="utf-8")
            (root / "content/qingshan/.finance.swp").write_text("x")
        time.sleep(1.5)
    assert len(reports) == 2  # the first build and one rebuild


def test_a_deleted_file_is_rebuilt_without_it(make_site):
    root = make_site()
    with running(root, []) as server:
        events = Events(server.url + EVENTS_PATH[1:])
        time.sleep(0.3)
        Path(root / "content/qingshan/party/2025-03-party-day.md").unlink()
        assert events.next()[0] == "reload"
        assert "2025年3月主题党日活动" not in fetch(server.url + "qingshan/index.html")
