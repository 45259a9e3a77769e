"""What a notice asks and reckons: the deadline for an answer, a table of computed amounts."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from gongkai.model.fields import Money, Strict, Text, day_value

# “5个工作日”, “5 个工作日内”, “5 working days”: a deadline counted from the notice's date.
_WORKING_DAYS = re.compile(r"^(\d{1,2})\s*(?:个)?\s*(?:工作日内?|working\s+days?)$", re.I)
MAX_WORKING_DAYS = 60


def _deadline(value: object) -> date | int:
    """Accept a date, or a count of working days from the notice's date (5, 5个工作日)."""
    count: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        count = value
    elif isinstance(value, str):
        match = _WORKING_DAYS.match(unicodedata.normalize("NFKC", value).strip())
        if match:
            count = int(match.group(1))
        elif value.strip().isdigit():
            count = int(value.strip())
    if count is None:
        try:
            return day_value(value)
        except PydanticCustomError:
            raise PydanticCustomError("gk_deadline", "not a deadline") from None
    if not 1 <= count <= MAX_WORKING_DAYS:
        raise PydanticCustomError("gk_deadline", "not a deadline")
    return count


# The day by which the notice's readers must answer: a date, or N working days.
RespondBy = Annotated[date | int, BeforeValidator(_deadline)]


class AmountLine(Strict):
    """One line of a computed amount: item, quantity, unit, unit price and their product."""

    item: Text
    quantity: Decimal = Field(gt=0)
    unit: str = ""
    unit_price: Money
    total: Money
