"""What a disclosure says, as the seal log pins it: its canonical content and digest.

The digest covers what a resident reads (every figure, date and sentence) and nothing a
clerk may change without a correction being due: YAML comments, quoting and layout, the
order of keys, the correction entries themselves (a correction is the note that comes
with a change, not a change), pinning, and a ledger's stated opening and closing
balances (the chain of balances checks those; when they move because an earlier period
was corrected, the page says so instead).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel

from gongkai.model.disclosure import AffairsFile, OfficeFile, PartyFile
from gongkai.model.finance import Correction, LedgerFile

# Fields a correction is never needed for (see the module's docstring).
LEDGER_LEFT_OUT = frozenset({"corrections", "opening_balance", "closing_balance"})
ITEM_LEFT_OUT = frozenset({"corrections", "pinned"})
BODY = "body"


def canonical(data: BaseModel, body: str | None = None) -> dict[str, Any]:
    """Return what a disclosure's file says, as plain JSON values (the body under "body")."""
    left_out = LEDGER_LEFT_OUT if isinstance(data, LedgerFile) else ITEM_LEFT_OUT
    values: dict[str, Any] = data.model_dump(mode="json", exclude_unset=True,
                                             exclude=set(left_out))
    if body is not None:
        values[BODY] = normal_body(body)
    return values


def normal_body(body: str) -> str:
    """Return a Markdown body without what a reader cannot see: line ends, outer blank lines."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def digest(values: object) -> str:
    """Return the SHA-256 of a JSON value in its one canonical spelling, as hex."""
    return hashlib.sha256(canonical_json(values).encode()).hexdigest()


def canonical_json(values: object) -> str:
    """Spell a JSON value one way only: sorted keys, no spaces, characters as they are."""
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_digest(data: LedgerFile | AffairsFile | PartyFile | OfficeFile,
                   body: str | None = None) -> str:
    """Return the digest of what a disclosure says."""
    return digest(canonical(data, body))


def notes_digest(corrections: Sequence[Correction]) -> str:
    """Return the digest of a disclosure's correction entries, oldest first."""
    return digest([note.model_dump(mode="json") for note in corrections])


def differences(old: object, new: object, path: tuple[str | int, ...] = ()
                ) -> Iterator[tuple[tuple[str | int, ...], object, object]]:
    """Yield each place two canonical values differ: (path, old value, new value).

    A value that is missing on one side is None there."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted({*old, *new}):
            yield from differences(old.get(key), new.get(key), (*path, key))
    elif isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            yield from differences(old[index] if index < len(old) else None,
                                   new[index] if index < len(new) else None, (*path, index))
    elif old != new:
        yield path, old, new
