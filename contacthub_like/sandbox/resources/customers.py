"""``/workspaces/{ws}/customers[/{id}]``: list with query/sort/fields/paging, create, read, replace,
merge-patch, delete (research §1.1, §2, §4, §7)."""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..context import (
    Hub,
    collection_routes,
    json_response,
    list_param,
    page_response,
    raw_json_response,
)
from ..errors import HubError, field_error
from ..etags import check_if_match, tagged
from ..querysql import DATE, DATETIME, EntitySchema
from ..schema import build_customer, check_customer_body, is_customer_path, merge_patch
from ..timefmt import now_hub
from . import sessions

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS customers (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        ws TEXT NOT NULL,
        node TEXT NOT NULL,
        external_id TEXT,
        email TEXT,
        registered_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        doc TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS customers_node ON customers(node)",
    # counts scoped by workspace (and node) read this index alone, not 100k documents
    "CREATE INDEX IF NOT EXISTS customers_ws_node ON customers(ws, node)",
    "CREATE INDEX IF NOT EXISTS customers_node_ext ON customers(node, external_id)",
    "CREATE INDEX IF NOT EXISTS customers_node_email ON customers(node, email)",
    # Expression indexes for the attributes people filter and sort on most; the query compiler
    # writes exactly these expressions (see INDEXED_PATHS) so SQLite can use them.
    # firstName and lastName together: a query on both (the commonest) is answered, counted and
    # paged from the index, without json_extract on each candidate document; firstName alone uses
    # its prefix. (Databases made before it keep their customers_node_first index; it is harmless.)
    "CREATE INDEX IF NOT EXISTS customers_node_first_last ON customers(node,"
    " json_extract(doc, '$.base.firstName'), json_extract(doc, '$.base.lastName'))",
    "CREATE INDEX IF NOT EXISTS customers_node_last ON customers(node, json_extract(doc, '$.base.lastName'))",
    "CREATE INDEX IF NOT EXISTS customers_node_dob ON customers(node, json_extract(doc, '$.base.dob'))",
)

INDEXED_PATHS = {
    "base.firstName": "json_extract(doc, '$.base.firstName')",
    "base.lastName": "json_extract(doc, '$.base.lastName')",
    "base.dob": "json_extract(doc, '$.base.dob')",
}

QUERY_SCHEMA = EntitySchema(
    doc_column="doc",
    columns={
        "id": "id",
        "nodeId": "node",
        "externalId": "external_id",
        "base.contacts.email": "email",
        "registeredAt": "registered_at",
        "updatedAt": "updated_at",
        **INDEXED_PATHS,
    },
    arrays=frozenset(
        {
            "base.educations",
            "base.likes",
            "base.jobs",
            "base.subscriptions",
            "base.subscriptions.preferences",
            "base.contacts.otherContacts",
            "base.contacts.mobileDevices",
        }
    ),
    temporal={
        "base.dob": DATE,
        "base.jobs.startDate": DATE,
        "base.jobs.endDate": DATE,
        "registeredAt": DATETIME,
        "updatedAt": DATETIME,
        "base.likes.createdTime": DATETIME,
        "base.subscriptions.startDate": DATETIME,
        "base.subscriptions.endDate": DATETIME,
        "base.subscriptions.registeredAt": DATETIME,
        "base.subscriptions.updatedAt": DATETIME,
        "consents.disclaimer.date": DATETIME,
    },
)

NOT_VALID = "source customer is not valid"


def customer_href(request: Request, ws: str, customer_id: str) -> str:
    return f"{Hub.api_root(request)}/workspaces/{ws}/customers/{customer_id}"


def not_found(customer_id: str) -> HubError:
    return HubError(404, f"customer not found {customer_id}")


def _email(fields: dict[str, Any]) -> str | None:
    contacts = fields["base"].get("contacts") or {}
    return contacts.get("email")


# -- storage helpers other resources use --------------------------------------------------------


def load(conn: sqlite3.Connection, ws: str, customer_id: str) -> dict[str, Any]:
    row = conn.execute("SELECT doc FROM customers WHERE id = ? AND ws = ?", (customer_id, ws)).fetchone()
    if row is None:
        raise not_found(customer_id)
    return json.loads(row[0])


