"""Holding the content to what was sealed: corrections where a sealed disclosure changed,
and what each disclosure's page says of its record (version, seal, corrections, earlier
versions, balances moved by a correction before it)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from gongkai.core.errors import Location, Report, quoted
from gongkai.core.i18n import N_, Msg
from gongkai.load.site import Disclosure, Site, reparse
from gongkai.model.addresses import earlier_path
from gongkai.model.canonical import BODY, canonical, differences, notes_digest
from gongkai.model.config import Rules
from gongkai.model.content import Ledger
from gongkai.model.finance import Correction
from gongkai.read.source import SourceError, split_front_matter
from gongkai.read.text import decode_text
from gongkai.read.yamlfile import dotted
from gongkai.trust.context import (
    check_contexts,
    check_correction_dates,
    disclosures,
    where,
)
from gongkai.trust.log import Checkpoint, Entry, History, HistoryError

log = logging.getLogger(__name__)

SHOWN_CHANGES = 3  # changes named in one message; the rest are counted


@dataclass(frozen=True)
class OldVersion:
    """An earlier version of a disclosure, kept at its own address."""

    version: int
    sealed: date
    path: str  # output path of its page


@dataclass(frozen=True)
class Moved:
    """A ledger's opening balance, moved since it was sealed by a correction before it."""

    before: Decimal
    after: Decimal


@dataclass(frozen=True)
class Record:
    """What a disclosure's page says of its seal and its corrections."""

    version: int          # the version the page shows; 0 when it was never sealed
    sealed: date | None   # when that version was sealed (None: not yet)
    seal: int             # the seal that sealed it (0: not yet)
    short: str            # that seal's short root hash, as the wall shows it
    corrections: tuple[Correction, ...]
    old: tuple[OldVersion, ...] = ()
    moved: Moved | None = None


def corrections_of(disclosure: Disclosure) -> tuple[Correction, ...]:
    """Return a disclosure's correction entries, oldest first as written."""
    return tuple(disclosure.data.corrections)


def balances(disclosure: Disclosure) -> tuple[Decimal | None, Decimal | None]:
    """Return a ledger's opening and closing balances as its page shows them."""
    if isinstance(disclosure, Ledger):
        return disclosure.opening, disclosure.closing
    return None, None


def check_records(site: Site, history: History | None, page_of: dict[str, str],
                  report: Report) -> dict[str, Record]:
    """Report sealed disclosures changed without a correction, or gone; return the
    record of every disclosure that has one, by source file.

    ``page_of`` gives each disclosure's page address (by source file)."""
    found: dict[str, Record] = {}
    versions = history.versions() if history is not None else {}
    seals = {c.seal: c for c in history.checkpoints} if history is not None else {}
    present = set()
    contexts = check_contexts(site, history, report) if history is not None else {}
    for disclosure in disclosures(site):
        present.add(disclosure.source)
        sealed = versions.get(disclosure.source, [])
        notes = corrections_of(disclosure)
        if not sealed:
            if notes:
                found[disclosure.source] = Record(0, None, 0, "", notes)
            continue
        assert history is not None
        _check_one(site.root, disclosure, sealed[-1], history, report)
        found[disclosure.source] = _record(disclosure, sealed, seals, page_of,
                                           contexts.get(disclosure.source, ""))
    for path, sealed in versions.items():
        # A file that is there but did not load has its own errors already.
        if path not in present and not (site.root / path).exists():
            last = sealed[-1]
            report.error(Location(path), Msg.of(N_(
                "this disclosure was sealed (version {version}, sealed on {date}) and its file "
                "is gone; a published disclosure stays published: put the file back (for "
                "example with “git checkout -- {path}”) and correct it instead"),
                version=last.version, date=last.date.isoformat(), path=path))
    check_balances(site, history, report)
    check_correction_dates(site, history, report)
    return found


def _record(disclosure: Disclosure, sealed: Sequence[Entry], seals: dict[int, Checkpoint],
            page_of: dict[str, str], context: str) -> Record:
    """Work out what a sealed disclosure's page says of its record."""
    last = sealed[-1]
    page = page_of.get(disclosure.source, "")
    old = tuple(OldVersion(entry.version, entry.date, earlier_path(page, entry.version))
                for entry in sealed[:-1])
    opening, closing = balances(disclosure)
    pending = (disclosure.content != last.content
               or len(disclosure.data.corrections) > last.corrections
               or (opening, closing) != (last.opening, last.closing)
               or last.context not in ("", context))
    moved = _moved(sealed, opening)
    if pending:
        # The page shows the next version; the one sealed last is now an earlier one.
        old += (OldVersion(last.version, last.date, earlier_path(page, last.version)),)
        return Record(last.version + 1, None, 0, "", corrections_of(disclosure), old, moved)
    checkpoint = seals.get(last.seal)
    return Record(last.version, last.date, last.seal, checkpoint.short if checkpoint else "",
                  corrections_of(disclosure), old, moved)


