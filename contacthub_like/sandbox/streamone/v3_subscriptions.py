"""v3 subscriptions: the account's list (every filter the seed SDK can send), a customer's list, and
one subscription (``refresh=true`` re-reads it from the provider: its ``lastUpdatedDate`` moves).

Paging takes both styles: ``pagination.limit`` / ``pagination.offset`` (the seed SDK, which stops at
the first empty ``items`` page) and ``pageSize`` / ``pageToken`` (other clients).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..context import json_response
from ..emulators import EmulatorContext
from . import dateranges
from .body import parse_bool, parse_int
from .dateranges import now_rfc3339
from .errors import invalid, not_found
from .v3common import Doc, account_of, customer_id_of, load_docs, page_answer, pick, same

#: query parameter -> document fields it matches (any of them, case-insensitively)
EQUALITY_FILTERS: dict[str, tuple[str, ...]] = {
    "customerId": ("customerId",),
    "subscriptionId": ("subscriptionId", "id"),
    "resellerId": ("resellerId",),
    "providerId": ("cloudProviderId",),
    "subscriptionStatus": ("subscriptionStatus",),
    "billingTerm": ("subscriptionBillingTerm", "subscriptionBillingCycle"),
    "totalLicense": ("subscriptionTotalLicenses",),
    "ccpProductId": ("ccpProductId",),
    "providerProductId": ("subscriptionProductId",),
    "customerPo": ("customerPo",),
    "resellerPo": ("resellerPo",),
    "cloudProviderName": ("cloudProviderName",),
    "accountName": ("accountName",),
    "customerName": ("customerName",),
    "subscriptionName": ("subscriptionName",),
    "resourceType": ("resourceType",),
}
SORTABLE = (
    "id",
    "subscriptionName",
    "customerName",
    "subscriptionStatus",
    "subscriptionStartDate",
    "subscriptionEndDate",
    "lastUpdatedDate",
    "price",
    "total",
)


def _date_range(request: Request, prefix: str) -> dateranges.DateRange | None:
    params = request.query_params
    name = params.get(f"{prefix}.relativeDateRange")
    start, end = (
        params.get(f"{prefix}.fixedDateRange.startDate"),
        params.get(f"{prefix}.fixedDateRange.endDate"),
    )
    if name:
        return dateranges.relative(f"{prefix}.relativeDateRange", name)
    if start or end:
        return dateranges.fixed(f"{prefix}.fixedDateRange", start, end)
    return None


def _matches(request: Request) -> list[Any]:
    """Predicates over a subscription document, one per filter present in the query."""
    params = request.query_params
    tests: list[Any] = []
    for param, fields in EQUALITY_FILTERS.items():
        if params.get(param):
            wanted = params[param]
            tests.append(lambda d, w=wanted, f=fields: any(same(d.get(x, ""), w) for x in f))
    for prefix, field in (
        ("startDateRange", "subscriptionStartDate"),
        ("endDateRange", "subscriptionEndDate"),
    ):
        span = _date_range(request, prefix)
        if span is not None:
            tests.append(lambda d, s=span, f=field: dateranges.contains(s, dateranges.parse_day(f, d.get(f))))
    if params.get("endDate"):
        day = dateranges.parse_day("endDate", params["endDate"])
        tests.append(lambda d: dateranges.parse_day("endDate", d.get("subscriptionEndDate")) == day)
    if params.get("customField.field"):
        key, value = params["customField.field"], params.get("customField.value", "")
        tests.append(
            lambda d: key in d.get("customFields", {}) and (not value or same(d["customFields"][key], value))
        )
    text = params.get("pagination.filter", "").strip()
    if text:
        field, sep, value = text.partition(":")
        if not sep or not field.strip():
            raise invalid(
                "pagination.filter", f"write field:value, e.g. subscriptionStatus:ACTIVE, not {text!r}"
            )
        tests.append(lambda d: same(pick(d, field.strip()) or "", value.strip()))
    if params.get("pagination.userId"):
        parse_int("pagination.userId", params["pagination.userId"])
    return tests


def _sorted(request: Request, docs: list[Doc]) -> list[Doc]:
    sort_by = request.query_params.get("pagination.sortBy", "").strip()
    order = request.query_params.get("pagination.sortOrder", "asc").strip().lower() or "asc"
    if order not in ("asc", "desc"):
        raise invalid("pagination.sortOrder", f"use asc or desc, not {order!r}")
    if not sort_by:
        return docs if order == "asc" else list(reversed(docs))
    if sort_by not in SORTABLE:
        raise invalid("pagination.sortBy", f"cannot sort on {sort_by!r}; use one of {', '.join(SORTABLE)}")
    numeric = sort_by in ("price", "total")

    def key(doc: Doc) -> Any:
        value = doc.get(sort_by, "")
        return float(value or 0) if numeric else str(value)

    return sorted(docs, key=key, reverse=order == "desc")


def routes(context: EmulatorContext) -> list[Route]:
    store = context.store
    base = "/api/v3/accounts/{account_id}"

    def listing(request: Request, account: str, customer_id: int | None) -> Response:
        tests = _matches(request)
        where, params = ("customer_id = ?", [customer_id]) if customer_id is not None else ("", [])
        docs = [
            d
            for d in load_docs(store, "streamone_subscriptions", account, where, params)
            if all(test(d) for test in tests)
        ]
        return json_response(page_answer(request, _sorted(request, docs), "items"))

    async def list_subscriptions(request: Request) -> Response:
        return listing(request, account_of(store, request), None)

    async def list_customer_subscriptions(request: Request) -> Response:
        return listing(request, account_of(store, request), customer_id_of(request))

    async def get_subscription(request: Request) -> Response:
        account = account_of(store, request)
        customer_id, wanted = customer_id_of(request), request.path_params["subscription_id"]
        refresh = parse_bool("refresh", request.query_params.get("refresh", "false"))
        row = store.one(
            "SELECT id, doc FROM streamone_subscriptions WHERE account_id = ? AND customer_id = ?"
            " AND (id = ? OR json_extract(doc, '$.subscriptionId') = ?)",
            (account, customer_id, wanted, wanted),
        )
        if row is None:
            raise not_found(f"subscription {wanted} of customer {customer_id}")
        doc = json.loads(row[1])
        if refresh:
            doc["lastUpdatedDate"] = now_rfc3339()
            store.execute(
                "UPDATE streamone_subscriptions SET doc = ? WHERE id = ?", (json.dumps(doc), row[0])
            )
        return json_response(doc)

    return [
        Route(f"{base}/subscriptions", list_subscriptions, methods=["GET"]),
        Route(
            f"{base}/customers/{{customer_id}}/subscriptions", list_customer_subscriptions, methods=["GET"]
        ),
        Route(
            f"{base}/customers/{{customer_id}}/subscriptions/{{subscription_id}}",
            get_subscription,
            methods=["GET"],
        ),
    ]
