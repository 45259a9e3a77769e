"""Money parsing: exact Decimals from the spellings clerks use."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.money import MoneyError, parse_money


@pytest.mark.parametrize(("typed", "amount"), [
    (12000, "12000.00"),
    (Decimal("3200.5"), "3200.50"),
    ("1,234.50", "1234.50"),
    ("¥1234.5", "1234.50"),
    ("￥1,234元", "1234.00"),
    ("1234.50元", "1234.50"),
    ("１２３４．５", "1234.50"),
    ("RMB 88", "88.00"),
    ("¥ 1,234,567.8 元", "1234567.80"),
    ("-5", "-5.00"),
    (".5", "0.50"),
])
def test_accepted_spellings_normalise_to_two_places(typed: object, amount: str) -> None:
    value = parse_money(typed)
    assert value == Decimal(amount)
    assert str(value) == amount


@pytest.mark.parametrize(("typed", "reason"), [
    ("12.345", "too-many-decimals"),
    (Decimal("0.001"), "too-many-decimals"),
    ("12,34.5", "not-a-number"),
    ("1,2345", "not-a-number"),
    ("abc", "not-a-number"),
    (".", "not-a-number"),
    ("", "not-a-number"),
    (True, "not-a-number"),
    (None, "not-a-number"),
    (Decimal("Infinity"), "not-a-number"),
    (1.5, "not-a-number"),
])
def test_rejected_values_say_why(typed: object, reason: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_money(typed)
    assert caught.value.reason == reason


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2))
def test_any_two_place_amount_round_trips_through_every_spelling(amount: Decimal) -> None:
    grouped = f"{amount:,.2f}"
    for spelling in (str(amount), grouped, f"¥{grouped}", f"{grouped}元"):
        assert parse_money(spelling) == amount


@pytest.mark.parametrize("typed", [Decimal("1.0e30"), "99999999999999999999999999999.00"])
def test_absurdly_large_amounts_are_errors_not_crashes(typed: object) -> None:
    with pytest.raises(MoneyError):
        parse_money(typed)
