"""``gongkai verify DIR``: check a downloaded copy of a sealed site, offline.

Independent of the site's own build: every file of the copy against the manifest (any
file outside it, a dot-file or a symbolic link among them, is a problem), the manifest
against the checkpoint, the log against the checkpoint's root hash, the checkpoint's
signature by the county's key, and every seal's checkpoint (verifyseals.py). Given an
earlier checkpoint a resident kept, also that the log only grew since.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from gongkai.core.filehash import file_sha256
from gongkai.core.i18n import N_, Msg
from gongkai.model.addresses import (
    SEAL_CHECKPOINT,
    SEAL_CHECKPOINTS,
    SEAL_KEY,
    SEAL_LOG,
    SEAL_MANIFEST,
    SEAL_SIGNATURE,
    checkpoint_name,
    signature_name,
)
from gongkai.read.sitefolder import MARKER, MARKER_TEXT
from gongkai.trust import signing
from gongkai.trust.checkpoint import Checkpoint, HistoryError, parse_checkpoint, root_of
from gongkai.trust.log import Entry, parse_entry
from gongkai.trust.verifyseals import (
    Kept,
    Verdict,
    check_every_seal,
    check_growth,
    copy_key,
    read_text,
    unreadable,
)

log = logging.getLogger(__name__)

LISTED_PROBLEMS = 20  # files named one by one before the rest are counted

__all__ = ["Verdict", "verify_site"]


def verify_site(folder: Path, key_line: str | None = None, since: Kept | None = None
                ) -> Verdict:
    """Check a copy of a sealed site (``key_line``: the county's public key, when the
    resident has it from elsewhere; ``since``: an earlier checkpoint kept)."""
    verdict = Verdict()
    try:
        checkpoint_text = read_text(folder / SEAL_CHECKPOINT)
        checkpoint = parse_checkpoint(checkpoint_text, SEAL_CHECKPOINT)
    except FileNotFoundError:
        verdict.problems.append(Msg.of(N_(
            "{file} is missing: this copy of the site was never sealed, or it is incomplete"),
            file=SEAL_CHECKPOINT))
        return verdict
    except (HistoryError, OSError, UnicodeDecodeError) as exc:
        verdict.problems.append(unreadable(SEAL_CHECKPOINT, exc))
        return verdict
    verdict.site = Msg.of(N_("Checking a copy of the site {origin}, as sealed on {date} "
                             "(seal {seal})"), origin=checkpoint.origin,
                          date=checkpoint.date.isoformat(), seal=checkpoint.seal)
    _check_files(folder, checkpoint, verdict)
    read = _check_log(folder, checkpoint, verdict)
    _check_signature(folder, checkpoint_text, key_line, verdict)
    if read is not None:
        lines, entries = read
        check_every_seal(folder, checkpoint, lines, entries, key_line, verdict)
        if since is not None:
            check_growth(since, checkpoint, lines, key_line or copy_key(folder), verdict)
    return verdict


def _check_files(folder: Path, checkpoint: Checkpoint, verdict: Verdict) -> None:
    """Check the manifest against the checkpoint, then every file of the copy against the
    manifest."""
    try:
        listed = (folder / SEAL_MANIFEST).read_bytes()
    except OSError as exc:
        verdict.problems.append(unreadable(SEAL_MANIFEST, exc))
        return
    if hashlib.sha256(listed).hexdigest() != checkpoint.manifest:
        verdict.problems.append(Msg.of(N_(
            "{file} is not the manifest seal {seal} signed: the files of this copy are not "
            "the site as sealed on {date}"), file=SEAL_MANIFEST, seal=checkpoint.seal,
            date=checkpoint.date.isoformat()))
    expected: dict[str, str] = {}
    for line in listed.decode("utf-8", "replace").splitlines():
        digest, _, path = line.partition("  ")
        expected[path] = digest
    wrong: list[Msg] = []
    for path, digest in sorted(expected.items()):
        wrong += _check_listed(folder, path, digest)
    wrong += _unlisted(folder, set(expected), checkpoint.seal)
    verdict.problems += wrong[:LISTED_PROBLEMS]
    if len(wrong) > LISTED_PROBLEMS:
        verdict.problems.append(Msg.of(N_("… and {count} more files"),
                                       count=len(wrong) - LISTED_PROBLEMS))
    if not wrong:
        verdict.passed.append(Msg.of(N_("{count} files match the manifest"),
                                     count=len(expected)))


def _check_listed(folder: Path, path: str, digest: str) -> list[Msg]:
    """Check one file the manifest lists; a path leading outside the copy is a problem."""
    parts = PurePosixPath(path).parts
    if not parts or PurePosixPath(path).is_absolute() or ".." in parts or "\\" in path:
        return [Msg.of(N_("{file} is listed in the manifest but is not a path inside the "
                          "copy"), file=path[:200])]
    target = folder / path
    try:
        if _linked(folder, path):
            return []  # said once, by _unlisted
        if not target.is_file():
            return [Msg.of(N_("{file} is missing"), file=path[:200])]
        if file_sha256(target) != digest:
            return [Msg.of(N_("{file} differs from the manifest"), file=path)]
    except OSError as exc:  # a name too long for the file system, say: say why, once
        return [Msg.of(N_("{file} cannot be read: {error}"), file=path[:200],
                       error=exc.strerror)]
    return []


def _linked(folder: Path, path: str) -> bool:
    """Tell whether a path of the copy, or a folder on the way to it, is a symbolic link."""
    here = folder
    for part in PurePosixPath(path).parts:
        here = here / part
        if here.is_symlink():
            return True
    return False


def _unlisted(folder: Path, listed: set[str], seals: int) -> list[Msg]:
    """Name every file of the copy the manifest does not list and no seal vouches for,
    hidden ones included; and every symbolic link, which a copy of files never holds."""
    found = []
    for path, kind in sorted(_walk(folder)):
        if kind == "link":
            found.append(Msg.of(N_("{file} is a symbolic link: a copy of the site holds only "
                                   "files, and what a link points to was never sealed"),
                                file=path))
        elif kind == "other":
            found.append(Msg.of(N_("{file} is not a file: a copy of the site holds only "
                                   "files"), file=path))
        elif path not in listed and not _vouched(folder, path, seals):
            found.append(Msg.of(N_("{file} is not in the manifest: it was added to this copy "
                                   "after the seal"), file=path))
    return found


def _walk(folder: Path) -> Iterator[tuple[str, str]]:
    """Yield every entry of the copy below its folder as (path, "file" / "link" / "other"),
    never following a link (so a link to / or a loop is named, not entered)."""
    for here, dirs, files in os.walk(folder):
        relative = Path(here).relative_to(folder)
        for name in sorted(dirs):
            if (Path(here) / name).is_symlink():
                dirs.remove(name)
                yield (relative / name).as_posix(), "link"
        for name in sorted(files):
            path = Path(here) / name
            kind = "link" if path.is_symlink() else "file" if path.is_file() else "other"
            yield (relative / name).as_posix(), kind


def _vouched(folder: Path, path: str, seals: int) -> bool:
    """Tell whether an unlisted file is one the seal itself vouches for: the manifest, the
    checkpoints and their signatures (checked on their own), and the build's marker."""
    if path in (SEAL_MANIFEST, SEAL_CHECKPOINT, SEAL_SIGNATURE):
        return True
    if path == MARKER:
        return (folder / MARKER).read_bytes() == MARKER_TEXT
    if not path.startswith(SEAL_CHECKPOINTS):
        return False
    name = path[len(SEAL_CHECKPOINTS):]
    return any(name in (checkpoint_name(seal), signature_name(seal))
               for seal in range(1, seals + 1))


