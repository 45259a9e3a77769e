"""The seal log in ``history/``: every sealed version of every disclosure, append-only.

``history/log.jsonl`` holds one entry per sealed version (one line of canonical JSON);
``history/objects/`` the exact bytes of each version's file, named by their SHA-256 as
git names its objects, so every earlier version can be rendered again;
``history/checkpoints/NNNN.txt`` one checkpoint per seal, with its signature beside it
(``.sig``) when the county signs. A checkpoint names the log's size and its root hash, a
Merkle tree hash as RFC 6962 defines it, so anyone holding an old checkpoint can check
that the log only grew since: the first entries of the log must still hash to it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from gongkai.core.i18n import N_
from gongkai.model.addresses import (
    CHECKPOINTS_DIR,
    LOG_FILE,
    OBJECTS_DIR,
    PENDING_SUFFIX,
    PUBLIC_KEY_FILE,
    SIGNATURE_SUFFIX,
    checkpoint_name,
    pending_name,
    signature_name,
)
from gongkai.model.canonical import canonical_json
from gongkai.read.sitefolder import HISTORY_DIR, display_path
from gongkai.trust.checkpoint import SHORT as SHORT
from gongkai.trust.checkpoint import Checkpoint as Checkpoint
from gongkai.trust.checkpoint import HistoryError as HistoryError
from gongkai.trust.checkpoint import leaf_hash as leaf_hash
from gongkai.trust.checkpoint import parse_checkpoint as parse_checkpoint
from gongkai.trust.checkpoint import root_of as root_of
from gongkai.trust.checkpoint import roots as roots

log = logging.getLogger(__name__)

# A seal writes its checkpoint as NNNN.next before the log's new lines, and renames it
# NNNN.txt after them: log lines beyond the last checkpoint with no .next beside them
# were not left by a seal that stopped, but by a checkpoint that was removed.
_CHECKPOINT_NAME = re.compile(r"(\d{4,})\.(txt|txt\.sig|next)")


@dataclass(frozen=True)
class Entry:
    """One sealed version of one disclosure."""

    seal: int
    date: date
    path: str          # the file, as the clerk sees it: content/qingshan/finance/2025-03.yaml
    version: int
    content: str       # canonical.content_digest of what it says
    source: str        # SHA-256 of the file's bytes, the name of its copy in objects/
    notes: str         # canonical.notes_digest of its correction entries
    corrections: int   # how many correction entries it had
    opening: Decimal | None = None  # a ledger's balances as this version showed them
    closing: Decimal | None = None
    context: str = ""  # SHA-256 of what it showed from other files (trust/context.py)

    def line(self) -> str:
        """Return the entry as its one line of the log."""
        values: dict[str, object] = {
            "seal": self.seal, "date": self.date.isoformat(), "path": self.path,
            "version": self.version, "content": self.content, "source": self.source,
            "notes": self.notes, "corrections": self.corrections}
        for name, amount in (("opening", self.opening), ("closing", self.closing)):
            if amount is not None:
                values[name] = str(amount)
        if self.context:
            values["context"] = self.context
        return canonical_json(values)


def parse_entry(line: str, number: int) -> Entry:
    """Read one line of the log (``number`` counts from 1, for the message)."""
    try:
        values = json.loads(line)
        entry = Entry(int(values["seal"]), date.fromisoformat(values["date"]), values["path"],
                      int(values["version"]), values["content"], values["source"],
                      values["notes"], int(values["corrections"]),
                      _amount(values.get("opening")), _amount(values.get("closing")),
                      str(values.get("context", "")))
    except (ValueError, KeyError, TypeError, ArithmeticError, RecursionError) as exc:
        raise HistoryError(N_("line {line} is not an entry of the seal log: {error}"),
                           LOG_FILE, line=number, error=exc) from None
    if entry.line() != line:
        raise HistoryError(N_("line {line} is not an entry of the seal log: {error}"), LOG_FILE,
                           line=number, error="not in its canonical spelling")
    return entry


def _amount(value: object) -> Decimal | None:
    """Read a balance written as a string of digits."""
    return None if value is None else Decimal(str(value))


# --- the history folder ---------------------------------------------------------------

@dataclass
class History:
    """A site's seal log, read and checked: entries, each seal's checkpoint, the key."""

    folder: Path
    entries: list[Entry] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    public_key: str = ""  # the county's key line (ssh-ed25519 …), when it signs
    signatures: dict[int, str] = field(default_factory=dict)  # armored, by seal number
    leftover: list[Path] = field(default_factory=list)  # what a seal that stopped left

    @property
    def latest(self) -> Checkpoint | None:
        """Return the newest seal's checkpoint."""
        return self.checkpoints[-1] if self.checkpoints else None

    @property
    def signs(self) -> bool:
        """Tell whether this site's seals are signed (any seal so far was)."""
        return bool(self.signatures) or bool(self.public_key)

    def versions(self) -> dict[str, list[Entry]]:
        """Return each sealed file's versions, oldest first."""
        found: dict[str, list[Entry]] = {}
        for entry in self.entries:
            found.setdefault(entry.path, []).append(entry)
        return found

    def shown(self, path: Path) -> str:
        """Name a file of history/ the way the clerk sees it: from the site folder."""
        return display_path(self.folder.parent, path)

    def object_path(self, digest: str) -> Path:
        """Return where the copy of a sealed file's bytes is kept."""
        return self.folder / OBJECTS_DIR / digest[:2] / digest[2:]

    def read_object(self, digest: str) -> bytes:
        """Return the bytes of a sealed file, checked against their digest."""
        path = self.object_path(digest)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise HistoryError(N_("{file} cannot be read: {error}"), self.shown(path),
                               file=self.shown(path), error=exc.strerror or exc) from None
        if hashlib.sha256(data).hexdigest() != digest:
            raise HistoryError(N_("{file} was changed: its bytes no longer match its name"),
                               self.shown(path), file=self.shown(path))
        return data

    def checkpoint_path(self, seal: int) -> Path:
        """Return where a seal's checkpoint is kept."""
        return self.folder / CHECKPOINTS_DIR / checkpoint_name(seal)

    def signature(self, seal: int) -> str | None:
        """Return a seal's signature (armored), if it was signed."""
        return self.signatures.get(seal)


