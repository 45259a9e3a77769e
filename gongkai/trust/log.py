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

import base64
import hashlib
import json
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from gongkai.core.i18n import N_, Msg
from gongkai.model.addresses import (
    CHECKPOINTS_DIR,
    LOG_FILE,
    OBJECTS_DIR,
    PUBLIC_KEY_FILE,
    SIGNATURE_SUFFIX,
    checkpoint_name,
)
from gongkai.model.canonical import canonical_json
from gongkai.read.sitefolder import HISTORY_DIR, display_path

log = logging.getLogger(__name__)

SHORT = 12  # hex digits of a seal's root shown on the wall: enough to tell seals apart


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

    def line(self) -> str:
        """Return the entry as its one line of the log."""
        values: dict[str, object] = {
            "seal": self.seal, "date": self.date.isoformat(), "path": self.path,
            "version": self.version, "content": self.content, "source": self.source,
            "notes": self.notes, "corrections": self.corrections}
        for name, amount in (("opening", self.opening), ("closing", self.closing)):
            if amount is not None:
                values[name] = str(amount)
        return canonical_json(values)


class HistoryError(Exception):
    """The history folder cannot be trusted or read: which file, and why."""

    def __init__(self, msgid: str, where: str, **values: object) -> None:
        super().__init__(msgid.format(**values))
        self.message, self.where = Msg.of(msgid, **values), where


def parse_entry(line: str, number: int) -> Entry:
    """Read one line of the log (``number`` counts from 1, for the message)."""
    try:
        values = json.loads(line)
        entry = Entry(int(values["seal"]), date.fromisoformat(values["date"]), values["path"],
                      int(values["version"]), values["content"], values["source"],
                      values["notes"], int(values["corrections"]),
                      _amount(values.get("opening")), _amount(values.get("closing")))
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


# --- RFC 6962 Merkle tree hash --------------------------------------------------------

def leaf_hash(data: bytes) -> bytes:
    """Hash one entry as a leaf of the tree (RFC 6962, 2.1: a zero byte first)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash two subtrees into their parent (RFC 6962, 2.1: a one byte first)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


def roots(leaves: Iterable[bytes], sizes: Iterable[int]) -> dict[int, bytes]:
    """Return the tree hash of the first n leaves for each n of ``sizes``, in one pass.

    The leaves are kept as a stack of perfect subtrees (like the digits of a binary
    count); folding the stack from the right gives RFC 6962's hash of the prefix."""
    wanted = set(sizes)
    found = {0: EMPTY_ROOT} if 0 in wanted else {}
    stack: list[tuple[int, bytes]] = []
    for count, leaf in enumerate(leaves, start=1):
        size, digest = 1, leaf
        while stack and stack[-1][0] == size:
            below = stack.pop()
            size, digest = size * 2, node_hash(below[1], digest)
        stack.append((size, digest))
        if count in wanted:
            found[count] = _fold(stack)
    return found


def _fold(stack: Sequence[tuple[int, bytes]]) -> bytes:
    """Hash a stack of perfect subtrees into the root of all of them."""
    digest = stack[-1][1]
    for _size, left in reversed(stack[:-1]):
        digest = node_hash(left, digest)
    return digest


# --- checkpoints ----------------------------------------------------------------------

@dataclass(frozen=True)
class Checkpoint:
    """What one seal signs: the log's size and root, the seal's number and date, and the
    digest of the published site's manifest."""

    origin: str
    size: int
    root: bytes
    seal: int
    date: date
    manifest: str = ""  # SHA-256 of history/manifest.sha256, hex

    def text(self) -> str:
        """Return the checkpoint as the text that is signed (C2SP tlog-checkpoint's body,
        with the seal and the manifest as extension lines)."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode(),
                 f"seal {self.seal} {self.date.isoformat()}"]
        if self.manifest:
            lines.append(f"manifest sha256:{self.manifest}")
        return "\n".join(lines) + "\n"

    @property
    def short(self) -> str:
        """Return the root's first hex digits: what the wall and the pages show."""
        return self.root.hex()[:SHORT]


def parse_checkpoint(text: str, where: str) -> Checkpoint:
    """Read a checkpoint's text."""
    lines = text.split("\n")
    try:
        if lines[-1] != "" or len(lines) not in (5, 6):
            raise ValueError("expected four or five lines")
        origin, size, root, seal = lines[0], int(lines[1]), base64.b64decode(
            lines[2], validate=True), lines[3].split(" ")
        manifest = ""
        if len(lines) == 6:
            label, _, manifest = lines[4].partition(" sha256:")
            if label != "manifest" or len(manifest) != 64:
                raise ValueError("expected “manifest sha256:…”")
        if seal[0] != "seal" or len(seal) != 3 or len(root) != 32 or size < 0:
            raise ValueError("expected “seal N YYYY-MM-DD”")
        checkpoint = Checkpoint(origin, size, root, int(seal[1]), date.fromisoformat(seal[2]),
                                manifest)
    except (ValueError, IndexError) as exc:
        raise HistoryError(N_("{file} is not a checkpoint: {error}"), where, file=where,
                           error=exc) from None
    if checkpoint.text() != text:
        raise HistoryError(N_("{file} is not a checkpoint: {error}"), where, file=where,
                           error="not in its canonical spelling")
    return checkpoint


# --- the history folder ---------------------------------------------------------------

@dataclass
class History:
    """A site's seal log, read and checked: entries, each seal's checkpoint, the key."""

    folder: Path
    entries: list[Entry] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    public_key: str = ""  # the county's key line (ssh-ed25519 …), when it signs

    @property
    def latest(self) -> Checkpoint | None:
        """Return the newest seal's checkpoint."""
        return self.checkpoints[-1] if self.checkpoints else None

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
        path = self.checkpoint_path(seal).with_suffix(SIGNATURE_SUFFIX)
        try:
            return path.read_text(encoding="ascii")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise HistoryError(N_("{file} cannot be read: {error}"), self.shown(path),
                               file=self.shown(path), error=exc) from None


