"""QR codes that lead from the wall board and printed sheets back to each page.

WeChat's long-press only recognises a QR code in an image, so the web page shows a PNG;
print uses inline SVG, which stays sharp at any size. Both carry a quiet zone of four
modules, as scanners need, and encode the page's absolute address.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import segno

from gongkai.model.addresses import absolute_url, qr_png_path, readable_url
from gongkai.render import qrmask

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

    @property
    def shown(self) -> str:
        """Return the address as printed under the code: Chinese characters, not escapes."""
        return readable_url(self.url)


@cache
def make_qr(base_url: str, page_path: str) -> tuple[QrCode, bytes]:
    """Make a page's QR code: its description for the page and the PNG bytes.

    Cached: the code depends only on the address, and making one takes a few
    milliseconds (``qrmask`` chooses its mask), too slow to repeat on every rebuild.
    """
    qrmask.install()
    url = absolute_url(base_url, page_path)
    code = segno.make(url, error="m", micro=False)
    svg = io.BytesIO()
    # A viewBox rather than a fixed size, so that the print CSS scales the whole code to
    # 35 mm (a fixed 185 px drawn in a 35 mm box was cut off, and unreadable).
    code.save(svg, kind="svg", scale=SCALE, border=QUIET_ZONE, xmldecl=False, svgns=True,
              nl=False, svgclass="qr-svg", lineclass=None, title=url, omitsize=True)
    size = int(code.symbol_size(scale=SCALE, border=QUIET_ZONE)[0])
    qr = QrCode(url, qr_png_path(page_path), svg.getvalue().decode("utf-8"), size)
    return qr, png(code.matrix)


def png(matrix: Sequence[Sequence[int]]) -> bytes:
    """Draw a QR matrix (1 = dark) as a black-and-white PNG with its quiet zone.

    Written here rather than with segno's writer, which sets pixels one by one and took
    five times as long: each module row becomes one run of bits, repeated SCALE times.
    """
    width = (len(matrix) + 2 * QUIET_ZONE) * SCALE
    edge = "1" * (QUIET_ZONE * SCALE)  # in a 1-bit grey PNG, 1 is white
    blank = _png_row("1" * width, width)
    rows = [blank] * (QUIET_ZONE * SCALE)
    for modules in matrix:
        bits = edge + "".join("0" * SCALE if dark else "1" * SCALE for dark in modules) + edge
        rows.extend([_png_row(bits, width)] * SCALE)
    rows.extend([blank] * (QUIET_ZONE * SCALE))
    header = struct.pack(">IIBBBBB", width, width, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + _chunk(b"IEND", b""))


def _png_row(bits: str, width: int) -> bytes:
    """Pack one row of pixels, with the filter byte (none) PNG puts before each row."""
    value = int(bits, 2) << (-width % 8)
    return b"\x00" + value.to_bytes((width + 7) // 8, "big")


def _chunk(kind: bytes, data: bytes) -> bytes:
    """Frame a PNG chunk: its length, type, data and checksum."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
