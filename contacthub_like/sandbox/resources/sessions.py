"""``/workspaces/{ws}/customers/{cid}/sessions[/{sid}]`` (research §1.2).

A session value is unique within a node.  Linking one to a customer also hands that
customer every event that was parked under the session (``bringBackProperties`` of
type ``SESSION_ID`` posted before the visitor was known).
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..context import Hub, json_response
from ..errors import HubError, field_error
from ..timefmt import now_hub

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS sessions (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        ws TEXT NOT NULL,
        node TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        value TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE UNIQUE INDEX IF NOT EXISTS sessions_node_value ON sessions(node, value)",
    "CREATE INDEX IF NOT EXISTS sessions_customer ON sessions(customer_id)",
)


def link(conn: sqlite3.Connection, ws: str, node: str, customer_id: str, value: str) -> dict[str, str]:
    """Attach session ``value`` to a customer (idempotent for the same customer) and claim parked events."""
    row = conn.execute(
        "SELECT id, customer_id FROM sessions WHERE node = ? AND value = ?", (node, value)
    ).fetchone()
    if row is not None:
        if row[1] != customer_id:
            raise HubError(409, f"session {value} is already linked to customer {row[1]}")
        record = {"id": row[0], "value": value}
    else:
        record = {"id": str(uuid.uuid4()), "value": value}
        conn.execute(
            "INSERT INTO sessions(id, ws, node, customer_id, value, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (record["id"], ws, node, customer_id, value, now_hub()),
        )
    # Parked events live in the events table when that resource is mounted.
    has_events = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'"
    ).fetchone()
    if has_events:
        conn.execute(
            "UPDATE events SET customer_id = ?, doc = json_set(doc, '$.customerId', ?) "
            "WHERE ws = ? AND node = ? AND session_value = ? AND customer_id IS NULL",
            (customer_id, customer_id, ws, node, value),
        )
    return record


def customer_for_session(conn: sqlite3.Connection, node: str, value: str) -> str | None:
    row = conn.execute(
        "SELECT customer_id FROM sessions WHERE node = ? AND value = ?", (node, value)
    ).fetchone()
    return None if row is None else row[0]


def _delete_for_customer(conn: Any, ws: str, customer_id: str) -> None:
    conn.execute("DELETE FROM sessions WHERE customer_id = ?", (customer_id,))


def routes(hub: Hub) -> list[Route]:
    from . import customers  # local import: customers imports this module for ?sessionId=

    store = hub.store
    hub.customer_deleted_hooks.append(_delete_for_customer)

    def _customer_node(conn: sqlite3.Connection, ws: str, cid: str) -> str:
        row = conn.execute("SELECT node FROM customers WHERE id = ? AND ws = ?", (cid, ws)).fetchone()
        if row is None:
            raise customers.not_found(cid)
        return row[0]

    async def list_sessions(request: Request) -> Response:
        ws = hub.workspace(request)
        cid = request.path_params["cid"]
        conn = store.conn
        _customer_node(conn, ws, cid)
        rows = conn.execute(
            "SELECT id, value FROM sessions WHERE customer_id = ? ORDER BY pk", (cid,)
        ).fetchall()
        return json_response({"elements": [{"id": r[0], "value": r[1]} for r in rows]})

    async def create_session(request: Request) -> Response:
        ws = hub.workspace(request)
        cid = request.path_params["cid"]
        body = await hub.read_object(request)
        value = body.get("value")
        errors = [
            field_error(f"/{k}", f"unknown property {k!r}", "UNKNOWN_PROPERTY")
            for k in body
            if k not in ("value", "id")
        ]
        if not isinstance(value, str) or not value:
            errors.append(field_error("/value", "value must be a non-empty string", "REQUIRED"))
        if errors:
            raise HubError(400, "session is not valid", errors=errors)
        with store.transaction() as conn:
            node = _customer_node(conn, ws, cid)
            record = link(conn, ws, node, cid, str(value))
        return json_response(record, 201)

    def _find(conn: sqlite3.Connection, ws: str, cid: str, sid: str) -> dict[str, str]:
        _customer_node(conn, ws, cid)
        row = conn.execute(
            "SELECT id, value FROM sessions WHERE id = ? AND customer_id = ?", (sid, cid)
        ).fetchone()
        if row is None:
            raise HubError(404, f"session not found {sid}")
        return {"id": row[0], "value": row[1]}

    async def get_session(request: Request) -> Response:
        ws = hub.workspace(request)
        record = _find(store.conn, ws, request.path_params["cid"], request.path_params["sid"])
        return json_response(record)

    async def delete_session(request: Request) -> Response:
        ws = hub.workspace(request)
        with store.transaction() as conn:
            record = _find(conn, ws, request.path_params["cid"], request.path_params["sid"])
            conn.execute("DELETE FROM sessions WHERE id = ?", (record["id"],))
        return json_response(record)

    base = "/workspaces/{ws}/customers/{cid}/sessions"
    return [
        Route(base, list_sessions, methods=["GET"]),
        Route(base, create_session, methods=["POST"]),
        Route(base + "/{sid}", get_session, methods=["GET"]),
        Route(base + "/{sid}", delete_session, methods=["DELETE"]),
    ]