def read_history(site: Path) -> History | None:
    """Read and check a site's history/ folder; None when the site was never sealed.

    Raises HistoryError when an entry of the log, a checkpoint, a signature or the order
    of seals was altered, added or removed: the log may only grow."""
    folder = site / HISTORY_DIR
    if not folder.is_dir():
        return None
    history = History(folder)
    cut = _read_log(history)
    pending = _read_checkpoints(history)
    key = folder / PUBLIC_KEY_FILE
    if key.exists() or key.is_symlink():
        history.public_key = _history_text(key, f"{HISTORY_DIR}/{PUBLIC_KEY_FILE}").strip()
    _check_seals(history)
    _check_signed(history)
    _uncovered(history, pending, cut)
    return history


def _read_log(history: History) -> bool:
    """Read every entry of the log; True when its last line is cut short."""
    path = history.folder / LOG_FILE
    shown = f"{HISTORY_DIR}/{LOG_FILE}"
    text = _history_text(path, shown) if path.exists() or path.is_symlink() else ""
    lines = text.split("\n")
    history.lines = lines[:-1]
    history.entries = [parse_entry(line, number)
                       for number, line in enumerate(history.lines, start=1)]
    return bool(lines[-1])


def _history_text(path: Path, shown: str) -> str:
    """Read a text file of history/; one that is not UTF-8 text is a HistoryError."""
    try:
        if path.is_symlink():  # it could point anywhere: what it says was never sealed
            raise OSError("a symbolic link, not a file")
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HistoryError(N_("{file} cannot be read: {error}"), shown, file=shown,
                           error=exc) from None


