"""Write the output folder so that it is only ever a complete build.

Everything is written into a fresh sibling folder; only when all of it is on disk is it
exchanged with the old output in one atomic step (Linux), or, elsewhere, the old output
moved aside and the new one renamed into place. A run that finds the output missing but
a moved-aside build present (a crash mid-swap) restores it first.

One build at a time writes an output folder: each holds a lock on the file
``.<name>.gongkai-lock`` beside it from before recovery until after the swap, so recovery
never deletes a folder another build is still writing. The lock is an ``flock``
(``msvcrt.locking`` on Windows, polled), which the system drops when its process dies, so
even ``kill -9`` leaves no stale lock. A second build waits for the first, and can say so:
the lock file holds the holder's PID. The holder removes the file as it lets go (on
Windows only if no other build has it open). Gongkai marks every folder it stages with
``MARKER`` (written first; a moved-aside output has it already), and recovery only ever
removes marked (or empty) folders, never one of the user's that merely has a similar name.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from gongkai.core.i18n import N_
from gongkai.read.sitefolder import MARKER as MARKER
from gongkai.read.sitefolder import MARKER_TEXT

log = logging.getLogger(__name__)

# For the CLI to tell a clerk why a build pauses (``on_wait``); {path} is the output.
WAITING = N_("Another build (process {pid}) is writing {path}; waiting for it to finish...")
WAITING_UNKNOWN = N_("Another build is writing {path}; waiting for it to finish...")
_PID_BYTES = 32
_WINDOWS_LOCK_OFFSET = 1 << 20  # msvcrt locks are mandatory: keep the PID bytes readable
_WINDOWS_POLL_SECONDS = 0.2

WaitCallback = Callable[[int | None], None]


class UnsafeOutput(Exception):
    """The output folder holds files Gongkai did not write; replacing it would lose them."""


def check_output(out: Path, site_root: Path) -> None:
    """Refuse an output folder that is the site itself or holds someone else's files."""
    out_abs, root_abs = out.resolve(), site_root.resolve()
    if out_abs == root_abs or out_abs in root_abs.parents or \
            any(root_abs / name in (out_abs, *out_abs.parents)
                for name in ("content", "layouts")):
        raise UnsafeOutput(str(out))
    if out.exists() and not out.is_dir():
        raise UnsafeOutput(str(out))
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise UnsafeOutput(str(out))


def lock_path(out: Path) -> Path:
    """Return the lock file of an output folder (beside it, hidden, named for Gongkai)."""
    # Not plain ".public.lock": another tool's lock of that name must not be removed.
    return out.parent / f".{out.name}.gongkai-lock"


@contextlib.contextmanager
def output_lock(out: Path, on_wait: WaitCallback | None = None) -> Iterator[None]:
    """Hold the lock of an output folder; if another build holds it, tell ``on_wait``, then wait."""
    out.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(out)
    told = False
    while True:
        # Never through a link: the PID written into it would overwrite another file.
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        try:
            if not _try_lock(fd):
                if not told and on_wait is not None:
                    on_wait(_read_pid(fd))
                told = True
                _lock(fd)
            if _is_current(fd, path):
                break
        except BaseException:
            os.close(fd)
            raise
        # The holder removed this file as it let go, and a third build may already hold
        # a new one: a lock on the old file would not exclude it.
        os.close(fd)
    try:
        _write_pid(fd)
        yield
    finally:
        _release(fd, path)


def recover(out: Path) -> None:
    """Restore the last complete build if a swap was interrupted, and drop leftovers.

    Call it only while holding ``output_lock``: then no other build is writing.
    """
    parent = out.parent
    if not parent.is_dir():
        return
    aside = sorted(_leftovers(out, "old"))
    if not out.exists() and not out.is_symlink():
        complete = [folder for folder in aside if (folder / MARKER).is_file()]
        if complete:
            log.debug("restoring the last complete build from %s", complete[-1])
            complete[-1].rename(out)
            aside.remove(complete[-1])
    for leftover in [*aside, *_leftovers(out, "building")]:
        _remove(leftover)


@dataclass
class Staging:
    """A new build being written beside the output; ``commit`` puts it in place."""

    path: Path
    out: Path
    committed: bool = False

    def commit(self) -> None:
        """Swap the finished build in for the old one (in one atomic step where possible)."""
        os.chmod(self.path, 0o755)  # mkdtemp makes it private; a web server must read it
        _swap(self.path, self.out)
        self.committed = True


