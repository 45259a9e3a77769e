"""Write a period's ledger file, and find the balance a new period carries over.

Shared by ``gongkai new finance`` (an empty period) and ``gongkai import`` (a period read
from a spreadsheet), so both write the same, hand-editable YAML that the build then
checks like any other ledger.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from gongkai.core.dates import Period, parse_period
from gongkai.core.i18n import N_, translations
from gongkai.core.money import CENT, MoneyError, parse_money
from gongkai.read.source import SourceError
from gongkai.read.text import read_text
from gongkai.read.yamlfile import parse_yaml
from gongkai.render.jinja import period_name


@dataclass(frozen=True)
class LineEntry:
    """One income or expense line as it will be written (``party`` is payer or payee)."""

    day: date
    category: str
    item: str
    amount: Decimal
    voucher: str | None = None
    party: str | None = None
    subaccount: str | None = None
    handled_by: str | None = None  # 经手人


@dataclass(frozen=True)
class Carried:
    """The balance a period opens with, and the earlier ledger it was carried from."""

    amount: Decimal
    source: Path


def earlier_periods(finance: Path, period: Period) -> list[tuple[Period, Path]]:
    """List the ledgers in ``finance/`` that end before ``period`` starts, newest first."""
    found: list[tuple[Period, Path]] = []
    if not finance.is_dir():
        return found
    for path in finance.iterdir():
        if path.suffix.lower() not in (".yaml", ".yml") or not path.is_file():
            continue
        other = parse_period(path.stem)
        if other is not None and other.end < period.start:
            found.append((other, path))
    found.sort(key=lambda pair: pair[0].end, reverse=True)
    return found


def carried_balance(finance: Path, period: Period) -> Carried | None:
    """Return the closing balance of the newest earlier ledger, or None if it cannot be read.

    A ledger without ``closing_balance`` closes at its opening balance plus income minus
    expense; one without an opening balance opens at the ledger before it.
    """
    earlier = earlier_periods(finance, period)
    if not earlier:
        return None
    return _closing(earlier, 0)


def _closing(earlier: list[tuple[Period, Path]], index: int) -> Carried | None:
    """Work out the closing balance of ``earlier[index]``, walking back where needed."""
    if index >= len(earlier):
        return None
    path = earlier[index][1]
    data = read_mapping(path) or None
    if data is None:
        return None
    closing = _money(data.get("closing_balance"))
    if closing is not None:
        return Carried(closing, path)
    opening = _money(data.get("opening_balance"))
    if opening is None:
        before = _closing(earlier, index + 1)
        if before is None:
            return None
        opening = before.amount
    flows = [_line_amounts(data.get(side)) for side in ("income", "expense")]
    if flows[0] is None or flows[1] is None:
        return None
    return Carried(opening + flows[0] - flows[1], path)


def read_mapping(path: Path) -> dict[str, object]:
    """Parse a YAML file into a mapping; an empty one if it cannot be read as one (the
    build reports why; here the file only lends a name or a balance)."""
    try:
        data, _ = parse_yaml(read_text(path, path.name), path.name)
    except (OSError, SourceError):
        return {}
    return data if isinstance(data, dict) else {}


def village_name(folder: Path) -> str:
    """Read a village's name from its village.yaml; "" if it has none that can be read."""
    name = read_mapping(folder / "village.yaml").get("name")
    return name if isinstance(name, str) else ""


def ledger_heading(folder: Path, period: Period, language: str) -> str:
    """The first comment of a written ledger: 青山村 2026年1月 财务收支公开."""
    return translations(language).gettext(
        N_("{village} {period} income and expenditure disclosure")).format(
        village=village_name(folder) or folder.name, period=period_name(period, language))


def _money(value: object) -> Decimal | None:
    """Read an amount, or None where there is none or it is not one."""
    if value is None:
        return None
    try:
        return parse_money(value)
    except MoneyError:
        return None


