"""``gongkai verify``, the seals of a copy: every seal's checkpoint against the log, the
chain of checkpoints, their signatures; and an earlier checkpoint a resident kept.

Each checkpoint the copy carries (``history/checkpoints/0001.txt`` …) must hash to the
start of the log, carry the number and date its entries do, name the checkpoint before it
and, once a seal was signed, be signed too: so the seal hash and date printed on any wall
sheet, old or new, can be looked up and trusted as far as the newest signature reaches.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from gongkai.core.i18n import N_, Msg
from gongkai.model.addresses import (
    SEAL_CHECKPOINT,
    SEAL_CHECKPOINTS,
    SEAL_KEY,
    checkpoint_name,
)
from gongkai.trust import signing
from gongkai.trust.checkpoint import Checkpoint, HistoryError, leaf_hash, parse_checkpoint, roots
from gongkai.trust.log import Entry

log = logging.getLogger(__name__)


@dataclass
class Verdict:
    """What a verification found: the site checked, what failed, and what checked out."""

    problems: list[Msg] = field(default_factory=list)
    passed: list[Msg] = field(default_factory=list)
    site: Msg | None = None  # which site the copy says it is, and of which seal

    @property
    def ok(self) -> bool:
        """Tell whether every check passed."""
        return not self.problems


def unreadable(file: str | Path, exc: BaseException) -> Msg:
    """Say a file could not be read or is not what it should be."""
    if isinstance(exc, HistoryError):
        return exc.message
    if isinstance(exc, UnicodeDecodeError):
        return Msg.of(N_("{file} cannot be read: {error}"), file=str(file),
                      error="not UTF-8 text")
    if isinstance(exc, OSError):
        return Msg.of(N_("{file} cannot be read: {error}"), file=str(file),
                      error=exc.strerror or exc)
    return Msg.of(N_("{file} cannot be read: {error}"), file=str(file), error=exc)


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """Read a file of the copy that must be a plain file, never a link."""
    if path.is_symlink():
        raise OSError("a symbolic link, not a file")
    return path.read_text(encoding=encoding)


def copy_key(folder: Path) -> str | None:
    """Return the public key the copy itself carries, if any."""
    try:
        return read_text(folder / SEAL_KEY).strip()
    except (OSError, UnicodeDecodeError):
        return None


def _signature(path: Path) -> str | None:
    """Return a checkpoint's signature beside it, None when there is none."""
    signature = path.with_name(path.name + ".sig")
    if not (signature.exists() or signature.is_symlink()):
        return None
    return read_text(signature, "ascii")


def check_every_seal(folder: Path, latest: Checkpoint, lines: list[str],
                     entries: Sequence[Entry], key_line: str | None,
                     verdict: Verdict) -> None:
    """Check every seal's checkpoint the copy carries: one per seal from 1 to the newest,
    each matching the start of the log, its entries' number and date, the checkpoint
    before it, and signed (by the key) once any seal was."""
    checkpoints: list[tuple[str, Checkpoint, str | None]] = []
    before = len(verdict.problems)
    for seal in range(1, latest.seal + 1):
        shown = f"{SEAL_CHECKPOINTS}{checkpoint_name(seal)}"
        path = folder / shown
        try:
            if not (path.exists() or path.is_symlink()):
                verdict.problems.append(Msg.of(N_(
                    "{file} is missing: every copy carries the checkpoint of each seal, and "
                    "seal {seal} is before the newest ({newest})"), file=shown, seal=seal,
                    newest=latest.seal))
                continue
            checkpoint = parse_checkpoint(read_text(path), shown)
            checkpoints.append((shown, checkpoint, _signature(path)))
        except (HistoryError, OSError, UnicodeDecodeError) as exc:
            verdict.problems.append(unreadable(shown, exc))
    _check_against_log(checkpoints, latest, lines, entries, verdict)
    _check_chain(checkpoints, verdict)
    _check_signatures(checkpoints, key_line or copy_key(folder), verdict)
    if checkpoints and len(verdict.problems) == before:
        verdict.passed.append(Msg.of(N_(
            "every seal's checkpoint ({count}) matches the start of the log: {hashes}"),
            count=len(checkpoints), hashes=tuple(
                f"{c.seal}: {c.date.isoformat()} {c.short}" for _, c, _s in checkpoints)))


