"""Live preview: build into a private folder, serve it, rebuild on every edit.

The preview never touches ``public/``: it builds into a temporary folder with the same
atomic swap as ``build``, so the server only ever serves a complete site. Pages get a
small script, injected while serving (never written to disk), that listens for
Server-Sent Events: "reload" after a good rebuild, "problems" with the error list after
a failed one (the last good site stays underneath the overlay).
"""

from __future__ import annotations

import http.server
import json
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePath
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from gongkai.errors import Report
from gongkai.i18n import N_, translations
from gongkai.pipeline import Options, Result, build

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 0.15  # a burst of saves (editor swap files, "save all") is one rebuild
WATCHED = ("content", "layouts", "site_config.yaml")
# Files editors write beside the real one while saving.
_TEMP_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".part", ".bak", "~", ".crdownload")
EVENTS_PATH = "/__gongkai/events"
SCRIPT_PATH = "/__gongkai/live.js"
SCRIPT_TAG = f'<script src="{SCRIPT_PATH}"></script>'
LIVE_SCRIPT = """(function () {
  var box = null;
  function show(lines, title) {
    if (!box) {
      box = document.createElement('div');
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;inset:0;z-index:99;overflow:auto;background:#fff;' +
        'color:#1a1a1a;border:6px solid #a61b1b;padding:1rem;font:1rem/1.6 system-ui,sans-serif';
      document.body.appendChild(box);
    }
    box.textContent = '';
    var h = document.createElement('h2');
    h.textContent = title;
    box.appendChild(h);
    lines.forEach(function (line) {
      var p = document.createElement('p');
      p.textContent = line;
      p.style.borderBottom = '1px solid #d8d2c4';
      box.appendChild(p);
    });
  }
  var source = new EventSource('/__gongkai/events');
  source.addEventListener('reload', function () { location.reload(); });
  source.addEventListener('problems', function (event) {
    var data = JSON.parse(event.data);
    show(data.lines, data.title);
  });
})();
"""


def is_relevant(path: str, site: Path, ignored: tuple[Path, ...]) -> bool:
    """Tell whether a changed path can change the site (not temp, hidden or output files)."""
    changed = Path(path)
    if any(changed == folder or folder in changed.parents for folder in ignored):
        return False
    try:
        relative = PurePath(changed.resolve().relative_to(site.resolve()))
    except ValueError:
        return False
    if not relative.parts or relative.parts[0] not in WATCHED:
        return False
    name = relative.name
    if any(part.startswith(".") for part in relative.parts) or name.startswith(("~", "#")):
        return False
    return not (name.endswith(_TEMP_SUFFIXES) or name.isdigit())  # vim writes "4913"


@dataclass
class State:
    """What the server tells open pages: a build generation and the current problems."""

    generation: int = 0
    problems: list[str] = field(default_factory=list)
    title: str = ""
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, problems: list[str], title: str) -> None:
        """Record a finished rebuild and wake every waiting page."""
        with self.changed:
            self.generation += 1
            self.problems, self.title = problems, title
            self.changed.notify_all()


class Preview:
    """A site being previewed: its private output folder, its state, its rebuilds."""

    def __init__(self, site: Path, today: date | None, language: str,
                 on_report: Callable[[Result], None]) -> None:
        self.site, self.today, self.language = site, today, language
        self.out = Path(tempfile.mkdtemp(prefix="gongkai-preview-")) / "site"
        self.state = State()
        self.on_report = on_report
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def rebuild(self) -> Result:
        """Build into the preview folder; publish the outcome to open pages."""
        with self._lock:
            started = time.perf_counter()
            result = build(Options(self.site, self.out, self.today))
            tr = translations(self.language)
            lines = [p.render(tr) for p in Report(result.report.errors).sorted()]
            title = tr.gettext(N_("The site was not rebuilt: fix these problems"))
            self.state.publish(lines, title)
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


class _Watcher(FileSystemEventHandler):
    def __init__(self, preview: Preview, ignored: tuple[Path, ...]) -> None:
        self.preview, self.ignored = preview, ignored

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Schedule a rebuild for a change (or move, or deletion) that matters."""
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
        if any(p and is_relevant(p, self.preview.site, self.ignored) for p in paths):
            self.preview.schedule()


def make_handler(preview: Preview) -> type[http.server.SimpleHTTPRequestHandler]:
    """Build the request handler: the preview folder, the live script and the events."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(preview.out), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug(format, *args)

        def do_GET(self) -> None:
            if self.path == EVENTS_PATH:
                self._events()
            elif self.path == SCRIPT_PATH:
                self._send(LIVE_SCRIPT.encode(), "text/javascript; charset=utf-8")
            else:
                path = Path(self.translate_path(self.path))
                page = path / "index.html" if path.is_dir() else path
                if page.suffix == ".html" and page.is_file():
                    html = page.read_text(encoding="utf-8")
                    self._send(html.replace("</body>", SCRIPT_TAG + "</body>", 1).encode(),
                               "text/html; charset=utf-8")
                else:
                    super().do_GET()

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

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
                    seen = state.generation
                    if state.problems:
                        self._event("problems", {"title": state.title, "lines": state.problems})
                    else:
                        self._event("reload", {})
            except (BrokenPipeError, ConnectionResetError):
                return

        def _event(self, name: str, data: dict[str, Any]) -> None:
            payload = json.dumps(data, ensure_ascii=False)
            self.wfile.write(f"event: {name}\ndata: {payload}\n\n".encode())
            self.wfile.flush()

    return Handler


class Server:
    """The preview: a first build, the HTTP server and the file watcher, started together."""

    def __init__(self, preview: Preview, host: str, port: int) -> None:
        self.preview = preview
        self.http = http.server.ThreadingHTTPServer((host, port), make_handler(preview))
        self.http.daemon_threads = True
        self.observer = Observer()
        ignored = (preview.out.parent, (preview.site / "public").resolve())
        self.observer.schedule(_Watcher(preview, ignored), str(preview.site), recursive=True)

    @property
    def url(self) -> str:
        """Return the address the preview is served at."""
        host, port = self.http.server_address[:2]
        return f"http://{host!s}:{port!s}/"

    def start(self) -> None:
        """Build once, then serve and watch in background threads."""
        self.preview.rebuild()
        self.observer.start()
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop watching and serving, and remove the preview folder."""
        self.observer.stop()
        self.observer.join(timeout=5)
        self.http.shutdown()
        self.http.server_close()
        self.preview.close()
