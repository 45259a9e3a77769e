"""Choosing a QR code's data mask the way segno does, in a tenth of the time.

The QR standard (ISO/IEC 18004:2015, 7.8.3) has the encoder try all eight data masks and
keep the one with the lowest penalty: runs of one colour (N1), 2 × 2 blocks (N2),
finder-like patterns (N3) and an unbalanced share of dark modules (N4). segno does this
module by module in Python, which was about 40% of a cold build's time (8 masks × 1,000
codes per 2,000 pages). Here each row is one integer: a mask is applied with one XOR per
row, runs are found with a regular expression, blocks counted with bit operations, and
N3 is segno's own scan. The penalties are segno's to the point, so the codes are the same
bytes (``tests/render/test_qr.py`` compares both on a thousand addresses); ``install`` puts this
in place of segno's search, for full-size QR codes only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from itertools import pairwise
from typing import Any

import segno.encoder

encoder: Any = segno.encoder  # untyped: called as it documents itself
_ORIGINAL: Callable[..., tuple[int, Any]] = encoder.find_and_apply_best_mask
_RUN = re.compile(rb"\x00{5,}|\x01{5,}")
_N3 = bytes((1, 0, 1, 1, 1, 0, 1))
_BITS = bytes.maketrans(b"\x00\x01", b"01")


def install() -> None:
    """Have segno choose masks with ``best_mask`` (idempotent)."""
    encoder.find_and_apply_best_mask = best_mask


def best_mask(matrix: Sequence[bytearray], width: int, height: int,
              proposed_mask: int | None = None) -> tuple[int, tuple[bytearray, ...]]:
    """Apply the mask with the lowest penalty (or the one asked for); return it and the
    masked matrix, as segno's ``find_and_apply_best_mask`` does."""
    if proposed_mask is not None or width != height or width < 21:  # Micro QR: segno's rule
        return _ORIGINAL(matrix, width, height, proposed_mask)
    rows = [int.from_bytes(row, "big") for row in matrix]
    best, best_score, best_rows = 0, -1, rows
    for number, pattern in enumerate(_patterns(width)):
        masked = [row ^ bits for row, bits in zip(rows, pattern, strict=True)]
        score = penalty([row.to_bytes(width, "big") for row in masked], width)
        if best_score < 0 or score < best_score:
            best, best_score, best_rows = number, score, masked
    return best, tuple(bytearray(row.to_bytes(width, "big")) for row in best_rows)


@cache
def _patterns(width: int) -> tuple[tuple[int, ...], ...]:
    """Each mask's rows as integers of one byte per module, 1 where it flips a module."""
    region = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(region, width, width)
    encoder.add_alignment_patterns(region, width, width)
    region[-8][8] = 0x1  # the dark module, as segno marks it
    masks = encoder.get_data_mask_functions(False)
    return tuple(
        tuple(int.from_bytes(bytes(1 if region[i][j] > 0x1 and mask(i, j) else 0
                                   for j in range(width)), "big") for i in range(width))
        for mask in masks)


def penalty(rows: Sequence[bytes], size: int) -> int:
    """Score a masked matrix (rows of 0/1 bytes) by N1 + N2 + N3 + N4, as segno does."""
    lines = [*rows, *(bytes(column) for column in zip(*rows, strict=True))]
    runs = _RUN.findall(b"\xff".join(lines))  # the separator ends every run at its line
    n1 = sum(map(len, runs)) - 2 * len(runs)
    full = (1 << size) - 1
    n2 = 0
    bits = [int(row.translate(_BITS), 2) for row in rows]
    for above, below in pairwise(bits):
        same = ~(above ^ below) & full            # module equal to the one above it
        pairs = same & (same >> 1) & ~(below ^ (below >> 1))  # ... and so is its neighbour
        n2 += 3 * (pairs & (full >> 1)).bit_count()
    n3 = sum(_n3(line, size) for line in lines if _N3 in line)
    dark = sum(row.bit_count() for row in bits)
    n4 = 10 * int(abs(float(dark) / (size ** 2) * 100 - 50) / 5)
    return n1 + n2 + n3 + n4


def _n3(line: bytes, size: int) -> int:
    """Score finder-like patterns in one row or column: segno's scan, unchanged."""
    count = 0
    index = line.find(_N3)
    while index != -1:
        offset = index + 7
        if index in (0, size - 7) or not any(line[max(index - 4, 0):min(index, size)]) \
                or not any(line[max(offset, 0):min(offset + 4, size)]):
            count += 40
        else:
            offset = index + 4  # not light enough around it: look again from the middle
        index = line.find(_N3, offset)
    return count
