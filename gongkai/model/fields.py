"""The building blocks of the file schemas: strict blocks, money, dates, text, choices.

Field names follow the content-format contract (shared/spec/content-format.md) and
are stable. Validators raise ``PydanticCustomError`` with a ``gk_*`` type so that
``validation`` can explain each problem in the site's language.
"""

from __future__ import annotations

import re
import typing
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from gongkai.core.dates import DateError, parse_date
from gongkai.core.money import MoneyError, parse_money


class Strict(BaseModel):
    """A block of content: unknown keys are errors, numbers are accepted as text."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              coerce_numbers_to_str=True, populate_by_name=True)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_default(cls, value: Any, info: ValidationInfo) -> Any:
        """Treat a key left blank ("income:") like a key left out, where it has a default."""
        field = cls.model_fields.get(info.field_name or "")
        if value is None and field is not None and not field.is_required():
            return field.get_default(call_default_factory=True)
        # Full-width digits are accepted in whole numbers as in amounts and dates.
        if isinstance(value, str) and field is not None and _takes_number(field.annotation):
            return _plain_digits(value) or value
        return value


# A whole number or a decimal as typed with a Chinese input method: ２６８, ３．２.
_NUMBER_TEXT = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")


def _takes_number(annotation: Any) -> bool:
    """Tell whether a field's type is a whole number or a decimal (perhaps optional)."""
    if annotation in (int, Decimal):
        return True
    return any(arg in (int, Decimal) for arg in typing.get_args(annotation))


def _plain_digits(value: str) -> str | None:
    """Return a number typed in full-width digits in ASCII, or None if it is no number."""
    normal = unicodedata.normalize("NFKC", value).strip()
    return normal if _NUMBER_TEXT.fullmatch(normal) else None


def money_value(value: object) -> Decimal:
    """Validate an amount of money."""
    try:
        return parse_money(value)
    except MoneyError as exc:
        raise PydanticCustomError("gk_money", exc.reason) from None


def _positive(value: Decimal) -> Decimal:
    """Require a line amount above zero."""
    if value <= 0:
        raise PydanticCustomError("gk_positive", "not positive")
    return value


def day_value(value: object) -> date:
    """Validate a calendar date."""
    try:
        return parse_date(value)
    except DateError as exc:
        raise PydanticCustomError("gk_date", str(exc)) from None


def choice(table: dict[str, str]) -> Callable[[object], str]:
    """Build a validator accepting an English id or its Chinese label, returning the id."""
    by_label = {label: key for key, label in table.items()}

    def check(value: object) -> str:
        text = str(value).strip()
        if text in table:
            return text
        if text in by_label:
            return by_label[text]
        raise PydanticCustomError("gk_choice", "unknown", {"choices": tuple(by_label)})

    return check


Money = Annotated[Decimal, BeforeValidator(money_value)]
# How a clerk says a first period's opening balance is not known (the sheet does not say).
UNKNOWN_SPELLINGS = frozenset({"unknown", "不详", "未知"})


def _opening(value: object) -> Decimal | str:
    """Validate an opening balance: an amount, or "unknown" (不详) when none was kept."""
    if isinstance(value, str) and value.strip().lower() in UNKNOWN_SPELLINGS:
        return "unknown"
    return money_value(value)


Opening = Annotated[Decimal | Literal["unknown"], BeforeValidator(_opening)]
LineAmount = Annotated[Decimal, BeforeValidator(money_value), AfterValidator(_positive)]
Day = Annotated[date, BeforeValidator(day_value)]
Text = Annotated[str, Field(min_length=1)]

# What a clerk writes when a form asks for something they have not got: in a 更正公告
# each of these says nothing, so a correction that gives one is refused.
PLACEHOLDERS = frozenset({"无", "暂无", "没有", "略", "待定", "待补", "不详", "同上", "见上",
                          "-", "--", "—", "——", "/", "／", "n/a", "na", "none", "tbd",
                          "x", "xx", "xxx", "?", "？", "."})


def _stated(value: str) -> str:
    """Refuse a placeholder where a 更正公告 states a fact (无, -, 待定…)."""
    if value.strip().lower() in PLACEHOLDERS or not value.strip():
        raise PydanticCustomError("gk_stated", "placeholder")
    return value


Stated = Annotated[str, Field(min_length=1), AfterValidator(_stated)]
