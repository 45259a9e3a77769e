"""Village folders: ``village.yaml``, its town, its venue photos, and what else is there."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from gongkai.check.affairs import check_extra_steps, village_steps
from gongkai.check.privacy import guard_folder_name
from gongkai.core.errors import Location, Report, quoted, suggestion
from gongkai.core.i18n import N_, Msg
from gongkai.load.disclosures import load_items, load_ledgers
from gongkai.load.files import admit, is_published_file, missing_file, warn_unused
from gongkai.load.parsing import Parsing, load_yaml
from gongkai.load.plans import check_decisions, load_plans
from gongkai.model.addresses import COUNTY_OFFICE_DIR, TOWN_OFFICES_DIR
from gongkai.model.config import SLUG, Rules, SiteConfig
from gongkai.model.content import Village
from gongkai.model.village import VillageFile
from gongkai.read.sitefolder import CONTENT_DIR, display_path, visible
from gongkai.read.source import Positions


def load_villages(root: Path, config: SiteConfig | None, parsing: Parsing,
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
        if folder.name in (TOWN_OFFICES_DIR, COUNTY_OFFICE_DIR):  # the offices' own files
            continue
        if not admit(root, folder, report):
            continue
        if folder.is_dir():
            village = _load_village(root, folder, config, parsing, report)
            if village is not None:
                villages.append(village)
        else:
            warn_unused(root, folder, report)
    return villages


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
    plan_files: list[Path] = []
    ledgers = load_ledgers(root, folder, rules, parsing, report, plan_files)
    plans = load_plans(root, folder.name, plan_files, rules, parsing, report)
    steps = village_steps(rules.decision_steps, info.extra_steps if info else ())
    affairs = load_items(root, folder, "affairs", rules, steps, parsing, report)
    party = load_items(root, folder, "party", rules, steps, parsing, report)
    _check_extra_entries(root, folder, report)
    if info is None:
        return None
    check_decisions(plans, affairs, report)
    return Village(folder.name, display, info, tuple(ledgers), tuple(affairs), tuple(party),
                   tuple(plans))


def _load_village_file(root: Path, folder: Path, config: SiteConfig | None,
                       parsing: Parsing, report: Report) -> VillageFile | None:
    """Read ``village.yaml``, check its town exists and its venue photos are published."""
    path = _village_file(root, folder, report)
    display = display_path(root, path)
    if not admit(root, path, report):
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
            if not is_published_file(folder, photo):
                missing_file(("venue", "checklist", item, "photo"), photo, positions, report,
                             folder)
    return info


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
            warn_unused(root, entry, report)
