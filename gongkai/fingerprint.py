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


class Fingerprinter:
    """Digests values; remembers the digest of each record (they are immutable) by identity.

    A ledger shown on its page, its poster and the village overview is walked once.
    The objects must stay alive while the fingerprinter is in use, as ids are reused.
    """

    def __init__(self) -> None:
        self._records: dict[int, tuple[object, bytes]] = {}

    def digest(self, value: object) -> bytes:
        """Return the SHA-256 digest of a value."""
        hasher = hashlib.sha256()
        self._feed(value, hasher)
        return hasher.digest()

    def _feed(self, value: object, hasher: Any) -> None:
        """Add one value to a running hash, tagged by its type so 1 and "1" differ."""
        if value is None or isinstance(value, bool | int | str | Decimal | date | datetime):
            hasher.update(f"{type(value).__name__}:{value!s}\x00".encode("utf-8",
                                                                       "surrogatepass"))
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
        elif isinstance(value, BaseModel) or dataclasses.is_dataclass(value):
            hasher.update(self._record(value))
        else:
            raise Unfingerprintable(type(value).__qualname__)

    def _record(self, value: object) -> bytes:
        """Digest a dataclass or pydantic model once per object: its class and its fields."""
        known = self._records.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        hasher = hashlib.sha256(f"{type(value).__module__}.{type(value).__qualname__}".encode())
        if isinstance(value, BaseModel):
            names = list(type(value).model_fields)
        else:
            names = [f.name for f in dataclasses.fields(value)]  # type: ignore[arg-type]
        for name in names:
            hasher.update(name.encode())
            self._feed(getattr(value, name), hasher)
        digest = hasher.digest()
        self._records[id(value)] = (value, digest)
        return digest
