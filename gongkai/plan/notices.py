"""What a notice page shows of its deadline for answers and its computed amounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from gongkai.check.amounts import amounts_total
from gongkai.check.notices import respond_date
from gongkai.core.dates import working_days
from gongkai.model.disclosure import NoticeFile
from gongkai.model.notices import AmountLine


@dataclass(frozen=True)
class DeadlineView:
    """The last day to answer a notice and, while it has not passed, the working days left."""

    day: date
    open: bool
    days_left: int              # working days from today to the deadline, both included
    counted: int | None = None  # the notice's “N 个工作日”, when it was written so


@dataclass(frozen=True)
class AmountsView:
    """A table of computed amounts and its total."""

    lines: tuple[AmountLine, ...]
    total: Decimal


def deadline_view(front: NoticeFile, today: date) -> DeadlineView | None:
    """Say how long the notice's readers have left to answer, as of a day."""
    day = respond_date(front)
    if day is None:
        return None
    counted = front.respond_by if isinstance(front.respond_by, int) else None
    if today > day:
        return DeadlineView(day, False, 0, counted)
    # Before the notice is posted the whole time is still to come: count from its date.
    start = max(today, front.date + timedelta(days=1) if counted else today)
    return DeadlineView(day, True, working_days(start, day), counted)


def amounts_view(front: NoticeFile) -> AmountsView | None:
    """Show a notice's computed amounts with their total, if it has any."""
    if not front.amounts:
        return None
    return AmountsView(tuple(front.amounts), amounts_total(front.amounts))
