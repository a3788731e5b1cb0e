"""The audience records of the embedded hub: their tables, their validation and their members' SQL.

An audience is stored as its JSON document plus the columns its listings filter and sort
on; its ``size`` is never stored but counted whenever it is read, because a QUERY
audience's members change with the customers.  The routes of :mod:`.audiences` read and
write audiences only through these functions.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..audience_schema import AUDIENCE, AUDIENCE_READ_ONLY
from ..context import Hub, dumps
from ..errors import HubError, field_error
from ..querysql import DATETIME, EntitySchema, QueryError, compile_query
from . import customers

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS audiences (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        ws TEXT NOT NULL,
        node TEXT NOT NULL,
        name TEXT NOT NULL,
        source TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        doc TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS audiences_node_name ON audiences(node, name)",
    """CREATE TABLE IF NOT EXISTS audience_members (
        pk INTEGER PRIMARY KEY,
        audience_id TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        UNIQUE (audience_id, customer_id)
    )""",
    "CREATE INDEX IF NOT EXISTS audience_members_customer ON audience_members(customer_id)",
    """CREATE TABLE IF NOT EXISTS audience_uploads (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        audience_id TEXT NOT NULL,
        status TEXT NOT NULL,
        payload TEXT,
        doc TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS audience_uploads_audience ON audience_uploads(audience_id, pk)",
    "CREATE INDEX IF NOT EXISTS audience_uploads_open ON audience_uploads(status) WHERE payload IS NOT NULL",
)

QUERY_SCHEMA = EntitySchema(
    doc_column="doc",
    columns={
        "id": "id",
        "nodeId": "node",
        "name": "name",
        "source": "source",
        "status": "status",
        "createdAt": "created_at",
        "updatedAt": "updated_at",
    },
    temporal={"createdAt": DATETIME, "updatedAt": DATETIME},
)

NOT_VALID = "audience is not valid"


def not_found(audience_id: str) -> HubError:
    """The 404 for an audience id that names no audience of the workspace."""
    return HubError(404, f"audience not found {audience_id}")


# -- audience documents ----------------------------------------------------------------------------


def validated(body: dict[str, Any]) -> dict[str, Any]:
    """The audience ``fields`` of ``body`` (read-only keys dropped), or a 400 listing every problem."""
    errors: list[dict[str, Any]] = []
    fields = AUDIENCE.check({k: v for k, v in body.items() if k not in AUDIENCE_READ_ONLY}, (), errors)
    if fields["status"] is None:
        fields["status"] = "ACTIVE"
    if fields["source"] == "QUERY":
        if fields["query"] is None:
            errors.append(field_error("/query", "a QUERY audience needs a customer query", "REQUIRED"))
        else:
            try:
                compile_query(fields["query"], customers.QUERY_SCHEMA)
            except QueryError as exc:
                for err in exc.errors:
                    errors.append({**err, "path": "/query" + err["path"]})
    elif fields["source"] == "UPLOAD" and fields["query"] is not None:
        errors.append(
            field_error("/query", "an UPLOAD audience has no query: its members come from uploads", "INVALID")
        )
    if errors:
        raise HubError(400, NOT_VALID, errors=errors)
    return fields


def document(fields: dict[str, Any], *, id: str, node: str, created: str, updated: str) -> dict[str, Any]:
    """Lay out a stored audience in the key order the API uses (``size`` is added on read)."""
    return {
        "id": id,
        "nodeId": node,
        "name": fields["name"],
        "description": fields["description"],
        "source": fields["source"],
        "query": fields["query"],
        "status": fields["status"],
        "createdAt": created,
        "updatedAt": updated,
    }


def members_sql(conn: sqlite3.Connection, doc: dict[str, Any]) -> tuple[str, list[Any]]:
    """FROM/WHERE over ``customers`` selecting the audience's members (a live query or the upload table)."""
    if doc["source"] == "QUERY":
        sql, params = compile_query(doc["query"], customers.QUERY_SCHEMA)
        return f"FROM customers WHERE node = ? AND {sql}", [doc["nodeId"], *params]
    return (
        "FROM audience_members m JOIN customers ON customers.id = m.customer_id WHERE m.audience_id = ?",
        [doc["id"]],
    )


def with_size(hub: Hub, conn: sqlite3.Connection, doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with its ``size``: its members counted now."""
    where, params = members_sql(conn, doc)
    size = hub.count(f"SELECT COUNT(*) {where}", params)
    return {**doc, "size": size}


def load(conn: sqlite3.Connection, ws: str, audience_id: str) -> dict[str, Any]:
    """The stored document of one audience of workspace ``ws``; 404 when there is none."""
    row = conn.execute("SELECT doc FROM audiences WHERE id = ? AND ws = ?", (audience_id, ws)).fetchone()
    if row is None:
        raise not_found(audience_id)
    return json.loads(row[0])


def save(conn: sqlite3.Connection, ws: str, doc: dict[str, Any], insert: bool) -> None:
    """Insert or update an audience: its document and the columns listings filter on."""
    text = dumps(doc)
    if insert:
        conn.execute(
            "INSERT INTO audiences(id, ws, node, name, source, status, created_at, updated_at, doc)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc["id"],
                ws,
                doc["nodeId"],
                doc["name"],
                doc["source"],
                doc["status"],
                doc["createdAt"],
                doc["updatedAt"],
                text,
            ),
        )
    else:
        conn.execute(
            "UPDATE audiences SET name = ?, status = ?, updated_at = ?, doc = ? WHERE id = ?",
            (doc["name"], doc["status"], doc["updatedAt"], text, doc["id"]),
        )


def delete_memberships(conn: Any, ws: str, customer_id: str) -> None:
    """A customer-deleted hook: the customer leaves every UPLOAD audience."""
    conn.execute("DELETE FROM audience_members WHERE customer_id = ?", (customer_id,))
