"""The emulator's OpenAPI 3.1 document, described compactly here and shipped as ``openapi.json``.

Regenerate the packaged file with ``python -m contacthub_like.sandbox.streamone.openapi_spec``; a test
fails when the two differ, and another checks every route of the app is described.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: a sample of the v1 ``filter[field:modifier]`` and ``sort[field]`` keys (any field of the resource works)
V1_INVOICE_QUERY = (
    "limit",
    "offset",
    "relations",
    "filter[id]",
    "filter[billingStartDate:gte]",
    "filter[billingEndDate:lt]",
    "filter[cloudUsed:gt]",
    "filter[source:partial]",
    "sort[id]",
    "sort[cloudUsed]",
)
V1_CUSTOMER_QUERY = (
    "limit",
    "offset",
    "relations",
    "filter[name:partial]",
    "filter[email]",
    "filter[groupId]",
    "sort[name]",
    "sort[company]",
)
#: request body fields by path (all optional in the document: the handlers say what is missing)
BODY_FIELDS: dict[str, tuple[str, ...]] = {
    "/oauth/token": ("grant_type", "refresh_token", "redirect_uri"),
    "/oauth/validateAccess": ("access_token",),
    "/api/v1/invoices/generate": ("source", "period", "status", "sendEmails", "customers", "resellers"),
    "/api/v3/accounts/{accountId}/customers": (
        "customerName",
        "customerEmail",
        "customerOrganization",
        "languageCode",
        "customerPhone",
        "customerTitle",
    ),
    "/api/v3/accounts/{accountId}/reports/{reportId}/reportDataCsv": (
        "reportId",
        "report_module",
        "category",
    ),
}

#: (method, path, summary, security, query parameters, request body kind or None)
ENDPOINTS: tuple[tuple[str, str, str, str, tuple[str, ...], str | None], ...] = (
    (
        "post",
        "/oauth/token",
        "Refresh grant: a new access token and a new (rotated) refresh token",
        "none",
        (),
        "form",
    ),
    (
        "post",
        "/oauth/validateAccess",
        "Seconds left on an access token; 401 when invalid",
        "none",
        (),
        "form",
    ),
    (
        "get",
        "/api/v1/customers",
        "Customers (v1, deprecated): filter[..], sort[..], relations, limit, offset",
        "basic",
        V1_CUSTOMER_QUERY,
        None,
    ),
    ("get", "/api/v1/customers/{customerId}", "One customer (v1)", "basic", ("relations",), None),
    (
        "get",
        "/api/v1/invoices",
        "Customer invoices: customerId, filter[..], sort[..], relations, limit, offset",
        "basic",
        ("customerId", *V1_INVOICE_QUERY),
        None,
    ),
    (
        "get",
        "/api/v1/invoices/myinvoices",
        "The reseller's own invoices",
        "basic",
        V1_INVOICE_QUERY,
        None,
    ),
    (
        "post",
        "/api/v1/invoices/generate",
        "Generate invoices for a source and period (form or JSON body)",
        "basic",
        (),
        "form",
    ),
    ("get", "/api/v1/invoices/{invoiceId}", "One invoice with its lines", "basic", ("relations",), None),
    (
        "get",
        "/api/v1/invoices/{invoiceId}/detailed",
        "The invoice with pre-signed links to its files",
        "basic",
        (),
        None,
    ),
    (
        "get",
        "/files/invoices/{invoiceId}/{fileName}",
        "A detailed-invoice file (no Authorization header)",
        "none",
        ("expires", "signature"),
        None,
    ),
    (
        "get",
        "/api/v3/accounts/{accountId}/customers",
        "Customers: filter.*, pageSize, pageToken",
        "bearer",
        (
            "pageSize",
            "pageToken",
            "filter.customerEmail",
            "filter.customerName",
            "filter.languageCode",
            "filter.customerStatus",
            "filter.customerOrganization",
        ),
        None,
    ),
    (
        "post",
        "/api/v3/accounts/{accountId}/customers",
        "Create a customer (and its default user)",
        "bearer",
        (),
        "json",
    ),
    ("get", "/api/v3/accounts/{accountId}/customers/{customerId}", "One customer", "bearer", (), None),
    (
        "get",
        "/api/v3/accounts/{accountId}/subscriptions",
        "Subscriptions: pagination.* or pageToken paging",
        "bearer",
        (
            "pagination.limit",
            "pagination.offset",
            "pagination.filter",
            "pagination.sortBy",
            "pagination.sortOrder",
            "pagination.userId",
            "pageSize",
            "pageToken",
            "customerId",
            "subscriptionId",
            "subscriptionStatus",
            "startDateRange.relativeDateRange",
            "endDateRange.relativeDateRange",
            "endDate",
            "cloudProviderName",
            "customerName",
        ),
        None,
    ),
    (
        "get",
        "/api/v3/accounts/{accountId}/customers/{customerId}/subscriptions",
        "A customer's subscriptions",
        "bearer",
        ("pagination.limit", "pagination.offset", "pageSize", "pageToken"),
        None,
    ),
    (
        "get",
        "/api/v3/accounts/{accountId}/customers/{customerId}/subscriptions/{subscriptionId}",
        "One subscription; refresh=true re-reads it",
        "bearer",
        ("refresh",),
        None,
    ),
    (
        "get",
        "/api/v3/accounts/{accountId}/orders",
        "The account's orders",
        "bearer",
        ("pageSize", "pageToken", "status"),
        None,
    ),
    (
        "get",
        "/api/v3/accounts/{accountId}/customers/{customerId}/orders",
        "A customer's orders",
        "bearer",
        ("pageSize", "pageToken", "status"),
        None,
    ),
    (
        "get",
        "/api/v3/accounts/{accountId}/customers/{customerId}/orders/{orderId}",
        "One order",
        "bearer",
        (),
        None,
    ),
    (
        "post",
        "/api/v3/accounts/{accountId}/customers/{customerId}/orders/{orderId}:cancel",
        "Cancel an order (ON_HOLD, PENDING or PROCESSING)",
        "bearer",
        (),
        None,
    ),
    (
        "get",
        "/api/v3/accounts/{accountId}/products",
        "The catalog: filter.*, language, pageSize, pageToken",
        "bearer",
        (
            "pageSize",
            "pageToken",
            "language",
            "filter.name",
            "filter.skuId",
            "filter.skuExternalId",
            "filter.skuDisplayName",
            "filter.addonId",
            "filter.addonExternalId",
            "filter.addonDisplayName",
        ),
        None,
    ),
    (
        "get",
        "/api/v3/accounts/{accountId}/products/{productId}",
        "One product; excludeFilter.* drop blocks",
        "bearer",
        (
            "language",
            "priceBookCustomerId",
            "productVersion",
            "clientRole",
            "excludeFilter.excludePricing",
            "excludeFilter.excludeMarketing",
            "excludeFilter.excludeDefinition",
            "excludeFilter.excludeVersionHistory",
            "excludeFilter.excludeDeployment",
        ),
        None,
    ),
    (
        "get",
        "/api/v3/accounts/{accountId}/reports",
        "Report definitions of a module",
        "bearer",
        ("module",),
        None,
    ),
    ("get", "/api/v3/accounts/{accountId}/reports/{reportId}", "One report definition", "bearer", (), None),
    (
        "post",
        "/api/v3/accounts/{accountId}/reports/{reportId}/reportDataCsv",
        "The report's data as CSV text",
        "bearer",
        (),
        "json",
    ),
    ("get", "/openapi.json", "This document", "none", (), None),
)

ERROR: dict[str, Any] = {
    "type": "object",
    "required": ["code", "message", "details"],
    "properties": {
        "code": {"type": "integer", "description": "gRPC status code"},
        "message": {"type": "string"},
        "details": {"type": "array", "items": {"type": "object"}},
    },
}
_ERRORS = {
    "400": "invalid input",
    "401": "missing or bad credentials",
    "403": "another account or a bad link",
    "404": "not found",
    "429": "throttled; honour Retry-After",
}


def _operation(
    method: str, path: str, summary: str, security: str, query: tuple[str, ...], body: str | None
) -> dict[str, Any]:
    params = [
        {"name": part[1:-1], "in": "path", "required": True, "schema": {"type": "string"}}
        for part in path.replace(":", "/").split("/")
        if part.startswith("{")
    ]
    params += [
        {"name": name, "in": "query", "required": False, "schema": {"type": "string"}} for name in query
    ]
    operation: dict[str, Any] = {
        "summary": summary,
        "operationId": f"{method}{path}".replace("/", "_")
        .replace("{", "")
        .replace("}", "")
        .replace(":", "_"),
        "parameters": params,
        "security": [] if security == "none" else [{security: []}],
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
            **{
                code: {
                    "description": text,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
                for code, text in _ERRORS.items()
            },
        },
    }
    if body is not None:
        media = "application/x-www-form-urlencoded" if body == "form" else "application/json"
        fields = {name: {"type": "string"} for name in BODY_FIELDS.get(path, ())}
        schema = {"type": "object", "properties": fields} if fields else {"type": "object"}
        operation["requestBody"] = {"required": True, "content": {media: {"schema": schema}}}
    return operation


def build_document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for method, path, summary, security, query, body in ENDPOINTS:
        paths.setdefault(path, {})[method] = _operation(method, path, summary, security, query, body)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "StreamOne Ion (emulated)",
            "version": "1",
            "description": "The sandbox's emulation of TD SYNNEX StreamOne Ion v1 and v3, under /streamone.",
        },
        "servers": [{"url": "/streamone"}],
        "paths": paths,
        "components": {
            "schemas": {"Error": ERROR},
            "securitySchemes": {
                "basic": {"type": "http", "scheme": "basic"},
                "bearer": {"type": "http", "scheme": "bearer"},
            },
        },
    }


PACKAGED = Path(__file__).with_name("openapi.json")


def render() -> str:
    return json.dumps(build_document(), indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    PACKAGED.write_text(render(), encoding="utf-8")
    print(f"wrote {PACKAGED}")
