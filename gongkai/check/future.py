"""Dates that cannot be: a disclosure posted after the "as of" date.

A file's own checks are cached by its bytes, but "today" changes without the file doing
so; loading therefore notes where each posting date stands (``Dated``) and the build
checks them against its day, every build.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from gongkai.core.errors import Location, Report
from gongkai.core.i18n import N_, Msg


@dataclass(frozen=True)
class Dated:
    """A posting date of a content file (``date`` or ``published``, or a correction's
    ``date``) and where it is written."""

    where: Location
    field: str
    day: date
    correction: bool = False


POSTED = N_("posted {day}, after the as-of date {today} (site.today or --today): a "
            "disclosure cannot be posted in the future, and until that day it does not "
            "count as disclosed; correct the date")
CORRECTED = N_("corrected {day}, after the as-of date {today} (site.today or --today): a "
               "correction cannot be dated in the future; write the day it was approved")


def report_future(dated: Iterable[Dated], today: date, report: Report) -> None:
    """Warn about every posting (or correction) date later than the as-of date
    (site.today or --today)."""
    for found in dated:
        if found.day > today:
            report.warning(found.where, Msg.of(
                CORRECTED if found.correction else POSTED,
                day=found.day.isoformat(), today=today.isoformat()), found.field)
