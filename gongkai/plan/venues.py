"""The venue scoreboard: each village's 八有八规范 score, by town and for the county."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from gongkai.model.addresses import VENUES_PAGE, town_venues_path, venue_path
from gongkai.model.config import Town
from gongkai.model.content import Village
from gongkai.model.outputs import Page
from gongkai.model.village import EIGHT_HAVES, EIGHT_NORMS, STANDARD
from gongkai.plan.views import CONFIG_SOURCE, Signage, VillageLink


@dataclass(frozen=True)
class VenueScore:
    """A village against the items of 八有八规范, as the monthly inspection scores it."""

    village: VillageLink
    score: int                   # items met
    total: int                   # items of the standard
    unmet: tuple[str, ...]       # items checked and not met
    unreported: tuple[str, ...]  # items the village has not reported on


@dataclass(frozen=True)
class TownVenues:
    """A town's line of the county scoreboard."""

    id: str
    name: str
    villages: int
    average: Decimal  # to one decimal
    lowest: int
    total: int


def venue_score(village: Village) -> VenueScore:
    """Score a village's venue: one point for each item of the standard it meets."""
    checklist = village.info.venue.checklist if village.info.venue else {}
    unmet = tuple(item for item in STANDARD if item in checklist and not checklist[item].met)
    missing = tuple(item for item in STANDARD if item not in checklist)
    return VenueScore(VillageLink(village.id, village.info.name),
                      len(STANDARD) - len(unmet) - len(missing), len(STANDARD), unmet, missing)


def venue_page(village: Village, sign: Signage) -> Page:
    """Plan a village's venue page, with its score."""
    score = venue_score(village)
    return Page(venue_path(village.id), "venue.html",
                {"village": sign, "venue": village.info.venue, "haves": EIGHT_HAVES,
                 "norms": EIGHT_NORMS, "score": score.score, "total": score.total, "as_of": None},
                village.source)


def venue_pages(towns: Sequence[tuple[Town, tuple[Village, ...]]]) -> Iterator[Page]:
    """Yield the county scoreboard by town, then each town's, lowest score first."""
    summaries = []
    for town, villages in towns:
        rows = tuple(sorted((venue_score(v) for v in villages),
                            key=lambda row: (row.score, row.village.id)))
        average = (Decimal(sum(row.score for row in rows)) / len(rows)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP)
        summaries.append(TownVenues(town.id, town.name, len(rows), average, rows[0].score,
                                    len(STANDARD)))
        yield Page(town_venues_path(town.id), "town_venues.html",
                   {"town": town, "rows": rows, "total": len(STANDARD), "as_of": None},
                   CONFIG_SOURCE)
    yield Page(VENUES_PAGE, "venues.html",
               {"towns": tuple(summaries), "total": len(STANDARD), "as_of": None}, CONFIG_SOURCE)
