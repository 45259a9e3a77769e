"""The disclosure calendar: what each village owes, by when, and how late it is.

The 村民委员会组织法 sets the rhythm (finances monthly where transactions are many,
general matters at least quarterly); ``rules.cadence`` says it for the site, and a
village's own ``cadence`` may differ.

- Finance is owed period by period: after the last period published comes the next one,
  due ``rules.finance_due_days`` after it ends (by the 10th of the next month).
- Village and party affairs are owed at least once per cadence: the next one is due one
  month, quarter or year after the last one was posted.

Everything here is a pure function of the content and "today". A build works the calendar
out once (``disclosure_calendar``) and every page and warning reads from it.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from gongkai.core.dates import Period, parse_period
from gongkai.core.errors import Location, Report
from gongkai.core.i18n import N_, Msg
from gongkai.model.config import Rules
from gongkai.model.content import Item, Ledger, Village
from gongkai.model.labels import KIND_NAMES
from gongkai.model.village import Cadence

KINDS = ("party", "affairs", "finance")
MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


@dataclass(frozen=True)
class Duty:
    """One kind of disclosure a village owes: when it last disclosed, and when it must next."""

    kind: str
    cadence: Cadence
    last: date | None           # the last posting (finance: the end of the last period)
    due: date | None            # None when nothing was ever disclosed
    next_period: Period | None  # finance only: the period owed next
    today: date
    last_name: str = ""         # what the last disclosure was: a period name or a date
    last_period: Period | None = None  # finance only: the last period disclosed

    @property
    def overdue_days(self) -> int:
        """Return how many days the next disclosure is late (0 when it is not)."""
        if self.due is None:
            return 0
        return max((self.today - self.due).days, 0)

    @property
    def never(self) -> bool:
        """Tell whether the village has never disclosed this kind at all."""
        return self.last is None


def add_months(day: date, months: int) -> date:
    """Add calendar months, keeping the day or the month's last day (Jan 31 + 1 = Feb 28/29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def next_period(after: Period, cadence: Cadence) -> Period:
    """Return the period of a cadence that starts the day after another one ends."""
    start = after.end + timedelta(days=1)
    if cadence == "monthly":
        name = f"{start.year:04d}-{start.month:02d}"
    elif cadence == "quarterly":
        name = f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    else:
        name = f"{start.year:04d}"
    period = parse_period(name)
    if period is None:  # pragma: no cover - every name built above is valid
        raise ValueError(name)
    return period


def duties(village: Village, rules: Rules, today: date) -> tuple[Duty, ...]:
    """Work out what a village owes of each kind, in board order: party, affairs, finance."""
    own = village.info.cadence
    found = []
    for kind in KINDS:
        cadence: Cadence = getattr(own, kind) or getattr(rules.cadence, kind)
        if kind == "finance":
            found.append(_finance_duty(village, cadence, rules.finance_due_days, today))
        else:
            items = village.party if kind == "party" else village.affairs
            last = max((item.data.date for item in items if counts(item, today)), default=None)
            due = None if last is None else add_months(last, MONTHS[cadence])
            found.append(Duty(kind, cadence, last, due, None, today,
                              last.isoformat() if last else ""))
    return tuple(found)


def counts(item: Item, today: date) -> bool:
    """Tell whether a disclosure counts toward the calendar.

    A standing rule (制度) or a pinned item is not a disclosure of the period, and an item
    dated after the as-of date has not been posted yet.
    """
    return item.data.type != "system" and not item.data.pinned and item.data.date <= today


def ledger_counts(ledger: Ledger, today: date) -> bool:
    """Tell whether a finance period counts: not when posted after the as-of date."""
    return ledger.data.published <= today


def _finance_duty(village: Village, cadence: Cadence, due_days: int, today: date) -> Duty:
    """Work out the next finance period owed and its due date."""
    ledgers = [ledger for ledger in village.ledgers if ledger_counts(ledger, today)]
    if not ledgers:
        return Duty("finance", cadence, None, None, None, today)
    latest = max(ledgers, key=lambda ledger: ledger.period).period
    owed = next_period(latest, cadence)
    return Duty("finance", cadence, latest.end, owed.end + timedelta(days=due_days), owed, today,
                latest.name, latest)