def save(conn: sqlite3.Connection, doc: dict[str, Any]) -> str:
    """Write back a customer document (already normalised); returns the stored JSON text."""
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    contacts = (doc.get("base") or {}).get("contacts") or {}
    conn.execute(
        "UPDATE customers SET node = ?, external_id = ?, email = ?, updated_at = ?, doc = ? WHERE id = ?",
        (doc["nodeId"], doc["externalId"], contacts.get("email"), doc["updatedAt"], text, doc["id"]),
    )
    return text


def insert(conn: sqlite3.Connection, ws: str, fields: dict[str, Any]) -> tuple[dict[str, Any], str]:
    now = now_hub()
    doc = build_customer(fields, id=str(uuid.uuid4()), registered_at=now, updated_at=now)
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    conn.execute(
        "INSERT INTO customers(id, ws, node, external_id, email, registered_at, updated_at, doc) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (doc["id"], ws, doc["nodeId"], doc["externalId"], _email(fields), now, now, text),
    )
    return doc, text


def check_conflict(
    hub: Hub,
    conn: sqlite3.Connection,
    request: Request,
    ws: str,
    fields: dict[str, Any],
    exclude_id: str | None = None,
) -> None:
    """Apply the workspace's unique-customer matching policy (externalId, email or none)."""
    policy = hub.match_policy(ws)
    if policy == "externalId":
        column, value = "external_id", fields["externalId"]
    elif policy == "email":
        column, value = "email", _email(fields)
    else:
        return
    if value is None:
        return
    row = conn.execute(
        f"SELECT id FROM customers WHERE node = ? AND {column} = ? AND id IS NOT ? LIMIT 1",  # noqa: S608
        (fields["nodeId"], value, exclude_id),
    ).fetchone()
    if row is not None:
        existing = row[0]
        raise HubError(
            409,
            f"Conflict with exiting customer {existing}",
            data={"customer": {"id": existing, "href": customer_href(request, ws, existing)}},
        )


def _validated(body: dict[str, Any]) -> dict[str, Any]:
    errors: list[dict[str, Any]] = []
    fields = check_customer_body(body, errors)
    if errors:
        raise HubError(400, NOT_VALID, errors=errors)
    return fields


def _link_session_param(
    hub: Hub, conn: sqlite3.Connection, request: Request, ws: str, doc: dict[str, Any]
) -> None:
    session_id = request.query_params.get("sessionId")
    if session_id:
        sessions.link(conn, ws, doc["nodeId"], doc["id"], session_id)


# -- handlers ----------------------------------------------------------------------------------


