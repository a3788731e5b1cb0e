"""v1 routes (HTTP Basic): customers, invoices, the detailed invoice and its pre-signed files, and
invoice generation.

List answers are ``{"data": {"<entity>": [...]}}``; single answers ``{"data": {"<entity>": {...}}}``.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..emulators import EmulatorContext
from ..store import Store
from .auth import basic_account
from .body import MAX_INT, id_in_path, parse_bool, parse_int, read_body
from .customers import COLUMNS as CUSTOMER_COLUMNS
from .customers import V1_FIELDS as CUSTOMER_FIELDS
from .customers import v1_json as customer_json
from .errors import invalid, not_found
from .invoices import (
    INVOICE_COLUMNS,
    INVOICE_FIELDS,
    Line,
    insert_invoice,
    invoice_json,
    lines_of,
    parse_period,
)
from .negotiation import v1_response
from .signing import sign, verify
from .v1query import ListQuery, parse_list_query

CUSTOMER_RELATIONS = ("invoices", "group", "customFieldsValues")
INVOICE_RELATIONS = ("lines", "customer")
FILE_NAMES = ("details.csv", "summary.json")


def _path_int(request: Request, name: str, what: str) -> int:
    raw = request.path_params[name]
    number = id_in_path(raw)
    if number is None:
        raise not_found(f"{what} {raw!r}")
    return number


def _customers_with_relations(store: Store, rows: list[Any], relations: list[str]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        item = customer_json(row)
        if "invoices" in relations:
            item["invoices"] = [
                invoice_json(r)
                for r in store.all(
                    f"SELECT {INVOICE_COLUMNS} FROM streamone_invoices WHERE customer_id = ? ORDER BY id",
                    (row[0],),
                )
            ]
        if "group" in relations:
            group = store.one("SELECT id, name FROM streamone_groups WHERE id = ?", (row[5],))
            item["group"] = None if group is None else {"id": group[0], "name": group[1]}
        if "customFieldsValues" in relations:
            item["customFieldsValues"] = json.loads(row[8]).get("customFieldsValues", [])
        out.append(item)
    return out


def _invoices_with_relations(store: Store, rows: list[Any], relations: list[str]) -> list[dict[str, Any]]:
    items = [invoice_json(row) for row in rows]
    if "lines" in relations:
        lines = lines_of(store, [item["id"] for item in items])
        for item in items:
            item["lines"] = lines[item["id"]]
    if "customer" in relations:
        for item in items:
            row = store.one(
                f"SELECT {CUSTOMER_COLUMNS} FROM streamone_customers WHERE id = ?", (item["customerId"],)
            )
            item["customer"] = None if row is None else customer_json(row)
    return items


def _page(store: Store, table_sql: str, scope: str, scope_params: list[Any], query: ListQuery) -> list[Any]:
    return store.all(
        f"{table_sql} WHERE {scope} AND {query.where_sql()}"
        f" ORDER BY {query.order_sql('id ASC')} LIMIT ? OFFSET ?",
        [*scope_params, *query.params, query.limit, query.offset],
    )


def _file_content(store: Store, invoice: dict[str, Any], file_name: str) -> tuple[bytes, str]:
    lines = lines_of(store, [invoice["id"]])[invoice["id"]]
    if file_name == "details.csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["Invoice", "Position", "Product", "Description", "Quantity", "Unit Price", "Amount"])
        for line in lines:
            writer.writerow(
                [
                    invoice["number"],
                    line["position"],
                    line["productName"],
                    line["description"],
                    line["quantity"],
                    line["unitPrice"],
                    line["amount"],
                ]
            )
        return buffer.getvalue().encode("utf-8"), "text/csv; charset=utf-8"
    return json.dumps({**invoice, "lines": lines}, indent=2).encode("utf-8"), "application/json"


def routes(context: EmulatorContext) -> list[Route]:
    store = context.store

    def load_invoice(account: str, invoice_id: int) -> dict[str, Any]:
        row = store.one(
            f"SELECT {INVOICE_COLUMNS} FROM streamone_invoices WHERE id = ? AND account_id = ?",
            (invoice_id, account),
        )
        if row is None:
            raise not_found(f"invoice {invoice_id}")
        return invoice_json(row)

    async def list_customers(request: Request) -> Response:
        account = basic_account(store, request)
        query = parse_list_query(request, CUSTOMER_FIELDS, CUSTOMER_RELATIONS)
        rows = _page(
            store, f"SELECT {CUSTOMER_COLUMNS} FROM streamone_customers", "account_id = ?", [account], query
        )
        return v1_response(
            request, {"data": {"customer": _customers_with_relations(store, rows, query.relations)}}
        )

    async def get_customer(request: Request) -> Response:
        account = basic_account(store, request)
        query = parse_list_query(request, CUSTOMER_FIELDS, CUSTOMER_RELATIONS)
        customer_id = _path_int(request, "customer_id", "customer")
        row = store.one(
            f"SELECT {CUSTOMER_COLUMNS} FROM streamone_customers WHERE id = ? AND account_id = ?",
            (customer_id, account),
        )
        if row is None:
            raise not_found(f"customer {customer_id}")
        return v1_response(
            request, {"data": {"customer": _customers_with_relations(store, [row], query.relations)[0]}}
        )

    async def my_invoices(request: Request) -> Response:
        account = basic_account(store, request)
        query = parse_list_query(request, INVOICE_FIELDS, INVOICE_RELATIONS)
        rows = _page(
            store,
            f"SELECT {INVOICE_COLUMNS} FROM streamone_invoices",
            "account_id = ? AND customer_id IS NULL",
            [account],
            query,
        )
        return v1_response(
            request, {"data": {"invoice": _invoices_with_relations(store, rows, query.relations)}}
        )

    async def customer_invoices(request: Request) -> Response:
        account = basic_account(store, request)
        query = parse_list_query(request, INVOICE_FIELDS, INVOICE_RELATIONS)
        scope = "account_id = ? AND customer_id IS NOT NULL"
        params: list[Any] = [account]
        raw_customer = request.query_params.get("customerId")
        if raw_customer is not None:
            params.append(parse_int("customerId", raw_customer, minimum=-MAX_INT))
            scope += " AND customer_id = ?"
        rows = _page(store, f"SELECT {INVOICE_COLUMNS} FROM streamone_invoices", scope, params, query)
        return v1_response(
            request, {"data": {"invoice": _invoices_with_relations(store, rows, query.relations)}}
        )

    async def get_invoice(request: Request) -> Response:
        account = basic_account(store, request)
        query = parse_list_query(request, INVOICE_FIELDS, INVOICE_RELATIONS, default_relations=("lines",))
        invoice = load_invoice(account, _path_int(request, "invoice_id", "invoice"))
        row = store.one(f"SELECT {INVOICE_COLUMNS} FROM streamone_invoices WHERE id = ?", (invoice["id"],))
        return v1_response(
            request, {"data": {"invoice": _invoices_with_relations(store, [row], query.relations)[0]}}
        )

    async def detailed_invoice(request: Request) -> Response:
        account = basic_account(store, request)
        invoice = load_invoice(account, _path_int(request, "invoice_id", "invoice"))
        origin = f"{request.url.scheme}://{request.url.netloc}"
        root = request.scope.get("root_path", "")
        urls = []
        for file_name in FILE_NAMES:
            path = f"{root}/files/invoices/{invoice['id']}/invoice-{invoice['id']}-{file_name}"
            urls.append(f"{origin}{path}?{sign(store, path)}")
        return v1_response(request, {"data": {"invoice": {**invoice, "detailedInvoiceFilesUrls": urls}}})

    async def invoice_file(request: Request) -> Response:
        root = request.scope.get("root_path", "")
        verify(
            store,
            root + request.url.path.removeprefix(root),
            request.query_params.get("expires"),
            request.query_params.get("signature"),
        )
        invoice_id = _path_int(request, "invoice_id", "invoice")
        file_name = request.path_params["file_name"]
        suffix = file_name.removeprefix(f"invoice-{invoice_id}-")
        row = store.one(f"SELECT {INVOICE_COLUMNS} FROM streamone_invoices WHERE id = ?", (invoice_id,))
        if row is None or suffix not in FILE_NAMES:
            raise not_found(f"file {file_name}")
        content, media_type = _file_content(store, invoice_json(row), suffix)
        return Response(content, media_type=media_type)

    async def generate(request: Request) -> Response:
        account = basic_account(store, request)
        form = await read_body(request)
        source = str(form.get("source", "")).strip().lower()
        if not source:
            raise invalid("source", "name the billing source to generate from, e.g. aws or microsoft")
        period = str(form.get("period", "")).strip()
        parse_period("period", period)
        status = str(form.get("status", "open")).strip().lower() or "open"
        if status not in ("open", "draft", "closed"):
            raise invalid("status", f"{status!r} is not an invoice status; use open, draft or closed")
        parse_bool("sendEmails", form.get("sendEmails", "false"))
        wanted = _id_list("customers", form.get("customers"))
        _id_list("resellers", form.get("resellers"))
        created: list[int] = []
        with store.transaction() as conn:
            customers = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM streamone_customers WHERE account_id = ? ORDER BY id", (account,)
                )
            ]
            unknown = [c for c in wanted if c not in customers]
            if unknown:
                raise invalid("customers", f"unknown customer id {unknown[0]} in this account")
            for customer_id in wanted or customers:
                lines = _subscription_lines(conn, customer_id, source)
                if lines:
                    new_id = insert_invoice(conn, account, customer_id, source, period, status, lines)
                    if new_id is not None:
                        created.append(new_id)
        marks = ",".join("?" * len(created))
        rows = store.all(
            f"SELECT {INVOICE_COLUMNS} FROM streamone_invoices WHERE id IN ({marks}) ORDER BY id", created
        )
        return v1_response(
            request, {"data": {"generated": len(created), "invoice": [invoice_json(r) for r in rows]}}
        )

    return [
        Route("/api/v1/customers", list_customers, methods=["GET"]),
        Route("/api/v1/customers/{customer_id}", get_customer, methods=["GET"]),
        Route("/api/v1/invoices", customer_invoices, methods=["GET"]),
        Route("/api/v1/invoices/myinvoices", my_invoices, methods=["GET"]),
        Route("/api/v1/invoices/generate", generate, methods=["POST"]),
        Route("/api/v1/invoices/{invoice_id}", get_invoice, methods=["GET"]),
        Route("/api/v1/invoices/{invoice_id}/detailed", detailed_invoice, methods=["GET"]),
        Route("/files/invoices/{invoice_id}/{file_name}", invoice_file, methods=["GET"]),
    ]


def _id_list(field: str, raw: object) -> list[int]:
    if raw is None or str(raw).strip() == "":
        return []
    return [parse_int(field, part, minimum=-MAX_INT) for part in str(raw).split(",") if part.strip()]


def _subscription_lines(conn: Any, customer_id: int, source: str) -> list[Line]:
    """One line per active subscription of ``customer_id`` on the cloud ``source`` names."""
    lines = []
    for (doc_text,) in conn.execute(
        "SELECT doc FROM streamone_subscriptions WHERE customer_id = ? ORDER BY seq", (customer_id,)
    ):
        doc = json.loads(doc_text)
        if doc.get("cloudProviderName", "").lower() != source or doc.get("subscriptionStatus") != "ACTIVE":
            continue
        lines.append(
            Line(
                doc["subscriptionName"],
                doc["mfgPartNumber"],
                Decimal(doc["subscriptionTotalLicenses"]),
                Decimal(doc["price"]),
                Decimal(doc["cost"]),
            )
        )
    return lines
