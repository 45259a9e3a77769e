"""Every address of the site, in one place: pages, data files, QR images, slugs, links.

An output path is relative to the site root, with slashes (``qingshan/finance/2025-03.html``).
Residents bookmark pages and scan printed QR codes, so an address, once published, never
changes; caching, feeds and corrections all key on these paths. Templates get the same
functions (``url(item_path(item))``), so a site's own layouts cannot invent a scheme.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote

from gongkai.read.sitefolder import HISTORY_DIR

if TYPE_CHECKING:
    from gongkai.model.content import Item, Ledger, OfficeItem

HOME = "index.html"
DATA_PAGE = "data.html"
VENUES_PAGE = "venues.html"
DATA_DIR = "data"
PACKAGE = f"{DATA_DIR}/datapackage.json"
SITE_CSV = f"{DATA_DIR}/finance.csv"
ASSETS_DIR = "assets"
# The towns' and the county's own disclosures (their governments', not a village's)
# mirror their content folders. A village id cannot start with an underscore, so no
# village's address can ever clash with them.
TOWN_OFFICES_DIR = "_towns"
COUNTY_OFFICE_DIR = "_county"
# A province's site (``gongkai province``) has a page per county, under this folder.
PROVINCE_COUNTIES_DIR = "counties"
# What crawlers, feed readers and a province read at fixed names of the site's root.
SITE_FEED = "atom.xml"
ROBOTS = "robots.txt"
SUMMARY = "summary.json"
SHARD_NAME = "search.json"
# The seal's files. The site's history/ log is published under the same names, so that
# anyone can check a copy (the entries, the key; every seal's checkpoint), with the manifest
# of every other file and the latest checkpoint, which names it, beside them.
SEAL_DIR = HISTORY_DIR
LOG_FILE = "log.jsonl"
OBJECTS_DIR = "objects"
CHECKPOINTS_DIR = "checkpoints"
PUBLIC_KEY_FILE = "seal.pub"
SEAL_LOG = f"{SEAL_DIR}/{LOG_FILE}"
SEAL_KEY = f"{SEAL_DIR}/{PUBLIC_KEY_FILE}"
SEAL_MANIFEST = f"{SEAL_DIR}/manifest.sha256"
SEAL_CHECKPOINT = f"{SEAL_DIR}/checkpoint.txt"
SEAL_SIGNATURE = f"{SEAL_CHECKPOINT}.sig"
# Every seal's checkpoint, so the hash a wall sheet printed can be looked up; each is
# checked against the log (and its signature), not listed in the manifest.
SEAL_CHECKPOINTS = f"{SEAL_DIR}/{CHECKPOINTS_DIR}/"
SIGNATURE_SUFFIX = ".txt.sig"  # a checkpoint's signature, beside it
PENDING_SUFFIX = ".next"  # a checkpoint being sealed (trust/log.py)
WITNESS_DIR = "witness"  # a province's kept checkpoints, one per county (publish/witness.py)
# Characters that cannot stand in a readable URL segment become hyphens.
_URL_UNSAFE = set(" \t?#%&\"'<>\\/|^`{}[]")


def url_slug(stem: str) -> str:
    """Make a file name a stable, readable URL segment (Chinese is kept as it is)."""
    normal = unicodedata.normalize("NFC", stem).strip()
    return "".join("-" if ch in _URL_UNSAFE else ch for ch in normal) or "-"


SEARCH_PAGE = "search.html"  # the home page's search form without JavaScript: an index


def terms_path(village_id: str) -> str:
    """Return the output path of a village's index by term (科目, projects, payees, years)."""
    return f"{village_id}/terms.html"


def search_shard_path(village_id: str) -> str:
    """Return the output path of the search index shard a village board's script reads."""
    return f"{village_id}/{SHARD_NAME}"


def town_search_shard_path(town_id: str) -> str:
    """Return the output path of the search index shard of one town, for the home page."""
    return f"towns/{town_id}.{SHARD_NAME}"