def _line_amounts(lines: object) -> Decimal | None:
    """Sum the amounts of a side's lines; None if any line's amount is unreadable."""
    total = Decimal("0.00")
    for line in lines or []:  # type: ignore[attr-defined]
        amount = _money(line.get("amount")) if isinstance(line, dict) else None
        if amount is None:
            return None
        total += amount
    return total


def ledger_text(*, heading: str, published: date, opening_balance: Decimal | None,
                income: Sequence[LineEntry], expense: Sequence[LineEntry],
                closing_balance: Decimal | None, prepared_by: str | None = None,
                comments: Sequence[str] = (), above: Mapping[str, Sequence[str]] | None = None,
                under: Mapping[str, Sequence[str]] | None = None,
                opening_text: str | None = None) -> str:
    """Write a ledger as YAML: one flow mapping a line, amounts with two decimals.

    ``heading`` becomes the first comment line; ``comments`` follow it, one ``#`` line
    each (help for the clerk). ``reviewed_by`` is written empty, for the committee.
    ``above`` puts comment lines above a top-level key, ``under`` indented comment lines
    right below it (commented-out examples the clerk uncomments); a side with no lines
    but lines ``under`` it is written blank rather than ``[]``, so uncommenting them
    makes a valid list. ``opening_text`` writes the opening balance as that word
    (``unknown``) instead of an amount.
    """
    above, under = above or {}, under or {}
    out = [f"# {heading}"] + [f"# {line}" if line else "#" for line in comments]

    def key(name: str, value: str) -> None:
        out.extend(f"# {line}" if line else "#" for line in above.get(name, ()))
        out.append(f"{name}: {value}".rstrip())
        out.extend(f"  # {line}" for line in under.get(name, ()))

    key("published", published.isoformat())
    key("prepared_by", scalar(prepared_by) if prepared_by else "")
    key("reviewed_by", "")
    key("opening_balance", opening_text or amount_text(opening_balance))
    for side, party, lines in (("income", "payer", income), ("expense", "payee", expense)):
        if not lines:
            key(side, "" if under.get(side) else "[]")
            continue
        key(side, "")
        out.extend(f"  - {_line(line, party)}" for line in lines)
    key("closing_balance", amount_text(closing_balance))
    return "\n".join(out) + "\n"


def _line(line: LineEntry, party: str) -> str:
    """Write one line as a flow mapping, in the field order of the sample ledgers."""
    fields: list[tuple[str, str]] = [("date", line.day.isoformat()),
                                     ("category", scalar(line.category))]
    if line.subaccount:
        fields.append(("subaccount", scalar(line.subaccount)))
    fields += [("item", scalar(line.item)), ("amount", amount_text(line.amount))]
    if line.party:
        fields.append((party, scalar(line.party)))
    if line.voucher:
        fields.append(("voucher", scalar(line.voucher)))
    if line.handled_by:
        fields.append(("handled_by", scalar(line.handled_by)))
    return "{" + ", ".join(f"{key}: {value}" for key, value in fields) + "}"


def amount_text(amount: Decimal | None) -> str:
    """Write an amount with two decimals, no thousands separator; "" for None."""
    return "" if amount is None else f"{amount.quantize(CENT):f}"


# Characters that end or change a plain scalar inside a flow mapping ({a: b, c: d}).
_NOT_PLAIN = re.compile(r"[,\[\]{}:#&*!|>'\"%@`\\\x00-\x1f]|^[-?\s]|\s$")


def scalar(text: str) -> str:
    """Write text as a YAML value that reads back as exactly that text."""
    if text and not _NOT_PLAIN.search(text):
        try:
            if yaml.safe_load(text) == text:
                return text
        except yaml.YAMLError:
            pass
    # A double-quoted YAML scalar with JSON's escapes reads back as the same text.
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c >= " " else f"\\x{ord(c):02x}" for c in escaped)
    return f'"{escaped}"'