def _project(doc: dict[str, Any], paths: list[list[str]]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": doc.get("id")}
    for segments in paths:
        src: Any = doc
        for s in segments:
            src = src.get(s) if isinstance(src, dict) else None
        dst = out
        for s in segments[:-1]:
            nxt = dst.get(s)
            if not isinstance(nxt, dict):
                nxt = {}
                dst[s] = nxt
            dst = nxt
        dst[segments[-1]] = src
    return out


def routes(hub: Hub) -> list[Route]:
    store = hub.store

    async def list_customers(request: Request) -> Response:
        ws = hub.workspace(request)
        qp = request.query_params
        node = qp.get("nodeId")
        if not node:
            raise HubError(
                400, "nodeId is required", errors=[field_error("/nodeId", "nodeId is required", "REQUIRED")]
            )
        hub.require_node(ws, node)
        external_id = qp.get("externalId")
        fields = list_param(request, "fields")
        docs, page = hub.query_page(
            request,
            "customers",
            QUERY_SCHEMA,
            base_where=["node = ?"],
            base_params=[node],
            filters=[("external_id = ?", external_id)] if external_id is not None else [],
        )
        hub.note_table_size(page["totalUnfilteredElements"])
        if fields:
            paths = []
            for f in fields:
                segs = f.split(".")
                if not all(segs) or not is_customer_path(segs):
                    raise HubError(
                        400,
                        "fields is not valid",
                        errors=[
                            field_error(
                                "/fields",
                                f"{f!r} is not a path of a customer (such as base.firstName, tags.manual "
                                "or extended.anything)",
                                "INVALID",
                            )
                        ],
                    )
                paths.append(segs)
            docs = [
                json.dumps(_project(json.loads(d), paths), ensure_ascii=False, separators=(",", ":"))
                for d in docs
            ]
        return page_response(docs, page)

    async def create_customer(request: Request) -> Response:
        ws = hub.workspace(request)
        body = await hub.read_object(request)
        fields = _validated(body)
        if not fields["nodeId"]:
            raise HubError(400, NOT_VALID, errors=[field_error("/nodeId", "nodeId is required", "REQUIRED")])
        hub.require_node(ws, fields["nodeId"])
        with store.transaction() as conn:
            check_conflict(hub, conn, request, ws, fields)
            doc, text = insert(conn, ws, fields)
            _link_session_param(hub, conn, request, ws, doc)
        return tagged(text, 201)

    async def get_customer(request: Request) -> Response:
        ws = hub.workspace(request)
        cid = request.path_params["id"]
        row = store.one("SELECT doc FROM customers WHERE id = ? AND ws = ?", (cid, ws))
        if row is None:
            raise not_found(cid)
        return tagged(row[0])

    async def put_customer(request: Request) -> Response:
        ws = hub.workspace(request)
        cid = request.path_params["id"]
        body = await hub.read_object(request)
        if body.get("id") is not None and body.get("id") != cid:
            raise HubError(
                400, NOT_VALID, errors=[field_error("/id", "id does not match the URL", "MISMATCH")]
            )
        fields = _validated(body)
        with store.transaction() as conn:
            current = load(conn, ws, cid)
            check_if_match(request, conn, ws, cid)
            if not fields["nodeId"]:
                fields["nodeId"] = current["nodeId"]
            elif fields["nodeId"] != current["nodeId"]:
                hub.require_node(ws, fields["nodeId"])
            check_conflict(hub, conn, request, ws, fields, exclude_id=cid)
            doc = build_customer(fields, id=cid, registered_at=current["registeredAt"], updated_at=now_hub())
            text = save(conn, doc)
            _link_session_param(hub, conn, request, ws, doc)
        return tagged(text)

    async def patch_customer(request: Request) -> Response:
        ws = hub.workspace(request)
        cid = request.path_params["id"]
        patch = await hub.read_object(request)
        if patch.get("id") is not None and patch.get("id") != cid:
            raise HubError(
                400, NOT_VALID, errors=[field_error("/id", "id does not match the URL", "MISMATCH")]
            )
        with store.transaction() as conn:
            current = load(conn, ws, cid)
            check_if_match(request, conn, ws, cid)
            if patch.get("nodeId") is not None and patch["nodeId"] != current["nodeId"]:
                raise HubError(
                    400,
                    NOT_VALID,
                    errors=[
                        field_error("/nodeId", "nodeId cannot be changed with PATCH; use PUT", "READ_ONLY")
                    ],
                )
            editable = {k: v for k, v in current.items() if k not in ("id", "registeredAt", "updatedAt")}
            patch = {k: v for k, v in patch.items() if k not in ("id", "nodeId", "registeredAt", "updatedAt")}
            merged = merge_patch(editable, patch)
            merged["nodeId"] = current["nodeId"]
            fields = _validated(merged)
            check_conflict(hub, conn, request, ws, fields, exclude_id=cid)
            doc = build_customer(fields, id=cid, registered_at=current["registeredAt"], updated_at=now_hub())
            text = save(conn, doc)
            _link_session_param(hub, conn, request, ws, doc)
        return tagged(text)

    async def delete_customer(request: Request) -> Response:
        ws = hub.workspace(request)
        cid = request.path_params["id"]
        with store.transaction() as conn:
            row = conn.execute("SELECT doc FROM customers WHERE id = ? AND ws = ?", (cid, ws)).fetchone()
            if row is None:
                raise not_found(cid)
            check_if_match(request, conn, ws, cid)
            for hook in hub.customer_deleted_hooks:
                hook(conn, ws, cid)
            conn.execute("DELETE FROM customers WHERE id = ?", (cid,))
        return raw_json_response(row[0])

    base = "/workspaces/{ws}/customers"
    return collection_routes(
        base,
        listing=list_customers,
        create=create_customer,
        get=get_customer,
        put=put_customer,
        patch=patch_customer,
        delete=delete_customer,
    )


__all__ = ["SCHEMA", "QUERY_SCHEMA", "routes", "load", "save", "insert", "check_conflict", "json_response"]