def read_history(site: Path) -> History | None:
    """Read and check a site's history/ folder; None when the site was never sealed.

    Raises HistoryError when an entry of the log, a checkpoint or the order of seals was
    altered: the log may only grow."""
    folder = site / HISTORY_DIR
    if not folder.is_dir():
        return None
    history = History(folder)
    _read_log(history)
    _read_checkpoints(history)
    key = folder / PUBLIC_KEY_FILE
    if key.is_file():
        history.public_key = _history_text(key, f"{HISTORY_DIR}/{PUBLIC_KEY_FILE}").strip()
    _check_seals(history)
    return history


def _read_log(history: History) -> None:
    """Read every entry of the log."""
    path = history.folder / LOG_FILE
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise HistoryError(N_("{file} cannot be read: {error}"), f"{HISTORY_DIR}/{LOG_FILE}",
                           file=f"{HISTORY_DIR}/{LOG_FILE}", error=exc) from None
    lines = text.split("\n")
    if lines[-1]:
        # A line cut short can only be the end of an unfinished seal (checked below).
        log.warning("%s: the last line is cut short", f"{HISTORY_DIR}/{LOG_FILE}")
    history.lines = lines[:-1]
    history.entries = []
    for number, line in enumerate(history.lines, start=1):
        try:
            history.entries.append(parse_entry(line, number))
        except HistoryError:
            if number <= _covered(history.folder):
                raise
            del history.lines[number - 1:]  # an unfinished seal's line: left out
            break


def _history_text(path: Path, shown: str) -> str:
    """Read a text file of history/; one that is not UTF-8 text is a HistoryError."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HistoryError(N_("{file} cannot be read: {error}"), shown, file=shown,
                           error=exc) from None


def _covered(folder: Path) -> int:
    """Return how many log entries the newest checkpoint covers (0 when there is none)."""
    names = sorted((folder / CHECKPOINTS_DIR).glob("*.txt"))
    if not names:
        return 0
    lines = _history_text(names[-1], f"{HISTORY_DIR}/{CHECKPOINTS_DIR}/{names[-1].name}"
                          ).split("\n")
    return int(lines[1]) if len(lines) > 1 and lines[1].isdigit() else 0


def _read_checkpoints(history: History) -> None:
    """Read the checkpoint of every seal, in order: 0001.txt, 0002.txt, …"""
    folder = history.folder / CHECKPOINTS_DIR
    names = sorted(p.name for p in folder.glob("*.txt")) if folder.is_dir() else []
    for number, name in enumerate(names, start=1):
        shown = f"{HISTORY_DIR}/{CHECKPOINTS_DIR}/{name}"
        if name != checkpoint_name(number):
            raise HistoryError(N_("{file}: expected the checkpoint of seal {seal} here"),
                               shown, file=shown, seal=number)
        text = _history_text(folder / name, shown)
        checkpoint = parse_checkpoint(text, shown)
        if checkpoint.seal != number:
            raise HistoryError(N_("{file}: expected the checkpoint of seal {seal} here"),
                               shown, file=shown, seal=number)
        history.checkpoints.append(checkpoint)


def _check_seals(history: History) -> None:
    """Check that every checkpoint still matches the start of the log, and that the
    entries follow their seals in order."""
    found = roots((leaf_hash(line.encode()) for line in history.lines),
                  (c.size for c in history.checkpoints))
    previous_size = 0
    for checkpoint in history.checkpoints:
        shown = f"{HISTORY_DIR}/{CHECKPOINTS_DIR}/{checkpoint_name(checkpoint.seal)}"
        entries = history.entries[previous_size:checkpoint.size]
        if (checkpoint.size < previous_size or found.get(checkpoint.size) != checkpoint.root
                or any(entry.seal != checkpoint.seal for entry in entries)):
            raise HistoryError(N_("the seal log was altered: its first {size} entries no "
                                  "longer match the checkpoint of seal {seal} ({file}); "
                                  "restore history/ from the copy that was published "
                                  "(git checkout history/)"), shown, size=checkpoint.size,
                               seal=checkpoint.seal, file=shown)
        previous_size = checkpoint.size
    if len(history.entries) != previous_size:
        # A seal stopped between its log lines and its checkpoint (the checkpoint is written
        # last): those lines were never published, and the next seal writes over them.
        log.warning("%s: %d entries of an unfinished seal are left out",
                    f"{HISTORY_DIR}/{LOG_FILE}", len(history.entries) - previous_size)
        del history.entries[previous_size:]
        del history.lines[previous_size:]


def append(history: History, entries: Sequence[Entry], sources: dict[str, bytes],
           checkpoint: Checkpoint, signature: str | None) -> None:
    """Write a new seal into the history folder: objects first, then the log's new lines,
    then the checkpoint (and its signature), each flushed to disk before the next."""
    history.folder.mkdir(parents=True, exist_ok=True)
    for digest, data in sources.items():
        path = history.object_path(digest)
        if not path.exists():
            _write_new(path, data)
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
    target = history.checkpoint_path(checkpoint.seal)
    if signature is not None:
        _write_new(target.with_suffix(SIGNATURE_SUFFIX), signature.encode("ascii"))
    _write_new(target, checkpoint.text().encode())
    history.entries.extend(entries)
    history.lines.extend(entry.line() for entry in entries)
    history.checkpoints.append(checkpoint)


def _write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, durably."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
