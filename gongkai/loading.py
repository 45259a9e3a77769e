"""Load a whole site from disk: read every file, validate it, report every problem.

Loading never stops at the first problem: each file is validated on its own and the
problems of all files are collected in one report.
"""

from __future__ import annotations

import hashlib
import logging
import os
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, TypeVar, cast
from urllib.parse import unquote

from pydantic import BaseModel

from gongkai.addresses import (
    COUNTY_DIR,
    TOWNS_DIR,
    csv_path,
    item_path,
    json_path,
    ledger_path,
    office_folder,
    office_item_path,
    poster_path,
    qr_png_path,
    url_slug,
    village_csv_path,
)
from gongkai.affairs import (
    check_approval,
    check_attendance,
    check_dues,
    check_extra_steps,
    check_steps,
    village_steps,
)
from gongkai.cache import Cache, NoCache, code_digest
from gongkai.coa import chart, chart_id_for
from gongkai.config import SLUG, Rules, SiteConfig
from gongkai.dates import Period, parse_period, working_days
from gongkai.errors import Location, Report, quoted, suggestion, unknown_name
from gongkai.finance import Loaded, chain, check_accounts, check_review, check_signoff
from gongkai.fingerprint import Fingerprinter
from gongkai.future import Dated
from gongkai.history.canonical import content_digest
from gongkai.i18n import N_, Msg
from gongkai.markup import MarkdownTooComplex, render_markdown
from gongkai.model import (
    AffairsFile,
    Correction,
    Item,
    Kind,
    Ledger,
    LedgerFile,
    Notice,
    NoticePeriod,
    OfficeFile,
    OfficeItem,
    OfficeKind,
    OpenNotice,
    PartyFile,
    Village,
    VillageFile,
)
from gongkai.privacy import (
    OFFICE_SUFFIXES,
    TEXT_SUFFIXES,
    guard_attachment,
    guard_folder_name,
    guard_name,
    guard_text,
    guard_values,
    take_allowed,
)
from gongkai.projects import check_project
from gongkai.sitefolder import CONFIG_FILE, CONTENT_DIR, visible
from gongkai.source import (
    FrontMatter,
    Positions,
    SourceError,
    decode_text,
    dotted,
    parse_yaml,
    read_bytes,
    read_text,
    split_front_matter,
    unsafe_character,
)
from gongkai.validation import validate

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
# Scans and photos for phones are a few MB; a bigger file is a mistake that would cost
# every resident who taps it.
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# What a clerk's file can make the parsers raise (nesting too deep for recursion, numbers
# or dates out of range, a NUL in a path); reported against the file instead of a crash.
UNREADABLE = (RecursionError, ValueError, OverflowError, ArithmeticError)
# What files/ may publish: documents, pictures, sound and video, archives. Never HTML,
# SVG or scripts: served from the site's own address, they could run in a resident's
# browser as if the site had written them.
ATTACHMENT_SUFFIXES = frozenset({
    ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".txt", ".csv", ".doc", ".docx",
    ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".dps", ".odt", ".ods", ".odp",
    ".mp3", ".m4a", ".mp4", ".zip", ".rar", ".7z"})


@dataclass(frozen=True)
class Site:
    """Everything a build needs: the configuration and every village's content."""

    root: Path
    config: SiteConfig
    villages: tuple[Village, ...]
    files: tuple[tuple[str, Path], ...] = ()  # (published path, source) of every attachment
    offices: tuple[OfficeItem, ...] = ()  # the towns' and the county's own disclosures
    dated: tuple[Dated, ...] = ()  # every posting date, checked against the build's day


def display_path(root: Path, path: Path) -> str:
    """Name a file the way the clerk sees it: relative to the site folder, with slashes."""
    try:
        return readable(path.relative_to(root).as_posix())
    except ValueError:
        return readable(path.as_posix())


def readable(name: str) -> str:
    """Show a file name as its owner sees it: bytes that are not UTF-8 are read as GBK.

    Python keeps such bytes as lone surrogates, which no page or terminal can show.
    """
    if not any("\udc80" <= char <= "\udcff" for char in name):
        return name
    raw = os.fsencode(name)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


def _admit(root: Path, path: Path, report: Report) -> bool:
    """Tell whether a file or folder of content/ may be read: a usable name, no link out."""
    return _usable_name(root, path, report) and not _links_out(root, path, report)


def _usable_name(root: Path, path: Path, report: Report) -> bool:
    """Report a name that is not UTF-8 or holds invisible control characters."""
    display = display_path(root, path)
    if readable(path.name) != path.name:
        report.error(Location(display), Msg(N_(
            "the name is not in UTF-8, the encoding of web addresses (it was probably made "
            "on an older Windows computer, in GBK); rename it here")))
        return False
    char = unsafe_character(path.name)
    if char is not None:
        report.error(Location(display), Msg.of(N_(
            "the name holds an invisible control character ({code}); rename it"),
            code=f"U+{ord(char):04X}"))
        return False
    return True