def _read_checkpoints(history: History) -> Checkpoint | None:
    """Read the checkpoint and signature of every seal, in order: 0001.txt, 0002.txt, …;
    return the checkpoint a seal that stopped left as NNNN.next, if any."""
    folder = history.folder / CHECKPOINTS_DIR
    names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    checkpoints = [name for name in names if name.endswith(".txt")]
    for number, name in enumerate(checkpoints, start=1):
        shown = f"{HISTORY_DIR}/{CHECKPOINTS_DIR}/{name}"
        checkpoint = parse_checkpoint(_history_text(folder / name, shown), shown)
        if name != checkpoint_name(number) or checkpoint.seal != number:
            raise HistoryError(N_("{file}: expected the checkpoint of seal {seal} here; a "
                                  "seal's checkpoint is never renamed or removed: restore "
                                  "history/ from the copy that was published (git checkout "
                                  "history/)"), shown, file=shown, seal=number)
        history.checkpoints.append(checkpoint)
    after = len(checkpoints) + 1
    allowed = {*checkpoints, *(signature_name(n) for n in range(1, after + 1)),
               pending_name(after)}
    for name in names:
        shown = f"{HISTORY_DIR}/{CHECKPOINTS_DIR}/{name}"
        if name not in allowed or not _CHECKPOINT_NAME.fullmatch(name):
            raise HistoryError(N_("{file} is not a file a seal writes: only the checkpoints "
                                  "of seals 1 to {count} and their signatures belong in "
                                  "{folder}; restore history/ from the copy that was "
                                  "published (git checkout history/)"), shown, file=shown,
                               count=len(checkpoints), folder=f"{HISTORY_DIR}/"
                               f"{CHECKPOINTS_DIR}/")
    for number in range(1, after):
        path = folder / signature_name(number)
        if path.exists() or path.is_symlink():
            history.signatures[number] = _signature_text(history, path)
    return _pending(history, folder / pending_name(after))


def _signature_text(history: History, path: Path) -> str:
    """Read a signature file; one that is not ASCII text is a HistoryError."""
    shown = history.shown(path)
    text = _history_text(path, shown)
    if not text.isascii():
        raise HistoryError(N_("{file} cannot be read: {error}"), shown, file=shown,
                           error="not an SSH signature (not ASCII text)")
    return text


def _pending(history: History, path: Path) -> Checkpoint | None:
    """Read what a seal that stopped left: its checkpoint-to-be and its signature."""
    signature = path.with_suffix(SIGNATURE_SUFFIX)
    history.leftover = [p for p in (path, signature) if p.exists() or p.is_symlink()]
    if not path.is_file() or path.is_symlink():
        return None
    try:
        return parse_checkpoint(path.read_text(encoding="utf-8"), history.shown(path))
    except (HistoryError, OSError, UnicodeDecodeError):
        return None  # cut short while it was written: no log line followed it


def _check_seals(history: History) -> None:
    """Check that every checkpoint still matches the start of the log, that each seal's
    entries carry its number and date, and that each names the checkpoint before it."""
    found = roots((leaf_hash(line.encode()) for line in history.lines),
                  (c.size for c in history.checkpoints))
    previous: Checkpoint | None = None
    for checkpoint in history.checkpoints:
        shown = f"{HISTORY_DIR}/{CHECKPOINTS_DIR}/{checkpoint_name(checkpoint.seal)}"
        size = previous.size if previous else 0
        entries = history.entries[size:checkpoint.size]
        if (checkpoint.size < size or found.get(checkpoint.size) != checkpoint.root
                or any((e.seal, e.date) != (checkpoint.seal, checkpoint.date)
                       for e in entries)):
            raise HistoryError(N_("the seal log was altered: its first {size} entries no "
                                  "longer match the checkpoint of seal {seal} ({file}); "
                                  "restore history/ from the copy that was published "
                                  "(git checkout history/)"), shown, size=checkpoint.size,
                               seal=checkpoint.seal, file=shown)
        if previous is not None and (checkpoint.date < previous.date or (
                (checkpoint.previous or previous.previous)
                and checkpoint.previous != previous.digest)):
            raise HistoryError(N_("{file} does not follow the checkpoint of seal {seal}: an "
                                  "earlier checkpoint was changed; restore history/ from the "
                                  "copy that was published (git checkout history/)"), shown,
                               file=shown, seal=previous.seal)
        previous = checkpoint


