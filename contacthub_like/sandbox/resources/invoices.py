"""``/workspaces/{ws}/invoices[/{id}]`` and ``/invoices/{id}/lines.csv`` (DESIGN §4).

Money is decimal strings end to end: the hub computes each line's ``amount`` and the
``total`` itself (clients cannot send a total that disagrees with the lines), and keeps
the total also as an integer of millionths so filters and sorts on it are exact.
``number`` is unique per node (409).  Invoices are financial records: deleting their
customer leaves them in place.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...money import MAX_AMOUNT_DIGITS, amount_units, is_amount_text
from ..context import Hub, collection_routes, page_response, raw_json_response
from ..errors import HubError, field_error
from ..querysql import (
    DATE,
    DATETIME,
    DECIMAL,
    EntitySchema,
)
from ..schema import INVOICE_TRANSITIONS, check_invoice_body, merge_patch, price_lines

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS invoices (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        ws TEXT NOT NULL,
        node TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        number TEXT NOT NULL,
        status TEXT NOT NULL,
        currency TEXT NOT NULL,
        issued_at TEXT,
        due_at TEXT,
        total_units INTEGER NOT NULL,
        doc TEXT NOT NULL
    )""",
    "CREATE UNIQUE INDEX IF NOT EXISTS invoices_node_number ON invoices(node, number)",
    "CREATE INDEX IF NOT EXISTS invoices_customer ON invoices(customer_id, issued_at)",
    "CREATE INDEX IF NOT EXISTS invoices_node_issued ON invoices(node, issued_at)",
    "CREATE INDEX IF NOT EXISTS invoices_node_total ON invoices(node, total_units)",
)

QUERY_SCHEMA = EntitySchema(
    doc_column="doc",
    columns={
        "id": "id",
        "nodeId": "node",
        "customerId": "customer_id",
        "number": "number",
        "status": "status",
        "currency": "currency",
        "issuedAt": "issued_at",
        "dueAt": "due_at",
        "total": "total_units",
    },
    arrays=frozenset({"lines"}),
    temporal={
        "issuedAt": DATETIME,
        "dueAt": DATETIME,
        "billingStartDate": DATE,
        "billingEndDate": DATE,
        "total": DECIMAL,
        "lines.quantity": DECIMAL,
        "lines.unitPrice": DECIMAL,
        "lines.amount": DECIMAL,
    },
)

NOT_VALID = "invoice is not valid"
CSV_COLUMNS = ("id", "sku", "description", "quantity", "unitPrice", "amount", "currency")


def not_found(invoice_id: str) -> HubError:
    return HubError(404, f"invoice not found {invoice_id}")


def _validated(body: dict[str, Any]) -> dict[str, Any]:
    errors: list[dict[str, Any]] = []
    fields = check_invoice_body(body, errors)
    if errors:
        raise HubError(400, NOT_VALID, errors=errors)
    return fields


def _build(fields: dict[str, Any], *, id: str, node: str) -> dict[str, Any]:
    lines, total = price_lines(fields, lambda: str(uuid.uuid4()))
    too_large = [
        field_error(f"/lines/{i}", f"the line amount {line['amount']} is too large", "TOO_LARGE")
        for i, line in enumerate(lines)
        if not is_amount_text(line["amount"])
    ]
    if too_large or not is_amount_text(total):
        too_large.append(
            field_error(
                "/lines", f"amounts are limited to {MAX_AMOUNT_DIGITS} digits before the point", "TOO_LARGE"
            )
        )
        raise HubError(400, NOT_VALID, errors=too_large)
    return {
        "id": id,
        "nodeId": node,
        "customerId": fields["customerId"],
        "number": fields["number"],
        "status": fields["status"],
        "currency": fields["currency"],
        "issuedAt": fields["issuedAt"],
        "dueAt": fields["dueAt"],
        "billingStartDate": fields["billingStartDate"],
        "billingEndDate": fields["billingEndDate"],
        "lines": lines,
        "total": total,
    }


def _check_customer(conn: sqlite3.Connection, ws: str, node: str, customer_id: str) -> None:
    row = conn.execute("SELECT node FROM customers WHERE id = ? AND ws = ?", (customer_id, ws)).fetchone()
    if row is None or row[0] != node:
        raise HubError(
            400,
            NOT_VALID,
            errors=[
                field_error(
                    "/customerId", f"customer {customer_id} does not exist in node {node}", "NOT_FOUND"
                )
            ],
        )


