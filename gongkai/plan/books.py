"""The books as the law keeps them: a period's 收益 apart from its balance-sheet flows."""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.check.finance import SidePart


def split_shown(parts: Sequence[SidePart]) -> bool:
    """Tell whether a side is shown in parts: whenever any of it passes the balance sheet."""
    return any(part.kind == "flow" for part in parts)


def part_rows(income: Sequence[SidePart], expense: Sequence[SidePart]) -> int:
    """Count the subtotal rows the parts add to a wall sheet's totals (one per part shown)."""
    return sum(len(parts) for parts in (income, expense) if split_shown(parts))