@contextlib.contextmanager
def staging_folder(out: Path, site_root: Path) -> Iterator[Staging]:
    """Recover, check ``out``, and stage a new build beside it; drop it unless committed.

    Hold ``output_lock(out)`` around it: recovery assumes no other build is writing.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    check_output(out, site_root)
    staging = Staging(Path(tempfile.mkdtemp(prefix=f".{out.name}.building-",
                                            dir=out.parent)), out)
    try:
        # First, so that a run killed at any later moment leaves a folder recover()
        # knows as Gongkai's.
        _write(staging.path / MARKER, MARKER_TEXT)
        yield staging
    except BaseException:
        if not staging.committed:
            _remove(staging.path)
        raise
    if not staging.committed:
        _remove(staging.path)


def write_output(out: Path, site_root: Path, files: Iterable[tuple[str, bytes]],
                 copies: Iterable[tuple[str, Path]],
                 on_wait: WaitCallback | None = None) -> None:
    """Write generated files and copy source files, then swap the result into ``out``.

    If another build is writing ``out``, call ``on_wait`` once with its PID (None if
    unknown) and wait for it to finish.
    """
    with output_lock(out, on_wait), staging_folder(out, site_root) as staging:
        for relative, data in files:
            _write(staging.path / relative, data)
        for relative, source in copies:
            target = staging.path / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        staging.commit()


def _leftovers(out: Path, kind: str) -> list[Path]:
    """List the staging (``building``) or moved-aside (``old``) folders Gongkai left."""
    prefix = f".{out.name}.{kind}-"
    try:
        found = [p for p in out.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return []
    return [p for p in found if _is_ours(p)]


def _is_ours(folder: Path) -> bool:
    """Tell whether a folder was made by Gongkai: it holds the marker, or nothing at all.

    An empty one is a run killed right after creating it; removing it loses nothing.
    """
    if folder.is_symlink() or not folder.is_dir():
        return False
    try:
        return (folder / MARKER).is_file() or not any(folder.iterdir())
    except OSError:
        return False


def _remove(folder: Path) -> None:
    """Delete a folder of Gongkai's, its marker last, so a run killed midway leaves it marked."""
    try:
        for child in folder.iterdir():
            if child.name == MARKER:
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        (folder / MARKER).unlink(missing_ok=True)
        folder.rmdir()
    except OSError as exc:
        log.debug("could not remove %s: %s", folder, exc)


def _is_current(fd: int, path: Path) -> bool:
    """Tell whether an open lock file is still the one at its path."""
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


def _read_pid(fd: int) -> int | None:
    """Read the PID the holder of a lock wrote into its file (None if not yet written)."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, _PID_BYTES).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


def _write_pid(fd: int) -> None:
    """Record this process as the holder, for a build that has to wait."""
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, f"{os.getpid()}\n".encode("ascii"))


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        """Take the lock if it is free; return False if another process holds it."""
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _lock(fd: int) -> None:
        """Wait for the lock (msvcrt's own blocking mode gives up after ten seconds)."""
        while not _try_lock(fd):
            time.sleep(_WINDOWS_POLL_SECONDS)

    def _release(fd: int, path: Path) -> None:
        """Let go of the lock, then remove its file unless another build has it open."""
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        os.close(fd)
        with contextlib.suppress(OSError):  # refused while a waiting build has it open
            path.unlink()
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        """Take the lock if it is free; return False if another process holds it."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _lock(fd: int) -> None:
        """Wait for the lock."""
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _release(fd: int, path: Path) -> None:
        """Remove the lock file while still holding it, then let go (closing drops it)."""
        try:
            if _is_current(fd, path):
                path.unlink()
        finally:
            os.close(fd)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2 with RENAME_EXCHANGE).

    Return False where the system or the file system cannot, so the caller falls back.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without renameat2 (glibc < 2.28, musl)
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second),
                 rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _write(path: Path, data: bytes) -> None:
    """Write one file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _swap(staging: Path, out: Path) -> None:
    """Put the finished build in place of the old one."""
    if not out.exists():
        staging.rename(out)
        return
    if _exchange(staging, out):
        _remove(staging)  # it now holds the previous build
        return
    # Without an atomic exchange there is a moment with no output folder; recover()
    # restores the moved-aside build if the run dies right then.
    aside = out.parent / f".{out.name}.old-{os.getpid()}"
    out.rename(aside)
    try:
        staging.rename(out)
    except OSError:
        aside.rename(out)  # put the last good build back before reporting the failure
        raise
    _remove(aside)
