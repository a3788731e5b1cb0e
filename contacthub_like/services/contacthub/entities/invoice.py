"""Invoices and their lines: money as :class:`~decimal.Decimal` end to end.

Amounts are decimal strings on the wire and ``Decimal`` in Python; a float is refused
wherever money is assigned or compared, because ``0.1 + 0.2`` is already a wrong
number of cents.  Line ``amount`` and the invoice ``total`` are computed by the hub
(quantity x unit price, rounded half up to the currency's minor unit, then summed), so
they are read-only here and read back after every write.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ....errors import InvalidType, InvalidValue
from ....money import CURRENCY_EXPONENTS
from ....orm import Choice, Date, DateTime, ListOf, Money, Nested, Record, Resource, String
from ....orm.fields import Field
from .enums import InvoiceStatus

if TYPE_CHECKING:  # pragma: no cover
    from ....query.paginated import PaginatedList
    from ..workspace import Node
    from .customer import Customer

__all__ = ["Invoice", "InvoiceLine", "CurrencyCode"]


class CurrencyCode(Field):
    """An ISO 4217 currency code (``'EUR'``); unknown codes are refused before anything is sent."""

    def check(self, value: Any, parent: Record) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._type_error(type(parent).__name__, value, "an ISO 4217 code such as 'EUR'")
        if value not in CURRENCY_EXPONENTS:
            hint = " (codes are upper case)" if value.upper() in CURRENCY_EXPONENTS else ""
            raise InvalidValue(
                f"{type(parent).__name__}.{self.name}: {value!r} is not an ISO 4217 currency code such as "
                f"'EUR', 'USD' or 'JPY'{hint}"
            )
        return value


class InvoiceLine(Record):
    """One line: ``InvoiceLine(sku='A-1', quantity=3, unitPrice=Decimal('9.99'))``.

    ``quantity`` may be fractional (hours, kilograms) but never negative; a negative
    ``unitPrice`` is a discount line.
    """

    __open__ = False

    id: String = String(read_only=True)
    sku: String = String()
    description: String = String()
    quantity: Money = Money(non_negative=True)
    unitPrice: Money = Money()
    amount: Money = Money(read_only=True)

    def __repr__(self) -> str:
        return f"<InvoiceLine sku={self.sku!r} quantity={self.quantity!r} unitPrice={self.unitPrice!r}>"


class Invoice(Resource):
    """An invoice of one customer; ``number`` is unique in its node (a second one is a Conflict)."""

    __collection__ = "invoices"

    if TYPE_CHECKING:  # a ContactHub entity's session is a Node, with the hub's own calls

        node: Node | None

        def _require_node(self, verb: str) -> Node: ...

    STATUSES = InvoiceStatus

    id: String = String(read_only=True)
    nodeId: String = String(read_only=True)
    customerId: String = String()
    number: String = String()
    status: Choice = Choice(InvoiceStatus)
    currency: CurrencyCode = CurrencyCode()
    issuedAt: DateTime = DateTime()
    dueAt: DateTime = DateTime()
    billingStartDate: Date = Date()
    billingEndDate: Date = Date()
    lines: ListOf[InvoiceLine] = ListOf(Nested(InvoiceLine))
    total: Money = Money(read_only=True)

    def add_line(self, **attributes: Any) -> InvoiceLine:
        """Append a line (``sku=..., quantity=..., unitPrice=...``); sent with the next post/patch."""
        line = InvoiceLine(**attributes)
        self.lines.append(line)
        return line

    def customer(self) -> Customer:
        """The invoiced customer (one request)."""
        node = self._require_node("read the customer of")
        if not self.customerId:
            raise InvalidValue("this invoice has no customerId")
        return node.get_customer(id=self.customerId)

    def download_lines(self, path: str | os.PathLike[str]) -> Path:
        """Write the hub's ``lines.csv`` for this invoice to ``path``.

        The file is written next to ``path`` under a temporary name and renamed over it
        only when complete: an interrupted download leaves a previous file untouched.
        """
        node = self._require_node("download the lines of")
        if not isinstance(path, (str, os.PathLike)):
            raise InvalidType(f"download_lines() takes a file path, got {type(path).__name__}")
        target = Path(path)
        if target.is_dir():
            raise InvalidValue(f"{target} is a directory: give the path of the CSV file to write")
        return node.entity_download(
            Invoice, self._require_id("download the lines of"), "lines.csv", target, accept="text/csv"
        )

    def __repr__(self) -> str:
        return (
            f"<Invoice id={self._source.get('id')!r} number={self.number!r} status={self.status!r} "
            f"total={self.total!r} {self.currency or ''}>"
        )


def invoices_of(customer: Any) -> PaginatedList[Invoice]:
    """The invoices of ``customer`` (a lazy list, oldest first); see ``Customer.invoices``."""
    node = customer._require_node("list the invoices of")
    ident = customer._require_id("list the invoices of")
    return node.query(Invoice).filter(Invoice.customerId == ident).all()
