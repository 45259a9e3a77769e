"""What a build makes: pages to render, the outputs every producer yields, and their kinds.

The contract between the stages that plan the site (``plan``, the seal's files in
``trust``) and the one that makes it (``build``): plain values, no I/O. ``output_kind``
is the one table of what each output is to a host: how long it may be cached, at which
step a deploy uploads it, whether sitemaps list it; ``media_type`` its Content-Type.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from gongkai.model.addresses import (
    ASSETS_DIR,
    HOME,
    ROBOTS,
    SEAL_DIR,
    SHARD_NAME,
    SITE_FEED,
    SUMMARY,
    is_sitemap,
)


@dataclass(frozen=True)
class Page:
    """One HTML page to render: where it goes, with which template and values."""

    path: str
    template: str
    context: Mapping[str, Any]
    source: str = ""
    qr: str = ""  # the page whose address its QR code carries (its own, or the board's)


@dataclass(frozen=True)
class Output:
    """One file of the site: where it goes, what it depends on, how to make it."""

    path: str
    key: bytes
    source: str            # the file it comes from, named in problems
    budget: int = 0        # its gzipped budget, for the files that are weighed
    page: Page | None = None
    qr_url: str = ""       # the address a page's QR code carries, or a QR image's
    qr_page: str = ""      # for a QR image: the page whose address it carries
    data: bytes | None = None
    make: Callable[[], bytes] | None = None  # for bytes not made yet
    copy: Path | None = None


IMMUTABLE = "public, max-age=31536000, immutable"  # a hashed name never changes content
REVALIDATE = "no-cache"  # pages and indexes: a reader sees a correction at once
SHORT = "public, max-age=3600"  # attachments, images, data files


@dataclass(frozen=True)
class OutputKind:
    """What an output is to a host: its cache policy, its upload step, whether it is listed.

    A deploy uploads step by step so that the site stays whole for a reader at every
    moment: hashed assets, then the files pages link to, then pages, then the indexes that
    lead to pages, then the seal, whose checkpoint names the manifest of everything else.
    """

    name: str
    cache: str
    step: int
    listed: bool = False  # an HTML page the sitemaps list


ASSET = OutputKind("asset", IMMUTABLE, 0)
FILE = OutputKind("file", SHORT, 1)  # attachments, QR images, CSV
DATA = OutputKind("data", REVALIDATE, 1)  # JSON and XML beside pages, which may change
PAGE = OutputKind("page", REVALIDATE, 2, listed=True)
INDEX_PAGE = OutputKind("index page", REVALIDATE, 3, listed=True)  # a folder's index.html
INDEX = OutputKind("index", REVALIDATE, 3)  # feeds, search shards, sitemaps, robots, summary
SEAL = OutputKind("seal", REVALIDATE, 4)
OUTPUT_KINDS = (ASSET, FILE, DATA, PAGE, INDEX_PAGE, INDEX, SEAL)
# Indexes by file name, in any folder.
INDEX_NAMES = frozenset({SHARD_NAME, SITE_FEED, ROBOTS, SUMMARY})
# Text is served as UTF-8, the only encoding the site writes.
TEXT_TYPES = {
    ".html": "text/html", ".css": "text/css", ".js": "text/javascript",
    ".json": "application/json", ".xml": "application/xml", ".txt": "text/plain",
    ".csv": "text/csv", ".jsonl": "text/plain", ".sha256": "text/plain", ".sig": "text/plain",
    ".pub": "text/plain", ".svg": "image/svg+xml",
}


def output_kind(path: str) -> OutputKind:
    """Tell the kind of an output from its path."""
    if path.startswith(f"{ASSETS_DIR}/"):
        return ASSET
    if path.startswith(f"{SEAL_DIR}/"):
        return SEAL
    name = PurePosixPath(path).name
    if name == HOME:
        return INDEX_PAGE
    if name in INDEX_NAMES or name.endswith(f".{SHARD_NAME}") or is_sitemap(name):
        return INDEX
    if name.endswith(".html"):
        return PAGE
    return DATA if name.endswith((".xml", ".json")) else FILE


def media_type(path: str) -> str:
    """Return an output's Content-Type, with the charset of text."""
    if PurePosixPath(path).name == SITE_FEED:
        return "application/atom+xml; charset=utf-8"
    kind = TEXT_TYPES.get(PurePosixPath(path).suffix.lower())
    if kind is not None:
        return kind if kind.startswith("image/") else f"{kind}; charset=utf-8"
    guessed, _ = mimetypes.guess_type(path)
    return guessed or "application/octet-stream"
