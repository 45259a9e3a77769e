"""Turn validation failures into problems a clerk can act on, at the right line."""

from __future__ import annotations

import re
import types
import typing
import unicodedata
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from gongkai.core.dates import month_overrun
from gongkai.core.errors import Problem, quoted, unknown_name
from gongkai.core.i18n import N_, Msg
from gongkai.read.source import Key, Positions
from gongkai.read.yamlfile import dotted, mistyped_key

M = TypeVar("M", bound=BaseModel)

# What each kind of failure expected, in words a clerk knows.
EXPECTED: dict[str, str] = {
    "string_type": N_("text"),
    "string_too_short": N_("a non-empty text"),
    "int_type": N_("a whole number"),
    "int_parsing": N_("a whole number"),
    "int_from_float": N_("a whole number"),
    "decimal_type": N_("a number"),
    "decimal_parsing": N_("a number"),
    "finite_number": N_("a number"),
    "list_type": N_("a list (lines starting with “- ”)"),
    "model_type": N_("a block of fields (“key: value” lines)"),
    "model_attributes_type": N_("a block of fields (“key: value” lines)"),
    "dict_type": N_("a block of fields (“key: value” lines)"),
    "bool_type": N_("true or false"),
    "bool_parsing": N_("true or false"),
    "gk_date": N_("a date such as 2025-03-05"),
    "gk_positive": N_("an amount above zero"),
    "gk_slug": N_("lowercase letters, digits and hyphens, such as qingshan or xikou-2"),
    "gk_url": N_("an absolute address starting with https://"),
    "gk_timezone": N_("a time zone name such as Asia/Shanghai"),
    "gk_finance_cadence": N_("monthly or quarterly: finances are disclosed at least once a "
                             "quarter, and monthly where transactions are many (农村集体经济组织"
                             "财务公开规定, 农经发〔2011〕13号)"),
    "gk_added_account": N_("an account the 2004 chart lets a village add (三（一）附注): 161 "
                           "无形资产, 171 拨付所属单位资金 or 241 专项应付款"),
    "gk_stated": N_("the words of the correction notice (更正公告), not a placeholder such as "
                    "“无” or “-”"),
    "gk_deadline": N_("a date such as 2025-03-05, or a number of working days from the "
                      "notice's date such as 5个工作日 (1 to 60)"),
}
MONEY_EXPECTED = {
    "not-a-number": N_("an amount of money such as 1234.50"),
    "too-many-decimals": N_("an amount with at most two decimal places (yuan and fen)"),
}


def validate(model: type[M], data: Any, positions: Positions) -> tuple[M | None, list[Problem]]:
    """Validate parsed data against a model; return it or every problem found."""
    problems = list(positions.problems)
    if not isinstance(data, dict):
        problems.append(_not_a_mapping(model, data, positions))
        return None, problems
    try:
        return model.model_validate(data), problems
    except ValidationError as exc:
        errors = exc.errors()
        # A field whose name a full-width slip spoiled (“amount：2800”) was reported at its
        # line while reading; saying it is missing as well would have the clerk add it twice.
        slipped = {(*error["loc"][:-1], _slipped_field(error["loc"][-1]))
                   for error in errors if _told_while_reading(error)}
        # Keys that are not text were reported, at their own line, while reading the file.
        problems.extend(explain(error, model, positions) for error in errors
                        if error["type"] != "invalid_key" and not _told_while_reading(error)
                        and not (error["type"] == "missing" and error["loc"] in slipped))
        return None, problems


_FIELD_NAME = re.compile(r"[\s\u3000]*([A-Za-z_][A-Za-z0-9_]*)")


def _slipped_field(name: object) -> str:
    """Return the field a slipped name was meant to be: “amount” of “amount：2800”."""
    match = _FIELD_NAME.match(name) if isinstance(name, str) else None
    return match.group(1) if match else ""


def _told_while_reading(error: ErrorDetails) -> bool:
    """Tell a field name made by a full-width slip, reported at its line while reading."""
    name = error["loc"][-1] if error["loc"] else ""
    return error["type"] == "extra_forbidden" and isinstance(name, str) and \
        mistyped_key(name) is not None


def _not_a_mapping(model: type[BaseModel], data: Any, positions: Positions) -> Problem:
    """Explain a file whose top level is not a block of fields."""
    fields = tuple(_names(model))
    if data is None:
        message = Msg.of(N_("the file is empty; expected fields such as {fields}"),
                         fields=fields[:3])
    else:
        message = Msg.of(N_("expected {expected}, found {found}"),
                         expected=Msg(EXPECTED["model_type"]), found=describe(data))
    return Problem(positions.locate(()), message)


