"""Live preview: which edits count, and a real server that rebuilds, reloads and shows errors."""

from __future__ import annotations

import http.client
import json
import logging
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from gongkai.build.options import Options
from gongkai.build.pipeline import build
from gongkai.clerk.hosting import EVENTS_PATH, SCRIPT_TAG, host_allowed, request_path
from gongkai.clerk.serve import Preview, Server, is_relevant
from gongkai.read.text import printable
from tests.helpers.sites import BASE_FILES, LEDGER, REPO


@pytest.mark.parametrize(("relative", "relevant"), [
    ("content/qingshan/finance/2025-03.yaml", True),
    ("content/qingshan/affairs/新公示.md", True),
    ("content/qingshan/notes.txt", True),                 # the build warns about it
    ("layouts/board.html", True),
    ("history/log.jsonl", True),                          # a seal from another terminal
    ("site_config.yaml", True),
    ("public/index.html", False),                         # the output
    (".gongkai-cache/cache.sqlite", False),
    (".git/index", False),                                # hidden folders
    ("tests/build/test_build.py", False),                       # not part of the site
    ("content/qingshan/.village.yaml.swp", False),        # vim
    ("content/qingshan/village.yaml~", False),            # emacs, gedit
    ("content/qingshan/#village.yaml#", False),
    ("content/qingshan/4913", False),                     # vim's write test
    ("content/qingshan/finance/2025-03.yaml.tmp", False),
    ("content/qingshan/files/scan.pdf.crdownload", False),  # a download under way
    ("README.md", False),
])
def test_which_edits_trigger_a_rebuild(tmp_path, relative, relevant):
    site = tmp_path / "site"
    assert is_relevant(str(site / relative), site) is relevant


def test_a_path_outside_the_site_is_ignored(tmp_path):
    assert not is_relevant(str(tmp_path / "preview" / "index.html"), tmp_path / "site")


def test_the_loader_skips_what_the_watcher_ignores(make_site):
    """One rule for both: a swap file in content/ neither rebuilds nor is warned about."""
    root = make_site({"content/qingshan/.village.yaml.swp": "x",
                      "content/qingshan/finance/2025-03.yaml.part": "x"})
    result = build(Options(root, root.parent / "out"))
    assert not result.failed and not result.report.warnings


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


def test_a_reload_names_only_the_pages_an_edit_changed(make_site):
    root = make_site()
    with running(root, []) as server:
        events = Events(server.url + EVENTS_PATH[1:])
        time.sleep(0.3)
        ledger = root / "content/qingshan/finance/2025-03.yaml"
        ledger.write_text(LEDGER.replace("item: 路灯维修", "item: 路灯维修（东段）"),
                          encoding="utf-8")
        name, data = events.next()
        assert name == "reload"
        paths = json.loads(data)["paths"]
        assert "qingshan/finance/2025-03.html" in paths
        assert "qingshan/profile.html" not in paths and "qingshan/venue.html" not in paths
        # A save that changes no page (the same bytes) reloads nothing.
        ledger.write_text(ledger.read_text(encoding="utf-8"), encoding="utf-8")
        with pytest.raises(queue.Empty):
            events.next(timeout=3)


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


