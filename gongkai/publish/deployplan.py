"""What a deploy changes: the built site's files against the manifest kept at the target.

Pure: no network. The build is listed with each file's SHA-256 and size; the target's
manifest (``.gongkai-deploy.json``, written last by every deploy) says what is there
already, so a deploy never lists or downloads the bucket. Files go up in an order that
keeps the site whole for a reader at every moment: hashed assets, then the files pages
link to, then pages, then the indexes that lead to pages, then the seal, whose checkpoint
names the manifest of everything before it.
"""

from __future__ import annotations

import json
import mimetypes
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from gongkai.core.fingerprint import file_sha256

MANIFEST = ".gongkai-deploy.json"
FORMAT = 1
IMMUTABLE = "public, max-age=31536000, immutable"  # a hashed name never changes content
REVALIDATE = "no-cache"  # pages and indexes: a reader sees a correction at once
SHORT = "public, max-age=3600"  # attachments, images, data files
ASSETS_DIR = "assets/"
SEAL_DIR = "history/"
# The seal's files in the order they vouch for each other: the log and key, the manifest
# of every file, its signature, and the checkpoint that names them, last.
SEAL_ORDER = ("history/log.jsonl", "history/seal.pub", "history/manifest.sha256",
              "history/checkpoint.txt.sig", "history/checkpoint.txt")
INDEX_NAMES = frozenset({"index.html", "search.json", "atom.xml", "robots.txt", "summary.json"})
TEXT_TYPES = {
    ".html": "text/html", ".css": "text/css", ".js": "text/javascript",
    ".json": "application/json", ".xml": "application/xml", ".txt": "text/plain",
    ".csv": "text/csv", ".jsonl": "text/plain", ".sha256": "text/plain", ".sig": "text/plain",
    ".pub": "text/plain", ".svg": "image/svg+xml",
}


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


def content_type(path: str) -> str:
    """Return a file's Content-Type, with the charset of text (the site writes UTF-8)."""
    suffix = PurePosixPath(path).suffix.lower()
    if path.endswith("atom.xml"):
        return "application/atom+xml; charset=utf-8"
    if suffix in TEXT_TYPES:
        kind = TEXT_TYPES[suffix]
        return kind if kind.startswith("image/") else f"{kind}; charset=utf-8"
    guessed, _ = mimetypes.guess_type(path)
    return guessed or "application/octet-stream"


def cache_control(path: str) -> str:
    """Return a file's Cache-Control: long for hashed assets, none for what may change."""
    if path.startswith(ASSETS_DIR):
        return IMMUTABLE
    name = PurePosixPath(path).name
    if (path.startswith(SEAL_DIR) or name.endswith((".html", ".xml", ".json"))
            or name in INDEX_NAMES):
        return REVALIDATE
    return SHORT


def stage(path: str) -> int:
    """Return the step of the upload order a file belongs to (see the module's docstring)."""
    name = PurePosixPath(path).name
    if path.startswith(ASSETS_DIR):
        return 0
    if path.startswith(SEAL_DIR):
        return 4
    if (name in INDEX_NAMES or name.endswith(".search.json")
            or (name.startswith("sitemap") and name.endswith(".xml"))):
        return 3
    if name.endswith(".html"):
        return 2
    return 1


def order_key(path: str) -> tuple[int, int, str]:
    """Sort files into upload order: by step, the seal's files in their own order, by path."""
    seal = SEAL_ORDER.index(path) if path in SEAL_ORDER else -1
    return stage(path), seal, path


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
        return {str(path): str(entry[0]) for path, entry in files.items()}
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
        return {}


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

