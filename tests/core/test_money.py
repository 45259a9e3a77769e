"""Money parsing: exact Decimals from the spellings clerks use."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.money import MoneyError, parse_money


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


AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999.99"), places=2)
FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


@given(AMOUNTS, st.sampled_from(["{:,}", "¥{:,}", "￥{}", "{}元", "¥ {:,} 元", "RMB {}"]),
       st.booleans())
def test_every_accepted_spelling_reads_back_exactly(amount, shape, full_width):
    text = shape.format(amount)
    if full_width:
        text = text.translate(FULL_WIDTH)
    assert parse_money(text) == amount


@given(AMOUNTS, st.integers(3, 6))
def test_more_than_two_decimals_is_refused_unless_only_zeros(amount, places):
    nonzero = f"{amount}{'0' * (places - 3)}7"
    with pytest.raises(MoneyError):
        parse_money(nonzero)
    assert parse_money(f"{amount}{'0' * (places - 2)}") == amount


# No deadline: the first example pays for importing the finance modules (half a second).
@settings(deadline=None)
@given(st.lists(AMOUNTS, max_size=40), st.lists(AMOUNTS, max_size=40),
       st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2))
def test_period_sums_and_account_totals_agree_to_the_fen(incomes, expenses, opening):
    from gongkai.check.finance import account_totals
    from gongkai.core.dates import parse_period
    from gongkai.model.coa import chart
    from gongkai.model.content import Ledger, Notice
    from gongkai.model.finance import LedgerFile

    accounts = chart("coa-2024")
    data = LedgerFile.model_validate({
        "published": "2025-04-05", "opening_balance": str(opening),
        "income": [{"date": "2025-03-02", "category": accounts.income[i % len(accounts.income)], "item": "x",
                    "amount": str(a)} for i, a in enumerate(incomes)],
        "expense": [{"date": "2025-03-02", "category": accounts.expense[i % len(accounts.expense)], "item": "x",
                     "amount": str(a)} for i, a in enumerate(expenses)]})
    period = parse_period("2025-03")
    assert period is not None
    ledger = Ledger("v", "f", period, data, Notice(period.start, period.end), "", opening)
    assert ledger.closing == opening + sum(incomes, Decimal(0)) - sum(expenses, Decimal(0))
    assert ledger.closing.as_tuple().exponent == -2
    totals = account_totals(data.income, accounts.income)
    assert sum((t.amount for t in totals), Decimal("0.00")) == data.total_income
    assert [t.account for t in totals] == [a for a in accounts.income if a in
                                           {line.category for line in data.income}]
