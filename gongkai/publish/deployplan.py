"""What a deploy changes: the built site's files against the manifest kept at the target.

Pure: no network. The build is listed with each file's SHA-256 and size; the target's
manifest (``.gongkai-deploy.json``, written last by every deploy) says what is there
already, so a deploy never lists or downloads the bucket. Files go up step by step, each
file's step, Content-Type and Cache-Control given by its kind (``model.outputs``).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.core.filehash import file_sha256
from gongkai.model.addresses import (
    SEAL_CHECKPOINT,
    SEAL_KEY,
    SEAL_LOG,
    SEAL_MANIFEST,
    SEAL_SIGNATURE,
)
from gongkai.model.outputs import output_kind

log = logging.getLogger(__name__)

MANIFEST = ".gongkai-deploy.json"
FORMAT = 1
MAX_KEY_BYTES = 1024  # S3's limit on an object's key, in UTF-8 bytes
# The seal's files in the order they vouch for each other: the log and key, the manifest
# of every file, its signature, and the checkpoint that names them, last.
SEAL_ORDER = (SEAL_LOG, SEAL_KEY, SEAL_MANIFEST, SEAL_SIGNATURE, SEAL_CHECKPOINT)


@dataclass(frozen=True)
class File:
    """One file of the built site: its SHA-256 and size."""

    path: str
    sha256: str
    size: int


@dataclass
class Plan:
    """What a deploy does: files to upload (in order), paths to delete, files unchanged."""

    uploads: list[File] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def upload_bytes(self) -> int:
        """Return the bytes to upload."""
        return sum(file.size for file in self.uploads)


def order_key(path: str) -> tuple[int, int, str]:
    """Sort files into upload order: by step, the seal's files in their own order, by path."""
    seal = SEAL_ORDER.index(path) if path in SEAL_ORDER else -1
    return output_kind(path).step, seal, path


def list_build(out: Path) -> dict[str, File]:
    """List every file of a built site a host serves (hidden files are Gongkai's own)."""
    found = {}
    for here, dirs, files in os.walk(out):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        relative = Path(here).relative_to(out)
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = (relative / name).as_posix()
            found[path] = File(path, file_sha256(out / path), (out / path).stat().st_size)
    return found


def read_manifest(data: bytes | None) -> dict[str, str]:
    """Read the target's manifest (path → SHA-256); an absent or unreadable one is empty."""
    if not data:
        return {}
    try:
        values = json.loads(data)
        files = values["files"] if values.get("format") == FORMAT else {}
        found = {str(path): str(entry[0]) for path, entry in files.items()}
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
        return {}
    # The manifest is read from the bucket, not trusted: an entry that is not a plain path
    # inside the site (empty, "../", absolute, over S3's key limit) is never deleted, never
    # taken as uploaded.
    bad = [path for path in found if not plain_path(path)]
    for path in bad[:5]:
        log.warning("%s: left out an entry that is not a path inside the site: %r",
                    MANIFEST, path[:200])
    return {path: digest for path, digest in found.items() if path not in bad}


def plain_path(path: str) -> bool:
    """Tell whether a manifest's path is a file's path inside the site."""
    parts = path.split("/")
    return (0 < len(path.encode("utf-8")) <= MAX_KEY_BYTES and "\\" not in path
            and all(part not in ("", ".", "..") for part in parts))


def manifest_bytes(files: Mapping[str, File]) -> bytes:
    """Write the manifest of a deployed site: every file's SHA-256 and size, by path."""
    values = {"format": FORMAT,
              "files": {path: [f.sha256, f.size] for path, f in sorted(files.items())}}
    return (json.dumps(values, ensure_ascii=False, sort_keys=True, indent=0) + "\n").encode()


def make_plan(build: Mapping[str, File], remote: Mapping[str, str]) -> Plan:
    """Compare the build with what the target holds: what to upload, in order, and delete."""
    plan = Plan()
    for path in sorted(build, key=order_key):
        if remote.get(path) == build[path].sha256:
            plan.unchanged += 1
        else:
            plan.uploads.append(build[path])
    plan.deletes = sorted(path for path in remote if path not in build)
    return plan

