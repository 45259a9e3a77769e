"""A province's index, built from its counties' published summaries (``gongkai province``).

A province (or a city) is a folder of county sites, each built and deployed on its own, in
parallel on a CI matrix or on separate machines; every county's build writes
``summary.json`` (``plan/summary.py``). This builds a small static site from those summaries
alone: ``index.html``, a table by county, and ``counties/<id>.html``, each county's towns
linked to the town pages of the county's own site. ``province.yaml`` names the counties;
every problem with it or with a summary is reported together, at the county's line, and
nothing is written unless all of them are read. The output is staged and swapped in as a
county's is (``build/write.py``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from gongkai.build.production import RENDER_ERRORS
from gongkai.build.write import WaitCallback, write_output
from gongkai.check.schedule import KindSummary
from gongkai.core.errors import Location, Report
from gongkai.core.i18n import N_, Msg, MsgError
from gongkai.load.parsing import UNREADABLE, check_unique_ids, load_yaml
from gongkai.model.addresses import (
    HOME,
    ROBOTS,
    SUMMARY,
    absolute_url,
    province_county_path,
    readable_url,
    sitemap_paths,
    town_path,
)
from gongkai.model.config import Slug, web_address
from gongkai.model.fields import Strict, Text
from gongkai.model.validation import validate
from gongkai.plan.sitemaps import Url, robots_txt, sitemap_xml
from gongkai.plan.summary import SummaryFile, TownFigures
from gongkai.publish.witness import keep, witness
from gongkai.read.sitefolder import layout_dirs
from gongkai.read.source import Positions, SourceError
from gongkai.read.text import read_text
from gongkai.render.budgets import CSS_BUDGET, HTML_BUDGET, Weight, report_over_budget, weigh
from gongkai.render.jinja import STYLESHEET, Renderer, find_asset, hashed_asset, template_problem

PROVINCE_FILE = "province.yaml"
# A county rebuilds at least monthly (finance is due monthly); a summary older than a
# month and a bit means its build or its deploy stopped, or the path names an old copy.
STALE_DAYS = 40
WebAddress = Annotated[str, AfterValidator(web_address)]


class CountyEntry(Strict):
    """One county of ``province.yaml``: its id, name, site address and summary."""

    id: Slug
    name: Text
    url: WebAddress | None = None  # default: the base_url its summary gives
    summary: Text | None = None    # relative to the province folder

    @property
    def summary_path(self) -> str:
        """Return where its summary is, relative to the province folder."""
        return self.summary or f"{self.id}/public/{SUMMARY}"


class ProvinceConfig(Strict):
    """The whole of ``province.yaml``."""

    title: Text
    base_url: WebAddress | None = None
    language: Literal["zh-CN", "en"] = "zh-CN"
    counties: list[CountyEntry] = Field(min_length=1)


# --- what the pages show -----------------------------------------------------------------

@dataclass(frozen=True)
class SealView:
    """A county's newest seal: its number, date and the short hash the wall prints."""

    seal: int
    date: date
    hash: str


@dataclass(frozen=True)
class TownRow:
    """A town on its county's page, linked to its page on the county's site."""

    id: str
    name: str
    url: str
    villages: int
    on_time: int
    late: int
    kinds: tuple[KindSummary, ...]  # party, affairs, finance


@dataclass(frozen=True)
class CountyRow:
    """A county in the province's table."""

    id: str
    name: str
    page: str       # its page in the province's site
    url: str        # its own site
    shown_url: str  # the address as people read it
    towns: int
    villages: int
    finance: int
    affairs: int
    party: int
    on_time: int
    late: int
    newest: date | None
    as_of: date
    seal: SealView | None

    @property
    def disclosures(self) -> int:
        """Return how many disclosures of every kind the county's villages posted."""
        return self.finance + self.affairs + self.party


@dataclass(frozen=True)
class Total:
    """The province's sums of the county table."""

    towns: int
    villages: int
    disclosures: int
    on_time: int
    late: int


@dataclass(frozen=True)
class County:
    """A county read from its summary: its row and its towns."""

    row: CountyRow
    towns: tuple[TownRow, ...]


@dataclass
class Outcome:
    """What a province build did: its problems, and what it wrote."""

    report: Report = field(default_factory=Report)
    counties: int = 0
    pages: int = 0
    written: bool = False