def town_path(town_id: str) -> str:
    """Return the output path of a town's page: its villages and how timely they are."""
    return f"towns/{town_id}.html"


def town_venues_path(town_id: str) -> str:
    """Return the output path of a town's venue scoreboard."""
    return f"towns/{town_id}-venues.html"


def town_data_path(town_id: str) -> str:
    """Return the output path of the data downloads of a town's villages."""
    return f"towns/{town_id}-data.html"


def board_path(village_id: str) -> str:
    """Return the output path of a village's board page."""
    return f"{village_id}/index.html"


def profile_path(village_id: str) -> str:
    """Return the output path of a village's profile page."""
    return f"{village_id}/profile.html"


def list_path(village_id: str, kind: str) -> str:
    """Return the output path of the page listing every entry of one panel of a board."""
    return f"{village_id}/{kind}/index.html"


def venue_path(village_id: str) -> str:
    """Return the output path of a village's venue page (三室一栏, 八有八规范)."""
    return f"{village_id}/venue.html"


def archive_path(village_id: str) -> str:
    """Return the output path of a village's archive: everything it ever disclosed."""
    return f"{village_id}/archive.html"


def poster_path(ledger: Ledger) -> str:
    """Return the output path of the wall-board poster of a village's finance period."""
    return f"{ledger.village}/poster/{ledger.period.name}.html"


def ledger_path(ledger: Ledger) -> str:
    """Return the output path of a finance period page."""
    return f"{ledger.village}/finance/{ledger.period.name}.html"


def item_path(item: Item) -> str:
    """Return the output path of a village-affairs or party-affairs page."""
    return f"{item.village}/{item.kind}/{item.slug}.html"


def office_folder(office: str) -> str:
    """Return the folder of a town's disclosures (``office`` its id) or the county's ("")."""
    return f"{TOWN_OFFICES_DIR}/{office}" if office else COUNTY_OFFICE_DIR


def office_item_path(item: OfficeItem) -> str:
    """Return the output path of a town's or the county's disclosure page."""
    return f"{office_folder(item.office)}/{item.kind}/{item.slug}.html"


def province_county_path(county_id: str) -> str:
    """Return the output path of a county's page in the province's site."""
    return f"{PROVINCE_COUNTIES_DIR}/{county_id}.html"


def office_attachment_path(office: str, name: str) -> str:
    """Return where a town's or the county's attachment (``files/plan.pdf``) is published."""
    return f"{office_folder(office)}/{name}"


def attachment_path(village_id: str, name: str) -> str:
    """Return where an attachment (``files/plan.pdf`` in the village folder) is published."""
    return f"{village_id}/{name}"


def csv_path(ledger: Ledger) -> str:
    """Return the path of a period's CSV, beside its page."""
    return f"{ledger.village}/finance/{ledger.period.name}.csv"


def json_path(ledger: Ledger) -> str:
    """Return the path of a period's JSON, beside its page."""
    return f"{ledger.village}/finance/{ledger.period.name}.json"


def plan_path(village_id: str, year: int) -> str:
    """Return the output path of a year plan's page (财务收支计划执行情况), beside the periods."""
    return f"{village_id}/finance/{year}-plan.html"


def plan_csv_path(village_id: str, year: int) -> str:
    """Return the path of a year plan's CSV: plan, actual and share by account."""
    return f"{village_id}/finance/{year}-plan.csv"


def village_csv_path(village_id: str) -> str:
    """Return the path of the CSV of all a village's periods."""
    return f"{village_id}/finance/{village_id}-finance.csv"


def qr_png_path(page_path: str) -> str:
    """Return where a page's QR code image goes: beside the page, ``<name>.qr.png``."""
    return page_path.removesuffix(".html") + ".qr.png"


def village_feed_path(village_id: str) -> str:
    """Return the output path of a village's Atom feed."""
    return f"{village_id}/{SITE_FEED}"


