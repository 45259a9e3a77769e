"""What a build makes: pages to render and the outputs every producer yields.

The contract between the stages that plan the site (``plan``, the seal's files in
``trust``) and the one that makes it (``build``): plain values, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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
