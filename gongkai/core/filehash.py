"""The SHA-256 of a published file, the one digest the manifest, verify and deploy agree on.

Apart from ``fingerprint`` so that the command line, which lists deploy's options on
every run, does not import pydantic for it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path) -> str:
    """Return a file's SHA-256 as hex, read in blocks (pages and attachments alike)."""
    hasher = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()
