"""The pages of the towns' and the county's own disclosures, and the links villages show."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from gongkai.load.site import Site
from gongkai.model.addresses import office_item_path
from gongkai.model.content import OfficeItem
from gongkai.model.outputs import Page
from gongkai.plan.notices import amounts_view, deadline_view
from gongkai.plan.views import NoticeView, VillageLink, notice_view
from gongkai.trust.records import NO_SEALS, Record, Seals

OfficeLinks = tuple["OfficeLink", ...]


@dataclass(frozen=True)
class OfficeLink:
    """A town's or the county's disclosure as lists show it; ``office`` is the town's name,
    or "" for the county."""

    path: str
    title: str
    type: str
    posted: date
    notice: NoticeView | None
    office: str


@dataclass(frozen=True)
class Office:
    """Who published a disclosure: a town (its id and name) or the county (id "")."""

    id: str
    name: str


@dataclass(frozen=True)
class AllocationView:
    """One village's line of a fund allocation."""

    village: VillageLink
    amount: Decimal
    purpose: str


def _office(site: Site, item: OfficeItem) -> Office:
    """Name the town or the county that published a disclosure."""
    if not item.office:
        county = site.config.county
        return Office("", county.name if county else "")
    town = site.config.town(item.office)
    return Office(item.office, town.name if town else "")


def office_link(site: Site, item: OfficeItem, today: date) -> OfficeLink:
    """Link to a town's or the county's disclosure, with its notice status as of a day."""
    return OfficeLink(office_item_path(item), item.data.title, item.data.type, item.data.date,
                      notice_view(item.notice, today) if item.notice else None,
                      _office(site, item).name)


def office_links(site: Site, today: date) -> dict[str, OfficeLinks]:
    """Group the towns' and the county's disclosures by who published them, newest first."""
    groups: dict[str, list[OfficeLink]] = {}
    for item in newest_first(site.offices):
        groups.setdefault(item.office, []).append(office_link(site, item, today))
    return {office: tuple(links) for office, links in groups.items()}


def village_offices(site: Site, today: date) -> dict[str, OfficeLinks]:
    """List, for each village, the town and county disclosures that name it, newest first."""
    groups: dict[str, list[OfficeLink]] = {}
    for item in newest_first(site.offices):
        for village in item.villages:
            groups.setdefault(village, []).append(office_link(site, item, today))
    return {village: tuple(links) for village, links in groups.items()}


def newest_first(items: Iterable[OfficeItem]) -> list[OfficeItem]:
    """Order disclosures newest first, then by address, whoever published them."""
    return sorted(items, key=lambda item: (item.data.date, office_item_path(item)), reverse=True)


def office_pages(site: Site, today: date, seals: Seals = NO_SEALS) -> Iterator[Page]:
    """Yield the page of every town and county disclosure, with the villages it names, and
    of each earlier version of one."""
    for item in site.offices:
        yield office_page(site, item, today, seals.records.get(item.source))
        for old in seals.earlier.get(item.source, ()):
            if isinstance(old.disclosure, OfficeItem):
                yield office_page(site, old.disclosure, today, None, old.path,
                                  {"superseded": old.banner})


def office_page(site: Site, item: OfficeItem, today: date, record: Record | None,
                path: str = "", extra: Mapping[str, Any] | None = None) -> Page:
    """Plan a town's or the county's disclosure page (at ``path``: an earlier version's)."""
    names = {village.id: village.info.name for village in site.villages}
    notice = notice_view(item.notice, today) if item.notice else None
    deadline = deadline_view(item.data, today)
    dated = (notice is not None and notice.dated) or (deadline is not None and deadline.open)
    path = path or office_item_path(item)
    # Only the villages not already on the allocation table are listed on their own.
    allocated = {line.village for line in item.data.allocations}
    return Page(path, "office_item.html", {
        "office": _office(site, item), "item": item, "notice": notice, "record": record,
        "superseded": None, **(extra or {}),
        "villages": tuple(VillageLink(v, names.get(v, v)) for v in item.data.villages
                          if v not in allocated),
        "allocations": tuple(AllocationView(VillageLink(line.village,
                                                        names.get(line.village, line.village)),
                                            line.amount, line.purpose)
                             for line in item.data.allocations),
        "allocation_total": sum((line.amount for line in item.data.allocations),
                                Decimal("0.00")),
        "deadline": deadline, "amounts": amounts_view(item.data),
        "as_of": today if dated else None},
        item.source, qr=path)
