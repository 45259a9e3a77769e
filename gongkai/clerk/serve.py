"""Live preview: build into a private folder, serve it, rebuild on every edit.

The preview never touches ``public/``: it builds into a temporary folder with the same
atomic swap as ``build``, so the server only ever serves a complete site. Pages get a
small script, injected while serving (never written to disk), that listens for
Server-Sent Events: "reload" after a good rebuild, "problems" with the error list after
a failed one (the last good site stays underneath the overlay). Which requests it answers
is decided in ``hosting``.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import logging
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from gongkai.build.options import Options, Result
from gongkai.build.pipeline import build
from gongkai.clerk.hosting import (
    BAD_REQUEST,
    EVENTS_PATH,
    LIVE_SCRIPT,
    SCRIPT_PATH,
    SCRIPT_TAG,
    WRONG_HOST,
    host_allowed,
    request_path,
    url_of,
)
from gongkai.core.errors import Report
from gongkai.core.i18n import N_, translations
from gongkai.model.addresses import HOME
from gongkai.read.sitefolder import INPUT_FOLDERS, read_by_build
from gongkai.read.text import printable

log = logging.getLogger(__name__)


DEBOUNCE_SECONDS = 0.15  # a burst of saves (editor swap files, "save all") is one rebuild


def is_relevant(path: str, site: Path) -> bool:
    """Tell whether a changed path can change the site (what the loader reads)."""
    return read_by_build(site, Path(path))


@dataclass
class State:
    """What the server tells open pages: a build generation and the current problems."""

    generation: int = 0
    problems: list[str] = field(default_factory=list)
    title: str = ""
    changed: threading.Condition = field(default_factory=threading.Condition)
    pages: list[str] | None = None  # the pages the last rebuild changed (None: any)

    def publish(self, problems: list[str], title: str, pages: list[str] | None = None) -> None:
        """Record a finished rebuild and wake every waiting page."""
        with self.changed:
            self.generation += 1
            self.problems, self.title, self.pages = problems, title, pages
            self.changed.notify_all()

    def reload_for(self, seen: int) -> list[str] | None:
        """Return the pages to reload for a page that last saw build ``seen`` (None: all)."""
        return self.pages if self.generation == seen + 1 else None


class Preview:
    """A site being previewed: its private output folder, its state, its rebuilds."""

    def __init__(self, site: Path, today: date | None, language: str,
                 on_report: Callable[[Result], None]) -> None:
        # Absolute, so the watcher's paths compare with it wherever serve was started.
        self.site, self.today, self.language = site.resolve(), today, language
        self.before_build: Callable[[], None] = lambda: None
        self.out = Path(tempfile.mkdtemp(prefix="gongkai-preview-")) / "site"
        self.state = State()
        self.on_report = on_report
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def rebuild(self) -> Result:
        """Build into the preview folder; publish the outcome to open pages."""
        with self._lock:
            self.before_build()
            started = time.perf_counter()
            result = build(Options(self.site, self.out, self.today))
            tr = translations(self.language)
            lines = [p.render(tr) for p in Report(result.report.errors).sorted()]
            title = tr.gettext(N_("The site was not rebuilt: fix these problems"))
            pages = sorted(p for p in (*result.made, *result.removed) if p.endswith(".html"))
            self.state.publish(lines, title, pages)
            log.info("rebuilt in %.2f s", time.perf_counter() - started)
            self.on_report(result)
            return result

    def schedule(self) -> None:
        """Rebuild once the edits have settled (each new edit restarts the wait)."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(DEBOUNCE_SECONDS, self.rebuild)
        self._timer.daemon = True
        self._timer.start()

    def close(self) -> None:
        """Stop pending rebuilds and remove the preview folder."""
        if self._timer is not None:
            self._timer.cancel()
        shutil.rmtree(self.out.parent, ignore_errors=True)


