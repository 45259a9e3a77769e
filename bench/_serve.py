"""Time the live preview: from saving a file to the page being updated (for county.py).

The preview (``gongkai serve``) runs in its own process; once it has built the county and
said where it serves, one edit is saved and the time runs until the preview's event
stream says the site was rebuilt (``reload``) and the edited page, fetched over HTTP,
shows the change. CPU seconds are those the preview's process and its children spent in
that interval (``/proc``); memory is the largest summed RSS of its process tree then.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path

from _measure import Run, tree_rss_bytes

EVENTS = "__gongkai/events"
TIMEOUT = 600.0  # a county's first build, on a slow machine


def _cpu_seconds(pid: int) -> float:
    """User and system time of a process and its waited-for children (Linux)."""
    fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def _until(predicate: Callable[[], bool], timeout: float) -> None:
    """Wait until predicate() holds, polling; stop the benchmark when it never does."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit("the preview did not answer in time")
        time.sleep(0.005)


def time_serve(site: Path, page: str, edit: Callable[[], object], needle: Callable[[], str],
               logs: Path, env: Mapping[str, str]) -> Run:
    """Start the preview of site, save one edit, and measure until page shows needle()."""
    out_path, err_path = logs.with_suffix(".out"), logs.with_suffix(".err")
    logs.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "gongkai", "serve", "--site", str(site), "--port", "0"]
    with err_path.open("wb") as err:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, env=dict(env),
                                   text=True, encoding="utf-8")
        try:
            return _measure_edit(process, page, edit, needle, out_path, err_path)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)


def _measure_edit(process: subprocess.Popen[str], page: str, edit: Callable[[], object],
                  needle: Callable[[], str], out_path: Path, err_path: Path) -> Run:
    """Wait for the preview's address, then time one edit to an updated page."""
    assert process.stdout is not None
    told = ""
    while (found := re.search(r"http://\S+?:\d+/", told)) is None:
        line = process.stdout.readline()
        if not line:
            raise SystemExit(f"the preview stopped:\n{told}")
        told += line
    url = found[0]
    out_path.write_text(told, encoding="utf-8")
    events = urllib.request.urlopen(url + EVENTS, timeout=TIMEOUT)
    time.sleep(0.5)  # let the watcher settle, as a clerk's editor would
    began, cpu = time.perf_counter(), _cpu_seconds(process.pid)
    peak = tree_rss_bytes(process.pid)
    edit()
    wanted = needle()
    for raw in events:
        peak = max(peak, tree_rss_bytes(process.pid))
        if raw.startswith(b"event: reload"):
            break
        if raw.startswith(b"event: problems"):
            raise SystemExit("the edit broke the site")

    def shows() -> bool:
        with urllib.request.urlopen(url + page, timeout=TIMEOUT) as response:
            return wanted in response.read().decode("utf-8")

    _until(shows, TIMEOUT)
    seconds = time.perf_counter() - began
    cpu = _cpu_seconds(process.pid) - cpu
    events.close()
    return Run(seconds, cpu, peak / (1024 * 1024), peak / (1024 * 1024), 0, out_path, err_path)
