"""The hub's invoice schema (DESIGN §4): decimal amounts, statuses and their transitions, lines and totals.

Every name here is also importable from :mod:`.schema`, the hub's schemas in one place.
"""

from __future__ import annotations

from typing import Any

from .. import money
from .errors import field_error, pointer
from .validation import (
    Arr,
    Date,
    DateTime,
    Enum,
    Errors,
    Obj,
    Spec,
    Str,
    _json_type,
)


class Amount(Spec):
    """A decimal amount written as a string (``"12.50"``).

    JSON numbers are refused for money: most parsers read them as binary floats, so
    ``0.1 + 0.2`` cents would already be wrong before the hub sees them.  Quantities
    (``allow_int``) may also be plain integers, which are exact.
    """

    def __init__(self, *, non_negative: bool = False, allow_int: bool = False) -> None:
        self.non_negative = non_negative
        self.allow_int = allow_int

    def check(self, value: Any, path: tuple[Any, ...], errors: Errors) -> Any:
        if value is None:
            return None
        if self.allow_int and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            expected = "a decimal string such as '3' or '2.5'" if self.allow_int else "a decimal string"
            errors.append(
                field_error(
                    pointer(*path),
                    f"expected {expected} such as '12.50', got {_json_type(value)}"
                    + (" (numbers lose cents as floats)" if isinstance(value, float) else ""),
                    "INVALID_TYPE",
                )
            )
            return None
        try:
            amount = money.parse_amount(value)
        except ValueError as exc:
            errors.append(field_error(pointer(*path), str(exc), "INVALID_FORMAT"))
            return None
        if self.non_negative and amount < 0:
            errors.append(
                field_error(pointer(*path), f"{path[-1]} must not be negative, got {value!r}", "INVALID")
            )
            return None
        return value


def _is_currency(value: str) -> bool:
    return value in money.CURRENCY_EXPONENTS


INVOICE_STATUSES = ("DRAFT", "ISSUED", "PAID", "VOID")
#: status -> statuses it may move to (VOID and PAID are final)
INVOICE_TRANSITIONS = {
    "DRAFT": frozenset({"DRAFT", "ISSUED", "VOID"}),
    "ISSUED": frozenset({"ISSUED", "PAID", "VOID"}),
    "PAID": frozenset({"PAID"}),
    "VOID": frozenset({"VOID"}),
}
INVOICE_LINE = Obj(
    {
        "id": Str(),
        "sku": Str(),
        "description": Str(),
        "quantity": Amount(non_negative=True, allow_int=True),
        "unitPrice": Amount(),
        "amount": Amount(),  # computed: whatever is sent is replaced
    },
    required=("quantity", "unitPrice"),
    nullable=False,
)
INVOICE = Obj(
    {
        "customerId": Str(),
        "number": Str(pattern=r"^\S(.{0,62}\S)?$", what="invoice number (1-64 characters, no edge spaces)"),
        "status": Enum(*INVOICE_STATUSES),
        "currency": Str(check_fn=_is_currency, what="ISO 4217 currency code (such as 'EUR')"),
        "issuedAt": DateTime(),
        "dueAt": DateTime(),
        "billingStartDate": Date(),
        "billingEndDate": Date(),
        "lines": Arr(INVOICE_LINE),
    },
    required=("customerId", "number", "currency"),
)
INVOICE_READ_ONLY = frozenset({"id", "nodeId", "total"})
MAX_INVOICE_LINES = 1000


def check_invoice_body(body: dict[str, Any], errors: Errors) -> dict[str, Any]:
    """Validate an invoice body (POST/PUT, or a merged PATCH); computed keys are accepted and ignored."""
    fields = INVOICE.check({k: v for k, v in body.items() if k not in INVOICE_READ_ONLY}, (), errors)
    if fields["status"] is None:
        fields["status"] = "DRAFT"
    start, end = fields["billingStartDate"], fields["billingEndDate"]
    if start and end and end < start:
        errors.append(
            field_error(
                "/billingEndDate", f"billingEndDate {end} is before billingStartDate {start}", "INVALID"
            )
        )
    if len(fields["lines"]) > MAX_INVOICE_LINES:
        errors.append(
            field_error("/lines", f"an invoice holds at most {MAX_INVOICE_LINES} lines", "TOO_LARGE")
        )
    return fields


def price_lines(fields: dict[str, Any], new_id: Any) -> tuple[list[dict[str, Any]], str]:
    """Compute each line's ``amount`` (quantity x unitPrice, rounded half up to the currency's minor unit)
    and the invoice ``total`` (the sum of the rounded line amounts, as printed on paper)."""
    currency = fields["currency"]
    total = money.Decimal(0)
    lines = []
    for line in fields["lines"]:
        amount = money.quantize(money.Decimal(line["quantity"]) * money.Decimal(line["unitPrice"]), currency)
        total += amount
        lines.append({**line, "id": line["id"] or new_id(), "amount": format(amount, "f")})
    return lines, money.format_amount(total, currency)
