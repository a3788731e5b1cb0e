"""v3 reports: list (by ``module``), get (with ``reportModule``, ``category`` and ``specs.allColumns``,
which the seed SDK reads back into its CSV request), and ``reportDataCsv``: the whole CSV as one
string in ``{"results": ...}``, rows computed from the stored invoices or subscriptions.

The CSV request comes in snake_case from the seed SDK (``report_module``, ``date_range_option``) and
in camelCase from others; grpc-gateway accepts both, so keys are normalised to camelCase first.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..context import json_response
from ..emulators import EmulatorContext
from ..store import Store
from . import dateranges
from .body import read_body
from .errors import invalid, not_found
from .invoices import money
from .v3common import Doc, account_of, load_docs

MODULES = (
    "REPORTS_MODULE_UNSPECIFIED",
    "REPORTS_REPORTS_MODULE",
    "DASHBOARDS_REPORTS_MODULE",
    "BUDGET_MANAGEMENT_REPORTS_MODULE",
    "INVOICE_REPORTS_MODULE",
    "V1_BILLING_REPORTS_MODULE",
    "CACHING_REPORTS_MODULE",
)
Row = dict[str, str]

#: category -> its columns (id, header); the report's ``specs.allColumns`` are built from these
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "BILLING_REPORTS": (
        ("sapId", "SAP ID (customer)"),
        ("cloudAccountNumber", "Cloud Account Number"),
        ("billingStartDate", "Billing Start Date"),
        ("productName", "Product Name"),
        ("sellerCost", "Seller Cost (EUR)"),
        ("customerCost", "Customer Cost (EUR)"),
        ("margin", "Margin (EUR)"),
        ("customerCompany", "Assigned Customer Company"),
        ("accountNumber", "Account Number"),
    ),
    "SUBSCRIPTION_REPORTS": (
        ("subscriptionId", "Subscription ID"),
        ("subscriptionName", "Subscription Name"),
        ("customerName", "Customer Name"),
        ("subscriptionStatus", "Status"),
        ("subscriptionStartDate", "Start Date"),
        ("subscriptionTotalLicenses", "Licenses"),
        ("total", "Total"),
    ),
}


def all_columns(category: str) -> list[dict[str, str]]:
    return [
        {"columnId": cid, "displayName": header, "dataType": "STRING"} for cid, header in COLUMNS[category]
    ]


def _camel(key: str) -> str:
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), key)


def camel_keys(value: Any) -> Any:
    """Rename every object key from snake_case to camelCase, recursively."""
    if isinstance(value, dict):
        return {_camel(str(k)): camel_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel_keys(v) for v in value]
    return value


def _billing_rows(store: Store, account: str, span: dateranges.DateRange) -> list[Row]:
    rows = []
    for r in store.all(
        "SELECT i.customer_id, i.billing_start_date, l.product_name, l.cost, l.amount, c.company, c.doc"
        " FROM streamone_invoice_lines l JOIN streamone_invoices i ON i.id = l.invoice_id"
        " JOIN streamone_customers c ON c.id = i.customer_id WHERE i.account_id = ?"
        " ORDER BY i.billing_start_date, i.id, l.position",
        (account,),
    ):
        if not dateranges.contains(span, date.fromisoformat(r[1])):
            continue
        accounts = json.loads(r[6]).get("cloudAccounts", [])
        rows.append(
            {
                "sapId": f"SAP-{r[0]}",
                "cloudAccountNumber": accounts[0]["cloudAccountId"] if accounts else "",
                "billingStartDate": r[1],
                "productName": r[2],
                "sellerCost": r[3],
                "customerCost": r[4],
                "margin": money(Decimal(r[4]) - Decimal(r[3])),
                "customerCompany": r[5],
                "accountNumber": account,
            }
        )
    return rows


def _subscription_rows(store: Store, account: str, span: dateranges.DateRange) -> list[Row]:
    docs = load_docs(store, "streamone_subscriptions", account)
    return [
        {cid: str(doc.get(cid, "")) for cid, _ in COLUMNS["SUBSCRIPTION_REPORTS"]}
        for doc in docs
        if dateranges.contains(
            span, dateranges.parse_day("subscriptionStartDate", doc["subscriptionStartDate"])
        )
    ]


ROW_SOURCES: dict[str, Callable[[Store, str, dateranges.DateRange], list[Row]]] = {
    "BILLING_REPORTS": _billing_rows,
    "SUBSCRIPTION_REPORTS": _subscription_rows,
}


def _span(specs: Doc) -> dateranges.DateRange:
    option = specs.get("dateRangeOption") or {}
    if not isinstance(option, dict):
        raise invalid("specs.dateRangeOption", "must be an object")
    selected = option.get("selectedRange") or {}
    if not isinstance(selected, dict):
        raise invalid("specs.dateRangeOption.selectedRange", "must be an object")
    if selected.get("relativeDateRange"):
        return dateranges.relative(
            "specs.dateRangeOption.selectedRange.relativeDateRange", str(selected["relativeDateRange"])
        )
    fixed = selected.get("fixedDateRange") or {}
    if not isinstance(fixed, dict):
        raise invalid("specs.dateRangeOption.selectedRange.fixedDateRange", "must be an object")
    return dateranges.fixed(
        "specs.dateRangeOption.selectedRange.fixedDateRange", fixed.get("startDate"), fixed.get("endDate")
    )


def _selected(specs: Doc, category: str) -> list[tuple[str, str]]:
    known = dict(COLUMNS[category])
    wanted = specs.get("selectedColumns") or []
    if not isinstance(wanted, list):
        raise invalid("specs.selectedColumns", "must be a list of columns")
    out = []
    for column in wanted:
        cid = column.get("columnId") if isinstance(column, dict) else column
        if not isinstance(cid, str) or cid not in known:
            raise invalid(
                "specs.selectedColumns", f"unknown column {cid!r}; this report has {', '.join(known)}"
            )
        out.append((cid, known[cid]))
    return out or list(COLUMNS[category])


def routes(context: EmulatorContext) -> list[Route]:
    store = context.store
    base = "/api/v3/accounts/{account_id}/reports"

    def report_doc(account: str, report_id: str) -> Doc:
        row = store.one(
            "SELECT doc FROM streamone_reports WHERE id = ? AND account_id = ?", (report_id, account)
        )
        if row is None:
            raise not_found(f"report {report_id}")
        doc: Doc = json.loads(row[0])
        return doc

    async def list_reports(request: Request) -> Response:
        account = account_of(store, request)
        module = request.query_params.get("module", MODULES[0]).strip().upper() or MODULES[0]
        if module not in MODULES:
            raise invalid("module", f"{module!r} is not a reports module; use one of {', '.join(MODULES)}")
        docs = load_docs(store, "streamone_reports", account, order="id")
        return json_response(
            {"reports": [d for d in docs if module == MODULES[0] or d["reportModule"] == module]}
        )

    async def get_report(request: Request) -> Response:
        return json_response(report_doc(account_of(store, request), request.path_params["report_id"]))

    async def report_data_csv(request: Request) -> Response:
        account = account_of(store, request)
        report = report_doc(account, request.path_params["report_id"])
        body = camel_keys(await read_body(request))
        for field, expected in (
            ("reportId", report["reportId"]),
            ("reportModule", report["reportModule"]),
            ("category", report["category"]),
        ):
            if body.get(field) not in (None, "", expected):
                raise invalid(field, f"this report's {field} is {expected}, not {body[field]!r}")
        specs = body.get("specs") or {}
        if not isinstance(specs, dict):
            raise invalid("specs", "must be an object")
        columns = _selected(specs, report["category"])
        rows = ROW_SOURCES[report["category"]](store, account, _span(specs))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([header for _, header in columns])
        writer.writerows([[row[cid] for cid, _ in columns] for row in rows])
        return json_response({"results": buffer.getvalue()})

    return [
        Route(base, list_reports, methods=["GET"]),
        Route(f"{base}/{{report_id}}", get_report, methods=["GET"]),
        Route(f"{base}/{{report_id}}/reportDataCsv", report_data_csv, methods=["POST"]),
    ]
