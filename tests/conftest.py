"""Shared fixtures: write a small site into a temporary folder and build it."""

from __future__ import annotations

import os
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from gongkai.build.options import Options
from gongkai.build.pipeline import build
from gongkai.cli.main import main
from tests.helpers import browser
from tests.helpers.sites import BASE_FILES, REPO, MakeSite

# On CI property tests draw the same examples every run, so a failure there is not luck;
# locally they explore anew each time.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
    settings.load_profile("ci")



@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """Return a function writing a site: the base files, changed by keyword overrides.

    ``make_site({"content/x/village.yaml": "..."})`` adds or replaces files; a value of
    None removes a base file.
    """

    def make(files: dict[str, str | bytes | None] | None = None, base: bool = True) -> Path:
        root = tmp_path / "site"
        merged: dict[str, str | bytes | None] = {**(BASE_FILES if base else {}), **(files or {})}
        for name, text in merged.items():
            if text is None:
                continue
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""

    def invoke(*args: str | Path) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the sample county (the repository's own content) once; return its output."""
    out = tmp_path_factory.mktemp("sample") / "public"
    assert not build(Options(REPO, out)).failed
    return out


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Launch Debian's Chromium once per run (skip loudly, or fail on CI, without it)."""
    browser.require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=browser.CHROMIUM,
                                              args=browser.CHROMIUM_ARGS)
        yield launched
        launched.close()


_STARTED = time.time()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say where the screenshots went, or shout that the browser tests did not run."""
    # Counted on disk: with several workers the screenshots are taken in other processes.
    shots = [p for p in browser.SCREENSHOTS.glob("*.png") if p.stat().st_mtime >= _STARTED] \
        if browser.SCREENSHOTS.is_dir() else []
    if shots:
        terminalreporter.write_line(
            f"{len(shots)} screenshots written to {browser.SCREENSHOTS}", bold=True)
    reason = browser.unavailable()
    if reason is not None:
        terminalreporter.write_line(f"BROWSER TESTS NOT RUN: {reason}", red=True, bold=True)
