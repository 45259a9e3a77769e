"""The fields each type of disclosure uses, as ``gongkai new`` writes them: commented help
and an example, or (the decision steps) the village's own sequence ready to date."""

from __future__ import annotations

import gettext
from datetime import date
from pathlib import Path

from gongkai.check.affairs import village_steps
from gongkai.clerk.ledgerfile import read_mapping, scalar
from gongkai.core.i18n import N_, Msg
from gongkai.model.config import SiteConfig
from gongkai.model.village import ExtraStep

# Types decided by the 五议 procedure, whose file lists its steps.
_DECIDED = ("decision", "project")


def own_steps(config: SiteConfig, village_folder: Path) -> tuple[str, ...]:
    """Return the county's decision steps with the village's own (``extra_steps``) in place."""
    extra = []
    listed = read_mapping(village_folder / "village.yaml").get("extra_steps")
    for entry in listed if isinstance(listed, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("step"), str) and \
                isinstance(entry.get("after"), str):
            extra.append(ExtraStep(step=entry["step"], after=entry["after"]))
    return village_steps(config.rules.decision_steps, extra)


def _help(tr: gettext.NullTranslations, message: str) -> str:
    """Write one translated comment line."""
    return "# " + Msg(message).render(tr)


def type_fields(type_id: str, steps: tuple[str, ...], village: str, town: str, day: date,
                tr: gettext.NullTranslations) -> list[str]:
    """Return the lines of the fields a type uses, after ``notice``."""
    out: list[str] = []
    if type_id in _DECIDED:
        out += [_help(tr, N_("The decision steps (五议), in the order they were held: give each "
                             "its date and delete the steps not held. A village's own step is "
                             "added in village.yaml under extra_steps.")), "steps:"]
        out += [f"  - {{step: {scalar(step)}, date: }}" for step in steps]
        out += [_help(tr, N_("Who came to each meeting (expected, present) and, where it voted, "
                             "the votes for, against and abstaining (they add up to present).")),
                "# attendance:",
                "#   - {group: 党员, expected: 52, present: 47, for: 45, against: 0, abstain: 2}",
                "#   - {group: 村民代表, expected: 41, present: 38, for: 35, against: 1, "
                "abstain: 2}",
                _help(tr, N_("Where the township approves it: 待审批, then 已批准 or 未批准 with "
                             "the date of the answer.")),
                f"# approval: {{status: 待审批, by: {town}人民政府, date: {day.isoformat()}}}"]
    out += _kind_fields(type_id, day, tr)
    out += [_help(tr, N_("The document number (文号), if the notice has one.")),
            f"# doc_no: {village}〔{day.year}〕1号",
            _help(tr, N_("The deadline for answers: a date, or a number of working days from "
                         "the date above.")),
            "# respond_by: 5个工作日",
            _help(tr, N_("Amounts worked out as quantity × unit price: the build checks each "
                         "total to the fen and writes the sum in capital numerals.")),
            "# amounts:",
            "#   - {item: 机动地承包费, quantity: 34.5, unit: 亩, unit_price: 800.00, "
            "total: 27600.00}",
            _help(tr, N_("Residents' questions and their answers (回音壁).")),
            f"# questions:\n#   - {{asked: {day.isoformat()}, question: ……, answer: ……, "
            f"answered: {day.isoformat()}}}",
            _help(tr, N_("Who issued it (落款): one body or a list, and the date.")),
            f"# issued: {{by: [{village}村民委员会], date: {day.isoformat()}}}"]
    return out


def _kind_fields(type_id: str, day: date, tr: gettext.NullTranslations) -> list[str]:
    """Return the commented block of a type's own table or facts."""
    if type_id == "project":
        return [_help(tr, N_("The works project: what, where, who answers for it, budget and "
                             "fund sources (they add up to the budget), contractor, milestones, "
                             "final cost.")),
                "# project:", "#   scope: ……", "#   location: ……", "#   responsible: ……",
                "#   budget: 332000.00",
                "#   funds:", "#     - {source: 县“一事一议”财政奖补, amount: 200000.00}",
                "#     - {source: 村集体自筹, amount: 132000.00}",
                "#   contractor: ……",
                f"#   milestones:\n#     - {{date: {day.isoformat()}, event: 开工}}",
                "#   progress: ……", "#   final_cost: 326480.00"]
    if type_id == "subsidy":
        return [_help(tr, N_("The list of recipients: name, household size and amount, "
                             "nothing else (no ID or bank numbers).")),
                "# recipients:", "#   - {name: 王某某, household_size: 3, amount: 1200.00}"]
    if type_id in ("party-day", "meetings"):
        return [_help(tr, N_("The meeting: members expected, attended, and its topic.")),
                "# meeting: {expected: 52, attended: 47, topic: ……}"]
    if type_id == "dues":
        return [_help(tr, N_("Each member's dues: basis × rate = monthly, × months = total.")),
                "# dues:", "#   - {member: 张某某, basis: 4000.00, rate: 0.005, monthly: 20.00, "
                "months: 12, total: 240.00}"]
    return []