def _check_transition(current: dict[str, Any], new: dict[str, Any]) -> None:
    old_status, new_status = current["status"], new["status"]
    if new_status not in INVOICE_TRANSITIONS[old_status]:
        raise HubError(409, f"invoice {current['id']} cannot go from {old_status} to {new_status}")
    if old_status != "DRAFT":
        frozen = ("customerId", "number", "currency", "lines", "billingStartDate", "billingEndDate")
        changed = [k for k in frozen if _comparable(current, k) != _comparable(new, k)]
        if changed:
            raise HubError(
                409,
                f"invoice {current['id']} is {old_status}: {', '.join(changed)} "
                "can only change while it is DRAFT",
            )


def _comparable(doc: dict[str, Any], key: str) -> Any:
    if key == "lines":  # amounts are recomputed; compare what the client controls
        return [
            {k: line.get(k) for k in ("id", "sku", "description", "quantity", "unitPrice")}
            for line in doc[key]
        ]
    return doc.get(key)


def _save(conn: sqlite3.Connection, request: Request, ws: str, doc: dict[str, Any], insert: bool) -> str:
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    values = (
        doc["nodeId"],
        doc["customerId"],
        doc["number"],
        doc["status"],
        doc["currency"],
        doc["issuedAt"],
        doc["dueAt"],
        amount_units(doc["total"]),
        text,
    )
    duplicate = conn.execute(
        "SELECT id FROM invoices WHERE node = ? AND number = ? AND id != ?",
        (doc["nodeId"], doc["number"], doc["id"]),
    ).fetchone()
    if duplicate is not None:
        href = f"{Hub.api_root(request)}/workspaces/{ws}/invoices/{duplicate[0]}"
        raise HubError(
            409,
            f"invoice number {doc['number']} is already used by invoice {duplicate[0]} in this node",
            data={"invoice": {"id": duplicate[0], "href": href}},
        )
    if insert:
        conn.execute(
            "INSERT INTO invoices(node, customer_id, number, status, currency, issued_at, due_at,"
            " total_units, doc, id, ws) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*values, doc["id"], ws),
        )
    else:
        conn.execute(
            "UPDATE invoices SET node = ?, customer_id = ?, number = ?, status = ?, currency = ?,"
            " issued_at = ?, due_at = ?, total_units = ?, doc = ? WHERE id = ?",
            (*values, doc["id"]),
        )
    return text


def _load(conn: sqlite3.Connection, ws: str, invoice_id: str) -> dict[str, Any]:
    row = conn.execute("SELECT doc FROM invoices WHERE id = ? AND ws = ?", (invoice_id, ws)).fetchone()
    if row is None:
        raise not_found(invoice_id)
    return json.loads(row[0])


def _check_id(body: dict[str, Any], invoice_id: str) -> None:
    if body.get("id") is not None and body["id"] != invoice_id:
        raise HubError(400, NOT_VALID, errors=[field_error("/id", "id does not match the URL", "MISMATCH")])


