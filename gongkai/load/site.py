"""Load a whole site from disk: read every file, validate it, report every problem.

Loading never stops at the first problem: each file is validated on its own and the
problems of all files are collected in one report. ``Site`` is what every later stage
reads.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import cast

from gongkai.check.future import Dated
from gongkai.check.links import check_links
from gongkai.core.cache import Cache, NoCache, code_digest
from gongkai.core.dates import parse_period
from gongkai.core.errors import Report
from gongkai.core.fingerprint import Fingerprinter
from gongkai.load.disclosures import parse_item, parse_ledger
from gongkai.load.files import folder_files
from gongkai.load.offices import OFFICE_KINDS, load_offices, office_published_files, parse_office
from gongkai.load.parsing import UNREADABLE, Parsing, load_config
from gongkai.load.villages import load_villages
from gongkai.model.addresses import COUNTY_OFFICE_DIR, TOWN_OFFICES_DIR
from gongkai.model.config import Rules, SiteConfig
from gongkai.model.content import Item, Kind, Ledger, OfficeItem, Village
from gongkai.read.sitefolder import CONFIG_FILE, CONTENT_DIR
from gongkai.read.source import SourceError
from gongkai.read.text import decode_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Site:
    """Everything a build needs: the configuration and every village's content."""

    root: Path
    config: SiteConfig
    villages: tuple[Village, ...]
    files: tuple[tuple[str, Path], ...] = ()  # (published path, source) of every attachment
    offices: tuple[OfficeItem, ...] = ()  # the towns' and the county's own disclosures
    dated: tuple[Dated, ...] = ()  # every posting date, checked against the build's day

    @cached_property
    def village_by_id(self) -> dict[str, Village]:
        """Each village by its id, for steps that look villages up one disclosure at a time."""
        return {village.id: village for village in self.villages}


def load_site(root: Path, report: Report, cache: Cache | None = None,
              fingerprint: Fingerprinter | None = None,
              also: Callable[[Site], None] | None = None) -> Site | None:
    """Load and validate a site folder; None when any error was reported.

    ``fingerprint`` is told the content key of every record read, so that page keys need
    not walk them. ``also`` checks the site further, even when it has errors already, so
    that a run reports every problem at once (the seal log's checks)."""
    config = load_config(root, report)
    try:
        config_bytes = (root / CONFIG_FILE).read_bytes()
    except OSError:
        config_bytes = b""
    salt = hashlib.sha256(code_digest().encode() + b"\0" + config_bytes).digest()
    parsing = Parsing(cache or NoCache(), salt, fingerprint or Fingerprinter())
    villages = load_villages(root, config, parsing, report)
    offices = load_offices(root, config, villages, parsing, report)
    files = _published_files(root, villages, parsing, report)
    files += office_published_files(root, offices, parsing, report)
    check_links(villages, offices, files, report)
    if config is None:
        return None
    site = Site(root, config, tuple(villages), files, tuple(offices), tuple(parsing.dated))
    if also is not None:
        also(site)
    return None if report.errors else site


def _published_files(root: Path, villages: list[Village], parsing: Parsing,
                     report: Report) -> tuple[tuple[str, Path], ...]:
    """List every file under each village's files/ folder, to publish as it is.

    A link that leads out of the village folder is refused (it could publish any file of
    the machine), and so is a file over the size limit.
    """
    copies: list[tuple[str, Path]] = []
    content = root / CONTENT_DIR
    for village in villages:
        copies += folder_files(root, content / village.id, parsing, report)
    return tuple(copies)


Disclosure = Ledger | Item | OfficeItem


def reparse(display: str, data: bytes, rules: Rules) -> Disclosure | None:
    """Parse an earlier, sealed version of a disclosure from its bytes.

    Its problems are not reported: it passed every check when it was sealed, and the
    version now in ``content/`` is the one the clerk answers for."""
    parts = PurePosixPath(display).parts
    if len(parts) < 4 or parts[0] != CONTENT_DIR:
        return None
    quiet, stem = Report(), PurePosixPath(display).stem
    try:
        text = decode_text(data, display)
        if parts[1] in (COUNTY_OFFICE_DIR, TOWN_OFFICES_DIR):
            office = parts[2] if parts[1] == TOWN_OFFICES_DIR else ""
            kind = parts[-2]
            if kind not in OFFICE_KINDS:
                return None
            found = parse_office(text, quiet, display=display, office=office,
                                 kind=kind, stem=stem, rules=rules)
            return None if found is None else found[0]
        if parts[2] == "finance":
            period = parse_period(stem)
            loaded = None if period is None else parse_ledger(
                text, quiet, display=display, village=parts[1], period=period, rules=rules)
            return None if loaded is None else loaded.ledger
        if parts[2] in ("affairs", "party"):
            item = parse_item(text, quiet, display=display, village=parts[1],
                              kind=cast(Kind, parts[2]), stem=stem, rules=rules)
            return None if item is None else item[0]
    except (SourceError, *UNREADABLE):
        return None
    return None
