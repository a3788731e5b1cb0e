"""StreamOne Ion's entities, declared: fields, verbs, collections, where their lists and documents sit.

v1 entities (Basic auth) answer inside ``{"data": {"<entity>": ...}}``; v3 entities (bearer) are
Google-AIP resources whose ``name`` (``accounts/123/customers/4567``) gives their ``id``.  Which
API an entity belongs to is its ``__api__``.  Amounts are ``Decimal``, dates ``date``/``datetime``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...orm import (
    Boolean,
    Creatable,
    Date,
    DateTime,
    Entity,
    FreeForm,
    Integer,
    ListOf,
    Money,
    Nested,
    Record,
    String,
)
from ...orm.flows import Call, Flow, twins
from ...query.paging import OffsetLimit

__all__ = [
    "InvoiceLine",
    "Invoice",
    "V1Customer",
    "Customer",
    "Subscription",
    "Order",
    "Product",
    "Report",
    "SUBSCRIPTION_OFFSETS",
]


# ------------------------------------------------------------------------------------------ v1
class InvoiceLine(Record):
    """One line of an invoice (``relations=lines``)."""

    id: Integer = Integer(read_only=True)
    position: Integer = Integer(read_only=True)
    productName: String = String(read_only=True)
    description: String = String(read_only=True)
    quantity: Money = Money(read_only=True)
    unitPrice: Money = Money(read_only=True)
    cost: Money = Money(read_only=True)
    amount: Money = Money(read_only=True)


class Invoice(Entity):
    """A v1 invoice: the reseller's own (``ion.query(Invoice)``) or a customer's (``ion.customer_invoices``).

    Filters compile to ``filter[field:modifier]``, ``order_by`` to ``sort[field]``, and
    ``.relations("lines")`` embeds the lines.
    """

    __api__ = "v1"
    __collection__ = "invoices"
    __items_key__ = "data.invoice"
    __document_key__ = "data.invoice"

    id: Integer = Integer(read_only=True)
    customerId: Integer = Integer(read_only=True)
    number: String = String(read_only=True)
    source: String = String(read_only=True)
    period: String = String(read_only=True)
    status: String = String(read_only=True)
    currency: String = String(read_only=True)
    billingStartDate: Date = Date(read_only=True)
    billingEndDate: Date = Date(read_only=True)
    issueDate: Date = Date(read_only=True)
    cloudUsed: Money = Money(read_only=True)
    subtotal: Money = Money(read_only=True)
    tax: Money = Money(read_only=True)
    total: Money = Money(read_only=True)
    lines: ListOf[InvoiceLine] = ListOf(Nested(InvoiceLine), read_only=True)
    detailedInvoiceFilesUrls: ListOf[str] = ListOf(String(), read_only=True)

    def _download_details_flow(self, folder: str | os.PathLike[str]) -> Flow[list[Path]]:
        """Download the detailed invoice's files into ``folder``; the paths written (see
        :meth:`~contacthub_like.streamone.StreamOneV1.download_invoice_files`)."""
        session = self._require_node("download files of")
        return (yield Call(session, "download_invoice_files", self._require_id("download"), folder))

    download_details, download_details_async = twins(_download_details_flow)


class V1Customer(Entity):
    """A v1 customer (Ion is retiring v1 customers; :class:`Customer` is the v3 one)."""

    __api__ = "v1"
    __collection__ = "customers"
    __items_key__ = "data.customer"
    __document_key__ = "data.customer"

    id: Integer = Integer(read_only=True)
    name: String = String(read_only=True)
    company: String = String(read_only=True)
    email: String = String(read_only=True)
    groupId: Integer = Integer(read_only=True)
    languageCode: String = String(read_only=True)
    status: String = String(read_only=True)
    cloudAccounts: ListOf[Any] = ListOf(read_only=True)
    priceBooksLinks: ListOf[Any] = ListOf(read_only=True)
    invoices: ListOf[Invoice] = ListOf(Nested(Invoice), read_only=True)


# ------------------------------------------------------------------------------------------ v3
class Customer(Creatable, Entity):
    """A v3 customer: list (``filter.*``), get, create (the answer adds the default user's login)."""

    __api__ = "v3"
    __collection__ = "customers"
    __items_key__ = "customers"
    #: query attributes the list can filter on, and the parameter each becomes
    __filters__: dict[str, str] = {
        "customerEmail": "filter.customerEmail",
        "customerName": "filter.customerName",
        "customerStatus": "filter.customerStatus",
        "languageCode": "filter.languageCode",
    }

    id: String = String(read_only=True)
    name: String = String(read_only=True)
    customerOrganization: String = String()
    customerName: String = String()
    customerEmail: String = String()
    customerTitle: String = String()
    customerPhone: String = String()
    customerAddress: FreeForm = FreeForm()
    languageCode: String = String()
    uid: String = String(read_only=True)
    customerStatus: String = String(read_only=True)
    createTime: DateTime = DateTime(read_only=True)
    updateTime: DateTime = DateTime(read_only=True)


#: the seed SDK's way of paging subscriptions: ``pagination.limit`` / ``pagination.offset``
SUBSCRIPTION_OFFSETS = OffsetLimit(
    offset_param="pagination.offset", limit_param="pagination.limit", items_key="items", default_limit=50
)


class Subscription(Entity):
    """A v3 subscription: paged by page tokens (or by ``pagination.offset``, see ``ion.subscriptions``)."""

    __api__ = "v3"
    __collection__ = "subscriptions"
    __items_key__ = "items"
    __filters__: dict[str, str] = {
        name: name
        for name in (
            "customerId",
            "subscriptionId",
            "resellerId",
            "providerId",
            "subscriptionStatus",
            "billingTerm",
            "ccpProductId",
            "providerProductId",
            "customerPo",
            "resellerPo",
            "cloudProviderName",
            "accountName",
            "customerName",
            "subscriptionName",
            "resourceType",
        )
    }

    id: String = String(read_only=True)
    customerId: String = String(read_only=True)
    resellerId: String = String(read_only=True)
    subscriptionId: String = String(read_only=True)
    subscriptionName: String = String(read_only=True)
    subscriptionStatus: String = String(read_only=True)
    resourceType: String = String(read_only=True)
    ccpProductId: String = String(read_only=True)
    cloudProviderName: String = String(read_only=True)
    customerName: String = String(read_only=True)
    subscriptionStartDate: DateTime = DateTime(read_only=True)
    subscriptionEndDate: DateTime = DateTime(read_only=True)
    subscriptionBillingTerm: String = String(read_only=True)
    subscriptionTotalLicenses: Integer = Integer(read_only=True)
    autoRenew: Boolean = Boolean(read_only=True)
    isTrial: Boolean = Boolean(read_only=True)
    price: Money = Money(read_only=True)
    cost: Money = Money(read_only=True)
    margin: Money = Money(read_only=True)
    total: Money = Money(read_only=True)
    msrp: Money = Money(read_only=True)
    currency: String = String(read_only=True)
    mfgPartNumber: String = String(read_only=True)


class Order(Entity):
    """A v3 order of the account or of one customer; ``cancel()`` asks Ion to cancel it."""

    __api__ = "v3"
    __collection__ = "orders"
    __items_key__ = "orders"
    __filters__: dict[str, str] = {"status": "status"}

    id: String = String(read_only=True)
    name: String = String(read_only=True)
    referenceId: String = String(read_only=True)
    displayName: String = String(read_only=True)
    status: String = String(read_only=True)
    statusDetail: String = String(read_only=True)
    currencyCode: String = String(read_only=True)
    userEmail: String = String(read_only=True)
    createTime: DateTime = DateTime(read_only=True)
    updateTime: DateTime = DateTime(read_only=True)
    scheduledAt: DateTime = DateTime(read_only=True)
    orderItems: ListOf[Any] = ListOf(read_only=True)

    @property
    def customer_id(self) -> str | None:
        """The customer of the order, from its resource name (``accounts/a/customers/c/orders/o``)."""
        parts = str(self._source.get("name") or "").split("/")
        return parts[3] if len(parts) >= 6 and parts[2] == "customers" else None

    def _cancel_flow(self) -> Flow[Order]:
        """``POST .../customers/{c}/orders/{o}:cancel``; the answer becomes this order's document."""
        session = self._require_node("cancel")
        self._reset((yield Call(session, "cancel_order", self)))
        return self

    cancel, cancel_async = twins(_cancel_flow)


class Product(Entity):
    """A v3 catalog product; ``ion.product(id, ...)`` reads one with the ``excludeFilter.*`` flags."""

    __api__ = "v3"
    __collection__ = "products"
    __items_key__ = "products"
    __filters__: dict[str, str] = {
        "marketing.displayName": "filter.name",
        "skuExternalId": "filter.skuExternalId",
        "addonExternalId": "filter.addonExternalId",
        "skuId": "filter.skuId",
        "addonId": "filter.addonId",
        "skuDisplayName": "filter.skuDisplayName",
        "addonDisplayName": "filter.addonDisplayName",
    }

    id: String = String(read_only=True)
    name: String = String(read_only=True)
    legacyProductId: String = String(read_only=True)
    type: String = String(read_only=True)
    categories: ListOf[Any] = ListOf(read_only=True)
    marketing: FreeForm = FreeForm(read_only=True)
    pricing: FreeForm = FreeForm(read_only=True)
    updateTime: DateTime = DateTime(read_only=True)


class Report(Entity):
    """A v3 report; ``csv(path)`` saves its data, ``rows()`` iterates it."""

    __api__ = "v3"
    __collection__ = "reports"
    __items_key__ = "reports"
    __id_key__ = "reportId"
    __filters__: dict[str, str] = {}

    id: String = String(read_only=True)
    reportId: String = String(read_only=True)
    displayName: String = String(read_only=True)
    category: String = String(read_only=True)
    reportModule: String = String(read_only=True)
    reportTemplateId: String = String(read_only=True)
    createdBy: String = String(read_only=True)
    lastUpdatedBy: String = String(read_only=True)
    createTime: DateTime = DateTime(read_only=True)
    specs: FreeForm = FreeForm(read_only=True)

    def _csv_flow(self, path: str | os.PathLike[str], **period: Any) -> Flow[Path]:
        """Save the report's data as CSV at ``path``, atomically (see
        :meth:`~contacthub_like.streamone.StreamOneV3.report_csv`)."""
        return (yield Call(self._require_node("download"), "report_csv", self, path, **period))

    csv, csv_async = twins(_csv_flow)

    def _rows_flow(self, **period: Any) -> Flow[Iterator[dict[str, str]]]:
        """The report's data as dicts, one per CSV row (see
        :meth:`~contacthub_like.streamone.StreamOneV3.report_rows`)."""
        return (yield Call(self._require_node("read"), "report_rows", self, **period))

    rows, rows_async = twins(_rows_flow)