def routes(hub: Hub) -> list[Route]:
    store = hub.store

    async def list_invoices(request: Request) -> Response:
        ws = hub.workspace(request)
        base_where, base_params = hub.node_scope(request, ws)
        customer_id = request.query_params.get("customerId")
        docs, page = hub.query_page(
            request,
            "invoices",
            QUERY_SCHEMA,
            base_where=base_where,
            base_params=base_params,
            filters=[("customer_id = ?", customer_id)] if customer_id else [],
        )
        return page_response(docs, page)

    async def create_invoice(request: Request) -> Response:
        ws = hub.workspace(request)
        body = await hub.read_object(request)
        node = body.get("nodeId")
        if not isinstance(node, str) or not node:
            raise HubError(400, NOT_VALID, errors=[field_error("/nodeId", "nodeId is required", "REQUIRED")])
        hub.require_node(ws, node)
        fields = _validated(body)
        doc = _build(fields, id=str(uuid.uuid4()), node=node)
        with store.transaction() as conn:
            _check_customer(conn, ws, node, doc["customerId"])
            text = _save(conn, request, ws, doc, insert=True)
        return raw_json_response(text, 201)

    async def get_invoice(request: Request) -> Response:
        ws = hub.workspace(request)
        iid = request.path_params["id"]
        row = store.one("SELECT doc FROM invoices WHERE id = ? AND ws = ?", (iid, ws))
        if row is None:
            raise not_found(iid)
        return raw_json_response(row[0])

    async def _replace(request: Request, merge: bool) -> Response:
        ws = hub.workspace(request)
        iid = request.path_params["id"]
        body = await hub.read_object(request)
        _check_id(body, iid)
        with store.transaction() as conn:
            current = _load(conn, ws, iid)
            if body.get("nodeId") is not None and body["nodeId"] != current["nodeId"]:
                raise HubError(
                    400,
                    NOT_VALID,
                    errors=[field_error("/nodeId", "an invoice cannot move to another node", "READ_ONLY")],
                )
            if merge:
                editable = {k: v for k, v in current.items() if k not in ("id", "nodeId", "total")}
                body = merge_patch(
                    editable, {k: v for k, v in body.items() if k not in ("id", "nodeId", "total")}
                )
            fields = _validated(body)
            doc = _build(fields, id=iid, node=current["nodeId"])
            _check_transition(current, doc)
            if doc["customerId"] != current["customerId"]:
                _check_customer(conn, ws, doc["nodeId"], doc["customerId"])
            text = _save(conn, request, ws, doc, insert=False)
        return raw_json_response(text)

    async def put_invoice(request: Request) -> Response:
        return await _replace(request, merge=False)

    async def patch_invoice(request: Request) -> Response:
        return await _replace(request, merge=True)

    async def delete_invoice(request: Request) -> Response:
        ws = hub.workspace(request)
        iid = request.path_params["id"]
        with store.transaction() as conn:
            current = _load(conn, ws, iid)
            if current["status"] != "DRAFT":
                raise HubError(
                    409, f"invoice {iid} is {current['status']}: only DRAFT invoices can be deleted (VOID it)"
                )
            conn.execute("DELETE FROM invoices WHERE id = ?", (iid,))
        return raw_json_response(json.dumps(current, ensure_ascii=False, separators=(",", ":")))

    async def lines_csv(request: Request) -> Response:
        ws = hub.workspace(request)
        doc = _load(store.conn, ws, request.path_params["id"])
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for line in doc["lines"]:
            writer.writerow([*(line.get(k) or "" for k in CSV_COLUMNS[:-1]), doc["currency"]])
        filename = f"invoice-{doc['id']}-lines.csv"
        return Response(
            out.getvalue().encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    base = "/workspaces/{ws}/invoices"
    return [
        *collection_routes(
            base,
            listing=list_invoices,
            create=create_invoice,
            get=get_invoice,
            put=put_invoice,
            patch=patch_invoice,
            delete=delete_invoice,
        ),
        Route(base + "/{id}/lines.csv", lines_csv, methods=["GET"]),
    ]


def openapi(document: dict[str, Any]) -> None:
    """Describe the invoice paths in the hub's OpenAPI document."""
    from ... import money
    from ..openapi import HUB_TS_PATTERN, PAGE, SIZE, WS, _errors, _json, _page_schema, _param, _ref
    from ..schema import INVOICE_STATUSES

    amount = {"type": "string", "pattern": money._AMOUNT.pattern}
    quantity = {"type": "string", "pattern": r"^\d{1,12}(\.\d{1,6})?$"}
    nullable_str = {"type": "string", "nullable": True}
    ts = {"type": "string", "pattern": HUB_TS_PATTERN, "nullable": True}
    date = {"type": "string", "format": "date", "nullable": True}
    line_in: dict[str, Any] = {
        "type": "object",
        "required": ["quantity", "unitPrice"],
        "additionalProperties": False,
        "properties": {
            "id": nullable_str,
            "sku": nullable_str,
            "description": nullable_str,
            "quantity": quantity,
            "unitPrice": amount,
        },
    }
    line_out = {
        "type": "object",
        "required": ["id", "sku", "description", "quantity", "unitPrice", "amount"],
        "properties": {**line_in["properties"], "id": {"type": "string"}, "amount": amount},
    }
    editable = {
        "customerId": {"type": "string"},
        "number": {"type": "string", "minLength": 1, "maxLength": 64},
        "status": {"type": "string", "enum": list(INVOICE_STATUSES)},
        "currency": {"type": "string", "enum": sorted(money.CURRENCY_EXPONENTS)},
        "issuedAt": {"type": "string", "format": "date-time", "nullable": True},
        "dueAt": {"type": "string", "format": "date-time", "nullable": True},
        "billingStartDate": date,
        "billingEndDate": date,
        "lines": {"type": "array", "items": _ref("InvoiceLineInput"), "maxItems": 1000},
    }
    schemas = document["components"]["schemas"]
    schemas["InvoiceLineInput"] = line_in
    schemas["InvoiceLine"] = line_out
    schemas["Invoice"] = {
        "type": "object",
        "required": ["id", "nodeId", *editable, "total"],
        "properties": {
            "id": {"type": "string"},
            "nodeId": {"type": "string"},
            **editable,
            "status": {"type": "string", "enum": list(INVOICE_STATUSES)},
            "currency": {"type": "string"},
            "issuedAt": ts,
            "dueAt": ts,
            "lines": {"type": "array", "items": _ref("InvoiceLine")},
            "total": amount,
        },
    }
    schemas["PostInvoice"] = {
        "type": "object",
        "required": ["nodeId", "customerId", "number", "currency"],
        "additionalProperties": False,
        "properties": {"nodeId": {"type": "string"}, **editable},
    }
    schemas["PatchInvoice"] = {"type": "object", "additionalProperties": False, "properties": editable}
    schemas["InvoicePage"] = _page_schema("Invoice")

    def body(name: str) -> dict[str, Any]:
        return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}

    iid = _param("id", "path", description="invoice id")
    document["paths"]["/workspaces/{ws}/invoices"] = {
        "parameters": [WS],
        "get": {
            "operationId": "listInvoices",
            "summary": "List invoices (paged, filtered with the query grammar, sorted)",
            "parameters": [
                _param("nodeId"),
                _param("customerId"),
                _param(
                    "query", description="JSON query document; total and line amounts compare as decimals"
                ),
                _param("sort", description="field[,asc|desc]"),
                PAGE,
                SIZE,
            ],
            "responses": {
                "200": _json(_ref("InvoicePage"), "A page of invoices"),
                **_errors(400, 401, 403, 404),
            },
        },
        "post": {
            "operationId": "createInvoice",
            "summary": "Create an invoice; line amounts and the total are computed by the hub",
            "requestBody": body("PostInvoice"),
            "responses": {
                "201": _json(_ref("Invoice"), "The created invoice"),
                **_errors(400, 401, 403, 404, 409),
            },
        },
    }
    document["paths"]["/workspaces/{ws}/invoices/{id}"] = {
        "parameters": [WS, iid],
        "get": {
            "operationId": "getInvoice",
            "responses": {"200": _json(_ref("Invoice"), "The invoice"), **_errors(401, 403, 404)},
        },
        "put": {
            "operationId": "replaceInvoice",
            "requestBody": body("PostInvoice"),
            "responses": {
                "200": _json(_ref("Invoice"), "The replaced invoice"),
                **_errors(400, 401, 403, 404, 409),
            },
        },
        "patch": {
            "operationId": "patchInvoice",
            "summary": "Merge-patch an invoice; lines are replaced whole; only DRAFT invoices change content",
            "requestBody": body("PatchInvoice"),
            "responses": {
                "200": _json(_ref("Invoice"), "The merged invoice"),
                **_errors(400, 401, 403, 404, 409),
            },
        },
        "delete": {
            "operationId": "deleteInvoice",
            "summary": "Delete a DRAFT invoice (others are VOIDed instead)",
            "responses": {
                "200": _json(_ref("Invoice"), "The deleted invoice"),
                **_errors(401, 403, 404, 409),
            },
        },
    }
    document["paths"]["/workspaces/{ws}/invoices/{id}/lines.csv"] = {
        "parameters": [WS, iid],
        "get": {
            "operationId": "downloadInvoiceLines",
            "responses": {
                "200": {
                    "description": "The lines as CSV: " + ",".join(CSV_COLUMNS),
                    "content": {"text/csv": {"schema": {"type": "string"}}},
                },
                **_errors(401, 403, 404),
            },
        },
    }
