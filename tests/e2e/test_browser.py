"""Every page type of the sample site, in a real browser at phone and desktop sizes.

The numbers are those of shared/spec/front-end.md. Screenshots go to test-artifacts/
screenshots (or $GONGKAI_SCREENSHOTS); the run's summary says where.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.browser import AXE_TAGS, MEASURE, screenshot, serve

PHONE, DESKTOP = (360, 740), (1280, 800)
NARROWEST = (320, 640)  # no sideways scrolling even here
PAGE_TYPES = ("home", "data", "venues", "town", "town-data", "town-venues", "board", "profile",
              "venue", "archive", "list", "overview", "finance", "affairs", "party", "office",
              "terms", "search")
SWEEP = [(320, 640), (768, 1024)]  # the narrowest phone, and between the card and table layouts

def page_type(path: str) -> str | None:
    """Name the page type of an output path (None for files that are not pages)."""
    if path in ("index.html", "data.html", "venues.html", "search.html"):
        return {"index.html": "home", "data.html": "data",
                "search.html": "search"}.get(path, "venues")
    parts = path.split("/")
    if parts[0] in ("_towns", "_county") and parts[-2] in ("affairs", "finance"):
        return "office"
    if len(parts) == 2 and parts[0] == "towns":
        for suffix in ("data", "venues"):
            if parts[1].endswith(f"-{suffix}.html"):
                return f"town-{suffix}"
        return "town"
    if len(parts) == 2 and parts[1] in ("index.html", "profile.html", "archive.html",
                                        "venue.html", "terms.html"):
        return {"index.html": "board", "profile.html": "profile", "venue.html": "venue",
                "terms.html": "terms"}.get(parts[1], "archive")
    if len(parts) == 3 and parts[1] in ("finance", "affairs", "party"):
        if parts[2] == "index.html":
            return "overview" if parts[1] == "finance" else "list"
        return parts[1]
    return None


@pytest.fixture(scope="module")
def examples(sample_site: Path) -> dict[str, str]:
    """Pick the heaviest page of each type: the likeliest to overflow or clutter."""
    heaviest: dict[str, tuple[int, str]] = {}
    for file in sample_site.rglob("*.html"):
        path = file.relative_to(sample_site).as_posix()
        kind = page_type(path)
        if kind is not None:
            heaviest[kind] = max(heaviest.get(kind, (0, "")), (file.stat().st_size, path))
    return {kind: path for kind, (_size, path) in heaviest.items()}


@pytest.fixture(scope="module")
def site_url(sample_site: Path, chromium: Any) -> Iterator[str]:
    with serve(sample_site) as url:
        yield url


# How each money table is laid out: cards (flex rows labelled from data-label) or a table.
LEDGERS = """() => [...document.querySelectorAll('table.ledger')].map(table => ({
  display: getComputedStyle(table.querySelector('tbody tr')).display,
  headVisible: table.querySelector('thead').getClientRects().length > 0
    && table.querySelector('thead').getBoundingClientRect().height > 1,
  unlabelled: [...table.querySelectorAll('tbody td')].filter(td =>
    td.getClientRects().length && td.colSpan === 1
    && ['', 'none', 'normal'].includes(getComputedStyle(td, '::before').content.replace(/"/g, '').trim())
    && !td.classList.contains('item')).length,
}))"""


class Visit:
    """One page opened in a fresh browser context that records every request."""

    def __init__(self, chromium: Any, url: str, size: tuple[int, int], script: bool) -> None:
        self.requests: list[str] = []
        self.context = chromium.new_context(viewport={"width": size[0], "height": size[1]},
                                            java_script_enabled=script)
        # Anything not from the local server is recorded and refused, never fetched.
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url

    def _route(self, route: Any) -> None:
        self.requests.append(route.request.url)
        local = route.request.url.startswith("http://127.0.0.1:")
        route.continue_() if local else route.abort()

    def measure(self) -> dict[str, Any]:
        return self.page.evaluate(MEASURE)  # type: ignore[no-any-return]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(chromium: Any, site_url: str, examples: dict[str, str]) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_page(kind: str, size: tuple[int, int], script: bool = True) -> Visit:
        opened.append(Visit(chromium, site_url + examples[kind], size, script))
        return opened[-1]

    yield open_page
    for v in opened:
        v.close()


def test_the_sample_site_has_every_page_type(examples):
    assert sorted(examples) == sorted(PAGE_TYPES)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_page_reads_well_without_javascript(visit, kind, size):
    without = visit(kind, size, script=False)
    found = without.measure()
    assert found["overflow"] <= 0, "the page scrolls sideways"
    assert found["small"] == [], "text smaller than 18px"
    assert found["tiny"] == [], "touch targets smaller than 44x44 px"
    assert 1.6 <= found["lineHeight"] <= 1.8
    name = f"{kind}-{size[0]}x{size[1]}"
    assert screenshot(without.page, name).stat().st_size > 0
    # Complete without JavaScript: the reader sees the same text either way.
    assert visit(kind, size).measure()["text"] == found["text"]


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_sideways_scrolling_at_320_px(visit, kind):
    assert visit(kind, NARROWEST, script=False).measure()["overflow"] <= 0


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_serious_accessibility_violations(visit, kind, size):
    from axe_playwright_python.sync_playwright import Axe

    opened = visit(kind, size)
    results = Axe().run(opened.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_every_request_stays_on_the_local_server(visit, kind):
    opened = visit(kind, PHONE)
    assert opened.requests, "the page was not loaded through the recorder"
    origin = re.match(r"http://127\.0\.0\.1:\d+/", opened.page.url)
    assert origin is not None
    assert [u for u in opened.requests if not u.startswith(origin.group(0))] == []


@pytest.mark.parametrize("kind", ["overview", "affairs"])
def test_money_tables_are_cards_on_a_phone_and_tables_on_a_desktop(visit, kind):
    phone = visit(kind, PHONE, script=False).page.evaluate(LEDGERS)
    assert phone, "the example page has no money table"
    for table in phone:
        assert table == {"display": "flex", "headVisible": False, "unlabelled": 0}
    desktop = visit(kind, DESKTOP, script=False).page.evaluate(LEDGERS)
    assert all(t["display"] == "table-row" and t["headVisible"] for t in desktop)


# A period's lines at 360 px: one compact row each (date, item, amount), details closed.
LINES = """() => {
  const rows = [...document.querySelectorAll('.lines .line:not(.line-head)')];
  const lines = document.querySelectorAll('.lines');
  const top = lines[0].getBoundingClientRect().top;
  const bottom = lines[lines.length - 1].getBoundingClientRect().bottom;
  const lineHeight = parseFloat(getComputedStyle(document.body).lineHeight);
  return {
    rows: rows.length,
    height: bottom - top,
    heights: rows.map(r => (r.querySelector('summary') || r).getBoundingClientRect().height),
    lineHeight,
    openDetails: [...document.querySelectorAll('.lines dl')].filter(d => d.checkVisibility()).length,
    amountsRight: rows.every(r => {
      const row = r.getBoundingClientRect(), amount = r.querySelector('.amount').getBoundingClientRect();
      return Math.abs(row.right - amount.right) < 16;
    }),
  };
}"""


def test_a_long_ledger_is_compact_on_a_phone_with_details_on_a_tap(visit):
    # The heaviest finance page is the sample's 132-line quarter (zhuyuan 2025-Q4).
    opened = visit("finance", PHONE, script=False)
    found = opened.page.evaluate(LINES)
    assert found["rows"] >= 120
    assert found["openDetails"] == 0, "details are shown only on a tap"
    # Date, item and amount on one or two text lines (a rare long item on three); the
    # amount at the right edge.
    two_lines = 2 * found["lineHeight"] + 16
    assert sum(h <= two_lines for h in found["heights"]) >= 0.95 * found["rows"]
    assert max(found["heights"]) <= 3 * found["lineHeight"] + 16
    assert found["amountsRight"]
    # The lines with their account headings fit in far fewer screens than one card a line.
    assert found["height"] / PHONE[1] < found["rows"] / 8
    opened.page.click(".lines details.line summary")
    assert opened.page.evaluate(LINES)["openDetails"] == 1
    screenshot(opened.page, "finance-long-opened-360x740")
    # On a wide screen every line shows its details.
    assert visit("finance", DESKTOP, script=False).page.evaluate(LINES)["openDetails"] > 100


@pytest.mark.parametrize("kind", ["home", "town", "venues", "town-venues"])
def test_county_tables_are_labelled_cards_on_a_phone(visit, kind):
    # The tables of towns and villages read as cards on a phone, like the money tables.
    phone = visit(kind, PHONE, script=False).page.evaluate(LEDGERS)
    assert phone, "the example page has no table"
    for table in phone:
        assert table == {"display": "flex", "headVisible": False, "unlabelled": 0}


def test_every_page_fits_narrow_screens_and_fingers(chromium, site_url, sample_site):
    # Every page of the sample, not just one of each type: the overflow and tap-size
    # checks are cheap, and a long title or a wide table can hide anywhere.
    paths = sorted(p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*.html"))
    problems = []
    for size in SWEEP:
        context = chromium.new_context(viewport={"width": size[0], "height": size[1]},
                                       java_script_enabled=False)
        page = context.new_page()
        for path in paths:
            page.goto(site_url + path)
            found = page.evaluate(MEASURE)
            if found["overflow"] > 0:
                problems.append(f"{path} at {size[0]}px: scrolls sideways by {found['overflow']}px")
            problems += [f"{path} at {size[0]}px: small target {t}" for t in found["tiny"]]
        context.close()
    assert problems == []


A3_LANDSCAPE, A4_PORTRAIT = (1190.55, 841.89), (595.28, 841.89)  # points


def printed(chromium: Any, url: str) -> tuple[int, set[tuple[float, float]]]:
    """Print a page to PDF as Chromium does; return its page count and page sizes."""
    context = chromium.new_context()
    page = context.new_page()
    page.goto(url)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    context.close()
    count = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    sizes = {tuple(float(v) for v in box.split()[2:4])
             for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)}
    return count, sizes


def near(size: tuple[float, float], expected: tuple[float, float]) -> bool:
    return all(abs(a - b) < 2 for a, b in zip(size, expected, strict=True))


A3_PORTRAIT = (841.89, 1190.55)  # points


def sheet_count(html: str) -> int:
    """Count the sheets a poster's HTML numbers (第 k 页 / 共 N 页): one printed page each."""
    return html.count('<p class="sheet-number">')


def test_every_wall_poster_prints_one_a3_portrait_page_per_sheet(chromium, site_url,
                                                                 sample_site):
    posters = sorted(sample_site.glob("*/poster/*.html"))
    assert len(posters) > 50
    # The fullest posters are the likeliest to spill onto a page their numbering lacks.
    for poster in sorted(posters, key=lambda p: p.stat().st_size)[-4:]:
        count, sizes = printed(chromium, site_url + poster.relative_to(sample_site).as_posix())
        assert count == sheet_count(poster.read_text(encoding="utf-8")), poster
        assert len(sizes) == 1 and near(sizes.pop(), A3_PORTRAIT)


# In print: the smallest text and the smallest heading of a poster, in CSS px (14 pt is
# 18.67 px, 24 pt is 32 px), and how many sheets are laid out.
PRINT_SIZES = """() => {
  let text = 1e9, heading = 1e9;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !el.getClientRects().length
        || el.closest('.visually-hidden, svg')) continue;
    text = Math.min(text, parseFloat(getComputedStyle(el).fontSize));
  }
  for (const el of document.querySelectorAll('h1, h2'))
    heading = Math.min(heading, parseFloat(getComputedStyle(el).fontSize));
  return {text, heading};
}"""


def test_a_long_wall_poster_prints_its_numbered_sheets_in_large_type(chromium, make_site, run):
    from tests.helpers.sites import build_long

    public = build_long(make_site, run)
    poster = public / "qingshan/poster/2025-Q1.html"
    with serve(public) as url:
        count, sizes = printed(chromium, url + "qingshan/poster/2025-Q1.html")
        assert count == sheet_count(poster.read_text(encoding="utf-8")) == 4
        assert len(sizes) == 1 and near(sizes.pop(), A3_PORTRAIT)
        context = chromium.new_context(viewport={"width": 1123, "height": 1587})
        page = context.new_page()
        page.emulate_media(media="print")
        page.goto(url + "qingshan/poster/2025-Q1.html")
        found = page.evaluate(PRINT_SIZES)
        screenshot(page, "poster-print-a3")
        context.close()
    assert found["text"] >= 18.6, "poster text under 14 pt in print"
    assert found["heading"] >= 31.9, "poster headings under 24 pt in print"


def test_a_long_ledger_prints_on_a4_portrait_pages(chromium, site_url, examples):
    count, sizes = printed(chromium, site_url + examples["finance"])
    assert count >= 2
    assert len(sizes) == 1 and near(sizes.pop(), A4_PORTRAIT)