def _check_against_log(checkpoints: Sequence[tuple[str, Checkpoint, str | None]],
                       latest: Checkpoint, lines: list[str], entries: Sequence[Entry],
                       verdict: Verdict) -> None:
    """Check each checkpoint's root, and its number and date against its entries."""
    hashed = roots((leaf_hash(line.encode()) for line in lines),
                   (c.size for _, c, _s in checkpoints))
    sizes = {0: 0} | {c.seal: c.size for _, c, _s in checkpoints}
    for shown, checkpoint, _signed in checkpoints:
        size = sizes.get(checkpoint.seal - 1)  # None: the one before is missing, said already
        if hashed.get(checkpoint.size) != checkpoint.root or checkpoint.origin != latest.origin:
            verdict.problems.append(Msg.of(N_(
                "{file} does not match the start of the log: the log was rewritten since "
                "seal {seal}"), file=shown, seal=checkpoint.seal))
        elif size is not None and any((e.seal, e.date) != (checkpoint.seal, checkpoint.date)
                                      for e in entries[size:checkpoint.size]):
            verdict.problems.append(Msg.of(N_(
                "{file} says seal {seal} of {date}, but the log's entries of that seal say "
                "otherwise: the checkpoint was altered"), file=shown, seal=checkpoint.seal,
                date=checkpoint.date.isoformat()))
    if checkpoints and checkpoints[-1][1].text() != latest.text():
        verdict.problems.append(Msg.of(N_("{file} is not the newest seal's checkpoint"),
                                       file=SEAL_CHECKPOINT))


def _check_chain(checkpoints: Sequence[tuple[str, Checkpoint, str | None]],
                 verdict: Verdict) -> None:
    """Check that each checkpoint names the one before it and is not dated before it."""
    for (_, previous, _s), (shown, checkpoint, _t) in pairwise(checkpoints):
        if checkpoint.seal != previous.seal + 1:
            continue  # a missing one is said already
        if checkpoint.date < previous.date or ((checkpoint.previous or previous.previous)
                                               and checkpoint.previous != previous.digest):
            verdict.problems.append(Msg.of(N_(
                "{file} does not follow the checkpoint of seal {seal}: an earlier checkpoint "
                "was changed"), file=shown, seal=previous.seal))


def _check_signatures(checkpoints: Sequence[tuple[str, Checkpoint, str | None]],
                      key_line: str | None, verdict: Verdict) -> None:
    """Check that once a seal was signed every later one is, each by the county's key."""
    first = next((c.seal for _, c, signed in checkpoints if signed is not None), None)
    public = None
    if key_line:
        try:
            public = signing.parse_public_key(key_line)
        except signing.SigningError:
            public = None  # said by the check of the newest signature
    for shown, checkpoint, signed in checkpoints:
        if signed is None:
            if first is not None and checkpoint.seal > first:
                verdict.problems.append(Msg.of(N_(
                    "{file} is not signed, though seal {first} was: a county that signs "
                    "signs every seal, so this one was not made with its key"), file=shown,
                    first=first))
            continue
        if public is None:
            continue
        try:
            signing.verify(public, checkpoint.text().encode(), signed)
        except signing.SigningError as exc:
            verdict.problems.append(Msg.of(N_("{file}: {problem}"), file=shown + ".sig",
                                           problem=exc.message))


@dataclass(frozen=True)
class Kept:
    """A checkpoint a resident kept: where it came from (a file or an address), its text,
    and its signature when one was kept beside it."""

    name: str
    text: str
    signature: str | None = None


def read_kept(path: Path) -> Kept:
    """Read a kept checkpoint from a file, with its .sig beside it when there is one."""
    text = read_text(path)
    signature = path.with_name(path.name + ".sig")
    return Kept(str(path), text, read_text(signature, "ascii") if signature.is_file() else None)


def check_growth(kept: Kept, checkpoint: Checkpoint, lines: list[str], key_line: str | None,
                 verdict: Verdict) -> None:
    """Check that the log only grew since an earlier checkpoint a resident kept."""
    try:
        old = parse_checkpoint(kept.text, kept.name)
    except HistoryError as exc:
        verdict.problems.append(unreadable(kept.name, exc))
        return
    if kept.signature is not None and key_line:
        try:
            signing.verify(signing.parse_public_key(key_line), kept.text.encode(),
                           kept.signature)
        except signing.SigningError as exc:
            verdict.problems.append(exc.message)
    since = kept.name
    if old.seal > checkpoint.seal or (old.seal == checkpoint.seal
                                      and old.text() != checkpoint.text()):
        verdict.problems.append(Msg.of(N_(
            "the checkpoint in {file} is of seal {seal} of {date}, but this copy's newest seal "
            "is {newest} of {newest_date}: a published seal was taken back or replaced"),
            file=since, seal=old.seal, date=old.date.isoformat(), newest=checkpoint.seal,
            newest_date=checkpoint.date.isoformat()))
        return
    root = roots((leaf_hash(line.encode()) for line in lines), [old.size]).get(old.size)
    if old.origin != checkpoint.origin or root != old.root:
        verdict.problems.append(Msg.of(N_(
            "the log was rewritten since seal {seal} of {date} (the checkpoint in {file}): "
            "its first {size} entries no longer hash to that checkpoint's root"),
            seal=old.seal, date=old.date.isoformat(), file=since, size=old.size))
        return
    verdict.passed.append(Msg.of(N_(
        "the log only grew since seal {seal} of {date}: entries added since: {added}; none "
        "changed"), seal=old.seal, date=old.date.isoformat(), added=checkpoint.size - old.size))
