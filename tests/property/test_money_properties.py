"""Amounts: what the client writes, the hub reads back exactly, and compares in the same order as Decimal."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from contacthub_like import InvoiceLine
from contacthub_like.money import CURRENCY_EXPONENTS, amount_units, format_amount, parse_amount

AMOUNTS = st.decimals(
    min_value=Decimal("-999999999999.999999"),
    max_value=Decimal("999999999999.999999"),
    places=6,
    allow_nan=False,
    allow_infinity=False,
)


@given(AMOUNTS)
def test_client_wire_form_is_an_amount_the_hub_reads_back_exactly(value: Decimal) -> None:
    wire = InvoiceLine(unitPrice=value).to_dict()["unitPrice"]
    assert parse_amount(wire) == value
    assert amount_units(wire) == amount_units(value) == int(value * 10**6)


@given(AMOUNTS, AMOUNTS)
def test_hub_units_order_like_decimals(a: Decimal, b: Decimal) -> None:
    ua, ub = amount_units(format(a, "f")), amount_units(format(b, "f"))
    assert (ua < ub) == (a < b) and (ua == ub) == (a == b)


@given(AMOUNTS, st.sampled_from(sorted(CURRENCY_EXPONENTS)))
def test_formatted_amounts_have_the_currency_digits_and_round_half_up(value: Decimal, currency: str) -> None:
    text = format_amount(value, currency)
    digits = CURRENCY_EXPONENTS[currency]
    assert len(text.partition(".")[2]) == digits
    assert abs(Decimal(text) - value) <= Decimal(1).scaleb(-digits) / 2