def sitemap_paths(count: int) -> list[str]:
    """Name the sitemap files: one ``sitemap.xml``, or ``sitemap-1.xml``… when split."""
    if count <= 1:
        return ["sitemap.xml"]
    return [f"sitemap-{number}.xml" for number in range(1, count + 1)]


def is_sitemap(name: str) -> bool:
    """Tell whether a file name is one ``sitemap_paths`` gives."""
    return name.startswith("sitemap") and name.endswith(".xml")


def checkpoint_name(seal: int) -> str:
    """Return the file name of a seal's checkpoint: ``0001.txt``."""
    return f"{seal:04d}.txt"


def witness_path(county: str) -> str:
    """Return where a province keeps, and publishes, a county's newest checkpoint."""
    return f"{WITNESS_DIR}/{county}.txt"


def signature_name(seal: int) -> str:
    """Return the file name of a seal's signature: ``0001.txt.sig``."""
    return f"{seal:04d}{SIGNATURE_SUFFIX}"


def pending_name(seal: int) -> str:
    """Return the name of a seal's checkpoint while the seal writes its log lines
    (``0001.next``, renamed ``0001.txt`` once they are all written)."""
    return f"{seal:04d}{PENDING_SUFFIX}"


def earlier_path(page: str, version: int) -> str:
    """Return the stable address of a disclosure's earlier version: 2025-03.v1.html."""
    return str(PurePosixPath(page).with_suffix(f".v{version}.html"))


def asset_path(stem: str, digest: str, suffix: str) -> str:
    """Return the content-hashed path of a theme asset: ``assets/style.1a2b3c4d.css``."""
    return f"{ASSETS_DIR}/{stem}.{digest}{suffix}"


def absolute_url(base_url: str, path: str) -> str:
    """Return a page's public address; a folder's index.html is addressed as the folder."""
    if posixpath.basename(path) == HOME:
        path = posixpath.dirname(path) + "/" if posixpath.dirname(path) else ""
    return base_url + quote(path)


# Decoded, these would change what the address means or could not be typed from paper.
_KEEP_ESCAPED = set("%/?#&=+;")
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def readable_url(url: str) -> str:
    """Return an address as it is printed for people to read and type: 村 rather than %E6%9D%91.

    Only escapes that stand for printable text are decoded; an escaped space, control
    character, reserved sign or invalid UTF-8 stays escaped, so the printed address
    still leads to the same page when typed in. The QR code keeps the escaped address.
    """

    def decode(match: re.Match[str]) -> str:
        try:
            text = bytes.fromhex(match.group().replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            return match.group()
        return "".join(quote(ch, safe="") if ch in _KEEP_ESCAPED or ch.isspace()
                       or unicodedata.category(ch)[0] in "CZ" else ch for ch in text)

    return _ESCAPES.sub(decode, url)


def relative_url(from_page: str, target: str) -> str:
    """Link from one output path to another, relatively, so the site works from any folder."""
    here = posixpath.dirname(from_page)
    return quote(posixpath.relpath(target, here or "."))


# The addresses templates may build, as url(item_path(item)) and the like.
TEMPLATE_PATHS = {
    "board_path": board_path, "profile_path": profile_path, "list_path": list_path,
    "archive_path": archive_path, "venue_path": venue_path, "poster_path": poster_path,
    "ledger_path": ledger_path, "item_path": item_path, "csv_path": csv_path,
    "json_path": json_path, "village_csv_path": village_csv_path, "plan_path": plan_path,
    "plan_csv_path": plan_csv_path,
    "attachment_path": attachment_path, "town_path": town_path,
    "town_venues_path": town_venues_path, "town_data_path": town_data_path,
    "office_item_path": office_item_path, "office_attachment_path": office_attachment_path,
    "home_path": HOME, "data_page": DATA_PAGE, "venues_page": VENUES_PAGE,
    "terms_path": terms_path, "search_shard_path": search_shard_path,
    "town_search_shard_path": town_search_shard_path, "search_page": SEARCH_PAGE,
}
