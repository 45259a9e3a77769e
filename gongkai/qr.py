"""QR codes that lead from the wall board and printed sheets back to each page.

WeChat's long-press only recognises a QR code in an image, so the web page shows a PNG;
print uses inline SVG, which stays sharp at any size. Both carry a quiet zone of four
modules, as scanners need, and encode the page's absolute address.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

import segno

from gongkai.addresses import absolute_url, qr_png_path

SCALE = 5       # pixels per module in the PNG: a version-5 code is 185 px, easy to scan
QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
# A longer site address leaves too little of a wall-sized code for the page's own path:
# past version 10 or so (about 200 bytes at level M) cheap phones misread printed codes.
MAX_BASE_URL = 120


@dataclass(frozen=True)
class QrCode:
    """A page's QR code: the address it encodes, its PNG file and its print SVG."""

    url: str
    png_path: str
    svg: str
    size: int  # the PNG's width and height in pixels


@cache
def make_qr(base_url: str, page_path: str) -> tuple[QrCode, bytes]:
    """Make a page's QR code: its description for the page and the PNG bytes.

    Cached: the code depends only on the address, and choosing the best mask takes
    about 10 ms a code, too slow to repeat on every preview rebuild.
    """
    url = absolute_url(base_url, page_path)
    code = segno.make(url, error="m", micro=False)
    png, svg = io.BytesIO(), io.BytesIO()
    code.save(png, kind="png", scale=SCALE, border=QUIET_ZONE)
    code.save(svg, kind="svg", scale=SCALE, border=QUIET_ZONE, xmldecl=False, svgns=True,
              nl=False, svgclass="qr-svg", lineclass=None, title=url)
    size = int(code.symbol_size(scale=SCALE, border=QUIET_ZONE)[0])
    return QrCode(url, qr_png_path(page_path), svg.getvalue().decode("utf-8"), size), png.getvalue()