def _moved(sealed: Sequence[Entry], opening: Decimal | None) -> Moved | None:
    """Return how a ledger's opening balance moved since a sealed version showed another
    (the newest such version), or None."""
    if opening is None:
        return None
    for entry in reversed(sealed):
        if entry.opening is not None and entry.opening != opening:
            return Moved(entry.opening, opening)
    return None


def check_balances(site: Site, history: History | None, report: Report) -> None:
    """Report a sealed period whose opening balance moved with nothing before it to explain
    it: the period before must have changed since it was sealed (a corrected line moves
    its closing balance), or the period itself must carry a new correction entry (a
    first period's stated opening balance, say)."""
    if history is None:
        return
    versions = history.versions()
    for village in site.villages:
        previous: Ledger | None = None
        for ledger in reversed(village.ledgers):  # oldest first
            sealed = versions.get(ledger.source)
            if sealed and _unexplained(ledger, sealed[-1], previous, versions):
                last = sealed[-1]
                report.error(where(site.root, ledger.source, ("opening_balance",)), Msg.of(N_(
                    "the opening balance of this period was {before} when it was sealed on "
                    "{date} (version {version}) and is now {after}, though no period before it "
                    "changed; if the change is right, add under “corrections:” an entry with "
                    "its date, change, reason and approved_by; otherwise undo the change"),
                    before=last.opening, date=last.date.isoformat(), version=last.version,
                    after=ledger.opening), "opening_balance")
            previous = ledger


def _unexplained(ledger: Ledger, last: Entry, previous: Ledger | None,
                 versions: dict[str, list[Entry]]) -> bool:
    """Tell whether a sealed period's opening balance moved with no reason on record."""
    if ledger.opening == last.opening or len(ledger.data.corrections) > last.corrections:
        return False
    if previous is None:
        return True
    before = versions.get(previous.source)
    return before is not None and previous.closing == before[-1].closing


def _check_one(root: Path, disclosure: Disclosure, last: Entry, history: History,
               report: Report) -> None:
    """Report a sealed disclosure changed without a correction, or whose sealed
    correction entries were altered."""
    notes = corrections_of(disclosure)
    if len(notes) < last.corrections or notes_digest(notes[:last.corrections]) != last.notes:
        report.error(where(root, disclosure.source, ("corrections",)), Msg.of(N_(
            "the correction entries sealed on {date} were changed or removed; a correction "
            "stays on the record: restore the first {count} entries as they were and add a "
            "new one below them"), date=last.date.isoformat(), count=last.corrections),
            "corrections")
    if disclosure.content == last.content or len(notes) > last.corrections:
        return
    changes = _changes(root, disclosure, last, history)
    path = changes[0][0] if changes else ()
    shown: list[str | Msg] = [_change_text(change) for change in changes[:SHOWN_CHANGES]]
    if len(changes) > SHOWN_CHANGES:
        shown.append(Msg.of(N_("{count} more"), count=len(changes) - SHOWN_CHANGES))
    report.error(where(root, disclosure.source, path), Msg.of(N_(
        "this disclosure was sealed on {date} (version {version}) and has changed since "
        "without a correction entry: {changes}; if the change is right, add under "
        "“corrections:” an entry with its date, change (what changed), reason and "
        "approved_by (who approved it); otherwise undo the change"),
        date=last.date.isoformat(), version=last.version, changes=tuple(shown)),
        BODY if path[:1] == (BODY,) else dotted(path) if path else "")


Change = tuple[tuple[str | int, ...], object, object]


def _changes(root: Path, disclosure: Disclosure, last: Entry, history: History) -> list[Change]:
    """List what changed since the sealed version, field by field; a changed body by its
    first changed line, as ``(("body", index), old line, new line)``."""
    try:
        sealed = history.read_object(last.source)
        before = reparse(disclosure.source, sealed, Rules())
    except HistoryError:
        return []
    if before is None:
        return []
    old, new = canonical(before.data), canonical(disclosure.data)
    if not isinstance(disclosure, Ledger):
        old[BODY], new[BODY] = _body(before), _body(disclosure)
    changes = list(differences(old, new))
    return [_body_line(root, disclosure.source, sealed) or change if change[0] == (BODY,)
            else change for change in changes]


