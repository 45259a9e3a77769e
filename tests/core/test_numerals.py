"""Capital numerals (大写金额): the cases accountants get wrong, and a round trip."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.numerals import DIGITS, capital_yuan


@pytest.mark.parametrize(("amount", "capital"), [
    ("0.01", "壹分"),
    ("0.30", "叁角"),
    ("0.00", "零元整"),
    ("10.00", "壹拾元整"),                      # 壹拾, never a bare 拾
    ("19.99", "壹拾玖元玖角玖分"),
    ("100.10", "壹佰元零壹角"),                  # units digit 0, then 角: 零
    ("110.00", "壹佰壹拾元整"),
    ("1409.50", "壹仟肆佰零玖元伍角"),             # no 整 after 角
    ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),       # 角 is 0, 分 is not: 零
    ("325.04", "叁佰贰拾伍元零肆分"),
    ("10010.05", "壹万零壹拾元零伍分"),
    ("12000.00", "壹万贰仟元整"),
    ("101000.00", "壹拾万壹仟元整"),
    ("107000.53", "壹拾万柒仟元零伍角叁分"),
    ("100010.00", "壹拾万零壹拾元整"),            # a run of zeros is one 零
    ("1000000.00", "壹佰万元整"),
    ("100000000.00", "壹亿元整"),
    ("100001000.00", "壹亿零壹仟元整"),           # an empty 万 group
    ("1010101010.10", "壹拾亿壹仟零壹拾万壹仟零壹拾元零壹角"),
    ("1000100000000.00", "壹万零壹亿元整"),
    ("-5.50", "负伍元伍角"),
])
def test_capital_numerals(amount, capital):
    assert capital_yuan(Decimal(amount)) == capital


VALUES = {d: i for i, d in enumerate(DIGITS)}
PLACES = {"拾": 10, "佰": 100, "仟": 1000}


def read_capital(text: str) -> Decimal:
    """Read capital numerals back, independently of how they were written."""
    sign = -1 if text.startswith("负") else 1
    text = text.removeprefix("负").removesuffix("整")
    yuan_text, _, cents_text = text.rpartition("元") if "元" in text else ("", "", text)
    total, group, digit = 0, 0, 0
    for char in yuan_text:
        if char in VALUES:
            digit = VALUES[char]
        elif char in PLACES:
            group, digit = group + digit * PLACES[char], 0
        elif char == "万":
            total, group, digit = total + (group + digit) * 10_000, 0, 0
        elif char == "亿":
            total, group, digit = (total + group + digit) * 100_000_000, 0, 0
    yuan = total + group + digit
    cents, pending = 0, 0
    for char in cents_text:
        if char in VALUES:
            pending = VALUES[char]
        elif char in ("角", "分"):
            cents, pending = cents + pending * (10 if char == "角" else 1), 0
    return sign * (Decimal(yuan) + Decimal(cents) / 100)


@given(st.decimals(min_value=Decimal("-9999999999.99"), max_value=Decimal("9999999999999.99"),
                   places=2, allow_nan=False, allow_infinity=False))
def test_capital_numerals_read_back_to_the_same_amount(amount):
    text = capital_yuan(amount)
    assert read_capital(text) == amount
    assert amount == 0 or ("零零" not in text and not text.startswith("零"))
    assert text.endswith(("整", "角", "分"))
    assert text.endswith("整") == (amount % 1 == 0)
