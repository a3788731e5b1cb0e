"""StreamOne Ion, the public import path: ``from contacthub_like.streamone import StreamOne, Invoice``.

See ``docs/streamone.rst``.
"""

from .errors import RefreshTokenRejected, UnsupportedQuery
from .query.criteria import between_
from .services.streamone import (
    DEFAULT_HOST,
    Customer,
    Invoice,
    InvoiceLine,
    Order,
    Product,
    Report,
    StreamOne,
    StreamOneV1,
    StreamOneV3,
    Subscription,
    V1Customer,
    V1Query,
    invoice_period,
)

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
    "StreamOneV1",
    "StreamOneV3",
    "V1Query",
    "invoice_period",
    "between_",
    "RefreshTokenRejected",
    "UnsupportedQuery",
]
