"""Page weight against the budgets of shared/spec/front-end.md.

Residents read on cheap phones over slow rural networks, so every page is weighed as
a web server would send it (gzipped) while it is rendered; a page over budget is a
warning naming the file it was made from. A page's HTML is also held to a limit before
compression: gzip hides repetition, but the phone still parses and lays out every byte.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from gongkai.core.errors import Location, Report
from gongkai.core.i18n import N_, Msg

HTML_BUDGET = 30 * 1024   # bytes gzipped, per page
CSS_BUDGET = 15 * 1024    # bytes gzipped, the one stylesheet
HTML_LIMIT = 150 * 1024   # bytes uncompressed, per page (a list of every village is not a page)
# nginx's default gzip level, the lightest compression servers use, so a page that fits
# here fits however the county's server is set up.
LEVEL = 1


@dataclass(frozen=True)
class Weight:
    """One published file's gzipped size, its budget and the source it was made from."""

    path: str
    gzipped: int
    budget: int
    source: str
    size: int = 0   # bytes uncompressed
    limit: int = 0  # the most bytes uncompressed it may have; 0 for no limit

    @property
    def over(self) -> bool:
        """Tell whether the file is heavier than its budget."""
        return self.gzipped > self.budget

    @property
    def too_large(self) -> bool:
        """Tell whether the file is larger than its limit before compression."""
        return 0 < self.limit < self.size


def gzipped_size(data: bytes) -> int:
    """Return the size of data once gzipped (the header and trailer included)."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, 31)
    return len(compressor.compress(data) + compressor.flush())


def size_limit(path: str) -> int:
    """Return the most bytes a file may have before compression: pages only; 0 for none."""
    return HTML_LIMIT if path.endswith(".html") else 0


def weigh(path: str, data: bytes, budget: int, source: str) -> Weight:
    """Weigh one file against its budget (and, for a page, the limit before compression)."""
    limit = size_limit(path)
    return Weight(path, gzipped_size(data), budget, source, len(data), limit)


def kilobytes(size: int) -> str:
    """Format a byte count as kilobytes with one decimal: 12.3 KB."""
    return f"{size / 1024:.1f} KB"


def report_over_budget(weights: list[Weight], report: Report) -> None:
    """Warn about every file heavier than its budget or larger than its limit."""
    for weight in weights:
        if weight.too_large:
            report.warning(Location(weight.source), Msg.of(
                N_("the page {path} is {size} before compression, over the limit of {limit}: "
                   "slow for a phone to lay out; split the content or move long tables into "
                   "an attachment"),
                path=weight.path, size=kilobytes(weight.size), limit=kilobytes(weight.limit)))
        if weight.over:
            text = N_("the stylesheet {path} is {size} gzipped, over the budget of {budget}: "
                      "every page waits for it; remove rules the theme does not use") \
                if weight.path.endswith(".css") else \
                N_("the page {path} is {size} gzipped, over the budget of {budget}: slow to "
                   "open on a phone; split the content or move long tables into an attachment")
            report.warning(Location(weight.source), Msg.of(
                text, path=weight.path, size=kilobytes(weight.gzipped),
                budget=kilobytes(weight.budget)))


def heaviest(weights: list[Weight], count: int = 5) -> list[Weight]:
    """Return the files nearest to (or furthest over) their budgets, heaviest first."""
    return sorted(weights, key=lambda w: (-w.gzipped / w.budget, w.path))[:count]