def _body_line(root: Path, source: str, sealed: bytes) -> Change | None:
    """Find the first line of a Markdown body that differs from its sealed version."""
    try:
        was = split_front_matter(decode_text(sealed, source), source).body
        now = split_front_matter((root / source).read_text(encoding="utf-8-sig"), source).body
    except (OSError, UnicodeDecodeError, SourceError):
        return None
    old, new = _lines(was), _lines(now)
    for index in range(max(len(old), len(new))):
        before = old[index] if index < len(old) else ""
        after = new[index] if index < len(new) else ""
        if before != after:
            return (BODY, index), *_around(before, after)
    return None


def _lines(body: str) -> list[str]:
    """Split a body into lines as a reader sees them (line ends and trailing spaces aside)."""
    return [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def _around(before: str, after: str, width: int = 30) -> tuple[str, str]:
    """Cut two versions of a line to where they first differ, with a little before it."""
    same = 0
    while same < min(len(before), len(after)) and before[same] == after[same]:
        same += 1
    start = max(0, same - 8)

    def cut(text: str) -> str:
        head = "…" if start else ""
        tail = "…" if len(text) > start + width else ""
        return head + text[start:start + width] + tail

    return cut(before), cut(after)


def _body(disclosure: Disclosure) -> str:
    """Return a disclosure's rendered body, to tell whether its text changed."""
    return hashlib.sha256(getattr(disclosure, "html", "").encode()).hexdigest()


def _change_text(change: tuple[tuple[str | int, ...], object, object]) -> str | Msg:
    """Say one change: the field, the old value and the new one."""
    path, old, new = change
    if path == (BODY,):
        return Msg(N_("the text below the front matter"))
    if path[:1] == (BODY,):
        return Msg.of(N_("the text below the front matter: {old} → {new}"),
                      old=quoted(str(old)) if old else "—", new=quoted(str(new)) if new else "—")
    return f"{dotted(path)}: {_value(old)} → {_value(new)}"


def _value(value: object) -> str:
    """Show a changed value briefly (a missing one as —)."""
    if value is None:
        return "—"
    text = value if isinstance(value, str) else str(value)
    return quoted(text) if len(text) <= 40 else quoted(text[:39] + "…")


@dataclass(frozen=True)
class Superseded:
    """What the banner of an earlier version says: which version, and where the current is."""

    version: int
    sealed: date
    current: str  # the current version's page


@dataclass(frozen=True)
class Earlier:
    """An earlier version of a disclosure, read back from the seal log, to render again."""

    disclosure: Disclosure
    banner: Superseded
    path: str  # its own page's address


@dataclass(frozen=True)
class Seals:
    """What the pages show of the seal log: each disclosure's record (by source file) and
    the earlier versions to render (by source file)."""

    records: dict[str, Record]
    earlier: dict[str, tuple[Earlier, ...]]
    latest: LatestSeal | None = None  # the newest seal, named on the data page


@dataclass(frozen=True)
class LatestSeal:
    """The newest seal: its number, date, short hash, and whether it is signed."""

    seal: int
    date: date
    short: str
    signed: bool


NO_SEALS = Seals({}, {})


def earlier_versions(history: History, records: dict[str, Record], page_of: dict[str, str],
                     rules: Rules) -> dict[str, tuple[Earlier, ...]]:
    """Read back every superseded version of every disclosure from history/objects/."""
    found: dict[str, tuple[Earlier, ...]] = {}
    versions = history.versions()
    for source, record in records.items():
        if not record.old:
            continue
        entries = {entry.version: entry for entry in versions.get(source, [])}
        kept = []
        for old in record.old:
            entry = entries[old.version]
            disclosure = reparse(source, history.read_object(entry.source), rules)
            if disclosure is None:
                log.warning("%s version %d could not be read back", source, old.version)
                continue
            if isinstance(disclosure, Ledger):
                disclosure = replace(disclosure, opening=entry.opening)
            kept.append(Earlier(disclosure, Superseded(old.version, old.sealed, page_of[source]),
                                old.path))
        found[source] = tuple(kept)
    return found
