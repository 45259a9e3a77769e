"""Money: exact Decimal amounts parsed from the spellings clerks use, never floats."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1e18")

# Marks clerks put around a number that carry no value: currency signs and units
# (NFKC has already made full-width forms ASCII).
_PREFIX = re.compile(r"^(?:[¥￥]|RMB|CNY)\s*", re.IGNORECASE)
_SUFFIX = re.compile(r"\s*元$")
# Thousands separators are accepted only where they belong, so "12,34.5" is a typo
# to report rather than 1234.50 to publish.
_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d*)?$")


class MoneyError(ValueError):
    """A value that is not an amount of money; the reason is a short English key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_money(value: object) -> Decimal:
    """Parse an amount (number or string like "¥1,234.50") to a Decimal with two places."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise MoneyError("not-a-number")
    if isinstance(value, str):
        value = _clean(value)
    amount = Decimal(value)
    # Beyond a trillion trillion yuan is a typo, and Decimal's 28 digits would round sums.
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise MoneyError("not-a-number")
    if amount != amount.quantize(CENT, rounding="ROUND_DOWN"):
        raise MoneyError("too-many-decimals")
    return amount.quantize(CENT)


def _clean(text: str) -> str:
    """Strip currency signs, units and separators from a typed amount."""
    normal = unicodedata.normalize("NFKC", text).strip()
    stripped = _SUFFIX.sub("", _PREFIX.sub("", normal))
    if not _NUMBER.match(stripped) or not any(c.isdigit() for c in stripped):
        raise MoneyError("not-a-number")
    digits = stripped.replace(",", "")
    try:
        Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        raise MoneyError("not-a-number") from None
    return digits
