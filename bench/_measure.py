"""Run one command in a fresh process and measure its wall time and memory (for county.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.1
_PROC = Path("/proc")


@dataclass(frozen=True)
class Run:
    """The outcome of one measured command."""

    seconds: float
    cpu_seconds: float  # user + system time of the process and all its children
    peak_mb: float  # the largest single process of the tree (the kernel's ru_maxrss)
    tree_mb: float | None  # the largest sampled sum of RSS over the tree; None without /proc
    returncode: int
    stdout: Path
    stderr: Path

    def tail(self, lines: int = 15) -> str:
        """The last lines of the command's stderr and stdout, to show why it failed."""
        text = []
        for path in (self.stderr, self.stdout):
            content = path.read_text(encoding="utf-8", errors="replace").splitlines()
            text.extend(content[-lines:])
        return "\n".join(text)


def maxrss_mb(maxrss: int) -> float:
    """Convert ru_maxrss to megabytes: kilobytes on Linux, bytes on macOS."""
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def _children(pid: int) -> Iterator[int]:
    """The direct children of a process, from every one of its threads (Linux)."""
    try:
        tasks = list((_PROC / str(pid) / "task").iterdir())
    except OSError:
        return
    for task in tasks:
        try:
            text = (task / "children").read_text()
        except OSError:
            continue
        yield from (int(child) for child in text.split())


def _rss_bytes(pid: int) -> int:
    """The resident set of one process in bytes, or 0 when it is gone."""
    try:
        fields = (_PROC / str(pid) / "statm").read_text().split()
    except OSError:
        return 0
    return int(fields[1]) * os.sysconf("SC_PAGE_SIZE")


def tree_rss_bytes(root: int) -> int:
    """The summed resident set of a process and all its descendants (Linux)."""
    total, pending, seen = 0, [root], set()
    while pending:
        pid = pending.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += _rss_bytes(pid)
        pending.extend(_children(pid))
    return total


class _TreeSampler(threading.Thread):
    """Samples the summed RSS of a process tree until stopped; keeps the largest."""

    def __init__(self, pid: int) -> None:
        """Prepare to watch the tree rooted at pid."""
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        """Sample every SAMPLE_SECONDS until told to stop."""
        while not self.done.wait(SAMPLE_SECONDS):
            self.peak = max(self.peak, tree_rss_bytes(self.pid))


def measure(command: Sequence[str], cwd: Path, logs: Path,
            env: Mapping[str, str] | None = None) -> Run:
    """Run command to the end with its output in logs.{out,err}; time it and weigh it."""
    out_path, err_path = logs.with_suffix(".out"), logs.with_suffix(".err")
    logs.parent.mkdir(parents=True, exist_ok=True)
    sampling = (_PROC / "self" / "statm").exists()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        began = time.perf_counter()
        process = subprocess.Popen(list(command), cwd=cwd, stdout=out, stderr=err,
                                   env=dict(env) if env is not None else None)
        sampler = _TreeSampler(process.pid)
        if sampling:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - began
        sampler.done.set()
        if sampling:
            sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    peak = maxrss_mb(usage.ru_maxrss)
    tree = sampler.peak / (1024 * 1024) if sampling else None
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, peak, tree, process.returncode, out_path, err_path)
