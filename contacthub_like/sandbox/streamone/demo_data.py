"""The emulator's demo records, with the ids the seed SDK's README examples use.

Customer ``12345``, invoice ``123``, report ``12345``, order ``891011``, subscription
``59a53ae5-...`` of customer ``9072``, product ``FAKE-ID-12345``...: every README example runs
against the emulator as written.  Only data here; :mod:`.seed` stores it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .invoices import Line
from .reports import all_columns

ACCOUNT_ID = "123"
T0 = "2024-06-01T00:00:00Z"

GROUPS = ((23, "Enterprise"), (7, "Small business"))
CUSTOMERS: tuple[dict[str, Any], ...] = (
    {
        "customer_id": 12345,
        "name": "John Doe",
        "company": "Doe Industries",
        "email": "john.doe@example.com",
        "group_id": 23,
        "doc": {
            "cloudAccounts": [{"cloudAccountId": "123456789012", "provider": {"name": "AWS"}}],
            "priceBooksLinks": [{"priceBookId": 11}],
            "customFieldsValues": [{"field": "domainName", "value": "doe.example"}],
            "customerTitle": "CTO",
            "customerPhone": "+1 555 0100",
            "customerAddress": {
                "street": "1 Main St",
                "city": "Springfield",
                "state": "IL",
                "zip": "62701",
                "country": "US",
            },
            "uid": "uid-12345",
        },
    },
    {
        "customer_id": 4567,
        "name": "Joanna Smith",
        "company": "Smith & Co",
        "email": "example@example.com",
        "group_id": 23,
        "doc": {
            "cloudAccounts": [{"cloudAccountId": "M365-4567", "provider": {"name": "Microsoft"}}],
            "uid": "uid-4567",
        },
    },
    {
        "customer_id": 9072,
        "name": "Jo Brown",
        "company": "Brown Labs",
        "email": "xyz@abc.com",
        "group_id": 7,
        "language_code": "DE",
        "doc": {"cloudAccounts": [{"cloudAccountId": "210987654321", "provider": {"name": "AWS"}}]},
    },
    {
        "customer_id": 1,
        "name": "Ann Lee",
        "company": "Lee Retail",
        "email": "ann.lee@example.com",
        "group_id": 7,
    },
    {
        "customer_id": 10,
        "name": "Mark Green",
        "company": "Green Energy",
        "email": "mark@green.example",
        "language_code": "FR",
        "status": "INACTIVE",
    },
)


def _sub(
    sid: str,
    customer: int,
    name: str,
    provider: str,
    status: str,
    licenses: int,
    price: str,
    cost: str,
    start: str,
    **extra: Any,
) -> dict[str, Any]:
    customer_name = next(c["name"] for c in CUSTOMERS if c["customer_id"] == customer)
    total = Decimal(price) * licenses
    return {
        "id": sid,
        "customerId": str(customer),
        "resellerId": ACCOUNT_ID,
        "cloudProviderId": "1",
        "subscriptionId": extra.pop("subscriptionId", f"sub-{sid}"),
        "subscriptionName": name,
        "resourceType": f"{provider}::Subscription",
        "ccpProductId": f"{provider}-{sid}-smp",
        "subscriptionProductId": f"{provider.lower()}-product-{sid}",
        "mfgPartNumber": "FAKEPRODID:FAKESKUID:P1M:M",
        "unitType": "LICENSE",
        "subscriptionStatus": status,
        "subscriptionStartDate": start,
        "subscriptionEndDate": extra.pop("end", "2026-05-31T00:00:00Z"),
        "subscriptionBillingTerm": "P1M",
        "subscriptionBillingCycle": "Monthly",
        "subscriptionTotalLicenses": str(licenses),
        "isTrial": False,
        "autoRenew": True,
        "customerName": customer_name,
        "accountName": "Demo Reseller",
        "partnerName": "Demo Reseller",
        "cloudProviderName": provider,
        "lastUpdatedDate": T0,
        "price": price,
        "cost": cost,
        "currency": "EUR",
        "margin": str((Decimal(price) - Decimal(cost)) * licenses),
        "total": str(total),
        "customerPo": f"PO-{customer}",
        "resellerPo": f"RPO-{sid}",
        "customFields": {},
        **extra,
    }


SUBSCRIPTIONS = (
    _sub(
        "5555",
        12345,
        "AWS Marketplace",
        "AWS",
        "ACTIVE",
        1,
        "120.00",
        "100.00",
        "2024-06-01T00:00:00Z",
        customFields={"domainName": "doe.example"},
    ),
    _sub(
        "5556", 12345, "Microsoft 365 E3", "Microsoft", "ACTIVE", 10, "32.00", "28.00", "2024-07-01T00:00:00Z"
    ),
    _sub("5557", 12345, "Azure plan", "Microsoft", "SUSPENDED", 1, "0.00", "0.00", "2024-08-01T00:00:00Z"),
    _sub(
        "5558", 12345, "AWS Support Business", "AWS", "ACTIVE", 1, "100.00", "90.00", "2024-09-01T00:00:00Z"
    ),
    _sub(
        "5559",
        12345,
        "Google Workspace Business",
        "GCP",
        "CANCELLED",
        5,
        "12.00",
        "10.00",
        "2024-10-01T00:00:00Z",
    ),
    _sub(
        "5560",
        12345,
        "Microsoft Defender",
        "Microsoft",
        "PENDING",
        10,
        "5.00",
        "4.00",
        "2025-01-01T00:00:00Z",
    ),
    _sub(
        "7001",
        9072,
        "AWS Marketplace",
        "AWS",
        "ACTIVE",
        1,
        "250.00",
        "210.00",
        "2024-02-01T00:00:00Z",
        subscriptionId="59a53ae5-9abf-4002-dbbc-714dee01dffd",
    ),
    _sub(
        "7002",
        4567,
        "Google Workspace Business",
        "GCP",
        "ACTIVE",
        20,
        "12.00",
        "10.00",
        "2024-03-01T00:00:00Z",
    ),
    _sub(
        "9999",
        1,
        "Microsoft 365 Business Basic",
        "Microsoft",
        "ACTIVE",
        3,
        "6.00",
        "5.00",
        "2024-04-01T00:00:00Z",
        subscriptionId="9999",
    ),
)


def _order(
    oid: str, customer: int, status: str, product: str, quantity: int, scheduled: str
) -> dict[str, Any]:
    name = f"accounts/{ACCOUNT_ID}/customers/{customer}/orders/{oid}"
    item = {
        "name": f"{name}/orderItems/1",
        "referenceId": f"customers/{customer}/carts/c-{oid}/cartItems/1",
        "action": "CREATE",
        "productId": product,
        "skuId": f"{product}-SKU",
        "planId": "P1M",
        "quantity": quantity,
        "providerName": "Demo",
        "cartItemId": "1",
        "status": status,
        "additionalInformation": {},
        "createTime": scheduled,
        "updateTime": scheduled,
        "isEligibleForPromo": False,
        "productName": product,
        "skuName": f"{product} SKU",
        "planName": "Monthly",
        "productOwnerCountryCode": "US",
    }
    return {
        "name": name,
        "referenceId": f"customers/{customer}/carts/c-{oid}",
        "displayName": f"Order {oid}",
        "userId": "42",
        "userName": "admin@example.com",
        "userEmail": "admin@example.com",
        "status": status,
        "statusDetail": "",
        "currencyCode": "EUR",
        "cartId": f"c-{oid}",
        "createTime": scheduled,
        "updateTime": scheduled,
        "scheduledAt": scheduled,
        "orderItems": [item],
    }


ORDERS = (
    _order("891011", 4567, "ON_HOLD", "FAKE-ID-12345", 5, "2023-01-15T09:35:10Z"),
    _order("891012", 10, "COMPLETED", "MS-365-E3", 10, "2023-02-01T10:00:00Z"),
    _order("891013", 10, "COMPLETED", "AWS-MARKETPLACE", 1, "2023-03-01T10:00:00Z"),
    _order("891014", 12345, "PROCESSING", "GCP-WORKSPACE", 5, "2024-05-01T10:00:00Z"),
    _order("891015", 12345, "FAILED", "MS-365-E3", 2, "2024-05-02T10:00:00Z"),
)


def _product(pid: str, title: str, legacy: str, price: str, cost: str) -> dict[str, Any]:
    return {
        "name": f"accounts/{ACCOUNT_ID}/products/{pid}",
        "id": pid,
        "legacyProductId": legacy,
        "type": "SUBSCRIPTION_PRODUCT",
        "categories": ["Productivity"],
        "hasPublishedVersions": True,
        "idsInUse": [],
        "updateTime": "2024-01-02T00:00:00Z",
        "marketing": {
            "displayName": title,
            "description": f"{title} for demo customers",
            "caption": title,
            "defaultImage": {"title": title, "content": ""},
        },
        "pricing": {
            "currency": "EUR",
            "prices": [{"skuId": f"{pid}-SKU", "planId": "P1M", "price": price, "cost": cost}],
        },
        "definition": {
            "skus": [
                {
                    "id": f"{pid}-SKU",
                    "externalId": f"EXT-{pid}",
                    "displayName": f"{title} SKU",
                    "addons": [
                        {
                            "id": f"{pid}-ADDON",
                            "externalId": f"EXT-{pid}-ADDON",
                            "displayName": f"{title} add-on",
                        }
                    ],
                }
            ]
        },
        "versionHistory": [{"version": "1", "createTime": "2024-01-02T00:00:00Z"}],
        "deployment": {"provisioningTemplate": "default"},
    }


PRODUCTS = (
    _product("FakeProduct-es", "Fake Product (ES)", "FAKE-LEGACY-ES", "10.00", "8.00"),
    _product("FAKE-ID-12345", "Fake Product", "FAKE-LEGACY-ID-12345", "20.00", "15.00"),
    _product("MS-365-E3", "Microsoft 365 E3", "LEGACY-MS-365-E3", "32.00", "28.00"),
    _product("AWS-MARKETPLACE", "AWS Marketplace", "LEGACY-AWS", "120.00", "100.00"),
    _product("GCP-WORKSPACE", "Google Workspace Business", "LEGACY-GCP", "12.00", "10.00"),
)


def _report(rid: str, title: str, category: str, module: str) -> dict[str, Any]:
    return {
        "name": f"accounts/{ACCOUNT_ID}/reports/{rid}",
        "reportId": rid,
        "displayName": title,
        "category": category,
        "createdBy": "admin@example.com",
        "lastUpdatedBy": "editor@example.com",
        "createTime": "2024-06-01T12:00:00Z",
        "reportTemplateId": "template_001",
        "reportModule": module,
        "specs": {"allColumns": all_columns(category)},
    }


REPORTS = (
    _report("12345", "AWS Billing Report", "BILLING_REPORTS", "REPORTS_REPORTS_MODULE"),
    _report("12346", "Active Subscriptions", "SUBSCRIPTION_REPORTS", "DASHBOARDS_REPORTS_MODULE"),
)


def lines(*items: tuple[str, int, str, str]) -> list[Line]:
    return [
        Line(name, f"{name} usage", Decimal(qty), Decimal(price), Decimal(cost))
        for name, qty, price, cost in items
    ]


#: (id, customer or None for the reseller's own invoices, source, period, status, lines)
INVOICES = (
    (123, None, "aws", "m-01-2025", "open", lines(("AWS Marketplace", 3, "120.00", "100.00"))),
    (124, None, "microsoft", "m-01-2025", "open", lines(("Microsoft 365 E3", 40, "28.00", "25.00"))),
    (125, None, "aws", "m-02-2025", "open", lines(("AWS Marketplace", 2, "120.00", "100.00"))),
    (126, None, "aws", "m-12-2024", "closed", lines(("AWS Marketplace", 1, "120.00", "100.00"))),
    (201, 12345, "aws", "m-12-2024", "closed", lines(("AWS Marketplace", 1, "120.00", "100.00"))),
    (
        202,
        12345,
        "aws",
        "m-01-2025",
        "open",
        lines(("AWS Marketplace", 1, "120.00", "100.00"), ("AWS Support Business", 1, "100.00", "90.00")),
    ),
    (203, 12345, "aws", "m-02-2025", "open", lines(("AWS Marketplace", 1, "120.00", "100.00"))),
    (204, 4567, "gcp", "m-01-2025", "open", lines(("Google Workspace Business", 20, "12.00", "10.00"))),
)

#: the lines of customer 12345's draft invoice of the month the seed runs in (month-to-date reports have rows)
CURRENT_MONTH_LINES = lines(
    ("AWS Marketplace", 1, "120.00", "100.00"), ("AWS Support Business", 1, "100.00", "90.00")
)
