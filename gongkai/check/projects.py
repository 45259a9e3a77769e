"""Works projects in full: fund sources that add up to the budget, a dated timeline,
budget against final cost (决算).

A clerk copies the fund sources from the approval (中央, 省, 市, 县, 村自筹, 社会捐助);
their sum must equal the budget to the fen, as the paper notice is checked by the town.
Milestones are shown as a timeline in the order written; one dated before the one above
it is a warning, as decision steps are. The page reads the same figures (``project_view``)
so a site's own layout cannot fork them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath

from gongkai.core.errors import Report
from gongkai.core.i18n import N_, Msg
from gongkai.model.disclosure import Project
from gongkai.read.source import Positions
from gongkai.read.yamlfile import dotted

# Milestone photos with these endings are shown as pictures; others as links.
PICTURE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp"})


def check_project(project: Project | None, positions: Positions, report: Report) -> None:
    """Check a project's fund sources add up to its budget and its milestones run forward."""
    if project is None:
        return
    if project.funds:
        total = funds_total(project)
        if project.budget is None:
            report.error(positions.locate(("project", "funds")), Msg.of(
                N_("the fund sources add up to {found}, but the project has no budget to "
                   "check them against; add “budget: {found}” to project"),
                found=total), "project.funds")
        elif total != project.budget:
            report.error(positions.locate(("project", "funds")), Msg.of(
                N_("expected the fund sources to add up to the budget, {expected}; found "
                   "{found} (difference {difference}); correct the amounts"),
                expected=project.budget, found=total, difference=total - project.budget),
                "project.funds")
    for index in range(1, len(project.milestones)):
        before, this = project.milestones[index - 1], project.milestones[index]
        if this.date < before.date:
            path = ("project", "milestones", index, "date")
            report.warning(positions.locate(path), Msg.of(
                N_("this milestone is dated {date}, before the one above it ({previous}); "
                   "list milestones in the order they happened"),
                date=this.date.isoformat(), previous=before.date.isoformat()), dotted(path))


def funds_total(project: Project) -> Decimal:
    """Sum a project's fund sources."""
    return sum((line.amount for line in project.funds), Decimal("0.00"))


@dataclass(frozen=True)
class Photo:
    """A milestone's photo: the file under files/ and whether it shows as a picture."""

    name: str
    picture: bool


@dataclass(frozen=True)
class MilestoneView:
    """One milestone of the timeline."""

    date: date
    event: str
    photos: tuple[Photo, ...]


@dataclass(frozen=True)
class ProjectView:
    """What a project's page shows beyond its fields: totals and the budget's outcome."""

    funds_total: Decimal
    milestones: tuple[MilestoneView, ...]
    difference: Decimal | None  # final cost minus budget, once both are known
    outcome: str                # "under", "over", "even" or "" (not settled)


def project_view(project: Project | None) -> ProjectView | None:
    """Work out a project's fund total, timeline and budget against final cost."""
    if project is None:
        return None
    difference = None
    outcome = ""
    if project.budget is not None and project.final_cost is not None:
        difference = project.final_cost - project.budget
        outcome = "over" if difference > 0 else "under" if difference < 0 else "even"
    milestones = tuple(
        MilestoneView(m.date, m.event, tuple(
            Photo(name, PurePosixPath(name).suffix.lower() in PICTURE_SUFFIXES)
            for name in m.photos))
        for m in project.milestones)
    return ProjectView(funds_total(project), milestones, difference, outcome)
