"""What a disclosure's page shows from outside its own file: the attachments it links,
the village profile and the rules that change its text.

A seal records these with each version (as an object of ``history/objects/``, named in
the entry's ``context``), so that replacing a sealed attachment, or changing
``rules.notice_days`` under a sealed ledger's 公示期, is a change that needs a correction
like any other, named at the file and line that changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from gongkai.core.errors import Location, Report, quoted
from gongkai.core.i18n import N_, Msg
from gongkai.load.site import Disclosure, Site
from gongkai.model.canonical import BODY
from gongkai.model.content import Ledger, OfficeItem
from gongkai.read.sitefolder import CONFIG_FILE
from gongkai.read.source import SourceError, split_front_matter
from gongkai.read.yamlfile import dotted, parse_yaml
from gongkai.trust.log import Entry, History, HistoryError

# What a village page shows of its village.yaml.
SHOWN_PROFILE = (("name",), ("town",), ("contacts", "office_phone"),
                 ("contacts", "supervision_phone"))

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Shown:
    """One value a page shows from another file: the file, the field, the value."""

    file: str
    path: Path_
    value: object


@dataclass(frozen=True)
class Context:
    """Every value a disclosure shows from other files, and the bytes of its attachments."""

    values: tuple[Shown, ...]
    attachments: dict[str, bytes]  # by SHA-256

    def data(self) -> bytes:
        """Return the values as the canonical JSON kept in history/objects/."""
        rows = [[shown.file, list(shown.path), shown.value] for shown in self.values]
        return json.dumps(rows, ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")).encode()

    @property
    def digest(self) -> str:
        """Return the SHA-256 the log entry names."""
        return hashlib.sha256(self.data()).hexdigest()


def disclosures(site: Site) -> Iterator[Disclosure]:
    """Yield every disclosure of a site: ledgers, village items, the offices' items."""
    for village in site.villages:
        yield from village.ledgers
        yield from village.affairs
        yield from village.party
    yield from site.offices


def parse_context(data: bytes) -> tuple[Shown, ...]:
    """Read back a context kept in history/objects/."""
    rows = json.loads(data)
    return tuple(Shown(str(file), tuple(path), value) for file, path, value in rows)


def context_of(site: Site, disclosure: Disclosure) -> Context:
    """Work out what a disclosure shows from outside its file."""
    values = list(_from_config(site, disclosure))
    if not isinstance(disclosure, OfficeItem):
        village = site.village_by_id.get(disclosure.village)
        if village is not None:
            raw = village.info.model_dump(mode="json")
            profile = f"{village.source}/village.yaml"
            if not (site.root / profile).is_file():
                profile = f"{village.source}/village.yml"
            for path in SHOWN_PROFILE:
                values.append(Shown(profile, path, _dig(raw, path)))
    attachments: dict[str, bytes] = {}
    folder = PurePosixPath(disclosure.source).parent.parent
    for name in sorted(set(_attachments(disclosure))):
        shown = str(folder / name)
        try:
            data = (site.root / shown).read_bytes()
        except OSError:
            continue  # a missing attachment is an error of its own
        digest = hashlib.sha256(data).hexdigest()
        attachments[digest] = data
        values.append(Shown(shown, (), f"sha256:{digest}"))
    return Context(tuple(values), attachments)


def _from_config(site: Site, disclosure: Disclosure) -> Iterator[Shown]:
    """Yield the site title, the disclosure's town and the rules its page shows."""
    config = site.config
    yield Shown(CONFIG_FILE, ("site", "title"), config.site.title)
    if isinstance(disclosure, OfficeItem):
        town = disclosure.office
    else:
        village = site.village_by_id.get(disclosure.village)
        town = village.info.town if village is not None else ""
    for index, entry in enumerate(config.towns):
        if entry.id == town:
            raw = entry.model_dump(mode="json")
            for name in ("name", "supervision_phone"):
                yield Shown(CONFIG_FILE, ("towns", index, name), raw.get(name))
    # The resolved values, so that a rule changes only the sealed disclosures it changes:
    # a 公示期 that ends notice_days after it starts, a ledger's chart of accounts, the
    # steps of a decision.
    notice = disclosure.notice
    if notice is not None:
        end = getattr(notice, "end", None)
        yield Shown(CONFIG_FILE, ("rules", "notice_days"),
                    f"{notice.start.isoformat()}/{end.isoformat() if end else ''}")
    if isinstance(disclosure, Ledger):
        yield Shown(CONFIG_FILE, ("rules", "chart_of_accounts"), disclosure.chart)
    elif getattr(disclosure.data, "steps", None):
        yield Shown(CONFIG_FILE, ("rules", "decision_steps"), list(config.rules.decision_steps))


def _dig(raw: object, path: Path_) -> object:
    """Return the value at a path of plain data, None when it is not there."""
    for key in path:
        if not isinstance(raw, dict):
            return None
        raw = raw.get(key)
    return raw


def _attachments(disclosure: Disclosure) -> Iterator[str]:
    """Yield every attachment a disclosure names, its lines' included."""
    if isinstance(disclosure, Ledger):
        for line in (*disclosure.data.income, *disclosure.data.expense):
            yield from line.attachments
    else:
        yield from disclosure.data.attachments


