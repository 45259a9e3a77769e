"""A real browser for the tests: Debian's Chromium driven by Playwright, offline.

Locally a missing browser skips the browser tests loudly; on CI (``CI=true``) or with
``GONGKAI_REQUIRE_BROWSER=1`` it fails them, so CI can never pass without having run them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
# The flags front-end.md asks for: no sandbox as root, and no calls home that this
# machine's closed network would refuse many times over.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
REPO = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = Path(os.environ.get("GONGKAI_SCREENSHOTS", REPO / "test-artifacts" / "screenshots"))


def browser_required() -> bool:
    """Tell whether a missing browser must fail the run rather than skip."""
    flags = (os.environ.get("CI", ""), os.environ.get("GONGKAI_REQUIRE_BROWSER", ""))
    return any(v.lower() in ("1", "true", "yes") for v in flags)


def unavailable() -> str | None:
    """Say why browser tests cannot run here, or None when they can."""
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed: pip install -e '.[test]'"
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM}: apt-get install -y chromium fonts-noto-cjk"
    if shutil.which("fc-list"):
        fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
        if not fonts.stdout.strip():
            return "no Chinese font, so screenshots would show boxes: apt-get install -y fonts-noto-cjk"
    return None


def require_browser() -> None:
    """Skip loudly, or fail on CI, when the browser tests cannot run."""
    reason = unavailable()
    if reason is None:
        return
    message = f"BROWSER TESTS NOT RUN: {reason}"
    if browser_required():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output clean."""


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder over HTTP on a free loopback port; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def screenshot(page: object, name: str) -> Path:
    """Save a full-page screenshot for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# Each text node's own font size, and the links and buttons a finger must hit; links in
# a clerk's running text (.prose) are exempt from the target size, as WCAG 2.5.8 exempts
# inline links; every link the theme draws is not.
MEASURE = """() => {
  const seen = (el) => el.getClientRects().length > 0 && !el.closest('.visually-hidden, .skip');
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !seen(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 18) small.push(`${el.tagName} ${size}px: ${el.textContent.trim().slice(0, 30)}`);
  }
  const tiny = [];
  for (const el of document.querySelectorAll('a[href], button, summary')) {
    if (!seen(el) || el.closest('.prose')) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 43.5 || r.height < 43.5)
      tiny.push(`${el.textContent.trim().slice(0, 30)}: ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  const body = getComputedStyle(document.body);
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    small, tiny,
    lineHeight: parseFloat(body.lineHeight) / parseFloat(body.fontSize),
    text: document.body.innerText,
  };
}"""
