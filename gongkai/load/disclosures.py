"""A village's finance periods and Markdown disclosures, each parsed and checked on its own."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from gongkai.check.accounts import check_accounts
from gongkai.check.affairs import check_approval, check_attendance, check_dues, check_steps
from gongkai.check.finance import Loaded, chain, check_review, check_signoff
from gongkai.check.future import Dated
from gongkai.check.notices import (
    check_notice_extras,
    check_recruitment,
    item_notice,
    resolve_notice,
)
from gongkai.check.privacy import guard_name, guard_text, guard_values, take_allowed
from gongkai.check.projects import check_project
from gongkai.core.dates import Period, parse_period
from gongkai.core.errors import Location, Report, quoted
from gongkai.core.i18n import N_, Msg
from gongkai.load.files import (
    YAML_SUFFIXES,
    check_attachments,
    content_files,
    is_published_file,
    missing_file,
)
from gongkai.load.parsing import Parsing, load_yaml
from gongkai.model.addresses import url_slug
from gongkai.model.budget import PLAN_SUFFIX
from gongkai.model.canonical import content_digest
from gongkai.model.coa import chart, chart_id_for
from gongkai.model.config import Rules
from gongkai.model.content import Item, Kind, Ledger
from gongkai.model.disclosure import AffairsFile, PartyFile
from gongkai.model.finance import Correction, LedgerFile
from gongkai.model.validation import validate
from gongkai.read.markup import render_markdown
from gongkai.read.mdcost import MarkdownTooComplex
from gongkai.read.sitefolder import display_path
from gongkai.read.source import FrontMatter, Positions, split_front_matter
from gongkai.read.yamlfile import dotted, parse_yaml


def load_ledgers(root: Path, folder: Path, rules: Rules, parsing: Parsing,
                 report: Report, plans: list[Path] | None = None) -> list[Ledger]:
    """Load every ``finance/<period>.yaml`` of a village and chain them, newest first;
    the year plans (``finance/<year>-plan.yaml``) are added to ``plans``, to load apart."""
    loaded: dict[str, Loaded] = {}
    for path in content_files(folder / "finance", YAML_SUFFIXES, root, report):
        if path.stem.endswith(PLAN_SUFFIX):
            if plans is not None:
                plans.append(path)
            continue
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
    parse = partial(parse_ledger, display=display, village=village, period=period, rules=rules)
    loaded = parsing.through(path, display, "ledger", parse, report)
    if loaded is not None:
        _note_published(loaded, parsing)
        for side, lines in (("income", loaded.ledger.data.income),
                            ("expense", loaded.ledger.data.expense)):
            for index, line in enumerate(lines):
                check_attachments(path.parent.parent, line.attachments, loaded.positions,
                                  report, (side, index))
    return loaded


def parse_ledger(text: str, report: Report, *, display: str, village: str, period: Period,
                 rules: Rules) -> Loaded | None:
    """Parse one finance period and check what its bytes alone decide."""
    ledger, positions = load_yaml(LedgerFile, text, display, report)
    if ledger is None:
        return None
    _check_dates(ledger, period, positions, report)
    chart_id = chart_id_for(period.start, rules.chart_of_accounts, ledger.chart_of_accounts)
    ledger = check_accounts(ledger, chart(chart_id), positions, report, rules.added_accounts)
    check_signoff(ledger, rules.signoff_above, positions, report)
    check_review(ledger, positions, report)
    if ledger.reviewed_by is None:
        report.warning(positions.locate(("reviewed_by",), key=True), Msg.of(
            N_("no reviewed_by: a finance disclosure is reviewed by the village affairs "
               "supervisory committee before it is posted; add “reviewed_by: {{names: [...], "
               "date: ..., opinion: ...}}”")), "reviewed_by")
    notice = resolve_notice(ledger.published, ledger.notice_until, rules.notice_days,
                            positions, ("notice_until",), report)
    links: list[tuple[str, int]] = []
    note = body_html(ledger.note, _block_start(positions, ("note",), ledger.note), report,
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


def load_items(root: Path, folder: Path, kind: Kind, rules: Rules, steps: tuple[str, ...],
               parsing: Parsing, report: Report) -> list[Item]:
    """Load every Markdown disclosure of one kind, newest first.

    ``steps`` is the village's decision sequence (the county's with its own added); it is
    part of the cache key, since village.yaml can change it without the file changing."""
    items = []
    for path in content_files(folder / kind, ".md", root, report):
        display = display_path(root, path)
        parse = partial(parse_item, display=display, village=folder.name, kind=kind,
                        stem=path.stem, rules=rules, steps=steps)
        loaded = parsing.through(path, display, "\0".join((kind, *steps)), parse, report)
        if loaded is not None:
            item, positions = loaded
            parsing.dated.append(Dated(positions.locate(("date",)), "date", item.data.date))
            _note_corrections(item.data.corrections, positions, parsing)
            check_attachments(folder, item.data.attachments, positions, report)
            _check_milestone_photos(folder, item, positions, report)
            items.append(item)
    return sorted(items, key=lambda item: (item.data.date, item.slug), reverse=True)


def read_disclosure(text: str, display: str,
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


def parse_item(text: str, report: Report, *, display: str, village: str, kind: Kind,
               stem: str, rules: Rules, steps: tuple[str, ...] = ()
               ) -> tuple[Item, Positions] | None:
    """Parse one Markdown disclosure and check what its bytes alone decide."""
    parts, data, positions = read_disclosure(text, display, report)
    model: type[AffairsFile] | type[PartyFile] = AffairsFile if kind == "affairs" else PartyFile
    front, problems = validate(model, data, positions)
    report.extend(problems)
    if front is None:
        return None
    notice = None if front.notice is None else item_notice(front.notice, rules, positions,
                                                           report)
    if isinstance(front, PartyFile) and front.type == "recruitment":
        check_recruitment(front, notice, positions, rules.recruitment_notice_working_days, report)
    check_steps(front.steps, steps or rules.decision_steps, positions, report)
    check_attendance(front.attendance, positions, report)
    check_approval(front.approval, positions, report)
    if isinstance(front, AffairsFile):
        check_project(front.project, positions, report)
    if isinstance(front, PartyFile):
        check_dues(front.dues, positions, report)
    check_notice_extras(front, positions, report)
    links: list[tuple[str, int]] = []
    return Item(village, kind, url_slug(stem), display, front,
                body_html(parts.body, Location(display, parts.body_line), report, links),
                notice, tuple(links), content_digest(front, parts.body)), positions


def _block_start(positions: Positions, path: tuple[str, ...], text: str) -> Location:
    """Return where a YAML text value's first line is: after the | of a block."""
    where = positions.locate(path)
    if "\n" in text and where.line is not None:
        return Location(where.file, where.line + 1)
    return where


def body_html(text: str, start: Location, report: Report,
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


def _check_milestone_photos(village_dir: Path, item: Item, positions: Positions,
                            report: Report) -> None:
    """Report milestone photos that are not published files of the village's files/."""
    project = item.data.project if isinstance(item.data, AffairsFile) else None
    for index, milestone in enumerate(project.milestones if project else ()):
        for number, name in enumerate(milestone.photos):
            if not is_published_file(village_dir, name):
                missing_file(("project", "milestones", index, "photos", number), name,
                             positions, report, village_dir)