def _links_out(root: Path, path: Path, report: Report) -> bool:
    """Report a link that leads out of content/: it could publish any file of the machine."""
    if not path.is_symlink():
        return False
    try:
        inside = path.resolve().is_relative_to((root / CONTENT_DIR).resolve())
    except (OSError, RuntimeError):  # a loop of links
        inside = False
    if not inside:
        report.error(Location(display_path(root, path)), Msg(N_(
            "this is a link to a place outside the content folder; put the file or folder "
            "itself here instead of a link")))
    return not inside


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
    villages = _load_villages(root, config, parsing, report)
    offices = _load_offices(root, config, villages, parsing, report)
    files = _published_files(root, villages, parsing, report)
    files += _office_published_files(root, offices, parsing, report)
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
        copies += _folder_files(root, content / village.id, parsing, report)
    return tuple(copies)


def _folder_files(root: Path, owner: Path, parsing: Parsing,
                  report: Report) -> list[tuple[str, Path]]:
    """List every file to publish under the files/ folder of a village, town or county."""
    copies: list[tuple[str, Path]] = []
    content = root / CONTENT_DIR
    folder = owner / "files"
    home = owner.resolve()
    if not _admit(root, folder, report):
        return copies
    files, folders = _walk(folder)
    for sub in folders:
        guard_folder_name(display_path(root, sub), report)
    for path in files:
        display = display_path(root, path)
        if not _usable_name(root, path, report):
            continue
        guard_name(display, report)
        if not path.resolve().is_relative_to(home):
            report.error(Location(display), Msg.of(N_(
                "this is a link to a place outside the village folder; put the file "
                "itself here instead of a link")))
        elif path.is_file() and path.suffix.lower() not in ATTACHMENT_SUFFIXES:
            report.error(Location(display), Msg.of(
                N_("only documents and pictures are published from files/ ({allowed}); "
                   "a {suffix} file could run script in residents' browsers or is not "
                   "for them: save it as PDF"),
                allowed=" ".join(sorted(ATTACHMENT_SUFFIXES)), suffix=path.suffix or "—"))
        elif path.is_file() and path.stat().st_size > MAX_ATTACHMENT_BYTES:
            report.error(Location(display), Msg.of(
                N_("the file is {size} MB, over the limit of {limit} MB for an "
                   "attachment; make scans smaller (150 dpi is plenty) or split them"),
                size=f"{path.stat().st_size / 1024 / 1024:.1f}",
                limit=MAX_ATTACHMENT_BYTES // 1024 // 1024))
        elif path.is_file():
            if path.suffix.lower() in TEXT_SUFFIXES | OFFICE_SUFFIXES:
                parsing.checked(_file_key(path), partial(guard_attachment, path, display),
                                report)
            copies.append((path.relative_to(content).as_posix(), path))
    return copies


def _file_key(path: Path) -> str:
    """Key an attachment by its identity and change time (a scan is not hashed each build)."""
    stat = path.stat()
    return f"file:{path}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"


def _walk(folder: Path) -> tuple[list[Path], list[Path]]:
    """List the visible files (and links) and the folders under a folder, in order,
    without following links."""
    found, folders = [], []
    for parent, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if visible(Path(d)))
        base = Path(parent)
        links = [d for d in dirs if (base / d).is_symlink()]
        folders += [base / d for d in dirs if d not in links]
        found += [base / name for name in [*files, *links] if visible(Path(name))]
    return sorted(found), sorted(folders)


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


def _load_villages(root: Path, config: SiteConfig | None, parsing: Parsing,
                   report: Report) -> list[Village]:
    """Load every village folder under ``content/``."""
    content = root / CONTENT_DIR
    if not content.is_dir():
        report.error(Location(CONTENT_DIR), Msg.of(
            N_("the content folder is missing: create {folder} with one folder per village"),
            folder=CONTENT_DIR + "/"))
        return []
    villages = []
    for folder in sorted(p for p in content.iterdir() if visible(p)):
        if folder.name in (TOWNS_DIR, COUNTY_DIR):  # the towns' and county's own files
            continue
        if not _admit(root, folder, report):
            continue
        if folder.is_dir():
            village = _load_village(root, folder, config, parsing, report)
            if village is not None:
                villages.append(village)
        else:
            _ignored(root, folder, report)
    return villages


def _ignored(root: Path, path: Path, report: Report) -> None:
    """Warn about a file that is in no place Gongkai reads."""
    report.warning(Location(display_path(root, path)), Msg(
        N_("this file is not used: it is not in a place Gongkai reads; move or delete it")))


def _load_village(root: Path, folder: Path, config: SiteConfig | None, parsing: Parsing,
                  report: Report) -> Village | None:
    """Load one village folder: its profile, finance periods and disclosures."""
    display = display_path(root, folder)
    if not SLUG.match(folder.name):
        report.error(Location(display), Msg.of(
            N_("a village folder name must be lowercase letters, digits and hyphens "
               "(it becomes the web address), found {found}; rename it, e.g. qingshan"),
            found=quoted(folder.name)))
        return None
    guard_folder_name(display, report)
    info = _load_village_file(root, folder, config, parsing, report)
    rules = config.rules if config else Rules()
    ledgers = _load_ledgers(root, folder, rules, parsing, report)
    steps = village_steps(rules.decision_steps, info.extra_steps if info else ())
    affairs = _load_items(root, folder, "affairs", rules, steps, parsing, report)
    party = _load_items(root, folder, "party", rules, steps, parsing, report)
    _check_extra_entries(root, folder, report)
    if info is None:
        return None
    return Village(folder.name, display, info, tuple(ledgers), tuple(affairs), tuple(party))


def _load_village_file(root: Path, folder: Path, config: SiteConfig | None,
                       parsing: Parsing, report: Report) -> VillageFile | None:
    """Read ``village.yaml``, check its town exists and its venue photos are published."""
    path = _village_file(root, folder, report)
    display = display_path(root, path)
    if not _admit(root, path, report):
        return None
    if not path.is_file():
        report.error(Location(display), Msg(
            N_("every village folder needs a village.yaml with at least name and town")))
        return None
    parse = partial(_parse_village, display=display, config=config)
    loaded = parsing.through(path, display, "village", parse, report)
    if loaded is None:
        return None
    info, positions = loaded
    if info.venue is not None:
        photos = [(item, check.photo) for item, check in info.venue.checklist.items()
                  if check.photo]
        for item, photo in photos:
            if not _is_published_file(folder, photo):
                _missing_file(("venue", "checklist", item, "photo"), photo, positions, report,
                              folder)
    return info


# A YAML file may end in .yml as well as .yaml (editors and other tools save either).
YAML_SUFFIXES = (".yaml", ".yml")


def _village_file(root: Path, folder: Path, report: Report) -> Path:
    """Return the village file, village.yaml or village.yml; both at once is an error."""
    path, other = folder / "village.yaml", folder / "village.yml"
    if not (other.is_file() or other.is_symlink()):
        return path
    if path.is_file() or path.is_symlink():
        report.error(Location(display_path(root, other)), Msg.of(
            N_("both {first} and {second} are here, and only one is read; keep one of them"),
            first=display_path(root, path), second=display_path(root, other)))
        return path
    return other


def _parse_village(text: str, report: Report, *, display: str,
                   config: SiteConfig | None) -> tuple[VillageFile, Positions] | None:
    """Parse ``village.yaml`` and check its town exists (what its bytes alone decide)."""
    info, positions = load_yaml(VillageFile, text, display, report)
    if info is None:
        return None
    if config is not None and config.town(info.town) is None:
        report.error(positions.locate(("town",)), _unknown_town(config, info.town), "town")
    check_extra_steps(info.extra_steps, (config.rules if config else Rules()).decision_steps,
                      positions, report)
    return info, positions


def _unknown_town(config: SiteConfig, town: str) -> Msg:
    """Describe a town that is no town id, suggesting the id when its name was written."""
    choices = tuple(t.id for t in config.towns)
    by_name = {t.name: t for t in config.towns}
    match = by_name.get(town) or next(
        (t for t in config.towns if town and town in (t.name.removesuffix("镇"),
                                                      t.name.removesuffix("乡"))), None)
    if match is None:
        close = suggestion(town, choices)
        match = config.town(close) if close else by_name.get(suggestion(town, by_name) or "")
    if match is None:
        return Msg.of(
            N_("expected the id of a town in site_config.yaml ({choices}), found {found}"),
            choices=choices, found=quoted(town))
    return Msg.of(N_("expected the id of a town in site_config.yaml ({choices}), found "
                     "{found}; did you mean “{id}” ({name})?"),
                  choices=choices, found=quoted(town), id=match.id, name=match.name)


def _check_extra_entries(root: Path, folder: Path, report: Report) -> None:
    """Warn about files and folders a village folder should not hold."""
    known = {"village.yaml", "village.yml", "finance", "affairs", "party", "files"}
    for entry in sorted(folder.iterdir()):
        if visible(entry) and entry.name not in known:
            _ignored(root, entry, report)


def _load_ledgers(root: Path, folder: Path, rules: Rules, parsing: Parsing,
                  report: Report) -> list[Ledger]:
    """Load every ``finance/<period>.yaml`` of a village and chain them, newest first."""
    loaded: dict[str, Loaded] = {}
    for path in _files(folder / "finance", YAML_SUFFIXES, root, report):
        item = _load_ledger(root, folder.name, path, rules, parsing, report)
        if item is None:
            continue
        other = loaded.get(item.ledger.period.name)
        if other is not None:
            report.error(Location(item.ledger.source), Msg.of(
                N_("this file is for the same period ({period}) as {other}; keep one of them"),
                period=item.ledger.period.name, other=other.ledger.source))
            continue
        loaded[item.ledger.period.name] = item
    return chain(list(loaded.values()), report)


def _files(folder: Path, suffix: str | tuple[str, ...], root: Path,
           report: Report) -> list[Path]:
    """List the content files of one kind (one suffix or several) in a folder, warning
    about any others."""
    suffixes = (suffix,) if isinstance(suffix, str) else suffix
    if not folder.is_dir() or not _admit(root, folder, report):
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if not visible(path) or not _admit(root, path, report):
            continue
        if path.is_file() and path.suffix in suffixes:
            found.append(path)
        else:
            _ignored(root, path, report)
    return found


def _load_ledger(root: Path, village: str, path: Path, rules: Rules, parsing: Parsing,
                 report: Report) -> Loaded | None:
    """Load one finance period and check its arithmetic, dates and attachments."""
    display = display_path(root, path)
    period = parse_period(path.stem)
    if period is None:
        report.error(Location(display), Msg.of(
            N_("a finance file is named after its period: YYYY-MM (month), YYYY-Qn (quarter) "
               "or YYYY (year), such as 2025-03.yaml; found {found}"), found=quoted(path.name)))
        return None
    parse = partial(_parse_ledger, display=display, village=village, period=period, rules=rules)
    loaded = parsing.through(path, display, "ledger", parse, report)
    if loaded is not None:
        _note_published(loaded, parsing)
        for side, lines in (("income", loaded.ledger.data.income),
                            ("expense", loaded.ledger.data.expense)):
            for index, line in enumerate(lines):
                _check_attachments(path.parent.parent, line.attachments, loaded.positions,
                                   report, (side, index))
    return loaded


def _parse_ledger(text: str, report: Report, *, display: str, village: str, period: Period,
                  rules: Rules) -> Loaded | None:
    """Parse one finance period and check what its bytes alone decide."""
    ledger, positions = load_yaml(LedgerFile, text, display, report)
    if ledger is None:
        return None
    _check_dates(ledger, period, positions, report)
    chart_id = chart_id_for(period.start, rules.chart_of_accounts, ledger.chart_of_accounts)
    check_accounts(ledger, chart(chart_id), positions, report)
    check_signoff(ledger, rules.signoff_above, positions, report)
    check_review(ledger, positions, report)
    if ledger.reviewed_by is None:
        report.warning(positions.locate(("reviewed_by",), key=True), Msg.of(
            N_("no reviewed_by: a finance disclosure is reviewed by the village affairs "
               "supervisory committee before it is posted; add “reviewed_by: {{names: [...], "
               "date: ..., opinion: ...}}”")), "reviewed_by")
    notice = _resolve_notice(ledger.published, ledger.notice_until, rules.notice_days,
                             positions, ("notice_until",), report)
    links: list[tuple[str, int]] = []
    note = _markdown(ledger.note, _block_start(positions, ("note",), ledger.note), report,
                     links)
    return Loaded(Ledger(village, display, period, ledger, notice, note, chart=chart_id,
                         links=tuple(links), content=content_digest(ledger)), positions)


def _note_published(loaded: Loaded, parsing: Parsing) -> None:
    """Note where a period's ``published`` date is, to check it against the build's day."""
    parsing.dated.append(Dated(loaded.positions.locate(("published",)), "published",
                               loaded.ledger.data.published))
    _note_corrections(loaded.ledger.data.corrections, loaded.positions, parsing)


def _note_corrections(corrections: Sequence[Correction], positions: Positions,
                      parsing: Parsing) -> None:
    """Note where each correction's date is: a correction cannot be dated in the future."""
    for number, correction in enumerate(corrections):
        parsing.dated.append(Dated(positions.locate(("corrections", number, "date")),
                                   f"corrections[{number}].date", correction.date,
                                   correction=True))


def _check_dates(ledger: LedgerFile, period: Period, positions: Positions,
                 report: Report) -> None:
    """Check each line's date falls in the file's period."""
    for side, lines in (("income", ledger.income), ("expense", ledger.expense)):
        for index, line in enumerate(lines):
            if not period.contains(line.date):
                report.error(positions.locate((side, index, "date")), Msg.of(
                    N_("expected a date inside the period of this file, found {found}"),
                    found=line.date.isoformat()), dotted((side, index, "date")))


def _load_items(root: Path, folder: Path, kind: Kind, rules: Rules, steps: tuple[str, ...],
                parsing: Parsing, report: Report) -> list[Item]:
    """Load every Markdown disclosure of one kind, newest first.

    ``steps`` is the village's decision sequence (the county's with its own added); it is
    part of the cache key, since village.yaml can change it without the file changing."""
    items = []
    for path in _files(folder / kind, ".md", root, report):
        display = display_path(root, path)
        parse = partial(_parse_item, display=display, village=folder.name, kind=kind,
                        stem=path.stem, rules=rules, steps=steps)
        loaded = parsing.through(path, display, "\0".join((kind, *steps)), parse, report)
        if loaded is not None:
            item, positions = loaded
            parsing.dated.append(Dated(positions.locate(("date",)), "date", item.data.date))
            _note_corrections(item.data.corrections, positions, parsing)
            _check_attachments(folder, item.data.attachments, positions, report)
            _check_milestone_photos(folder, item, positions, report)
            items.append(item)
    return sorted(items, key=lambda item: (item.data.date, item.slug), reverse=True)


def _read_disclosure(text: str, display: str,
                     report: Report) -> tuple[FrontMatter, Any, Positions]:
    """Split a Markdown disclosure and read its front matter, guarding its name, values
    and body against personal numbers (village, town and county ones alike)."""
    guard_name(display, report)
    parts = split_front_matter(text, display)
    data, positions = parse_yaml(parts.header, display, line_offset=parts.header_line)
    data, allowed = take_allowed(data, positions, report)
    guard_values(data, positions, report, allowed)
    guard_text(parts.body, parts.body_line, display, report, allowed)
    return parts, data, positions


def _parse_item(text: str, report: Report, *, display: str, village: str, kind: Kind,
                stem: str, rules: Rules, steps: tuple[str, ...] = ()
                ) -> tuple[Item, Positions] | None:
    """Parse one Markdown disclosure and check what its bytes alone decide."""
    parts, data, positions = _read_disclosure(text, display, report)
    model: type[AffairsFile] | type[PartyFile] = AffairsFile if kind == "affairs" else PartyFile
    front, problems = validate(model, data, positions)
    report.extend(problems)
    if front is None:
        return None
    notice = None if front.notice is None else _item_notice(front.notice, rules, positions,
                                                            report)
    if isinstance(front, PartyFile) and front.type == "recruitment":
        _check_recruitment(front, notice, positions, rules.recruitment_notice_working_days, report)
    check_steps(front.steps, steps or rules.decision_steps, positions, report)
    check_attendance(front.attendance, positions, report)
    check_approval(front.approval, positions, report)
    if isinstance(front, AffairsFile):
        check_project(front.project, positions, report)
    if isinstance(front, PartyFile):
        check_dues(front.dues, positions, report)
    links: list[tuple[str, int]] = []
    return Item(village, kind, url_slug(stem), display, front,
                _markdown(parts.body, Location(display, parts.body_line), report, links),
                notice, tuple(links), content_digest(front, parts.body)), positions


def _block_start(positions: Positions, path: tuple[str, ...], text: str) -> Location:
    """Return where a YAML text value's first line is: after the | of a block."""
    where = positions.locate(path)
    if "\n" in text and where.line is not None:
        return Location(where.file, where.line + 1)
    return where


def _markdown(text: str, start: Location, report: Report,
              links: list[tuple[str, int]] | None = None) -> str:
    """Render Markdown, warning about each image from another website that was left out,
    and noting in ``links`` each address of the site it links to, with its line."""
    remote: list[str] = []
    found: list[str] = []
    try:
        html = render_markdown(text, remote, found) if text else ""
    except MarkdownTooComplex as exc:
        # The line counts from the text's first line, which is start.line in the file.
        report.error(Location(start.file, start.line and start.line + exc.line - 1),
                     exc.message)
        return ""
    for url in remote:
        offset = text.find(url)
        line = start.line and start.line + text.count("\n", 0, max(offset, 0))
        report.warning(Location(start.file, line), Msg.of(
            N_("the image {url} is not a file of this site, so it is left out (every "
               "resident's phone would fetch it from elsewhere); put the picture under "
               "files/ and show it from there"), url=quoted(url)))
    if links is not None:
        links += _link_lines(text, found, start.line or 1)
    return html


def _link_lines(text: str, found: list[str], first: int) -> list[tuple[str, int]]:
    """Find the line of each link in the text it came from (the next one along, for
    a link written twice)."""
    lines: list[tuple[str, int]] = []
    after: dict[str, int] = {}
    for url in found:
        offset = text.find(url, after.get(url, 0))
        if offset < 0:
            offset = text.find(url.replace("&", "&amp;"))
        after[url] = offset + 1 if offset >= 0 else 0
        lines.append((url, first + text.count("\n", 0, max(offset, 0))))
    return lines


def _check_recruitment(front: PartyFile, notice: Notice | OpenNotice | None,
                       positions: Positions, minimum: int, report: Report) -> None:
    """A 发展党员 notice names its stage and runs at least ``minimum`` working days."""
    if front.stage is None:
        report.error(positions.locate(("type",)), Msg.of(
            N_("a party recruitment notice names its stage: add “stage: ” with one of "
               "积极分子, 发展对象, 预备党员 or 转正")), "stage")
    if notice is None:
        report.error(positions.locate(("type",)), Msg.of(
            N_("a party recruitment notice needs its notice period: add “notice: {{from: …, "
               "to: …}}” covering at least {minimum} working days"), minimum=minimum), "notice")
        return
    if isinstance(notice, OpenNotice):
        report.error(positions.locate(("notice", "to")), Msg.of(
            N_("a party recruitment notice runs for a stated time: give “to: …” with its last "
               "day, at least {minimum} working days after the first"), minimum=minimum),
            "notice.to")
        return
    count = working_days(notice.start, notice.end)
    if count < minimum:
        report.error(positions.locate(("notice",)), Msg.of(
            N_("the notice runs {count} working days ({start} to {end}); a party recruitment "
               "notice runs at least {minimum} working days, weekends not counted"),
            count=count, start=notice.start.isoformat(), end=notice.end.isoformat(),
            minimum=minimum), "notice")


def _is_published_file(village_dir: Path, name: str) -> bool:
    """Tell whether a path names a visible file under files/, the folder that is published."""
    files = (village_dir / "files").resolve()
    try:
        target = (village_dir / name).resolve()
        if not target.is_relative_to(files) or not target.is_file():
            return False
    except (OSError, ValueError, RuntimeError):  # a NUL in the name, a loop of links
        return False
    return all(visible(Path(part)) for part in target.relative_to(files).parts)


def _resolve_notice(start: date, end: date | None, notice_days: int, positions: Positions,
                    end_loc: tuple[str, ...], report: Report) -> Notice:
    """Resolve a 公示 period: the end defaults to notice_days later and may not come first."""
    if end is not None and end < start:
        report.error(positions.locate(end_loc), Msg.of(
            N_("expected the end of the notice period on or after its start ({start})"),
            start=start.isoformat()), dotted(end_loc))
    return Notice(start, end or start + timedelta(days=notice_days))


def _item_notice(period: NoticePeriod, rules: Rules, positions: Positions,
                 report: Report) -> Notice | OpenNotice:
    """Resolve a disclosure's 公示: its stated end, 长期公开, or the county rule's end where
    ``rules.notice_end_by_rule`` says one applies; otherwise it has no end, as posted."""
    if period.end == "standing":
        return OpenNotice(period.start, standing=True)
    if isinstance(period.end, date):
        return _resolve_notice(period.start, period.end, rules.notice_days, positions,
                               ("notice", "to"), report)
    if rules.notice_end_by_rule:
        return Notice(period.start, period.start + timedelta(days=rules.notice_days),
                      rules.notice_days)
    return OpenNotice(period.start, standing=False)


def _check_attachments(village_dir: Path, attachments: list[str], positions: Positions,
                       report: Report, parent: tuple[str | int, ...] = ()) -> None:
    """Report attachments that are not published files of the village's files/ folder."""
    for index, name in enumerate(attachments):
        if not _is_published_file(village_dir, name):
            _missing_file((*parent, "attachments", index), name, positions, report,
                          village_dir)


def _missing_file(loc: tuple[str | int, ...], name: str, positions: Positions,
                  report: Report, village_dir: Path | None = None) -> None:
    """Report a path that is not a published file of the village's files/ folder, with
    the nearest name of a file there when one is close."""
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute() or \
            PureWindowsPath(name).drive:
        report.error(positions.locate(loc), Msg.of(
            N_("expected a path inside the village folder, such as files/plan.pdf; found "
               "{found}, a path on the clerk's own computer, which residents cannot open: copy "
               "the file into files/ and name it from there"), found=quoted(name)), dotted(loc))
        return
    close = None if village_dir is None else _closest_file(name, village_dir)
    if close is not None:
        report.error(positions.locate(loc), Msg.of(
            N_("expected a file in the village's files/ folder, such as files/plan.pdf; "
               "found {found}, which is not there; did you mean “{close}”?"),
            found=quoted(name), close=close), dotted(loc))
        return
    report.error(positions.locate(loc), Msg.of(
        N_("expected a file in the village's files/ folder, such as files/plan.pdf; "
           "found {found}, which is not there"), found=quoted(name)), dotted(loc))


def _closest_file(name: str, owner: Path) -> str | None:
    """Return the file of a folder's files/ nearest to a name that is not there, if one is
    close (compared without the files/ they all start with, which would make any two
    names look alike)."""
    folder = owner / "files"
    found, _folders = _walk(folder)
    names = [path.relative_to(folder).as_posix() for path in found if path.is_file()]
    close = suggestion(name.removeprefix("files/"), names)
    return None if close is None else f"files/{close}"



def _check_milestone_photos(village_dir: Path, item: Item, positions: Positions,
                            report: Report) -> None:
    """Report milestone photos that are not published files of the village's files/."""
    project = item.data.project if isinstance(item.data, AffairsFile) else None
    for index, milestone in enumerate(project.milestones if project else ()):
        for number, name in enumerate(milestone.photos):
            if not _is_published_file(village_dir, name):
                _missing_file(("project", "milestones", index, "photos", number), name,
                              positions, report, village_dir)


# --- the towns' and the county's own disclosures ----------------------------------------

OFFICE_KINDS: tuple[OfficeKind, ...] = ("affairs", "finance")


def _load_offices(root: Path, config: SiteConfig | None, villages: list[Village],
                  parsing: Parsing, report: Report) -> list[OfficeItem]:
    """Load content/_county/ and every content/_towns/<town-id>/: their own disclosures."""
    content = root / CONTENT_DIR
    rules = config.rules if config else Rules()
    ids = tuple(village.id for village in villages)
    items: list[OfficeItem] = []
    county = content / COUNTY_DIR
    if county.exists() and _admit(root, county, report):
        if county.is_dir():
            items += _load_office(root, county, "", rules, ids, parsing, report)
        else:
            _ignored(root, county, report)
    towns = content / TOWNS_DIR
    if not towns.exists() or not _admit(root, towns, report):
        return items
    if not towns.is_dir():
        _ignored(root, towns, report)
        return items
    for folder in sorted(p for p in towns.iterdir() if visible(p)):
        if not _admit(root, folder, report):
            continue
        if not folder.is_dir():
            _ignored(root, folder, report)
        elif config is not None and config.town(folder.name) is None:
            report.error(Location(display_path(root, folder)), unknown_name(
                Msg(N_("a folder named after the id of a town in site_config.yaml")),
                folder.name, tuple(town.id for town in config.towns)))
        else:
            items += _load_office(root, folder, folder.name, rules, ids, parsing, report)
    return items


def _load_office(root: Path, folder: Path, office: str, rules: Rules, villages: tuple[str, ...],
                 parsing: Parsing, report: Report) -> list[OfficeItem]:
    """Load a town's or the county's affairs/*.md and finance/*.md, newest first."""
    items = []
    for kind in OFFICE_KINDS:
        for path in _files(folder / kind, ".md", root, report):
            display = display_path(root, path)
            parse = partial(_parse_office, display=display, office=office, kind=kind,
                            stem=path.stem, rules=rules)
            loaded = parsing.through(path, display, f"office-{kind}", parse, report)
            if loaded is None:
                continue
            item, positions = loaded
            _check_office_attachments(root, folder, item, positions, report)
            _check_office_villages(item, positions, villages, report)
            items.append(item)
    known = {*OFFICE_KINDS, "files"}
    for entry in sorted(folder.iterdir()):
        if visible(entry) and entry.name not in known:
            _ignored(root, entry, report)
    return sorted(items, key=lambda item: (item.data.date, item.kind, item.slug), reverse=True)


def _parse_office(text: str, report: Report, *, display: str, office: str, kind: OfficeKind,
                  stem: str, rules: Rules) -> tuple[OfficeItem, Positions] | None:
    """Parse a town's or the county's Markdown disclosure; checked like a village's."""
    parts, data, positions = _read_disclosure(text, display, report)
    front, problems = validate(OfficeFile, data, positions)
    report.extend(problems)
    if front is None:
        return None
    notice = None if front.notice is None else _item_notice(front.notice, rules, positions,
                                                             report)
    links: list[tuple[str, int]] = []
    return OfficeItem(office, kind, url_slug(stem), display, front,
                      _markdown(parts.body, Location(display, parts.body_line), report, links),
                      notice, tuple(links), content_digest(front, parts.body)), positions


def _check_office_attachments(root: Path, folder: Path, item: OfficeItem,
                              positions: Positions, report: Report) -> None:
    """Report attachments that are not published files of the town's or county's files/."""
    for index, name in enumerate(item.data.attachments):
        if not _is_published_file(folder, name):
            loc = ("attachments", index)
            close = _closest_file(name, folder)
            message = Msg.of(
                N_("expected a file in the files/ folder of {folder}, such as files/plan.pdf; "
                   "found {found}, which is not there"),
                folder=display_path(root, folder) + "/", found=quoted(name))
            if close is not None:
                message = Msg.of(N_("{message}; did you mean “{close}”?"), message=message,
                                 close=close)
            report.error(positions.locate(loc), message, dotted(loc))


def _check_office_villages(item: OfficeItem, positions: Positions, villages: tuple[str, ...],
                           report: Report) -> None:
    """Report a village id a town's or the county's file names that is no village folder."""
    named: list[tuple[tuple[str | int, ...], str]] = [
        (("villages", index), village) for index, village in enumerate(item.data.villages)]
    named += [(("allocations", index, "village"), line.village)
              for index, line in enumerate(item.data.allocations)]
    for path, village in named:
        if village not in villages:
            report.error(positions.locate(path), unknown_name(
                Msg(N_("the id of a village, the name of its folder in content/")),
                village, villages), dotted(path))


def _office_published_files(root: Path, offices: list[OfficeItem], parsing: Parsing,
                            report: Report) -> tuple[tuple[str, Path], ...]:
    """List the files/ of every town and the county that published anything."""
    content = root / CONTENT_DIR
    folders = sorted({content / COUNTY_DIR if not item.office
                      else content / TOWNS_DIR / item.office for item in offices})
    return tuple(copy for folder in folders
                 for copy in _folder_files(root, folder, parsing, report))


# --- links inside bodies ------------------------------------------------------------------

# The folders of a village whose every page and file Gongkai knows, where a link can be
# checked; a link elsewhere (the home page, a town's page) is left alone.
_LINKED_KINDS = ("files", "affairs", "party", "finance", "poster")


def check_links(villages: list[Village], offices: list[OfficeItem],
                files: tuple[tuple[str, Path], ...], report: Report) -> None:
    """Report links in bodies and notes that lead to a page or file of the site that
    does not exist, with the nearest existing name.

    An error, like an attachment that is not there: a broken link published to
    residents looks like something withheld."""
    known = _known_addresses(villages, offices, files)
    pages: list[tuple[str, str, tuple[tuple[str, int], ...]]] = []
    for village in villages:
        pages += [(item_path(item), item.source, item.links)
                  for item in (*village.affairs, *village.party)]
        pages += [(ledger_path(ledger), ledger.source, ledger.links)
                  for ledger in village.ledgers]
    pages += [(office_item_path(item), item.source, item.links) for item in offices]
    for page, source, links in pages:
        for link, line in links:
            problem = _broken_link(page, link, known)
            if problem is not None:
                report.error(Location(source, line), problem)


def _known_addresses(villages: list[Village], offices: list[OfficeItem],
                     files: tuple[tuple[str, Path], ...]) -> dict[str, set[str]]:
    """Map each folder of the site whose contents are all known to the names in it."""
    known: dict[str, set[str]] = {}

    def add(path: str, folder: str) -> None:
        known.setdefault(folder, set()).add(path[len(folder) + 1:])

    for village in villages:
        for kind in _LINKED_KINDS:
            known.setdefault(f"{village.id}/{kind}", {"index.html"} if kind != "files"
                             else set())
        for item in (*village.affairs, *village.party):
            for path in (item_path(item), qr_png_path(item_path(item))):
                add(path, f"{item.village}/{item.kind}")
        for ledger in village.ledgers:
            for path in (ledger_path(ledger), qr_png_path(ledger_path(ledger)),
                         csv_path(ledger), json_path(ledger), village_csv_path(village.id)):
                add(path, f"{village.id}/finance")
            add(poster_path(ledger), f"{village.id}/poster")
    for own in offices:
        folder = office_folder(own.office)
        known.setdefault(f"{folder}/files", set())
        for path in (office_item_path(own), qr_png_path(office_item_path(own))):
            add(path, f"{folder}/{own.kind}")
    for published, _source in files:
        owner = published.split("/files/", 1)[0]
        add(published, f"{owner}/files")
    return known


def _known_folder(target: str, known: dict[str, set[str]]) -> str | None:
    """Return the known folder a site path lies in: looked up by its leading segments
    (a county has thousands of folders, and every link of every body is checked)."""
    parts = target.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        if folder in known:
            return folder
    return None


def _broken_link(page: str, link: str, known: dict[str, set[str]]) -> Msg | None:
    """Describe a link of a page that leads to no page or file of the site, if it does."""
    address = unquote(link.split("#", 1)[0].split("?", 1)[0])
    if not address or address.startswith("/"):
        return None
    here = posixpath.dirname(page)
    target = posixpath.normpath(posixpath.join(here, address))
    if target == ".." or target.startswith("../"):
        return Msg.of(N_("the link {link} leads outside the site; link to pages and files "
                         "of the site only, or write the full address starting with "
                         "https://"), link=quoted(link))
    folder = _known_folder(target, known)
    if folder is None or target[len(folder) + 1:] in known[folder]:
        return None
    close = suggestion(target[len(folder) + 1:], sorted(known[folder]))
    if close is None:
        return Msg.of(N_("the link {link} leads to {target}, which is not a page or file of "
                         "the site; check the name"), link=quoted(link), target=target)
    return Msg.of(N_("the link {link} leads to {target}, which is not a page or file of the "
                     "site; did you mean “{close}”?"), link=quoted(link), target=target,
                  close=posixpath.relpath(f"{folder}/{close}", here or "."))


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
        if parts[1] in (COUNTY_DIR, TOWNS_DIR):
            office = parts[2] if parts[1] == TOWNS_DIR else ""
            kind = parts[-2]
            if kind not in OFFICE_KINDS:
                return None
            found = _parse_office(text, quiet, display=display, office=office,
                                  kind=kind, stem=stem, rules=rules)
            return None if found is None else found[0]
        if parts[2] == "finance":
            period = parse_period(stem)
            loaded = None if period is None else _parse_ledger(
                text, quiet, display=display, village=parts[1], period=period, rules=rules)
            return None if loaded is None else loaded.ledger
        if parts[2] in ("affairs", "party"):
            item = _parse_item(text, quiet, display=display, village=parts[1],
                               kind=cast(Kind, parts[2]), stem=stem, rules=rules)
            return None if item is None else item[0]
    except (SourceError, *UNREADABLE):
        return None
    return None