def changed(old: tuple[Shown, ...], new: tuple[Shown, ...]) -> list[tuple[Shown | None,
                                                                          Shown | None]]:
    """Pair what changed between two contexts: (old, new), either None when it is gone
    or new; matched by file and field."""
    before = {(s.file, s.path): s for s in old}
    after = {(s.file, s.path): s for s in new}
    return [(before.get(key), after.get(key)) for key in sorted(
        set(before) | set(after), key=lambda k: (k[0], [str(p) for p in k[1]]))
        if before.get(key) != after.get(key)]



# --- holding sealed disclosures to what they showed ------------------------------------

SHOWN_DISCLOSURES = 3  # sealed disclosures named in one message; the rest are counted


def check_contexts(site: Site, history: History, report: Report) -> dict[str, str]:
    """Report each value from another file that changed under a sealed disclosure with
    no new correction entry, once per value (naming the disclosures it changes); return
    each sealed disclosure's context digest now, by source file."""
    versions = history.versions()
    now: dict[str, str] = {}
    hit: dict[tuple[str, Path_], list[tuple[str, object, object, Entry]]] = {}
    for disclosure in disclosures(site):
        sealed = versions.get(disclosure.source)
        if not sealed or not sealed[-1].context:
            continue
        last, context = sealed[-1], context_of(site, disclosure)
        now[disclosure.source] = context.digest
        if context.digest == last.context or len(disclosure.data.corrections) > last.corrections:
            continue
        try:
            old = parse_context(history.read_object(last.context))
        except (HistoryError, ValueError, TypeError):
            continue  # the object's damage is reported where the log is read
        for before, after in changed(old, context.values):
            key = (before or after).file, (before or after).path  # type: ignore[union-attr]
            hit.setdefault(key, []).append((disclosure.source, before and before.value,
                                            after and after.value, last))
    for (file, path), affected in sorted(hit.items(), key=lambda kv: kv[0][0]):
        _report_change(site.root, file, path, affected, report)
    return now


def _report_change(root: Path, file: str, path: Path_,
                   affected: list[tuple[str, object, object, Entry]], report: Report) -> None:
    """Say that a value a sealed disclosure showed changed, where it changed."""
    _source, old, new, last = affected[0]
    names: list[str | Msg] = [source for source, *_rest in affected[:SHOWN_DISCLOSURES]]
    if len(affected) > SHOWN_DISCLOSURES:
        names.append(Msg.of(N_("{count} more"), count=len(affected) - SHOWN_DISCLOSURES))
    field = dotted(path) if path else ""
    what = Msg.of(N_("{field}: {old} → {new}"), field=field, old=_value(old),
                  new=_value(new)) if path else Msg(N_("the file's bytes changed"))
    report.error(where(root, file, path), Msg.of(N_(
        "this changes what sealed disclosures show ({what}): {disclosures}, sealed on {date} "
        "(version {version}); a sealed disclosure changes only with a correction: undo the "
        "change, or add under “corrections:” in each of them an entry with its date, change, "
        "reason and approved_by"), what=what, disclosures=tuple(names),
        date=last.date.isoformat(), version=last.version), field)


def _value(value: object) -> str:
    """Show a value briefly (a missing one as —)."""
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return quoted(text if len(text) <= 40 else text[:39] + "…")


def check_correction_dates(site: Site, history: History | None, report: Report) -> None:
    """Report a correction dated before the disclosure was published, or before the seal
    of the version it corrects: a 更正公告 is never backdated."""
    versions = history.versions() if history is not None else {}
    for disclosure in disclosures(site):
        published = _published(disclosure)
        sealed = versions.get(disclosure.source)
        last = sealed[-1] if sealed else None
        for index, note in enumerate(disclosure.data.corrections):
            if last is not None and index >= last.corrections and note.date < last.date:
                floor, why = last.date, Msg.of(N_("the seal of version {version}, which it "
                                                  "corrects"), version=last.version)
            elif note.date < published:
                floor, why = published, Msg(N_("its publication"))
            else:
                continue
            loc = ("corrections", index, "date")
            report.error(where(site.root, disclosure.source, loc), Msg.of(N_(
                "this correction is dated {date}, before {why} ({floor}); a correction is "
                "dated the day it is made: give that day"), date=note.date.isoformat(),
                why=why, floor=floor.isoformat()), dotted(loc))


def _published(disclosure: Disclosure) -> date:
    """Return the day a disclosure was published."""
    if isinstance(disclosure, Ledger):
        return disclosure.data.published
    return disclosure.data.date


def where(root: Path, source: str, path: tuple[str | int, ...]) -> Location:
    """Find the line of a field in the file now in content/ (the file itself, failing that)."""
    try:
        text = (root / source).read_text(encoding="utf-8-sig")
        if source.endswith(".md"):
            parts = split_front_matter(text, source)
            if path and path[0] == BODY:
                offset = path[1] if len(path) > 1 and isinstance(path[1], int) else 0
                return Location(source, parts.body_line + offset)
            _data, positions = parse_yaml(parts.header, source, line_offset=parts.header_line)
        else:
            _data, positions = parse_yaml(text, source)
    except (OSError, UnicodeDecodeError, SourceError):
        return Location(source)
    return positions.locate(path) if path else Location(source)