def serve_in(root: Path, **env: str) -> tuple[subprocess.Popen[str], re.Match[str]]:
    """Start ``python build.py serve`` in a site folder on a free port; return it and its
    address once it has said where it serves."""
    environment = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1", **env}
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", "0"],
                               cwd=root, env=environment, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, encoding="utf-8")
    started = ""
    while (url := re.search(r"http://127\.0\.0\.1:\d+/", started)) is None:
        line = process.stdout.readline()
        assert line, started + process.stderr.read()
        started += line
    return process, url


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_stopped_preview_removes_its_folder(make_site, tmp_path, stop):
    """Ctrl-C, a service manager's stop or a closed terminal: the private folder goes."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    process, url = serve_in(make_site(), TMPDIR=str(temporary))
    assert "期末结余 161,139.50 元" in fetch(url[0] + "qingshan/finance/2025-03.html")
    [folder] = temporary.glob("gongkai-preview-*")
    process.send_signal(stop)
    out, errors = process.communicate(timeout=20)
    assert process.returncode == 0 and "Traceback" not in errors, errors
    assert out.rstrip().endswith("已停止。")
    assert not folder.exists()


def test_serve_started_inside_the_site_folder_follows_edits(make_site):
    """As the docs say to run it: ``python build.py serve`` from the site folder, no --site."""
    root = make_site({".git/HEAD": "ref: refs/heads/main\n", "public/old.html": "old",
                      "tests/test_x.py": ""})
    process, url = serve_in(root)
    try:
        events = Events(url[0] + EVENTS_PATH[1:])
        time.sleep(0.3)
        ledger = root / "content/qingshan/finance/2025-03.yaml"
        saved = time.perf_counter()
        ledger.write_text(LEDGER.replace("161139.50", "161139.51"), encoding="utf-8")
        name, data = events.next(timeout=2)
        assert name == "problems" and "closing_balance：期末结余 161139.51 不等于" in data
        assert time.perf_counter() - saved < 2
        saved = time.perf_counter()
        ledger.write_text(LEDGER.replace("amount: 12000.00", "amount: 13000.00").replace(
            "161139.50", "162139.50"), encoding="utf-8")
        assert events.next(timeout=2)[0] == "reload"
        assert time.perf_counter() - saved < 2
        assert "期末结余 162,139.50 元" in fetch(url[0] + "qingshan/finance/2025-03.html")
        (root / ".git/index").write_text("x")          # none of these wakes the watcher
        (root / "tests/test_y.py").write_text("")
        (root / "public/other.html").write_text("x")
        with pytest.raises(queue.Empty):
            events.next(timeout=1)
    finally:
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=20)
    assert process.returncode == 0
    assert "watched root" not in errors and "Traceback" not in errors, errors
    assert (root / "public/old.html").read_text() == "old"   # public/ is build's alone


@pytest.mark.parametrize(("target", "path"), [
    ("/", "/"),
    ("/qingshan/", "/qingshan/"),
    ("/qingshan?x=1#top", "/qingshan"),
    ("/qingshan/affairs/%E9%81%93%E8%B7%AF.html", "/qingshan/affairs/道路.html"),
    ("/a%20b", "/a b"),
    ("/a/./b", "/a/./b"),
    ("/%00", None),                                 # NUL, escaped
    ("/a\x00b", None),                               # NUL, raw
    ("/a\x1b[31m", None),                            # a terminal escape
    ("/%1b", None),
    ("/%zz", None),                                 # not an escape
    ("/%", None),
    ("/%e9%81", None),                              # not UTF-8
    ("/%ff", None),
    ("/../etc/passwd", None),
    ("/qingshan/..%2f..%2fetc/passwd", None),
    ("/a%5c..%5cb", None),                          # a backslash: a separator on Windows
    ("/" + "a" * 2100, None),                       # overlong
    ("http://evil.example/", None),                 # not a path
    ("*", None),
    ("", None),
])
def test_request_paths(target, path):
    assert request_path(target) == path


@pytest.mark.parametrize(("header", "bound", "allowed"), [
    ("127.0.0.1:8000", "127.0.0.1", True),
    ("localhost:8000", "127.0.0.1", True),
    ("LOCALHOST:8000", "127.0.0.1", True),
    ("[::1]:8000", "127.0.0.1", True),
    ("192.168.1.20:8000", "0.0.0.0", True),         # a phone on the clerk's network
    ("clerk-pc:8000", "clerk-pc", True),            # the name given with --host
    ("evil.example:8000", "127.0.0.1", False),      # DNS rebinding
    ("evil.example:8000", "0.0.0.0", False),
    ("localhost.evil.example:8000", "127.0.0.1", False),
    ("127.0.0.1.nip.io:8000", "127.0.0.1", False),
    ("localhost:8001", "127.0.0.1", False),         # another port
    ("localhost", "127.0.0.1", False),              # port 80
    ("localhost:", "127.0.0.1", False),
    ("localhost:80:8000", "127.0.0.1", False),
    ("localhost:+8000", "127.0.0.1", False),
    ("::1:8000", "127.0.0.1", False),               # IPv6 without brackets
    ("[::1", "127.0.0.1", False),
    ("[evil.example]:8000", "127.0.0.1", False),
    (":8000", "127.0.0.1", False),
    ("", "127.0.0.1", False),
    (None, "127.0.0.1", True),                      # HTTP/1.0: only this machine reaches it
    (None, "::1", True),
    (None, "localhost", True),
    (None, "0.0.0.0", False),
    (None, "192.168.1.20", False),
])
def test_hosts_the_preview_answers(header, bound, allowed):
    assert host_allowed(header, bound, 8000) is allowed


def test_port_80_may_go_unsaid():
    assert host_allowed("localhost", "127.0.0.1", 80)


def test_printable_escapes_what_would_drive_a_terminal():
    assert (printable("GET /\x1b[2J\x00\x9b\u202e\n 中文", one_line=True)
            == "GET /\\u001b[2J\\u0000\\u009b\\u202e\\u000a 中文")


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One preview of the test site for the request tests, which change nothing."""
    root = tmp_path_factory.mktemp("preview") / "site"
    for name, text in BASE_FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    with running(root, []) as server:
        yield server


