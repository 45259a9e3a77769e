"""The data downloads pages: each town's villages' files and the site's own."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from gongkai.core.dates import Period
from gongkai.model.addresses import DATA_PAGE, town_data_path
from gongkai.model.config import Town
from gongkai.model.content import Village
from gongkai.model.outputs import Page
from gongkai.plan.opendata import DataFile
from gongkai.plan.views import CONFIG_SOURCE, VillageLink
from gongkai.trust.records import NO_SEALS, Seals


@dataclass(frozen=True)
class Download:
    """A data file as the data pages list it."""

    path: str
    kind: str
    size: int
    updated: date


@dataclass(frozen=True)
class PeriodFiles:
    """A finance period's data files: its lines as CSV and as JSON."""

    period: Period
    posted: date
    csv: Download | None
    json: Download | None


# A town's data page lists each village's newest periods only, so that it stays the same
# size as the years go by; every period's files are linked from its own finance page.
TOWN_DATA_PERIODS = 4


@dataclass(frozen=True)
class VillageFiles:
    """A village's data files: all its periods in one CSV, then its newest periods' files."""

    village: VillageLink
    all_periods: Download | None
    periods: tuple[PeriodFiles, ...]
    count: int  # how many periods the village has published in all
    plans: tuple[Download, ...] = ()  # each year plan against its actual figures, as CSV


@dataclass(frozen=True)
class TownFiles:
    """A town's line of the data page: how many of its villages publish data."""

    id: str
    name: str
    villages: int
    files: int


def data_pages(towns: Sequence[tuple[Town, tuple[Village, ...]]],
               downloads: Sequence[DataFile], seals: Seals = NO_SEALS) -> Iterator[Page]:
    """Yield each town's downloads page, then the data page with the site's own files."""
    by_village: dict[str, list[DataFile]] = {}
    for file in downloads:
        by_village.setdefault(file.village, []).append(file)
    summaries = []
    for town, villages in towns:
        publishing = [v for v in villages if v.id in by_village]
        groups = tuple(village_files(VillageLink(v.id, v.info.name), by_village[v.id])
                       for v in publishing)
        summaries.append(TownFiles(town.id, town.name, len(groups),
                                   sum(len(by_village[v.id]) for v in publishing)))
        yield Page(town_data_path(town.id), "town_data.html",
                   {"town": town, "villages": groups, "as_of": None}, CONFIG_SOURCE)
    yield Page(DATA_PAGE, "data.html",
               {"files": tuple(_download(f) for f in by_village.get("", ())),
                "towns": tuple(summaries), "sealed": seals.latest, "as_of": None},
               CONFIG_SOURCE)


def village_files(village: VillageLink, files: Sequence[DataFile]) -> VillageFiles:
    """Pair each period's CSV and JSON, newest period first, keeping the newest few."""
    periods: dict[Period, dict[str, DataFile]] = {}
    all_periods = None
    plans = tuple(_download(file) for file in files if file.kind == "plan-csv")
    for file in files:
        if file.kind == "village-csv":
            all_periods = _download(file)
        elif file.period is not None:
            periods.setdefault(file.period, {})[file.kind] = file
    newest = sorted(periods.items(), reverse=True)[:TOWN_DATA_PERIODS]
    return VillageFiles(village, all_periods, tuple(
        PeriodFiles(period, min(f.updated for f in pair.values()),
                    _optional(pair.get("period-csv")), _optional(pair.get("period-json")))
        for period, pair in newest), len(periods), plans)


def _download(file: DataFile) -> Download:
    """Describe a data file for the data pages."""
    return Download(file.path, file.kind, file.size, file.updated)


def _optional(file: DataFile | None) -> Download | None:
    """Describe a data file, if there is one."""
    return _download(file) if file is not None else None