def _check_signed(history: History) -> None:
    """Check that once a seal was signed every later one is, and that the key is there."""
    signed = sorted(history.signatures)
    for checkpoint in history.checkpoints:
        if signed and checkpoint.seal > signed[0] and checkpoint.seal not in history.signatures:
            shown = f"{HISTORY_DIR}/{CHECKPOINTS_DIR}/{checkpoint_name(checkpoint.seal)}"
            raise HistoryError(N_("{file} is not signed, though seal {first} was: once a "
                                  "site's seals are signed, every later one is; restore "
                                  "history/ from the copy that was published (git checkout "
                                  "history/)"), shown, file=shown, first=signed[0])
    if signed and not history.public_key:
        shown = f"{HISTORY_DIR}/{PUBLIC_KEY_FILE}"
        raise HistoryError(N_("{file} is missing, though seal {first} was signed: restore "
                              "it (git checkout {file}); the county's key never changes"),
                           shown, file=shown, first=signed[0])


def _uncovered(history: History, pending: Checkpoint | None, cut: bool) -> None:
    """Deal with log lines beyond the newest checkpoint: a seal that stopped before its
    checkpoint (it left NNNN.next) is finished or left out; with no NNNN.next, the
    checkpoint that covered them was removed, and that is an error."""
    size = history.checkpoints[-1].size if history.checkpoints else 0
    extra = len(history.lines) - size
    if pending is not None and not cut and len(history.lines) == pending.size and (
            root_of(history.lines) == pending.root):
        # Every line was written: only the rename was left to do; do it.
        path = history.checkpoint_path(pending.seal)
        os.replace(path.with_suffix(PENDING_SUFFIX), path)
        history.checkpoints.append(pending)
        _check_seals(history)
        history.leftover = []
        signature = path.with_suffix(SIGNATURE_SUFFIX)
        if signature.exists():
            history.signatures[pending.seal] = _signature_text(history, signature)
        _check_signed(history)
        return
    if (extra or cut) and not any(p.suffix == PENDING_SUFFIX for p in history.leftover):
        shown = f"{HISTORY_DIR}/{LOG_FILE}"
        raise HistoryError(N_("{file} has {count} entries after seal {seal} that no "
                              "checkpoint covers: the checkpoint of seal {next} "
                              "({missing}) was removed; restore history/ from the copy that "
                              "was published (git checkout history/): a published seal is "
                              "never taken back"), shown, file=shown, count=extra + int(cut),
                           seal=size and history.checkpoints[-1].seal, next=len(
                               history.checkpoints) + 1, missing=f"{HISTORY_DIR}/"
                           f"{CHECKPOINTS_DIR}/{checkpoint_name(len(history.checkpoints) + 1)}")
    if extra or cut or history.leftover:
        # A seal stopped before its checkpoint: those lines were never published, and the
        # next seal writes over them.
        log.warning("%s: %d entries of an unfinished seal are left out",
                    f"{HISTORY_DIR}/{LOG_FILE}", extra)
        del history.entries[size:]
        del history.lines[size:]


def append(history: History, entries: Sequence[Entry], sources: dict[str, bytes],
           checkpoint: Checkpoint, signature: str | None) -> None:
    """Write a new seal into the history folder: objects first, the signature and the
    checkpoint-to-be (NNNN.next), then the log's new lines, then the checkpoint's rename,
    each flushed to disk before the next."""
    history.folder.mkdir(parents=True, exist_ok=True)
    for digest, data in sources.items():
        path = history.object_path(digest)
        if not path.exists():
            _write_new(path, data)
    for leftover in history.leftover:
        leftover.unlink()
    target = history.checkpoint_path(checkpoint.seal)
    if signature is not None:
        _write_new(target.with_suffix(SIGNATURE_SUFFIX), signature.encode("ascii"))
    _write_new(target.with_suffix(PENDING_SUFFIX), checkpoint.text().encode())
    log_path = history.folder / LOG_FILE
    kept = "".join(line + "\n" for line in history.lines).encode()
    if log_path.exists() and log_path.stat().st_size != len(kept):
        with open(log_path, "r+b") as stream:  # drop what an unfinished seal left
            stream.truncate(len(kept))
    with open(log_path, "a", encoding="utf-8", newline="\n") as stream:
        for entry in entries:
            stream.write(entry.line() + "\n")
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(target.with_suffix(PENDING_SUFFIX), target)
    history.entries.extend(entries)
    history.lines.extend(entry.line() for entry in entries)
    history.checkpoints.append(checkpoint)
    if signature is not None:
        history.signatures[checkpoint.seal] = signature
    history.leftover = []


def _write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, durably."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
