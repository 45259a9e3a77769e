"""Replaying a build: when no input looks changed since the last one, show its report again.

The cheapest build is one that reads nothing. Before loading, a build takes a signature
of every input: the name, size, change times and inode of the configuration, every file
and folder under ``content/``, ``history/`` and the layouts, the generator's code and the
options.
When it equals the signature the last successful build into the same output folder
recorded, the date it was built for is still today, and every output file is still the
one recorded, the site that build would write is already there: its warnings are shown
again and nothing is loaded or rendered.

As git does with its index, a signature taken while some input had changed within the
last seconds is not recorded: a write in the same clock tick as the build's read could
hide behind equal time stamps. Anything else falls back to the content-keyed build.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gongkai.build.write import MARKER
from gongkai.core.cache import Cache, OutputRecord, code_digest
from gongkai.core.errors import Problem
from gongkai.read.sitefolder import CONFIG_FILE, CONTENT_DIR, HISTORY_DIR, layout_dirs

log = logging.getLogger(__name__)

# An input changed less than this long before the signature is too fresh to vouch for.
RACY_SECONDS = 2


@dataclass(frozen=True)
class Signature:
    """What every input of a build looked like just before it was read."""

    digest: bytes
    racy: bool  # some input changed within RACY_SECONDS: not to be recorded


@dataclass(frozen=True)
class Recorded:
    """What a successful build left to replay: its signature, date and report."""

    digest: bytes
    today: date
    timezone: str
    pinned: bool  # the date came from --today or site.today, not from the clock
    problems: tuple[Problem, ...]
    pages: int
    files: int


def take(root: Path, out: Path, today: date | None, strict: bool) -> Signature:
    """Take the signature of a site's inputs and of the options of this build."""
    hasher = hashlib.sha256(code_digest().encode())
    hasher.update(repr((str(out.resolve()), today, strict)).encode())
    newest = 0
    folders = [("content", root / CONTENT_DIR), ("history", root / HISTORY_DIR)]
    folders += [(f"layouts{index}", folder) for index, folder in enumerate(layout_dirs(root))]
    newest = max(newest, _feed(hasher, CONFIG_FILE, root / CONFIG_FILE))
    for label, folder in folders:
        newest = max(newest, _walk(hasher, label, folder))
    racy = newest >= time.time_ns() - RACY_SECONDS * 1_000_000_000
    return Signature(hasher.digest(), racy)


def _walk(hasher: hashlib._Hash, label: str, folder: Path) -> int:
    """Feed a folder's entries, depth first in name order; return the newest change time."""
    newest = _feed(hasher, label, folder)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return newest
    for entry in entries:
        name = f"{label}/{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            newest = max(newest, _walk(hasher, name, Path(entry.path)))
        else:
            newest = max(newest, _feed(hasher, name, Path(entry.path)))
    return newest


def _feed(hasher: hashlib._Hash, name: str, path: Path) -> int:
    """Feed one entry's name and stat (following links); return its newest change time."""
    try:
        stat = path.stat()
    except OSError:
        hasher.update(f"{name}\0missing\n".encode("utf-8", "surrogateescape"))
        return 0
    hasher.update(f"{name}\0{stat.st_mode}\0{stat.st_size}\0{stat.st_mtime_ns}\0"
                  f"{stat.st_ctime_ns}\0{stat.st_ino}\n".encode("utf-8", "surrogateescape"))
    return max(stat.st_mtime_ns, stat.st_ctime_ns)


def recorded(cache: Cache, out: Path, signature: Signature,
             today: date | None) -> Recorded | None:
    """Return the last build's record when this build would be the same one."""
    found = cache.get_parsed(_key(out))
    if not isinstance(found, Recorded) or found.digest != signature.digest:
        return None
    if not found.pinned and today is None and _today(found.timezone) != found.today:
        log.info("the date changed since the last build: notices may have changed status")
        return None
    return found


def record(cache: Cache, out: Path, signature: Signature, done: Recorded) -> None:
    """Keep a successful build's record for replaying (unless its signature is too fresh)."""
    if signature.racy:
        log.info("an input changed moments before the build: its record is not kept")
        return
    cache.put_parsed(_key(out), done)


def recorded_outputs(cache: Cache, out: Path) -> dict[str, OutputRecord]:
    """Return the records of the build now in ``out``, if it is one of Gongkai's."""
    if not (out / MARKER).is_file():
        return {}
    return cache.outputs(out)


def _key(out: Path) -> str:
    """Name the record of an output folder in the cache."""
    return "replay:" + hashlib.sha256(str(out.resolve()).encode("utf-8",
                                                               "surrogateescape")).hexdigest()


def _today(timezone: str) -> date | None:
    """Return today's date in a time zone."""
    try:
        return datetime.now(ZoneInfo(timezone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return None
