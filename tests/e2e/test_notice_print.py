"""The real notices on a phone and on paper: the county's, the town's hearing notice and
the lease decision at 360 px and printed on A4; no printed heading apart from its QR code;
the breadcrumb and the capital-numeral totals on one line of a 360 px screen."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.browser import screenshot, serve

NOTICES = {
    "county-dues-notice": "_county/affairs/2026-01-party-dues-notice.html",
    "town-hearing-notice": "_towns/qingshan/affairs/2026-01-land-hearing-notice.html",
    "lease-decision": "qingshan/affairs/2026-01-机动地发包决议.html",
}
# The height of one line of the breadcrumb's links and of a capital-numeral row, in px.
LAYOUT = """() => {
  const crumbs = document.querySelector('.crumbs ol');
  const links = [...crumbs.querySelectorAll('li')].filter(li => li.getClientRects().length
    && li.getBoundingClientRect().width > 1);
  const tops = new Set(links.map(li => Math.round(li.getBoundingClientRect().top)));
  const capitals = [...document.querySelectorAll('.capital, .capital-total')].map(el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size;
  });
  return {crumbRows: tops.size, capitals,
          overflow: document.documentElement.scrollWidth - window.innerWidth};
}"""


@pytest.fixture(scope="module")
def site(sample_site: Path, chromium: Any) -> Iterator[str]:
    with serve(sample_site) as url:
        yield url


def pdf_pages(chromium: Any, url: str) -> list[str]:
    """Print a page on A4 as Chromium does; return the text of each printed page."""
    context = chromium.new_context()
    page = context.new_page()
    page.goto(url)
    data = page.pdf(prefer_css_page_size=True)
    context.close()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(data)
        pdf.flush()
        text = subprocess.run(["pdftotext", "-layout", pdf.name, "-"], capture_output=True,
                              text=True, check=True).stdout
    return text.split("\f")


@pytest.mark.parametrize("name", sorted(NOTICES))
def test_each_real_notice_reads_right_at_360_px(chromium, site, name):
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site + NOTICES[name])
    found = page.evaluate(LAYOUT)
    screenshot(page, f"notice-{name}-360")
    context.close()
    assert found["overflow"] <= 0
    assert found["crumbRows"] == 1, "the breadcrumb wraps at 360 px"


@pytest.mark.parametrize("name", sorted(NOTICES))
def test_each_real_notice_prints_on_a4_with_its_issuer_and_qr_code_together(chromium, site,
                                                                            name):
    pages = pdf_pages(chromium, site + NOTICES[name])
    text = "".join(pages)
    assert {"county-dues-notice": "青组通〔2026〕5号", "town-hearing-notice": "还剩 4 个工作日",
            "lease-decision": "叁万元整"}[name] in text
    context = chromium.new_context(viewport={"width": 794, "height": 1123})
    page = context.new_page()
    page.emulate_media(media="print")
    page.goto(site + NOTICES[name])
    screenshot(page, f"notice-{name}-print")
    context.close()


def test_no_printed_page_ends_with_the_qr_heading(chromium, site, sample_site):
    pages = [*NOTICES.values(), *(p.relative_to(sample_site).as_posix() for p in
                                  sorted(sample_site.glob("*/finance/20*.html"))[:12])]
    split = []
    for path in pages:
        printed = pdf_pages(chromium, site + path)
        heading = [n for n, text in enumerate(printed) if "用手机扫码查看本页" in text]
        address = [n for n, text in enumerate(printed) if "https://sanwu.example.cn/" in text]
        if not heading or heading[-1:] != address[-1:]:
            split.append((path, heading, address))
    assert split == []


def test_capital_numeral_totals_take_one_line_at_360_px(chromium, site, sample_site):
    ledger = "qingshan/finance/2025-12.html"
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site + ledger)
    found = page.evaluate(LAYOUT)
    screenshot(page, "finance-capitals-360")
    context.close()
    assert found["capitals"] and set(found["capitals"]) == {1}, found
    assert found["crumbRows"] == 1
