"""Invoices and their lines: stored rows, the v1 representation, and creating one for a period.

Shared by the v1 routes (listing, detailed invoice, ``generate``), the reports (billing rows) and
the demo seed.  Amounts are decimal strings with two fraction digits, computed with ``Decimal``.
"""

from __future__ import annotations

import calendar
import re
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs

from ..store import Store
from .errors import invalid
from .v1query import Field

CENT = Decimal("0.01")
TAX_RATE = Decimal("0.20")
_PERIOD = re.compile(r"^m-(\d{2})-(\d{4})$")

INVOICE_COLUMNS = (
    "id, customer_id, number, source, period, status, currency, billing_start_date, billing_end_date,"
    " issue_date, cloud_used, subtotal, tax, total"
)
INVOICE_FIELDS: dict[str, Field] = {
    "id": Field("id", "int"),
    "customerId": Field("customer_id", "int"),
    "number": Field("number"),
    "source": Field("source"),
    "period": Field("period"),
    "status": Field("status"),
    "currency": Field("currency"),
    "billingStartDate": Field("billing_start_date", "date"),
    "billingEndDate": Field("billing_end_date", "date"),
    "issueDate": Field("issue_date", "date"),
    "cloudUsed": Field("cloud_used", "decimal"),
    "subtotal": Field("subtotal", "decimal"),
    "tax": Field("tax", "decimal"),
    "total": Field("total", "decimal"),
}


def money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


@attrs.frozen
class Line:
    product_name: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    unit_cost: Decimal


def parse_period(field: str, text: str) -> tuple[date, date]:
    """``m-MM-YYYY`` (the seed SDK's form) -> first and last day of that month."""
    match = _PERIOD.match(text.strip())
    if match is None or not 1 <= int(match.group(1)) <= 12:
        raise invalid(field, f"{text!r} is not a period; write m-MM-YYYY, e.g. m-01-2025 for January 2025")
    month, year = int(match.group(1)), int(match.group(2))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def insert_invoice(
    conn: sqlite3.Connection,
    account_id: str,
    customer_id: int | None,
    source: str,
    period: str,
    status: str,
    lines: Sequence[Line],
    *,
    invoice_id: int | None = None,
    currency: str = "EUR",
) -> int | None:
    """Create the invoice of (customer, source, period) unless it exists; its id, or None if it existed."""
    start, end = parse_period("period", period)
    subtotal = sum((line.quantity * line.unit_price for line in lines), Decimal(0))
    tax = subtotal * TAX_RATE
    cursor = conn.execute(
        f"INSERT OR IGNORE INTO streamone_invoices(id, account_id, {INVOICE_COLUMNS.split(', ', 1)[1]})"
        " VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            invoice_id,
            account_id,
            customer_id,
            source,
            period,
            status,
            currency,
            start.isoformat(),
            end.isoformat(),
            end.isoformat(),
            money(subtotal),
            money(subtotal),
            money(tax),
            money(subtotal + tax),
        ),
    )
    if cursor.rowcount == 0:
        return None
    new_id = int(cursor.lastrowid or 0)
    conn.execute(
        "UPDATE streamone_invoices SET number = ? WHERE id = ?", (f"INV-{start:%Y%m}-{new_id}", new_id)
    )
    for position, line in enumerate(lines, start=1):
        conn.execute(
            "INSERT INTO streamone_invoice_lines(invoice_id, position, product_name, description, quantity,"
            " unit_price, cost, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new_id,
                position,
                line.product_name,
                line.description,
                str(line.quantity),
                money(line.unit_price),
                money(line.quantity * line.unit_cost),
                money(line.quantity * line.unit_price),
            ),
        )
    return new_id


def invoice_json(row: Sequence[Any]) -> dict[str, Any]:
    keys = [key for key in INVOICE_FIELDS]
    return dict(zip(keys, row, strict=True))


def lines_of(store: Store, invoice_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """The lines of each invoice, in order, keyed by invoice id (one query for a whole page)."""
    ids = list(invoice_ids)
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    if not ids:
        return out
    marks = ",".join("?" * len(ids))
    for row in store.all(
        "SELECT invoice_id, id, position, product_name, description, quantity, unit_price, cost, amount"
        f" FROM streamone_invoice_lines WHERE invoice_id IN ({marks}) ORDER BY invoice_id, position",
        ids,
    ):
        out[row[0]].append(
            {
                "id": row[1],
                "position": row[2],
                "productName": row[3],
                "description": row[4],
                "quantity": row[5],
                "unitPrice": row[6],
                "cost": row[7],
                "amount": row[8],
            }
        )
    return out
