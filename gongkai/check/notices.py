"""Notice periods (公示): a disclosure's resolved period and the party recruitment rule."""

from __future__ import annotations

from datetime import date, timedelta

from gongkai.check.amounts import check_amounts
from gongkai.core.dates import add_working_days, working_days
from gongkai.core.errors import Report
from gongkai.core.i18n import N_, Msg
from gongkai.model.config import Rules
from gongkai.model.content import Notice, OpenNotice
from gongkai.model.disclosure import NoticeFile, NoticePeriod, PartyFile
from gongkai.read.source import Positions
from gongkai.read.yamlfile import dotted


def check_recruitment(front: PartyFile, notice: Notice | OpenNotice | None,
                      positions: Positions, minimum: int, report: Report) -> None:
    """A 发展党员 notice names its stage and runs at least ``minimum`` working days."""
    if front.stage is None:
        report.error(positions.locate(("type",)), Msg.of(
            N_("a party recruitment notice names its stage: add “stage: ” with one of "
               "积极分子, 发展对象, 预备党员 or 转正")), "stage")
    if notice is None:
        report.error(positions.locate(("type",)), Msg.of(
            N_("a party recruitment notice needs its notice period: add “notice: {{from: …, "
               "to: …}}” covering at least {minimum} working days"), minimum=minimum), "notice")
        return
    if isinstance(notice, OpenNotice):
        report.error(positions.locate(("notice", "to")), Msg.of(
            N_("a party recruitment notice runs for a stated time: give “to: …” with its last "
               "day, at least {minimum} working days after the first"), minimum=minimum),
            "notice.to")
        return
    count = working_days(notice.start, notice.end)
    if count < minimum:
        report.error(positions.locate(("notice",)), Msg.of(
            N_("the notice runs {count} working days ({start} to {end}); a party recruitment "
               "notice runs at least {minimum} working days, weekends not counted"),
            count=count, start=notice.start.isoformat(), end=notice.end.isoformat(),
            minimum=minimum), "notice")


def resolve_notice(start: date, end: date | None, notice_days: int, positions: Positions,
                   end_loc: tuple[str, ...], report: Report) -> Notice:
    """Resolve a 公示 period: the end defaults to notice_days later and may not come first."""
    if end is not None and end < start:
        report.error(positions.locate(end_loc), Msg.of(
            N_("expected the end of the notice period on or after its start ({start})"),
            start=start.isoformat()), dotted(end_loc))
    return Notice(start, end or start + timedelta(days=notice_days))


def item_notice(period: NoticePeriod, rules: Rules, positions: Positions,
                report: Report) -> Notice | OpenNotice:
    """Resolve a disclosure's 公示: its stated end, 长期公开, or the county rule's end where
    ``rules.notice_end_by_rule`` says one applies; otherwise it has no end, as posted."""
    if period.end == "standing":
        return OpenNotice(period.start, standing=True)
    if isinstance(period.end, date):
        return resolve_notice(period.start, period.end, rules.notice_days, positions,
                              ("notice", "to"), report)
    if rules.notice_end_by_rule:
        return Notice(period.start, period.start + timedelta(days=rules.notice_days),
                      rules.notice_days)
    return OpenNotice(period.start, standing=False)


def respond_date(front: NoticeFile) -> date | None:
    """Return the last day to answer a notice: its ``respond_by`` date, or that many working
    days after its date."""
    if front.respond_by is None:
        return None
    if isinstance(front.respond_by, date):
        return front.respond_by
    return add_working_days(front.date, front.respond_by)


def check_notice_extras(front: NoticeFile, positions: Positions, report: Report) -> None:
    """Check what any disclosure may add: its deadline for answers, its computed amounts."""
    check_respond_by(front, positions, report)
    check_amounts(front.amounts, positions, report)


def check_respond_by(front: NoticeFile, positions: Positions, report: Report) -> None:
    """A deadline comes on or after the notice's date and falls on a working day."""
    if not isinstance(front.respond_by, date):
        return
    day = front.respond_by
    if day < front.date:
        report.error(positions.locate(("respond_by",)), Msg.of(
            N_("expected a deadline on or after the notice's date {date}, found {found}; "
               "correct the date"), date=front.date.isoformat(), found=day.isoformat()),
            "respond_by")
    elif day.weekday() >= 5:
        report.warning(positions.locate(("respond_by",)), Msg.of(
            N_("the deadline {found} is a Saturday or Sunday, not a working day; give the "
               "working day the notice means, or write it as “5个工作日”"),
            found=day.isoformat()), "respond_by")
