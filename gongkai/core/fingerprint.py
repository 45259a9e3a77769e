"""Fingerprints of page contexts: the same values give the same digest in every run.

Rendering is a pure function of a page's template set and context, so a page whose
fingerprint has not changed renders to the same bytes and need not be rendered again.
``pickle`` or ``repr`` would not do: both follow set order, which Python varies from run
to run, and pydantic models carry sets.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel


class Unfingerprintable(TypeError):
    """A context holds a value whose meaning cannot be read off deterministically."""


# Values written as their text, tagged by type so 1 and "1" differ.
_SCALARS: dict[type, bytes] = {t: f"{t.__name__}:".encode()
                               for t in (str, int, bool, Decimal, date, datetime, type(None))}


class Fingerprinter:
    """Digests values; remembers the digest of each record (they are immutable) by identity.

    A ledger shown on its page, its poster and the village overview is walked once, and a
    record parsed from a file is not walked at all once ``remember`` has been told the
    digest it was read under. The objects must stay alive while the fingerprinter is in
    use, as ids are reused.
    """

    def __init__(self) -> None:
        self._records: dict[int, tuple[object, bytes]] = {}
        self._fields: dict[type, tuple[bytes, tuple[str, ...]]] = {}

    def digest(self, value: object) -> bytes:
        """Return the SHA-256 digest of a value."""
        hasher = hashlib.sha256()
        self._feed(value, hasher)
        return hasher.digest()

    def remember(self, value: object, digest: bytes, depth: int = 2) -> None:
        """Take ``digest`` as the fingerprint of a record read from a file (whose digest
        covers its bytes and everything its reading depends on), and of the records held
        in its fields down to ``depth`` levels, each under its place in it.

        Records inside lists (a ledger's lines) are left to be walked if a page shows
        them on their own: registering every one costs more than it saves."""
        if isinstance(value, tuple) and not _is_record(value):
            for index, item in enumerate(value):
                self.remember(item, _sub(digest, str(index)), depth)
            return
        if not _is_record(value):
            return
        self._records[id(value)] = (value, digest)
        if depth > 0:
            for name in self._names(type(value))[1]:
                item = getattr(value, name)
                if _is_record(item):
                    self.remember(item, _sub(digest, name), depth - 1)

    def _feed(self, value: object, hasher: Any) -> None:
        """Add one value to a running hash, tagged by its type so 1 and "1" differ."""
        tag = _SCALARS.get(type(value))
        if tag is not None:
            hasher.update(tag + str(value).encode("utf-8", "surrogatepass") + b"\x00")
        elif isinstance(value, tuple | list):
            hasher.update(f"[{len(value)}".encode())
            for item in value:
                self._feed(item, hasher)
        elif isinstance(value, Mapping):
            hasher.update(f"{{{len(value)}".encode())
            for key, item in value.items():
                self._feed(key, hasher)
                self._feed(item, hasher)
        elif isinstance(value, set | frozenset):
            hasher.update(f"<{len(value)}".encode())
            for digest in sorted(self.digest(item) for item in value):
                hasher.update(digest)
        elif isinstance(value, enum.Enum):
            hasher.update(f"enum:{type(value).__qualname__}.{value.name}\x00".encode())
        elif _is_record(value):
            hasher.update(self._record(value))
        elif isinstance(value, bool | int | str | Decimal | date | datetime):  # subclasses
            hasher.update(f"{type(value).__name__}:{value!s}\x00".encode("utf-8",
                                                                        "surrogatepass"))
        else:
            raise Unfingerprintable(type(value).__qualname__)

    def _record(self, value: object) -> bytes:
        """Digest a dataclass or pydantic model once per object: its class and its fields."""
        known = self._records.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        label, names = self._names(type(value))
        hasher = hashlib.sha256(label)
        for name in names:
            hasher.update(name.encode())
            self._feed(getattr(value, name), hasher)
        digest = hasher.digest()
        self._records[id(value)] = (value, digest)
        return digest

    def _names(self, kind: type) -> tuple[bytes, tuple[str, ...]]:
        """Return a record class's label and field names (looked up once per class)."""
        known = self._fields.get(kind)
        if known is None:
            if issubclass(kind, BaseModel):
                names = tuple(kind.model_fields)
            else:
                names = tuple(f.name for f in dataclasses.fields(kind))  # type: ignore[arg-type]
            known = (f"{kind.__module__}.{kind.__qualname__}".encode(), names)
            self._fields[kind] = known
        return known


def _is_record(value: object) -> bool:
    """Tell whether a value is a dataclass instance or a pydantic model."""
    return isinstance(value, BaseModel) or (dataclasses.is_dataclass(value)
                                            and not isinstance(value, type))


def _sub(digest: bytes, place: str) -> bytes:
    """Derive the digest of a record held at ``place`` inside a record of ``digest``."""
    return hashlib.sha256(digest + b"\x00" + place.encode()).digest()


def digest_parts(*parts: bytes | str) -> bytes:
    """Digest several parts, each told apart from its neighbours (by its length first)."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.digest()
