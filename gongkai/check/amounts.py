"""Computed amounts (``amounts:``): each line's quantity × unit price, to the fen."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from gongkai.core.errors import Report
from gongkai.core.i18n import N_, Msg
from gongkai.model.notices import AmountLine
from gongkai.read.source import Positions
from gongkai.read.yamlfile import dotted

FEN = Decimal("0.01")


def line_total(line: AmountLine) -> Decimal:
    """Return quantity × unit price, rounded half up to the fen as accounts are."""
    return (line.quantity * line.unit_price).quantize(FEN, rounding=ROUND_HALF_UP)


def amounts_total(lines: Sequence[AmountLine]) -> Decimal:
    """Return the sum of the lines' stated totals."""
    return sum((line.total for line in lines), Decimal("0.00"))


def check_amounts(lines: Sequence[AmountLine], positions: Positions, report: Report) -> None:
    """Report each line whose total is not its quantity × unit price, naming both figures."""
    for index, line in enumerate(lines):
        computed = line_total(line)
        if line.total != computed:
            path = ("amounts", index, "total")
            report.error(positions.locate(path), Msg.of(
                N_("expected quantity × unit price = {quantity} × {price} = {computed}, found "
                   "{stated} (difference {difference}); correct the figures"),
                quantity=format(line.quantity.normalize(), "f"), price=line.unit_price,
                computed=computed, stated=line.total, difference=line.total - computed),
                dotted(path))