def explain(error: ErrorDetails, model: type[BaseModel], positions: Positions) -> Problem:
    """Explain one validation error with its file, line, field and expectation."""
    loc = tuple(part for part in error["loc"] if isinstance(part, str | int))
    name = dotted(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _names(_model_at(model, loc[:-1]))
        message = unknown_name(Msg(N_("a known field")), str(loc[-1]), allowed)
        return Problem(positions.locate(loc, key=True), message, name)
    if kind == "missing":
        message = Msg.of(N_("this required field is missing; add “{key}: …”"), key=loc[-1])
        return Problem(positions.locate(loc[:-1]), message, name)
    return Problem(positions.locate(loc), _expected_found(error), name)


def _expected_found(error: ErrorDetails) -> Msg:
    """Say what the field expected and what it found."""
    kind, ctx = error["type"], error.get("ctx") or {}
    found = describe(error["input"])
    word = "" if error["input"] is None else str(error["input"])
    if kind == "gk_choice":
        return unknown_name(Msg(N_("one of")), word, ctx.get("choices", ()))
    if kind == "literal_error":
        choices = tuple(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        return unknown_name(Msg(N_("one of")), word, choices)
    expected = _expected(kind, error["msg"], ctx)
    hint = _slip_hint(kind, error["input"])
    overrun = month_overrun(error["input"]) if kind == "gk_date" else None
    if overrun is not None:
        hint = Msg.of(N_("there is no such day: {month} has {days} days"),
                      month=f"{overrun[0]}-{overrun[1]:02d}", days=overrun[2])
    if hint is not None:
        return Msg.of(N_("expected {expected}, found {found}; {hint}"), expected=expected,
                      found=found, hint=hint)
    return Msg.of(N_("expected {expected}, found {found}"), expected=expected, found=found)


# A percentage typed where a number is expected: “0.5%”, “0.5％”, “５％”.
_PERCENT = re.compile(r"\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*%\s*")
_BLOCK_KINDS = frozenset({"model_type", "model_attributes_type", "dict_type"})


def _slip_hint(kind: str, value: Any) -> Msg | None:
    """Say how to fix a common slip: a percentage for a fraction, a full-width colon."""
    if not isinstance(value, str):
        return None
    percent = _PERCENT.fullmatch(unicodedata.normalize("NFKC", value))
    if percent and kind.startswith(("decimal", "float", "int", "finite")):
        fraction = Decimal(percent.group(1)) / 100
        return Msg.of(N_("write a percentage as a plain number, without “%”: {percent} is "
                         "{fraction}"), percent=value.strip(),
                      fraction=format(fraction.normalize(), "f"))
    typo = mistyped_key(value)
    if kind in _BLOCK_KINDS and typo is not None:
        return Msg(typo)
    return None


def _expected(kind: str, fallback: str, ctx: dict[str, Any]) -> Msg:
    """Describe what a failed check expected."""
    if kind == "gk_money":
        return Msg(MONEY_EXPECTED.get(fallback, MONEY_EXPECTED["not-a-number"]))
    if kind in ("greater_than_equal", "greater_than"):
        return Msg.of(N_("a number of at least {limit}"), limit=ctx.get("ge", ctx.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return Msg.of(N_("a number of at most {limit}"), limit=ctx.get("le", ctx.get("lt")))
    if kind == "too_short":
        return Msg.of(N_("at least {count} entries"), count=ctx.get("min_length", 1))
    if kind in EXPECTED:
        return Msg(EXPECTED[kind])
    return Msg.of(N_("a valid value ({detail})"), detail=fallback)


def describe(value: Any) -> Msg | str:
    """Show a found value: quoted as typed, or the kind of thing for blocks and lists."""
    if value is None:
        return Msg(N_("nothing"))
    if isinstance(value, dict):
        return Msg(N_("a block of fields"))
    if isinstance(value, list):
        return Msg(N_("a list"))
    if isinstance(value, bool):
        return quoted(str(value).lower())
    if isinstance(value, Decimal):
        return quoted(format(value, "f"))
    return quoted(value)


def _names(model: type[BaseModel] | None) -> list[str]:
    """List the keys a block accepts, by the names clerks write."""
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _model_at(model: type[BaseModel], path: tuple[Key, ...]) -> type[BaseModel] | None:
    """Find the model class that validates the block at a path, if it is a model."""
    current: type[BaseModel] | None = model
    for part in path:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        info = _field_by_key(current, part)
        current = _inner_model(info.annotation) if info else None
    return current


def _field_by_key(model: type[BaseModel], key: str) -> Any:
    """Return a model's field by its name or alias."""
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info
    return None


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """Find the model inside ``X | None`` or ``list[X]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found:
                return found
    return None
