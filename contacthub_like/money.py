"""Currencies and decimal amounts, shared by the Invoice entity and the embedded hub.

Amounts travel as decimal strings (``"12.50"``) because a JSON number is a binary
float to most parsers and would lose cents; this module is the one place that says
which strings are amounts, how many minor digits each ISO 4217 currency has, and how
a line amount is rounded, so the client and the hub can never disagree.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "CURRENCY_EXPONENTS",
    "MAX_AMOUNT_DIGITS",
    "MAX_FRACTION_DIGITS",
    "is_amount_text",
    "parse_amount",
    "quantize",
    "format_amount",
    "amount_units",
    "UNITS_PER_AMOUNT",
]

#: ISO 4217 active codes -> number of minor-unit digits (JPY has none, BHD has three)
CURRENCY_EXPONENTS: dict[str, int] = {
    **dict.fromkeys(
        "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD "
        "CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS "
        "GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL "
        "MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK "
        "PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS "
        "TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD YER ZAR ZMW ZWG".split(),
        2,
    ),
    **dict.fromkeys("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
    **dict.fromkeys("CLF UYW".split(), 4),
}

#: digits after the point an amount or quantity may carry (unit prices of fractions of a cent are common)
MAX_FRACTION_DIGITS = 6
#: digits before the point: totals stay far inside a 64-bit integer of millionths
MAX_AMOUNT_DIGITS = 12

_AMOUNT = re.compile(rf"^-?\d{{1,{MAX_AMOUNT_DIGITS}}}(\.\d{{1,{MAX_FRACTION_DIGITS}}})?$")


def is_amount_text(text: str) -> bool:
    """Plain decimal notation only: no exponent, no sign other than a leading '-', no spaces."""
    return bool(_AMOUNT.match(text))


def parse_amount(text: str) -> Decimal:
    """``'12.50'`` -> ``Decimal('12.50')``; raises ValueError naming the accepted form."""
    if not isinstance(text, str) or not is_amount_text(text):
        raise ValueError(
            f"{text!r} is not a decimal amount: write it as a string such as '12.50' "
            f"(at most {MAX_AMOUNT_DIGITS} digits before the point and {MAX_FRACTION_DIGITS} after)"
        )
    return Decimal(text)


def quantize(value: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor unit, half up (the commercial rule invoices are read with)."""
    exponent = CURRENCY_EXPONENTS[currency]
    return value.quantize(Decimal(1).scaleb(-exponent), rounding=ROUND_HALF_UP)


def format_amount(value: Decimal, currency: str) -> str:
    """The wire form of an amount in ``currency``: always its number of minor digits (``'7.00'``)."""
    return format(quantize(value, currency), "f")


#: amounts are compared in SQL as integers of millionths, so '100' and '100.00' are equal and order right
UNITS_PER_AMOUNT = 10**MAX_FRACTION_DIGITS


def amount_units(value: object) -> int | None:
    """An amount (decimal string, int or Decimal) as an integer of millionths; None when it is not one.

    Used by the hub's SQL function ``hub_dec`` and by its query compiler, so stored strings
    and query values meet in the same exact integer form.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        if not is_amount_text(value):
            return None
        number = Decimal(value)
    elif isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        return None
    if not number.is_finite():
        return None
    scaled = number * UNITS_PER_AMOUNT
    if scaled != scaled.to_integral_value():
        return None
    return int(scaled)
