"""What a seal signs: a checkpoint of the seal log, and the Merkle tree hash it names.

A checkpoint names the log's size and its root hash (RFC 6962's Merkle tree hash of the
log's lines), the seal's number and date, the digest of the published manifest and the
digest of the seal before it. Chained that way, the newest signature vouches for every
earlier checkpoint's number and date too: editing or deleting an old one breaks the chain.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from gongkai.core.i18n import N_, Msg

SHORT = 12  # hex digits of a seal's root shown on the wall: enough to tell seals apart


class HistoryError(Exception):
    """The history folder cannot be trusted or read: which file, and why."""

    def __init__(self, msgid: str, where: str, **values: object) -> None:
        super().__init__(msgid.format(**values))
        self.message, self.where = Msg.of(msgid, **values), where


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


def root_of(lines: Sequence[str]) -> bytes:
    """Return the tree hash of all the log's lines."""
    return roots((leaf_hash(line.encode()) for line in lines), [len(lines)])[len(lines)]


# --- checkpoints ----------------------------------------------------------------------

@dataclass(frozen=True)
class Checkpoint:
    """What one seal signs: the log's size and root, the seal's number and date, the
    digest of the published site's manifest and that of the checkpoint before it."""

    origin: str
    size: int
    root: bytes
    seal: int
    date: date
    manifest: str = ""  # SHA-256 of history/manifest.sha256, hex
    previous: str = ""  # SHA-256 of the previous seal's checkpoint text, hex

    def text(self) -> str:
        """Return the checkpoint as the text that is signed (C2SP tlog-checkpoint's body,
        with the seal, the manifest and the previous checkpoint as extension lines)."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode(),
                 f"seal {self.seal} {self.date.isoformat()}"]
        if self.manifest:
            lines.append(f"manifest sha256:{self.manifest}")
        if self.previous:
            lines.append(f"previous sha256:{self.previous}")
        return "\n".join(lines) + "\n"

    @property
    def short(self) -> str:
        """Return the root's first hex digits: what the wall and the pages show."""
        return self.root.hex()[:SHORT]

    @property
    def digest(self) -> str:
        """Return the SHA-256 of the checkpoint's text: what the next seal's names."""
        return hashlib.sha256(self.text().encode()).hexdigest()


def _extensions(lines: Sequence[str]) -> dict[str, str]:
    """Read the extension lines, ``manifest sha256:…`` then ``previous sha256:…``."""
    found: dict[str, str] = {}
    for line in lines:
        label, _, digest = line.partition(" sha256:")
        if label not in ("manifest", "previous") or label in found or len(digest) != 64:
            raise ValueError("expected “manifest sha256:…” or “previous sha256:…”")
        found[label] = digest
    return found


def parse_checkpoint(text: str, where: str) -> Checkpoint:
    """Read a checkpoint's text."""
    lines = text.split("\n")
    try:
        if lines[-1] != "" or not 5 <= len(lines) <= 7:
            raise ValueError("expected four to six lines")
        origin, size, root, seal = lines[0], int(lines[1]), base64.b64decode(
            lines[2], validate=True), lines[3].split(" ")
        extensions = _extensions(lines[4:-1])
        if seal[0] != "seal" or len(seal) != 3 or len(root) != 32 or size < 0:
            raise ValueError("expected “seal N YYYY-MM-DD”")
        checkpoint = Checkpoint(origin, size, root, int(seal[1]), date.fromisoformat(seal[2]),
                                extensions.get("manifest", ""), extensions.get("previous", ""))
    except (ValueError, IndexError) as exc:
        raise HistoryError(N_("{file} is not a checkpoint: {error}"), where, file=where,
                           error=exc) from None
    if checkpoint.text() != text:
        raise HistoryError(N_("{file} is not a checkpoint: {error}"), where, file=where,
                           error="not in its canonical spelling")
    return checkpoint
