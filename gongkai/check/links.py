"""Links in bodies and notes that lead to no page or file of the site.

A pure function over the loaded villages, offices and published files (as Zola's link
checker): the address of every page comes from ``model.addresses``.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote

from gongkai.core.errors import Location, Report, quoted, suggestion
from gongkai.core.i18n import N_, Msg
from gongkai.model.addresses import (
    HOME,
    csv_path,
    item_path,
    json_path,
    ledger_path,
    office_folder,
    office_item_path,
    plan_csv_path,
    plan_path,
    poster_path,
    qr_png_path,
    village_csv_path,
)
from gongkai.model.content import OfficeItem, Village

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
            known.setdefault(f"{village.id}/{kind}", {HOME} if kind != "files"
                             else set())
        for item in (*village.affairs, *village.party):
            for path in (item_path(item), qr_png_path(item_path(item))):
                add(path, f"{item.village}/{item.kind}")
        for ledger in village.ledgers:
            for path in (ledger_path(ledger), qr_png_path(ledger_path(ledger)),
                         csv_path(ledger), json_path(ledger), village_csv_path(village.id)):
                add(path, f"{village.id}/finance")
            add(poster_path(ledger), f"{village.id}/poster")
        for plan in village.plans:
            for path in (plan_path(village.id, plan.year), plan_csv_path(village.id, plan.year),
                         qr_png_path(plan_path(village.id, plan.year))):
                add(path, f"{village.id}/finance")
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
