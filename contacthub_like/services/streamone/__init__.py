"""TD SYNNEX StreamOne Ion: v1 (invoices, v1 customers) and v3 (customers, subscriptions, orders,
products, reports) as declarations on the core.

The public import path is :mod:`contacthub_like.streamone`.
"""

from .client import DEFAULT_HOST, StreamOne
from .entities import Customer, Invoice, InvoiceLine, Order, Product, Report, Subscription, V1Customer
from .sessions import STREAMONE_V1, STREAMONE_V3, StreamOneV1, StreamOneV3, V1Query, invoice_period

__all__ = [
    "StreamOne",
    "DEFAULT_HOST",
    "Customer",
    "Invoice",
    "InvoiceLine",
    "Order",
    "Product",
    "Report",
    "Subscription",
    "V1Customer",
    "STREAMONE_V1",
    "STREAMONE_V3",
    "StreamOneV1",
    "StreamOneV3",
    "V1Query",
    "invoice_period",
]