def _check_log(folder: Path, checkpoint: Checkpoint, verdict: Verdict
               ) -> tuple[list[str], list[Entry]] | None:
    """Check the log against the checkpoint's size and root; return its lines and entries."""
    try:
        lines = read_text(folder / SEAL_LOG).splitlines()
        entries = [parse_entry(line, number) for number, line in enumerate(lines, start=1)]
    except (HistoryError, OSError, UnicodeDecodeError) as exc:
        verdict.problems.append(unreadable(SEAL_LOG, exc))
        return None
    if len(lines) != checkpoint.size or root_of(lines) != checkpoint.root:
        verdict.problems.append(Msg.of(N_(
            "{file} does not hash to the root of seal {seal}: the log was altered"),
            file=SEAL_LOG, seal=checkpoint.seal))
        return None
    verdict.passed.append(Msg.of(N_(
        "the log's {size} entries hash to the root of seal {seal} of {date}: {short}"),
        size=checkpoint.size, seal=checkpoint.seal, date=checkpoint.date.isoformat(),
        short=checkpoint.short))
    return lines, entries


def _any_signed(folder: Path) -> bool:
    """Tell whether any seal's checkpoint in the copy is signed."""
    checkpoints = folder / SEAL_CHECKPOINTS
    return checkpoints.is_dir() and any(checkpoints.glob("*.txt.sig"))


def _check_signature(folder: Path, text: str, key_line: str | None, verdict: Verdict) -> None:
    """Check the checkpoint's signature by the county's key."""
    try:
        armored = read_text(folder / SEAL_SIGNATURE, "ascii")
    except FileNotFoundError:
        if key_line or copy_key(folder) or _any_signed(folder):
            # A county that signs always signs: a copy with its key, or with signed
            # seals before, and no signature now was tampered with (or is incomplete).
            verdict.problems.append(Msg.of(N_(
                "{file} is missing: the checkpoint is not signed"), file=SEAL_SIGNATURE))
        else:
            verdict.passed.append(Msg(N_("the seal is not signed (the county has no key)")))
        return
    except (OSError, UnicodeDecodeError) as exc:
        verdict.problems.append(unreadable(SEAL_SIGNATURE, exc))
        return
    line = key_line or copy_key(folder)
    if not line:
        verdict.problems.append(Msg.of(N_(
            "{file} is missing: give the county's public key with --key"), file=SEAL_KEY))
        return
    try:
        public = signing.parse_public_key(line)
        signing.verify(public, text.encode(), armored)
    except signing.SigningError as exc:
        verdict.problems.append(exc.message)
        return
    if key_line:
        verdict.passed.append(Msg.of(N_("the signature is valid, by the key you gave: {key}"),
                                     key=signing.fingerprint(public)))
    else:
        verdict.passed.append(Msg.of(N_(
            "the signature is valid, by the key this copy carries: {key}; compare it with "
            "the fingerprint the county posts on the wall, or pass that key with --key"),
            key=signing.fingerprint(public)))