def ask(server: Server, request: bytes,
        method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes to the server; return the status, headers and body it answers."""
    port = server.http.server_address[1]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        response = http.client.HTTPResponse(connection, method=method)
        response.begin()
        return response.status, dict(response.getheaders()), response.read()


def get(server: Server, target: str, host: str | None = "127.0.0.1:{port}",
        method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """Send one request line, with a Host header unless it is None."""
    port = server.http.server_address[1]
    head = f"{method} {target} HTTP/1.1\r\n"
    head += f"Host: {host.format(port=port)}\r\n" if host is not None else ""
    return ask(server, (head + "Connection: close\r\n\r\n").encode("latin-1"), method)


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}"])
def test_the_preview_answers_its_own_addresses(preview, host):
    status, _, body = get(preview, "/qingshan/", host)
    assert status == 200 and SCRIPT_TAG.encode() in body


@pytest.mark.parametrize("host", ["evil.example:{port}", "evil.example", "localhost:1",
                                  "127.0.0.1.evil.example:{port}"])
def test_other_hosts_are_refused(preview, host):
    status, headers, body = get(preview, "/qingshan/", host)
    assert status == 403
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert body.decode() == f"已拒绝：预览只应答发给它本身地址的请求，例如 {preview.url}\n"
    status, _, body = get(preview, EVENTS_PATH, host)  # nor do build events reach them
    assert status == 403 and b"event" not in body


def test_http_1_0_without_host_is_answered_on_loopback(preview):
    status, _, body = ask(preview, b"GET /qingshan/ HTTP/1.0\r\n\r\n")
    assert status == 200 and SCRIPT_TAG.encode() in body


def test_http_1_1_needs_one_host(preview):
    assert get(preview, "/", None)[0] == 400
    port = preview.http.server_address[1]
    twice = f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example\r\n\r\n"
    assert ask(preview, twice.encode())[0] == 400


@pytest.mark.parametrize("target", [
    "/%00", "/qingshan/%00index.html", "/a\x00b", "/%zz", "/%", "/%e9", "/%c0%af",
    "/qingshan/%1b[2J", "/../../../../etc/passwd", "/qingshan/..%2f..%2f..%2fetc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd", "/a%5c..%5c..%5cetc", "/" + "a" * 3000,
])
def test_odd_requests_get_400(preview, target, caplog):
    with caplog.at_level(logging.DEBUG, logger="gongkai.clerk.serve"):
        status, headers, body = get(preview, target)
    assert status == 400
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert body.decode() == "请求无效：网址格式不正确。\n"
    assert not [r for r in caplog.records if r.exc_info], "no traceback, even in the log"
    assert not any("\x1b" in r.getMessage() or "\x00" in r.getMessage()
                   for r in caplog.records), "control characters are escaped in the log"


def test_an_overlong_request_line_is_refused_without_a_traceback(preview, caplog):
    with caplog.at_level(logging.DEBUG, logger="gongkai.clerk.serve"):
        status = get(preview, "/" + "a" * 70000)[0]
    assert status == 414
    assert not [r for r in caplog.records if r.exc_info]


def test_a_file_name_too_long_for_the_file_system_is_not_found(preview):
    assert get(preview, "/" + "a" * 1000 + ".html")[0] == 404


def test_a_folder_without_its_slash_redirects_to_it(preview):
    status, headers, _ = get(preview, "/qingshan")
    assert status == 301 and headers["Location"] == "/qingshan/"
    status, headers, _ = get(preview, "/qingshan/affairs?sort=date")
    assert status == 301 and headers["Location"] == "/qingshan/affairs/?sort=date"
    status, headers, body = get(preview, "/qingshan", method="HEAD")
    assert status == 301 and body == b""


def test_pages_files_and_head_requests(preview):
    status, headers, body = get(preview, "/qingshan/affairs/%E9%81%93%E8%B7%AF%E7%A1%AC%E5%8C%96"
                                         "%E5%85%AC%E7%A4%BA.html")
    assert status == 200 and SCRIPT_TAG.encode() in body
    status, headers, body = get(preview, "/qingshan/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    assert get(preview, "/robots.txt")[0] in (200, 404)
    assert get(preview, "/no-such-page.html")[0] == 404
    status, headers, body = get(preview, "/__gongkai/live.js")
    assert status == 200 and b"EventSource" in body


def test_request_lines_are_logged_without_control_characters(preview, caplog):
    with caplog.at_level(logging.DEBUG, logger="gongkai.clerk.serve"):
        get(preview, "/qingshan/\x1b]0;owned\x07")
    messages = [r.getMessage() for r in caplog.records]
    assert any("\\u001b]0;owned\\u0007" in m for m in messages)
    assert not any("\x1b" in m or "\x07" in m for m in messages)
