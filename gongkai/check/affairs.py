"""Checks on village and party affairs: decision steps, dues arithmetic, the 回音壁.

Decisions follow the 五议 sequence of ``rules.decision_steps``; a step out of that order,
or dated before the step above it, is a warning, because disclosing a decision only after
the fact is what residents complain about most. Dues are checked like finance: the
monthly amount is the declared basis times the rate, the total that amount times the
months paid. The checks and the pages read the same rules here (``step_checks``,
``answer_late``), so a site's own layout cannot fork them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from gongkai.core.errors import Location, Report, unknown_name
from gongkai.core.i18n import N_, Msg
from gongkai.model.content import Item, Village
from gongkai.model.disclosure import Approval, Attendance, DuesLine, Question, Step
from gongkai.model.village import ExtraStep
from gongkai.read.source import Positions
from gongkai.read.yamlfile import dotted

ANSWER_DAYS = 10  # local rules commonly require an answer to a villager's query in 10 days
FEN = Decimal("0.01")


@dataclass(frozen=True)
class StepCheck:
    """How one decision step stands against the steps listed above it."""

    known: bool                  # the step is one of rules.decision_steps
    after: str | None = None     # a later step of the sequence it is listed after
    early: date | None = None    # the date of the step above, when it is dated before it


def step_checks(steps: Sequence[Step], sequence: Sequence[str]) -> tuple[StepCheck, ...]:
    """Check each step's place and date against the steps above it (the 五议 order)."""
    last_index, last_date = -1, None
    found = []
    for step in steps:
        if step.step not in sequence:
            found.append(StepCheck(False))
            continue
        order = sequence.index(step.step)
        early = step.date is not None and last_date is not None and step.date < last_date
        found.append(StepCheck(True, sequence[last_index] if order < last_index else None,
                               last_date if early else None))
        last_index = max(last_index, order)
        last_date = step.date or last_date
    return tuple(found)


def check_steps(steps: Sequence[Step], sequence: Sequence[str], positions: Positions,
                report: Report) -> None:
    """Check decision steps against the 五议 sequence: names, order and dates."""
    for index, (step, check) in enumerate(zip(steps, step_checks(steps, sequence), strict=True)):
        path = ("steps", index, "step")
        if not check.known:
            report.error(positions.locate(path), unknown_name(
                Msg(N_("a step of rules.decision_steps, or one the village adds with "
                       "extra_steps in village.yaml")), step.step, sequence), dotted(path))
            continue
        if check.after is not None:
            report.warning(positions.locate(path), Msg.of(
                N_("this step comes before “{previous}” in the decision sequence but is "
                   "listed after it"), previous=check.after), dotted(path))
        if check.early is not None and step.date is not None:
            report.warning(positions.locate(("steps", index, "date")), Msg.of(
                N_("this step is dated {date}, before the step above it ({previous})"),
                date=step.date.isoformat(), previous=check.early.isoformat()),
                dotted(("steps", index, "date")))


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


def waiting_days(question: Question, today: date) -> int | None:
    """Return how many days a question has waited for its answer, or None once answered."""
    return None if question.answer else (today - question.asked).days


def answer_late(question: Question, today: date) -> bool:
    """Tell whether a question has waited longer than ``ANSWER_DAYS`` for its answer."""
    waited = waiting_days(question, today)
    return waited is not None and waited > ANSWER_DAYS


def report_unanswered(villages: Sequence[Village], today: date, report: Report) -> None:
    """Warn about questions on the 回音壁 left unanswered for more than 10 days."""
    for village in villages:
        items: list[Item] = [*village.affairs, *village.party]
        for item in items:
            for question in item.data.questions:
                if answer_late(question, today):
                    report.warning(Location(item.source), Msg.of(
                        N_("a resident's question of {asked} has had no answer for {days} "
                           "days; answer within {limit} days"),
                        asked=question.asked.isoformat(), days=(today - question.asked).days,
                        limit=ANSWER_DAYS))


# --- decisions as they are recorded: a village's own steps, attendance and votes, approval --

def village_steps(sequence: Sequence[str], extra: Sequence[ExtraStep]) -> tuple[str, ...]:
    """Return the county's step sequence with a village's own steps, each after its anchor."""
    steps = list(sequence)
    placed: dict[str, int] = {}  # steps already added after each anchor, kept in file order
    for added in extra:
        if added.step in steps or added.after not in steps:
            continue  # reported by check_extra_steps
        at = steps.index(added.after) + 1 + placed.get(added.after, 0)
        steps.insert(at, added.step)
        placed[added.after] = placed.get(added.after, 0) + 1
    return tuple(steps)


def check_extra_steps(extra: Sequence[ExtraStep], sequence: Sequence[str],
                      positions: Positions, report: Report) -> None:
    """Check a village's own decision steps: new names, each after a step that exists."""
    known = list(sequence)
    for index, added in enumerate(extra):
        if added.step in known:
            path: tuple[str | int, ...] = ("extra_steps", index, "step")
            report.error(positions.locate(path), Msg.of(
                N_("{step} is already a step of the decision sequence; list here only steps "
                   "that rules.decision_steps does not have"), step=added.step), dotted(path))
            continue
        if added.after not in known:
            path = ("extra_steps", index, "after")
            report.error(positions.locate(path), unknown_name(
                Msg(N_("a step of rules.decision_steps or one added above")), added.after,
                known), dotted(path))
            continue
        known.append(added.step)


def check_attendance(attendance: Sequence[Attendance], positions: Positions,
                     report: Report) -> None:
    """Check each group's figures: no more present than expected, votes adding up to present."""
    for index, group in enumerate(attendance):
        if group.expected is not None and group.present > group.expected:
            path: tuple[str | int, ...] = ("attendance", index, "present")
            report.error(positions.locate(path), Msg.of(
                N_("{present} present is more than the {expected} expected; correct the "
                   "figures"), present=group.present, expected=group.expected), dotted(path))
        if not group.voted:
            continue
        counts = [n or 0 for n in (group.in_favour, group.against, group.abstain)]
        if sum(counts) != group.present:
            path = ("attendance", index, "for")
            report.error(positions.locate(path), Msg.of(
                N_("the votes add up to {total} (for {favour} + against {against} + abstain "
                   "{abstain}), but {present} were present; every person present votes for, "
                   "against or abstains: correct the figures"),
                total=sum(counts), favour=counts[0], against=counts[1], abstain=counts[2],
                present=group.present), dotted(path))


def share(count: int, present: int) -> Decimal:
    """Return a count as a percentage of those present, to one decimal (for display)."""
    if present == 0:
        return Decimal("0.0")
    return (Decimal(count) * 100 / present).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def check_approval(approval: Approval | None, positions: Positions, report: Report) -> None:
    """A township's result (approved or not) is dated; awaiting it needs no date."""
    if approval is not None and approval.status != "pending" and approval.date is None:
        report.error(positions.locate(("approval", "status")), Msg.of(
            N_("the township's result needs the day it was given: add “date: …” to "
               "approval")), "approval.date")
