"""``summary.json``: what a county's build publishes about itself, for a province's index.

Every build writes it at the root of the output, so it is deployed with the site and any
tool can read it; ``gongkai province`` builds a province's index from the summaries of
its counties, each built on its own (see ``province.py`` and docs/deploy.md). It holds
counts only, no names of people or amounts: the site's title and address, the as-of
date, each town's villages and how timely they are (as the home page shows them), how
many disclosures of each kind are posted, the newest one's day and the newest seal.

The file is canonical JSON (keys sorted, no spaces, UTF-8) and depends on no clock, only
on the content and the build's as-of date, so the same site and date give the same bytes.
``FORMAT`` changes when a reader of the old format could misread the new one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from gongkai.check.schedule import Calendar
from gongkai.core.fingerprint import digest_parts
from gongkai.load.site import Site
from gongkai.model.addresses import SUMMARY
from gongkai.model.config import Slug, Town
from gongkai.model.content import Village
from gongkai.model.fields import Day, Text
from gongkai.model.outputs import Output
from gongkai.plan.pages import town_summary, town_villages
from gongkai.read.sitefolder import CONFIG_FILE
from gongkai.trust.records import LatestSeal

FORMAT = 1


def town_entry(town: Town, villages: Sequence[Village], calendar: Calendar) -> dict[str, Any]:
    """Sum up one town: its villages, how many are on time or late, and each kind's counts."""
    owed = [calendar.owed[village.id] for village in villages]
    # Late: overdue with some kind, or never disclosed one (as the build's warnings say).
    late = sum(1 for row in owed if row.worst or row.never)
    entry: dict[str, Any] = {"id": town.id, "name": town.name, "villages": len(owed),
                             "on_time": len(owed) - late, "late": late}
    for kind in town_summary(town, villages, calendar).kinds:
        entry[kind.kind] = {"overdue": kind.overdue, "never": kind.never, "worst": kind.worst}
    return entry


def disclosure_counts(site: Site, today: date) -> tuple[dict[str, int], date | None]:
    """Count the villages' disclosures posted by the as-of date, and return the newest day."""
    finance = [ledger.data.published for village in site.villages for ledger in village.ledgers]
    affairs = [item.data.date for village in site.villages for item in village.affairs]
    party = [item.data.date for village in site.villages for item in village.party]
    posted = {kind: [day for day in days if day <= today]
              for kind, days in (("finance", finance), ("affairs", affairs), ("party", party))}
    newest = max((day for days in posted.values() for day in days), default=None)
    return {kind: len(days) for kind, days in posted.items()}, newest


def summary(site: Site, calendar: Calendar, today: date,
            latest: LatestSeal | None) -> dict[str, Any]:
    """Return a county's summary as plain values (see the module's note)."""
    counts, newest = disclosure_counts(site, today)
    config = site.config.site
    return {
        "format": FORMAT, "title": config.title, "base_url": config.base_url,
        "language": config.language, "as_of": today.isoformat(), "villages": len(site.villages),
        "towns": [town_entry(town, villages, calendar) for town, villages in town_villages(site)],
        "disclosures": counts, "newest": newest.isoformat() if newest else None,
        "seal": None if latest is None else {"seal": latest.seal, "date": latest.date.isoformat(),
                                             "hash": latest.short},
    }


def encode(values: dict[str, Any]) -> bytes:
    """Write a summary as canonical JSON: keys sorted, no spaces, UTF-8."""
    return json.dumps(values, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def outputs(site: Site, calendar: Calendar, today: date,
            latest: LatestSeal | None) -> Iterator[Output]:
    """Yield ``summary.json``, keyed by its bytes."""
    data = encode(summary(site, calendar, today, latest))
    yield Output(SUMMARY, digest_parts("summary", data), CONFIG_FILE, data=data)


# --- reading a summary back (gongkai province) --------------------------------------------

Count = Annotated[int, Field(ge=0, strict=True)]


class _Read(BaseModel):
    """A block of a summary as read back: keys a later build may add are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class KindFigures(_Read):
    """A town's villages on one kind of disclosure, as ``KindSummary`` counts them."""

    overdue: Count
    never: Count
    worst: Count


class TownFigures(_Read):
    """One town of a summary."""

    id: Slug
    name: Text
    villages: Count
    on_time: Count
    late: Count
    party: KindFigures
    affairs: KindFigures
    finance: KindFigures


class DisclosureFigures(_Read):
    """How many disclosures of each kind a county's villages have posted."""

    finance: Count
    affairs: Count
    party: Count


class SealFigures(_Read):
    """A county's newest seal."""

    seal: Count
    date: Day
    hash: Annotated[str, Field(pattern=r"^[0-9a-f]{4,64}$")]


class SummaryFile(_Read):
    """A county's ``summary.json``, as ``summary`` writes it."""

    format: Literal[1]
    title: Text
    base_url: str | None
    language: str
    as_of: Day
    villages: Count
    towns: list[TownFigures]
    disclosures: DisclosureFigures
    newest: Day | None
    seal: SealFigures | None
