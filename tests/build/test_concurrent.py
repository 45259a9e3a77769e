"""Two builds into one output folder: one waits for the other, and neither breaks the site."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gongkai.build.write import MARKER, write_output
from tests.helpers.cli import start_build
from tests.helpers.sites import copy_sample, snapshot

PAIRS = 50
PHOTOS = 400  # what makes one site's writing long: a second build can overtake it


def small_site(target: Path, title: str, photos: int = 0) -> Path:
    """Copy the sample county down to one village without QR codes, so a build is quick."""
    site = copy_sample(target, title)
    for village in (site / "content").iterdir():
        if village.name != "qingshan":
            shutil.rmtree(village)
    config = site / "site_config.yaml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    config.write_text("".join(line for line in lines if not line.startswith("  base_url:")),
                      encoding="utf-8")
    album = site / "content/qingshan/files/photos"
    album.mkdir()
    for number in range(photos):
        (album / f"{number:03d}.jpg").write_bytes(b"\xff\xd8\xff" + f"{number} ".encode() * 2000)
    return site


def start(site: Path, out: Path, log: Path) -> subprocess.Popen[bytes]:
    """Start a build in its own process, its output going to a log file."""
    with log.open("wb") as sink:
        return subprocess.Popen([sys.executable, "-m", "gongkai", "build", "--site", str(site),
                                 "--out", str(out)], stdout=sink, stderr=subprocess.STDOUT)


def leftovers(folder: Path) -> list[str]:
    """Name what a build left beside its output: staging, moved-aside or lock files."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_fifty_pairs_of_builds_at_random_offsets_leave_a_complete_site(tmp_path):
    # Without the lock, a build that starts writing while the other is writing deletes
    # the other's staging folder; the site is left broken when the build it damaged is
    # the one that finishes last, as the one with many more files to write often does.
    sites = [small_site(tmp_path / "甲县", "甲县", PHOTOS), small_site(tmp_path / "乙县", "乙县")]
    expected = []
    started = time.perf_counter()
    for index, site in enumerate(sites):
        assert start_build(site, tmp_path / f"reference-{index}").wait() == 0
        expected.append(snapshot(tmp_path / f"reference-{index}"))
    duration = (time.perf_counter() - started) / 2  # one build, start-up included
    assert expected[0] != expected[1]
    out = tmp_path / "public"
    rng = random.Random(20251128)
    for pair in range(PAIRS):
        first, second = rng.sample(sites, 2)
        logs = [tmp_path / "first.log", tmp_path / "second.log"]
        processes = [start(first, out, logs[0])]
        time.sleep(rng.random() ** 2 * duration)  # up to one build apart, often close
        processes.append(start(second, out, logs[1]))
        codes = [process.wait() for process in processes]
        told = [log.read_text(encoding="utf-8", errors="replace") for log in logs]
        assert codes == [0, 0], f"pair {pair}: exit codes {codes}: {told}"
        assert snapshot(out) in expected, f"pair {pair}: public/ is not a complete build"
        assert leftovers(tmp_path) == [], f"pair {pair}: left {leftovers(tmp_path)}"
        for log in logs:
            log.unlink()


# A build that has started writing `out` and pauses until its stdin closes.
SLOW_BUILD = """\
import sys
from pathlib import Path
from gongkai.build.write import write_output

def files():
    yield "first.html", b"first"
    print("writing", flush=True)
    sys.stdin.read()
    yield "second.html", b"first"

write_output(Path(sys.argv[1]), Path(sys.argv[2]), files(), [])
"""


def test_a_second_build_is_told_the_first_ones_pid_then_waits(tmp_path):
    out, site = tmp_path / "public", tmp_path / "site"
    first = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(out), str(site)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert first.stdin is not None and first.stdout is not None
    assert first.stdout.readline() == b"writing\n"
    told: list[int | None] = []

    def on_wait(pid: int | None) -> None:
        told.append(pid)
        try:
            [staging] = tmp_path.glob(".public.building-*")
            assert (staging / "first.html").is_file()  # the first build's work is untouched
        finally:
            assert first.stdin is not None
            first.stdin.close()  # let the first build finish

    write_output(out, site, [("index.html", b"second")], [], on_wait=on_wait)
    assert first.wait() == 0
    assert told == [first.pid]
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html"]
    assert leftovers(tmp_path) == []


def test_a_free_output_does_not_call_on_wait(tmp_path):
    told: list[int | None] = []
    write_output(tmp_path / "public", tmp_path / "site", [("index.html", b"x")], [],
                 on_wait=told.append)
    assert told == []


@pytest.mark.parametrize("atomic", [True, False])
def test_folders_gongkai_did_not_make_survive_a_build(tmp_path, monkeypatch, atomic):
    if not atomic:
        monkeypatch.setattr("gongkai.build.write._exchange", lambda _first, _second: False)
    out, site = tmp_path / "public", tmp_path / "site"
    theirs = {}
    for name in (".public.building-x", ".public.old-y", ".public.old-notes"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "notes.txt").write_text(f"precious {name}")
        theirs[name] = snapshot(tmp_path / name)
    (tmp_path / ".public.old-link").symlink_to(tmp_path / ".public.old-y")
    # With no output at all, a build must not take someone's ".public.old-…" for its own.
    write_output(out, site, [("index.html", b"one")], [])
    write_output(out, site, [("index.html", b"two")], [])
    assert (out / "index.html").read_bytes() == b"two"
    for name, files in theirs.items():
        assert snapshot(tmp_path / name) == files, name
    assert (tmp_path / ".public.old-link").is_symlink()


def test_what_a_killed_build_left_is_tidied(tmp_path):
    out, site = tmp_path / "public", tmp_path / "site"
    write_output(out, site, [("index.html", b"one")], [])
    staging = tmp_path / ".public.building-killed"       # killed while writing
    (staging / "qingshan").mkdir(parents=True)
    (staging / MARKER).write_text("")
    (staging / "qingshan/index.html").write_text("half")
    (tmp_path / ".public.building-empty").mkdir()       # killed right after creating it
    out.rename(tmp_path / ".public.old-123")           # killed between the two renames
    write_output(out, site, [("index.html", b"two")], [])
    assert (out / "index.html").read_bytes() == b"two"
    assert leftovers(tmp_path) == []


def test_the_lock_file_is_gongkais_own(tmp_path):
    out, site = tmp_path / "public", tmp_path / "site"
    (tmp_path / ".public.lock").write_text("another tool's lock")
    precious = tmp_path / "precious.txt"
    precious.write_text("precious")
    (tmp_path / ".public.gongkai-lock").symlink_to(precious)
    with pytest.raises(OSError):  # never written through a link
        write_output(out, site, [("index.html", b"x")], [])
    assert precious.read_text() == "precious"
    (tmp_path / ".public.gongkai-lock").unlink()
    write_output(out, site, [("index.html", b"x")], [])
    assert (tmp_path / ".public.lock").read_text() == "another tool's lock"
    assert not (tmp_path / ".public.gongkai-lock").exists()