@dataclass(frozen=True)
class Owed:
    """What one village owes of each kind, as of the calendar's day."""

    village: str                # the village id
    source: str                 # the village folder, where a late disclosure is reported
    duties: tuple[Duty, ...]    # in board order: party, affairs, finance

    @property
    def worst(self) -> int:
        """Return the longest delay of any kind, in days (0 when none is late)."""
        return max((duty.overdue_days for duty in self.duties), default=0)

    @property
    def never(self) -> int:
        """Return how many kinds the village has never disclosed."""
        return sum(duty.never for duty in self.duties)


@dataclass(frozen=True)
class Calendar:
    """What every village owes as of one day: worked out once per build, then reused."""

    today: date
    owed: Mapping[str, Owed]  # by village id, in the site's order of villages

    def duties(self, village_id: str) -> tuple[Duty, ...]:
        """Return a village's duties, in board order."""
        return self.owed[village_id].duties


def disclosure_calendar(villages: Iterable[Village], rules: Rules, today: date) -> Calendar:
    """Work out what every village owes as of a day."""
    return Calendar(today, {village.id: Owed(village.id, village.source,
                                             duties(village, rules, today))
                            for village in villages})


def report_late(calendar: Calendar, report: Report) -> None:
    """Warn about every disclosure that is late or was never made (``--strict`` fails)."""
    for owed in calendar.owed.values():
        where = Location(owed.source)
        for duty in owed.duties:
            if duty.never:
                report.warning(where, Msg.of(
                    N_("{kind}: nothing has been disclosed yet"), kind=Msg(KIND_NAMES[duty.kind])))
            elif duty.overdue_days and duty.due is not None and duty.next_period is not None:
                # The due day is the county's own rule; the law sets only the rhythm.
                report.warning(where, Msg.of(
                    N_("{kind}: overdue by {days} days; the next disclosure was due by {due} "
                       "(last one: {last}); the due day is the county's rule (rules."
                       "finance_due_days: {due_days} days after the period), the law's minimum "
                       "is once a quarter (农经发〔2011〕13号)"),
                    kind=Msg(KIND_NAMES[duty.kind]), days=duty.overdue_days,
                    due=duty.due.isoformat(), last=duty.last_name,
                    due_days=(duty.due - duty.next_period.end).days))
            elif duty.overdue_days and duty.due is not None:
                report.warning(where, Msg.of(
                    N_("{kind}: overdue by {days} days; the next disclosure was due by {due} "
                       "(last one: {last})"),
                    kind=Msg(KIND_NAMES[duty.kind]), days=duty.overdue_days,
                    due=duty.due.isoformat(), last=duty.last_name))


def timeliness(rows: Iterable[Owed]) -> tuple[Owed, ...]:
    """Order villages most overdue first, then most kinds never disclosed, then by id."""
    return tuple(sorted(rows, key=lambda owed: (-owed.worst, -owed.never, owed.village)))


@dataclass(frozen=True)
class KindSummary:
    """How a group of villages stands on one kind of disclosure."""

    kind: str
    overdue: int  # villages late with it
    never: int    # villages that have never disclosed it
    worst: int    # the longest delay, in days (0 when none is late)


def summarize(rows: Iterable[Owed]) -> tuple[KindSummary, ...]:
    """Count, for each kind in board order, the villages late with it and the worst delay."""
    by_kind: dict[str, list[Duty]] = {kind: [] for kind in KINDS}
    for owed in rows:
        for duty in owed.duties:
            by_kind[duty.kind].append(duty)
    return tuple(KindSummary(kind, sum(1 for d in found if d.overdue_days),
                             sum(1 for d in found if d.never),
                             max((d.overdue_days for d in found), default=0))
                 for kind, found in by_kind.items())
