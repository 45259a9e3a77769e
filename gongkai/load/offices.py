"""The towns' and the county's own disclosures (``content/_towns/``, ``content/_county/``)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from gongkai.check.notices import check_notice_extras, item_notice
from gongkai.core.errors import Location, Report, quoted, unknown_name
from gongkai.core.i18n import N_, Msg
from gongkai.load.disclosures import body_html, read_disclosure
from gongkai.load.files import (
    admit,
    closest_file,
    content_files,
    folder_files,
    is_published_file,
    warn_unused,
)
from gongkai.load.parsing import Parsing
from gongkai.model.addresses import COUNTY_OFFICE_DIR, TOWN_OFFICES_DIR, url_slug
from gongkai.model.canonical import content_digest
from gongkai.model.config import Rules, SiteConfig
from gongkai.model.content import OfficeItem, OfficeKind, Village
from gongkai.model.disclosure import OfficeFile
from gongkai.model.validation import validate
from gongkai.read.sitefolder import CONTENT_DIR, display_path, visible
from gongkai.read.source import Positions
from gongkai.read.yamlfile import dotted

OFFICE_KINDS: tuple[OfficeKind, ...] = ("affairs", "finance")


def load_offices(root: Path, config: SiteConfig | None, villages: list[Village],
                 parsing: Parsing, report: Report) -> list[OfficeItem]:
    """Load content/_county/ and every content/_towns/<town-id>/: their own disclosures."""
    content = root / CONTENT_DIR
    rules = config.rules if config else Rules()
    ids = tuple(village.id for village in villages)
    items: list[OfficeItem] = []
    county = content / COUNTY_OFFICE_DIR
    if county.exists() and admit(root, county, report):
        if county.is_dir():
            items += _load_office(root, county, "", rules, ids, parsing, report)
        else:
            warn_unused(root, county, report)
    towns = content / TOWN_OFFICES_DIR
    if not towns.exists() or not admit(root, towns, report):
        return items
    if not towns.is_dir():
        warn_unused(root, towns, report)
        return items
    for folder in sorted(p for p in towns.iterdir() if visible(p)):
        if not admit(root, folder, report):
            continue
        if not folder.is_dir():
            warn_unused(root, folder, report)
        elif config is not None and config.town(folder.name) is None:
            report.error(Location(display_path(root, folder)), unknown_name(
                Msg(N_("a folder named after the id of a town in site_config.yaml")),
                folder.name, tuple(town.id for town in config.towns)))
        else:
            loaded = _load_office(root, folder, folder.name, rules, ids, parsing, report)
            _check_listed(folder.name, loaded, villages, report)
            items += loaded
    return items


def _check_listed(town: str, items: list[OfficeItem], villages: list[Village],
                  report: Report) -> None:
    """Report a town's notices when the town has no villages: its page, the one place that
    lists them, is not built, so they would be published where no one finds them."""
    if any(village.info.town == town for village in villages):
        return
    for item in items:
        report.error(Location(item.source), Msg.of(
            N_("this notice of the town {town} would be listed on no page: no village's "
               "village.yaml says “town: {town}”, so the town's page is not built; add the "
               "town's villages, or move the notice to the folder of the town that published "
               "it"), town=town))


def _load_office(root: Path, folder: Path, office: str, rules: Rules, villages: tuple[str, ...],
                 parsing: Parsing, report: Report) -> list[OfficeItem]:
    """Load a town's or the county's affairs/*.md and finance/*.md, newest first."""
    items = []
    for kind in OFFICE_KINDS:
        for path in content_files(folder / kind, ".md", root, report):
            display = display_path(root, path)
            parse = partial(parse_office, display=display, office=office, kind=kind,
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
            warn_unused(root, entry, report)
    return sorted(items, key=lambda item: (item.data.date, item.kind, item.slug), reverse=True)


def parse_office(text: str, report: Report, *, display: str, office: str, kind: OfficeKind,
                 stem: str, rules: Rules) -> tuple[OfficeItem, Positions] | None:
    """Parse a town's or the county's Markdown disclosure; checked like a village's."""
    parts, data, positions = read_disclosure(text, display, report)
    front, problems = validate(OfficeFile, data, positions)
    report.extend(problems)
    if front is None:
        return None
    notice = None if front.notice is None else item_notice(front.notice, rules, positions,
                                                             report)
    check_notice_extras(front, positions, report)
    links: list[tuple[str, int]] = []
    return OfficeItem(office, kind, url_slug(stem), display, front,
                      body_html(parts.body, Location(display, parts.body_line), report, links),
                      notice, tuple(links), content_digest(front, parts.body)), positions


def _check_office_attachments(root: Path, folder: Path, item: OfficeItem,
                              positions: Positions, report: Report) -> None:
    """Report attachments that are not published files of the town's or county's files/."""
    for index, name in enumerate(item.data.attachments):
        if not is_published_file(folder, name):
            loc = ("attachments", index)
            close = closest_file(name, folder)
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


def office_published_files(root: Path, offices: list[OfficeItem], parsing: Parsing,
                           report: Report) -> tuple[tuple[str, Path], ...]:
    """List the files/ of every town and the county that published anything."""
    content = root / CONTENT_DIR
    folders = sorted({content / COUNTY_OFFICE_DIR if not item.office
                      else content / TOWN_OFFICES_DIR / item.office for item in offices})
    return tuple(copy for folder in folders
                 for copy in folder_files(root, folder, parsing, report))
