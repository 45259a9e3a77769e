"""A village's year plans (财务收支计划, ``finance/<year>-plan.yaml``), each checked against
the chart of its year, and the 五议 record that approved it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import partial
from pathlib import Path

from gongkai.check.accounts import accept_account
from gongkai.core.errors import Location, Report, quoted
from gongkai.core.i18n import N_, Msg
from gongkai.load.parsing import Parsing, load_yaml
from gongkai.model.addresses import url_slug
from gongkai.model.budget import Plan, PlanFile
from gongkai.model.coa import chart, chart_id_for
from gongkai.model.config import Rules
from gongkai.model.content import Item
from gongkai.read.sitefolder import display_path
from gongkai.read.yamlfile import dotted

_PLAN_NAME = re.compile(r"(\d{4})-plan")
_DECISION = re.compile(r"affairs/([^/]+)\.md")


def load_plans(root: Path, village: str, paths: Sequence[Path], rules: Rules,
               parsing: Parsing, report: Report) -> list[Plan]:
    """Load each year plan of a village, oldest year first."""
    plans: dict[int, Plan] = {}
    for path in paths:
        display = display_path(root, path)
        match = _PLAN_NAME.fullmatch(path.stem)
        if match is None:
            report.error(Location(display), Msg.of(
                N_("a year plan is named after its year: YYYY-plan.yaml, such as "
                   "2026-plan.yaml; found {found}"), found=quoted(path.name)))
            continue
        year = int(match.group(1))
        parse = partial(parse_plan, display=display, village=village, year=year, rules=rules)
        plan = parsing.through(path, display, "plan", parse, report)
        if plan is not None:
            plans[year] = plan
    return [plans[year] for year in sorted(plans)]


def parse_plan(text: str, report: Report, *, display: str, village: str, year: int,
               rules: Rules) -> Plan | None:
    """Parse one year plan and check its accounts against the chart of its year."""
    data, positions = load_yaml(PlanFile, text, display, report)
    if data is None:
        return None
    book = chart(chart_id_for(date(year, 1, 1), rules.chart_of_accounts))
    sides = {}
    for side, lines in (("income", data.income), ("expense", data.expense)):
        seen: dict[str, int] = {}
        resolved = []
        for index, line in enumerate(lines):
            path = (side, index, "account")
            account = accept_account(line.account, side, book, rules.added_accounts,
                                     positions, report, path)
            name = account.name if account else line.account
            if name in seen:
                report.error(positions.locate(path), Msg.of(
                    N_("{account} is planned twice, in {side}[{first}] and here; give each "
                       "account one line"), account=name, side=side, first=seen[name]),
                    dotted(path))
            seen[name] = index
            resolved.append(line.model_copy(update={"account": name}))
        sides[side] = resolved
    slug = None
    decision = data.approved.decision
    if decision is not None:
        found = _DECISION.fullmatch(decision.strip())
        if found is None:
            report.error(positions.locate(("approved", "decision")), Msg.of(
                N_("expected the village-affairs file of the decision that approved the plan, "
                   "such as “affairs/{year}-01-plan.md”, found {found}"), year=year,
                found=quoted(decision)), "approved.decision")
        else:
            slug = url_slug(found.group(1))
    return Plan(village, display, year, data.model_copy(update=sides), book.id, slug,
                positions.locate(("approved", "decision")))


def check_decisions(plans: Sequence[Plan], affairs: Sequence[Item], report: Report) -> None:
    """Report a plan whose approving decision is no village-affairs disclosure of its village."""
    slugs = {item.slug for item in affairs}
    for plan in plans:
        if plan.decision_slug is not None and plan.decision_slug not in slugs:
            report.error(plan.decision_at or Location(plan.source), Msg.of(
                N_("the plan names the decision {found}, but the village has no such "
                   "village-affairs disclosure; add its 五议 record under affairs/ or correct "
                   "the file name"), found=quoted(plan.data.approved.decision)),
                "approved.decision")
