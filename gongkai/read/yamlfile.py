"""YAML with the position of every value: numbers as Decimal, no aliases, no custom tags.

The loader remembers where in the file each value came from, so later errors can name
the line; a YAML error is told in words a clerk knows (``yamlhints``).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from gongkai.core.errors import Location, Problem
from gongkai.core.i18n import N_, Msg
from gongkai.read.source import Path_, Positions, SourceError
from gongkai.read.text import check_escaped
from gongkai.read.yamlhints import (
    FULLWIDTH_AFTER_COLON,
    FULLWIDTH_AFTER_COLON_HINT,
    FULLWIDTH_COLON,
    FULLWIDTH_COLON_HINT,
    FULLWIDTH_SPACE_HINT,
    MALFORMED_HINT,
    control_problem,
    yaml_problem,
)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML 1.2-like scalars: no floats (numbers become Decimal), no yes/no booleans,
    no sexagesimal 8:30 integers, and no octal from a leading zero (phone numbers)."""


_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    # No exponents: 1e5 is not how an amount is written, and 1e999999999 is a trap.
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)$"), list("-+0123456789."))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp",
    re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
               r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
               r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$"),
    list("0123456789"))


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    """Build a Decimal from the number exactly as written: money is never a binary float."""
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the resolver only admits decimal syntax
        raise yaml.constructor.ConstructorError(None, None, text, node.start_mark) from None


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    """Build a date, or keep the text of an impossible one (2025-02-30) for validation."""
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def parse_yaml(text: str, display: str, line_offset: int = 0) -> tuple[Any, Positions]:
    """Parse YAML text into plain values and their positions, or raise SourceError."""
    positions = Positions(display, line_offset)
    if "*" in text:
        _reject_aliases(text, display, line_offset)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_tags(node, display, line_offset)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise SourceError(yaml_problem(exc, text, display, line_offset)) from None
    except yaml.reader.ReaderError as exc:
        raise SourceError(control_problem(exc, text, display, line_offset)) from None
    finally:
        loader.dispose()
    if node is not None:
        _record(node, (), positions)
    return data, positions


def _reject_aliases(text: str, display: str, line_offset: int) -> None:
    """Refuse YAML aliases (*name): clerks never need them, and a few nested ones can
    stand for billions of values (the "billion laughs" attack)."""
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                where = Location(display) if mark is None else \
                    Location(display, mark.line + 1 + line_offset, mark.column + 1)
                raise SourceError(Problem(where,
                    Msg.of(N_("YAML aliases (*name) are not supported; write the value out "
                              "in full, or quote text that starts with *"))))
    except yaml.YAMLError:
        return  # the full parse reports it, with its hint


# The tags the loader resolves by itself. Explicit others (!!binary, !!set, !!omap,
# !custom) build values no schema expects (bytes that would bypass every text check).
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in (
    "str", "int", "float", "bool", "null", "timestamp", "map", "seq"))


def _check_tags(root: yaml.Node, display: str, line_offset: int) -> None:
    """Refuse explicit YAML tags other than the plain ones, at the tagged value, and
    escaped control characters in double-quoted values."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag not in _PLAIN_TAGS:
            mark = node.start_mark
            raise SourceError(Problem(
                Location(display, mark.line + 1 + line_offset, mark.column + 1),
                Msg.of(N_("YAML tags such as {tag} are not supported; write the value as "
                          "plain text, without the tag"), tag=f"“{_short_tag(node.tag)}”")))
        if isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.ScalarNode) and node.style == '"':
            check_escaped(node, display, line_offset)


def _short_tag(tag: str) -> str:
    """Write a tag the way it is typed: tag:yaml.org,2002:binary as !!binary."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") \
        else tag[:40]


def mistyped_key(key: str) -> str | None:
    """Return the hint for a field name a full-width slip made: an indent or a colon."""
    if key.startswith("\u3000"):
        return FULLWIDTH_SPACE_HINT
    if FULLWIDTH_COLON.match(key):
        return FULLWIDTH_COLON_HINT
    if FULLWIDTH_AFTER_COLON.match(key):
        return FULLWIDTH_AFTER_COLON_HINT
    return None


def _note_bad_key(positions: Positions, path: Path_, mark: tuple[int, int],
                  in_braces: bool | None) -> None:
    """Report a key that is not text: a number or date where a field name should be."""
    if in_braces:
        # In "{amount: 12,000.00}" YAML splits at the comma: "000.00" becomes a key.
        message = Msg(N_("a number stands where a field name should be; inside {{ }} a comma "
                         "separates fields, so write amounts with a thousands comma in quotes, "
                         "such as \"12,000.00\""))
    else:
        message = Msg.of(N_("expected a field name, found {found}; a field name is text "
                            "followed by a colon and a space"), found=f"“{path[-1]}”")
    positions.problems.append(Problem(positions.at(mark), message, dotted(path[:-1])))


def _note_mistyped_key(positions: Positions, key: str, mark: tuple[int, int]) -> None:
    """Report a field name a full-width indent or colon made (YAML read it as a name)."""
    hint = mistyped_key(key)
    if hint is not None:
        positions.problems.append(Problem(positions.at(mark), Msg.of(MALFORMED_HINT,
                                                                     hint=Msg(hint))))


def dotted(path: Path_) -> str:
    """Write a path of keys as income[2].amount."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _note_duplicate(positions: Positions, path: Path_, mark: tuple[int, int]) -> None:
    """Report a key given twice in one mapping (YAML would silently keep the last)."""
    first = positions.keys[path][0] + 1 + positions.line_offset
    positions.problems.append(Problem(
        positions.at(mark),
        Msg.of(N_("the key is given twice (first on line {first}); keep only one"), first=first),
        field=str(path[-1])))


def _record(node: yaml.Node, path: Path_, positions: Positions) -> None:
    """Walk a composed YAML node and note the start of every key and value."""
    positions.values[path] = (node.start_mark.line, node.start_mark.column)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            child = (*path, key)
            mark = (key_node.start_mark.line, key_node.start_mark.column)
            if key_node.tag != "tag:yaml.org,2002:str":
                _note_bad_key(positions, child, mark, node.flow_style)
            elif mistyped_key(key):
                _note_mistyped_key(positions, key, mark)
            elif child in positions.keys:
                _note_duplicate(positions, child, mark)
            positions.keys[child] = mark
            _record(value_node, child, positions)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record(item, (*path, index), positions)
