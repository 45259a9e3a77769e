"""Checks on village and party affairs: decision steps, dues arithmetic, the 回音壁.

Decisions follow the 五议 sequence of ``rules.decision_steps``; a step out of that order,
or dated before the step above it, is a warning, because disclosing a decision only after
the fact is what residents complain about most. Dues are checked like finance: the
monthly amount is the declared basis times the rate, the total that amount times the
months paid.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from gongkai.errors import Location, Report, unknown_name
from gongkai.i18n import N_, Msg
from gongkai.model import DuesLine, Item, Step, Village
from gongkai.source import Positions, dotted

ANSWER_DAYS = 10  # local rules commonly require an answer to a villager's query in 10 days
FEN = Decimal("0.01")


def check_steps(steps: Sequence[Step], sequence: Sequence[str], positions: Positions,
                report: Report) -> None:
    """Check decision steps against the 五议 sequence: names, order and dates."""
    last_index, last_date = -1, None
    for index, step in enumerate(steps):
        path = ("steps", index, "step")
        if step.step not in sequence:
            report.error(positions.locate(path), unknown_name(
                Msg(N_("a step of rules.decision_steps")), step.step, sequence), dotted(path))
            continue
        order = sequence.index(step.step)
        if order < last_index:
            report.warning(positions.locate(path), Msg.of(
                N_("this step comes before “{previous}” in the decision sequence but is "
                   "listed after it"), previous=sequence[last_index]), dotted(path))
        if step.date is not None and last_date is not None and step.date < last_date:
            report.warning(positions.locate(("steps", index, "date")), Msg.of(
                N_("this step is dated {date}, before the step above it ({previous})"),
                date=step.date.isoformat(), previous=last_date.isoformat()),
                dotted(("steps", index, "date")))
        last_index = max(last_index, order)
        last_date = step.date or last_date


def expected_monthly(line: DuesLine) -> Decimal:
    """Return the monthly dues a declared basis and rate give, to the fen."""
    return (line.basis * line.rate).quantize(FEN, rounding=ROUND_HALF_UP)


def check_dues(lines: Sequence[DuesLine], positions: Positions, report: Report) -> None:
    """Check each member's monthly amount and total, as finance totals are checked."""
    for index, line in enumerate(lines):
        monthly = expected_monthly(line)
        if line.monthly != monthly:
            path = ("dues", index, "monthly")
            report.error(positions.locate(path), Msg.of(
                N_("the monthly dues {stated} do not equal basis {basis} × rate {rate} = "
                   "{computed}; correct the figures"),
                stated=line.monthly, basis=line.basis, rate=line.rate, computed=monthly),
                dotted(path))
        total = line.monthly * line.months
        if line.total != total:
            path = ("dues", index, "total")
            report.error(positions.locate(path), Msg.of(
                N_("the total {stated} does not equal {monthly} × {months} months = "
                   "{computed} (difference {difference}); correct the figures"),
                stated=line.total, monthly=line.monthly, months=line.months, computed=total,
                difference=line.total - total), dotted(path))


def unanswered_days(asked: date, answered: date | None, today: date) -> int:
    """Return how long a question has waited for its answer beyond the 10 days (0 if not)."""
    if answered is not None:
        return 0
    return max((today - asked).days - ANSWER_DAYS, 0)


def report_unanswered(villages: Sequence[Village], today: date, report: Report) -> None:
    """Warn about questions on the 回音壁 left unanswered for more than 10 days."""
    for village in villages:
        items: list[Item] = [*village.affairs, *village.party]
        for item in items:
            for question in item.data.questions:
                late = unanswered_days(question.asked, question.answered, today)
                if late and not question.answer:
                    report.warning(Location(item.source), Msg.of(
                        N_("a resident's question of {asked} has had no answer for {days} "
                           "days; answer within {limit} days"),
                        asked=question.asked.isoformat(), days=(today - question.asked).days,
                        limit=ANSWER_DAYS))