class OutputHoldsCounty(MsgError):
    """The output folder holds a county's summary: replacing it would lose the county's site."""


# --- reading --------------------------------------------------------------------------------

def load_province(root: Path, report: Report) -> tuple[ProvinceConfig | None, Positions]:
    """Read and validate ``province.yaml``; report a county id used twice."""
    path = root / PROVINCE_FILE
    if not path.is_file():
        report.error(Location(PROVINCE_FILE), Msg.of(
            N_("the province configuration is missing: create {file} in the province folder"),
            file=PROVINCE_FILE))
        return None, Positions(PROVINCE_FILE)
    try:
        text = read_text(path, PROVINCE_FILE)
    except SourceError as exc:
        report.add(exc.problem)
        return None, Positions(PROVINCE_FILE)
    config, positions = load_yaml(ProvinceConfig, text, PROVINCE_FILE, report)
    if config is not None:
        check_unique_ids([county.id for county in config.counties], "counties", N_(
            "the county id {id} is used twice; every county needs its own id"), positions,
            report)
    return config, positions


def _who(entry: CountyEntry) -> dict[str, str]:
    """Name a county in a message."""
    return {"name": entry.name, "id": entry.id}


def read_summary(root: Path, entry: CountyEntry, where: Location,
                 report: Report) -> SummaryFile | None:
    """Read one county's summary, reporting it missing, unreadable or not a summary."""
    display = entry.summary_path
    path = root / display
    if not path.is_file():
        report.error(where, Msg.of(
            N_("county {name} ({id}): its summary {path} is missing: build the county's site "
               "first (its build writes summary.json into its output folder), or give the "
               "summary's path as “summary: …”"), path=display, **_who(entry)))
        return None
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, *UNREADABLE) as exc:
        report.error(where, Msg.of(
            N_("county {name} ({id}): its summary {path} cannot be read: {error}"),
            path=display, error=getattr(exc, "strerror", None) or exc, **_who(entry)))
        return None
    summary, problems = validate(SummaryFile, data, Positions(display))
    for problem in problems:
        detail = problem.message if not problem.field else Msg.of(
            N_("{field}: {text}"), field=problem.field, text=problem.message)
        report.error(where, Msg.of(
            N_("county {name} ({id}): its summary {path} is not one Gongkai wrote: {detail}"),
            path=display, detail=detail, **_who(entry)))
    return summary


def town_row(county_url: str, town: TownFigures) -> TownRow:
    """Show a town of a summary, linked to its page on the county's site."""
    kinds = tuple(KindSummary(kind, figures.overdue, figures.never, figures.worst)
                  for kind, figures in (("party", town.party), ("affairs", town.affairs),
                                        ("finance", town.finance)))
    return TownRow(town.id, town.name, absolute_url(county_url, town_path(town.id)),
                   town.villages, town.on_time, town.late, kinds)


def _address(value: str | None) -> str | None:
    """Return a well-formed web address ending in a slash, or None for a missing or bad one
    (a county's summary.json is read, not trusted)."""
    try:
        return None if value is None else web_address(value)
    except PydanticCustomError:
        return None


def county_view(entry: CountyEntry, summary: SummaryFile, where: Location,
                report: Report) -> County | None:
    """Show a county from its summary; its site's address must be known."""
    url = _address(entry.url or summary.base_url)
    if url is None:
        report.error(where, Msg.of(
            N_("county {name} ({id}): its site's address is not known: add “url: https://…” "
               "to its entry, or set site.base_url in its site_config.yaml"), **_who(entry)))
        return None
    towns = tuple(town_row(url, town) for town in summary.towns)
    seal = summary.seal
    row = CountyRow(
        entry.id, entry.name, province_county_path(entry.id), url,
        readable_url(url).split("://", 1)[-1], len(towns), summary.villages,
        summary.disclosures.finance, summary.disclosures.affairs, summary.disclosures.party,
        sum(town.on_time for town in towns), sum(town.late for town in towns), summary.newest,
        summary.as_of, None if seal is None else SealView(seal.seal, seal.date, seal.hash))
    return County(row, towns)