class _Handler(FileSystemEventHandler):
    def __init__(self, preview: Preview) -> None:
        self.preview = preview

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Schedule a rebuild for a change (or move, or deletion) that matters."""
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
        if any(p and is_relevant(p, self.preview.site) for p in paths):
            self.preview.schedule()


class Watcher:
    """Watch only what a build reads: the site folder itself (not below it) for
    ``site_config.yaml``, and each of ``content/``, ``layouts/`` and ``history/`` whole.

    Not the whole site folder: ``.git``, ``public/``, ``tests/`` and the cache would wake
    the watcher for nothing, and a large repository costs one inotify watch per folder.
    A watched folder created, or replaced (``git checkout``), after the start is watched
    from the next rebuild on, which its own creation triggers.
    """

    def __init__(self, preview: Preview) -> None:
        self.preview, self.observer = preview, Observer()
        self.handler = _Handler(preview)
        self.observer.schedule(self.handler, str(preview.site), recursive=False)
        self.folders: dict[Path, tuple[int, ObservedWatch]] = {}
        self.refresh()
        preview.before_build = self.refresh

    def refresh(self) -> None:
        """Watch each input folder that exists now, and forget those that went away."""
        for name in INPUT_FOLDERS:
            folder = self.preview.site / name
            try:
                inode = folder.stat().st_ino if folder.is_dir() else 0
            except OSError:
                inode = 0
            known = self.folders.get(folder)
            if known is not None and known[0] == inode:
                continue
            if known is not None:
                with contextlib.suppress(KeyError):  # its emitter may have ended with it
                    self.observer.unschedule(known[1])
                del self.folders[folder]
            if inode:
                watch = self.observer.schedule(self.handler, str(folder), recursive=True)
                self.folders[folder] = (inode, watch)

    def start(self) -> None:
        """Start watching in a background thread."""
        self.observer.start()

    def stop(self) -> None:
        """Stop watching."""
        self.observer.stop()
        self.observer.join(timeout=5)


def make_handler(preview: Preview,
                 host: str = "127.0.0.1") -> type[http.server.SimpleHTTPRequestHandler]:
    """Build the request handler: the preview folder, the live script and the events."""
    tr = translations(preview.language)

    class Handler(http.server.SimpleHTTPRequestHandler):
        # http.server's own errors (bad request line, unknown method) in plain text too.
        error_content_type = "text/plain; charset=utf-8"
        error_message_format = "%(code)d %(message)s\n"

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(preview.out), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("%s", printable(format % args, one_line=True))

        def do_GET(self) -> None:
            self._answer(head=False)

        def do_HEAD(self) -> None:
            self._answer(head=True)

        def _answer(self, head: bool) -> None:
            """Answer a request addressed to the preview; refuse anything odd."""
            path = self._accepted()
            if path is None:
                return
            if path == EVENTS_PATH and not head:
                self._events()
            elif path == SCRIPT_PATH:
                self._send(LIVE_SCRIPT.encode(), "text/javascript; charset=utf-8", head)
            else:
                self._file(path, head)

        def _accepted(self) -> str | None:
            """Return the decoded path of a request for this preview, or refuse it."""
            port: int = self.connection.getsockname()[1]  # the port this request came to
            hosts = self.headers.get_all("Host") or []
            if len(hosts) > 1 or (not hosts and self.request_version >= "HTTP/1.1"):
                self._refuse(400, tr.gettext(BAD_REQUEST))
                return None
            if not host_allowed(hosts[0] if hosts else None, host, port):
                shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
                self._refuse(403, tr.gettext(WRONG_HOST).format(url=url_of(shown, port)))
                return None
            path = request_path(self.path)
            if path is None:
                self._refuse(400, tr.gettext(BAD_REQUEST))
            return path

        def _file(self, path: str, head: bool) -> None:
            """Serve a page (with the live script), redirect a folder to its slash, or a file."""
            root = preview.out.resolve()
            target = root.joinpath(*(part for part in path.split("/") if part))
            try:
                folder = target.is_dir()
                page = target / HOME if folder else target
                inside = page.resolve().is_relative_to(root)
                html = page.read_text(encoding="utf-8") if inside and \
                    page.suffix == ".html" and page.is_file() else None
            except (OSError, UnicodeDecodeError):  # a name too long for the file system
                folder, inside, html = False, False, None
            if not inside:
                self.send_error(404)
            elif folder and not path.endswith("/"):
                # Like any web server, so that the page's relative links resolve.
                query = self.path.partition("?")[2]
                self._redirect(quote(path + "/") + (f"?{query}" if query else ""))
            elif html is not None:
                self._send(html.replace("</body>", SCRIPT_TAG + "</body>", 1).encode(),
                           "text/html; charset=utf-8", head)
            elif head:
                super().do_HEAD()
            else:
                super().do_GET()

        def _send(self, body: bytes, kind: str, head: bool = False) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _redirect(self, location: str) -> None:
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _refuse(self, code: int, text: str) -> None:
            """Answer with an error status and a short plain-text reason, then hang up."""
            body = f"{text}\n".encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self.close_connection = True

        def _events(self) -> None:
            """Stream build outcomes to one page until it goes away."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            state = preview.state
            seen = state.generation
            try:
                if state.problems:
                    self._event("problems", {"title": state.title, "lines": state.problems})
                while True:
                    with state.changed:
                        if state.generation == seen:
                            state.changed.wait(timeout=15)
                    if state.generation == seen:
                        self.wfile.write(b": keep-alive\n\n")
                        self.wfile.flush()
                        continue
                    pages = state.reload_for(seen)
                    seen = state.generation
                    if state.problems:
                        self._event("problems", {"title": state.title, "lines": state.problems})
                    elif pages is None or pages:
                        self._event("reload", {"paths": pages})
            except (BrokenPipeError, ConnectionResetError):
                return

        def _event(self, name: str, data: dict[str, Any]) -> None:
            payload = json.dumps(data, ensure_ascii=False)
            self.wfile.write(f"event: {name}\ndata: {payload}\n\n".encode())
            self.wfile.flush()

    return Handler


class _HTTPServer(http.server.ThreadingHTTPServer):
    """The threading HTTP server, on IPv6 too; a dropped connection is logged, not printed."""

    daemon_threads = True

    def __init__(self, host: str, port: int,
                 handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host.strip("[]"), port), handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("request from %s failed", client_address, exc_info=True)


class Server:
    """The preview: a first build, the HTTP server and the file watcher, started together."""

    def __init__(self, preview: Preview, host: str, port: int) -> None:
        self.preview, self.host = preview, host
        self.http = _HTTPServer(host, port, make_handler(preview, host.strip("[]")))
        self.watcher = Watcher(preview)

    @property
    def url(self) -> str:
        """Return the address the preview is served at."""
        return url_of(self.host.strip("[]") or "127.0.0.1", int(self.http.server_address[1]))

    def start(self) -> None:
        """Build once, then serve and watch in background threads."""
        self.preview.rebuild()
        self.watcher.start()
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop watching and serving, and remove the preview folder."""
        self.watcher.stop()
        self.http.shutdown()
        self.http.server_close()
        self.preview.close()
