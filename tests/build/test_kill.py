"""Killing a build at any moment leaves the output folder a complete earlier build."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path

from tests.helpers.cli import start_build
from tests.helpers.sites import copy_sample, snapshot

REPO = Path(__file__).resolve().parent.parent.parent
RUNS = 20


def wait_for_staging(folder: Path, process: subprocess.Popen[bytes]) -> bool:
    """Wait until a build starts writing its staging folder (False if it ended first)."""
    while process.poll() is None:
        if any(folder.glob(".public.building-*")):
            return True
        time.sleep(0.001)
    return False


def test_killing_a_build_at_random_moments_never_loses_the_site(tmp_path):
    sites = [copy_sample(tmp_path / name, name) for name in ("甲县", "乙县")]
    expected = []
    for index, site in enumerate(sites):
        assert start_build(site, tmp_path / f"reference-{index}").wait() == 0
        expected.append(snapshot(tmp_path / f"reference-{index}"))
    assert expected[0] != expected[1]
    out = tmp_path / "public"
    assert start_build(sites[0], out).wait() == 0
    # Time the kind of build every run below starts: the other site into the same output,
    # with a warm cache. A build of the site already in public/ would replay in a blink.
    started = time.perf_counter()
    process = start_build(sites[1], out)
    assert wait_for_staging(tmp_path, process)
    staged = time.perf_counter()
    assert process.wait() == 0
    finished = time.perf_counter()
    duration, writing = finished - started, finished - staged
    rng = random.Random(20251127)
    outcomes = []
    for run in range(RUNS):
        process = start_build(sites[1 - expected.index(snapshot(out))], out)
        if run % 2:
            # Half the runs die while the new site is being written or swapped in.
            assert wait_for_staging(tmp_path, process), f"run {run}: no staging folder seen"
            time.sleep(rng.uniform(0, 1.2) * writing)
        else:
            time.sleep(rng.uniform(0.1, 1.1) * duration)  # anywhere from start-up on
        process.send_signal(signal.SIGKILL)
        outcomes.append(process.wait())
        assert snapshot(out) in expected, f"run {run}: public/ is not a complete build"
    assert outcomes.count(-signal.SIGKILL) >= RUNS // 2
    # The next build tidies whatever a killed one left beside the output.
    assert start_build(sites[0], out).wait() == 0
    assert snapshot(out) == expected[0]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
