"""Reading content files through the parse cache, keyed by their bytes, and YAML validated.

A file whose bytes, kind and configuration are unchanged is not parsed again: its
value and problems come from the cache.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast

from pydantic import BaseModel

from gongkai.check.future import Dated
from gongkai.check.privacy import guard_values, take_allowed
from gongkai.core.cache import Cache
from gongkai.core.errors import Location, Report, quoted
from gongkai.core.fingerprint import Fingerprinter
from gongkai.core.i18n import N_, Msg
from gongkai.model.config import SiteConfig
from gongkai.model.validation import validate
from gongkai.read.sitefolder import CONFIG_FILE
from gongkai.read.source import Positions, SourceError
from gongkai.read.text import decode_text, read_bytes, read_text
from gongkai.read.yamlfile import dotted, parse_yaml

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


# What a clerk's file can make the parsers raise (nesting too deep for recursion, numbers
# or dates out of range, a NUL in a path); reported against the file instead of a crash.
UNREADABLE = (RecursionError, ValueError, OverflowError, ArithmeticError)


@dataclass
class Parsing:
    """How one build reads content files: through the cache, keyed by their bytes."""

    cache: Cache
    salt: bytes  # the generator's version and the configuration, which checks depend on
    fingerprint: Fingerprinter  # told the key each record was read under
    dated: list[Dated] = field(default_factory=list)  # posting dates met, for report_future

    def through(self, path: Path, display: str, kind: str,
                compute: Callable[[str, Report], T], report: Report) -> T | None:
        """Parse and check a file, or take the result of the last time it had these bytes."""
        try:
            data = read_bytes(path, display)
        except SourceError as exc:
            report.add(exc.problem)
            return None
        key = hashlib.sha256(b"\0".join((self.salt, kind.encode(), display.encode(
            "utf-8", "surrogateescape"), data))).hexdigest()
        hit = self.cache.get_parsed(key)
        if hit is not None:
            value, problems = hit
            report.extend(problems)
            self.fingerprint.remember(value, bytes.fromhex(key))
            return cast("T | None", value)
        local = Report()
        result: T | None = None
        try:
            result = compute(decode_text(data, display), local)
        except SourceError as exc:
            local.add(exc.problem)
        except UNREADABLE as exc:
            _unreadable(display, exc, local)
        self.cache.put_parsed(key, (result, local.problems))
        report.extend(local.problems)
        self.fingerprint.remember(result, bytes.fromhex(key))
        return result

    def checked(self, key: str, check: Callable[[Report], None], report: Report) -> None:
        """Run a check whose problems depend only on ``key``, or repeat its last problems."""
        key = hashlib.sha256(self.salt + key.encode("utf-8", "surrogateescape")).hexdigest()
        hit = self.cache.get_parsed(key)
        if isinstance(hit, list):
            report.extend(hit)
            return
        local = Report()
        check(local)
        self.cache.put_parsed(key, local.problems)
        report.extend(local.problems)


def load_config(root: Path, report: Report) -> SiteConfig | None:
    """Read and validate ``site_config.yaml``."""
    path = root / CONFIG_FILE
    other = path.with_suffix(".yml")
    if not path.is_file() and other.is_file():
        # Read only under its one name: the preview, the cache and replay all watch it.
        report.error(Location(other.name), Msg.of(
            N_("the site configuration must be named {file}: rename {found} to {file}"),
            file=CONFIG_FILE, found=other.name))
        return None
    if not path.is_file():
        report.error(Location(CONFIG_FILE), Msg.of(
            N_("the site configuration is missing: create {file} in the site folder"),
            file=CONFIG_FILE))
        return None
    try:
        text = read_text(path, CONFIG_FILE)
    except SourceError as exc:
        report.add(exc.problem)
        return None
    config, positions = load_yaml(SiteConfig, text, CONFIG_FILE, report)
    if config is not None:
        check_unique_ids([town.id for town in config.towns], "towns", N_(
            "the town id {id} is used twice; every town needs its own id"), positions, report)
    return config


def check_unique_ids(ids: list[str], key: str, message: str, positions: Positions,
                     report: Report) -> None:
    """Report an id used twice in a list of ``key`` (``message`` names what needs its own)."""
    seen: set[str] = set()
    for index, value in enumerate(ids):
        if value in seen:
            report.error(positions.locate((key, index, "id")), Msg.of(message, id=quoted(value)),
                         dotted((key, index, "id")))
        seen.add(value)


def load_yaml(model: type[M], text: str, display: str,
               report: Report) -> tuple[M | None, Positions]:
    """Parse YAML text and validate it; return the value and where each value stands."""
    try:
        data, positions = parse_yaml(text, display)
    except SourceError as exc:
        report.add(exc.problem)
        return None, Positions(display)
    except UNREADABLE as exc:
        _unreadable(display, exc, report)
        return None, Positions(display)
    data, allowed = take_allowed(data, positions, report)
    guard_values(data, positions, report, allowed)
    try:
        value, problems = validate(model, data, positions)
    except UNREADABLE as exc:
        _unreadable(display, exc, report)
        return None, positions
    report.extend(problems)
    return value, positions


def _unreadable(display: str, exc: BaseException, report: Report) -> None:
    """Report a file too odd for the parsers (deep nesting, huge numbers), never crash."""
    log.debug("%s could not be read", display, exc_info=exc)
    report.error(Location(display), Msg.of(
        N_("this file could not be read ({error}); look for very deeply nested brackets or "
           "lists, a number with thousands of digits, or a stray character"),
        error=type(exc).__name__))