def read_counties(root: Path, config: ProvinceConfig, positions: Positions, today: date,
                  report: Report) -> list[County]:
    """Read every county's summary, in the order of ``province.yaml``."""
    counties = []
    for index, entry in enumerate(config.counties):
        where = positions.locate(("counties", index))
        summary = read_summary(root, entry, where, report)
        if summary is None:
            continue
        county = county_view(entry, summary, where, report)
        if county is None:
            continue
        age = (today - summary.as_of).days
        if age > STALE_DAYS:
            report.warning(where, Msg.of(
                N_("county {name} ({id}): its summary is as of {date}, {days} days before "
                   "{today}: rebuild and publish the county's site, or check that {path} is "
                   "the summary it publishes"), date=summary.as_of.isoformat(), days=age,
                today=today.isoformat(), path=entry.summary_path, **_who(entry)))
        counties.append(county)
    return counties


def total(counties: Sequence[County]) -> Total:
    """Add up the county table."""
    rows = [county.row for county in counties]
    return Total(sum(r.towns for r in rows), sum(r.villages for r in rows),
                 sum(r.disclosures for r in rows), sum(r.on_time for r in rows),
                 sum(r.late for r in rows))


# --- making -----------------------------------------------------------------------------------

def make_files(root: Path, config: ProvinceConfig, counties: Sequence[County], today: date,
               report: Report) -> list[tuple[str, bytes]]:
    """Render the index and every county's page, with the stylesheet and, given the
    province's address, the sitemap; weigh the pages against their budgets."""
    dirs = layout_dirs(root)
    css = hashed_asset(find_asset(dirs, STYLESHEET))
    renderer = Renderer(dirs, config.language, site_title=config.title, stylesheet=css.path,
                        home_path=HOME)
    pages = [(HOME, "province.html", {"counties": tuple(c.row for c in counties),
                                      "total": total(counties), "as_of": today})]
    pages += [(c.row.page, "province_county.html",
               {"county": c.row, "towns": c.towns, "as_of": today}) for c in counties]
    files: list[tuple[str, bytes]] = [(css.path, css.data)]
    weights: list[Weight] = [weigh(css.path, css.data, CSS_BUDGET, f"layouts/assets/{STYLESHEET}")]
    for path, template, context in pages:
        try:
            data = renderer.render(path, template, context)
        except RENDER_ERRORS as exc:
            report.add(template_problem(exc, dirs, root))
            continue
        files.append((path, data))
        weights.append(weigh(path, data, HTML_BUDGET, PROVINCE_FILE))
    report_over_budget(weights, report)
    if config.base_url is not None:
        newest = max((c.row.newest for c in counties if c.row.newest), default=None)
        urls = [Url(absolute_url(config.base_url, HOME), newest),
                *(Url(absolute_url(config.base_url, c.row.page), c.row.newest)
                  for c in counties)]
        sitemaps = sitemap_paths(1)
        files += [(sitemaps[0], sitemap_xml(urls)),
                  (ROBOTS, robots_txt(config.base_url, sitemaps))]
    return files


def check_counties_kept(root: Path, out: Path, config: ProvinceConfig) -> None:
    """Refuse an output folder that holds a county's summary (a county's own site)."""
    target = out.resolve()
    for entry in config.counties:
        summary = (root / entry.summary_path).resolve()
        if target == summary or target in summary.parents:
            raise OutputHoldsCounty(Msg.of(
                N_("refusing to write to {path}: it holds the summary of county {name} ({id}), "
                   "{summary}; choose another folder with --out"),
                path=out, summary=entry.summary_path, **_who(entry)))


def build_province(root: Path, out: Path, today: date,
                   on_wait: WaitCallback | None = None) -> Outcome:
    """Read ``province.yaml`` and every summary; unless there are errors, write the site.

    Raises ``OutputHoldsCounty``, ``write.UnsafeOutput`` or ``OSError`` when the output
    folder cannot be written; the previous one is kept."""
    outcome = Outcome()
    report = outcome.report
    config, positions = load_province(root, report)
    if config is None or report.errors:
        return outcome
    counties = read_counties(root, config, positions, today, report)
    outcome.counties = len(counties)
    kept = [found for index, entry in enumerate(config.counties) for found in witness(
        root, entry.id, entry.name, entry.summary_path, positions.locate(("counties", index)),
        report)]
    if report.errors:
        return outcome
    files = make_files(root, config, counties, today, report) + kept
    outcome.pages = sum(1 for path, _ in files if path.endswith(".html"))
    if report.errors:
        return outcome
    check_counties_kept(root, out, config)
    write_output(out, root, files, (), on_wait)
    keep(root, kept)
    outcome.written = True
    return outcome

