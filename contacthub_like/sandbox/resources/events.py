"""``/workspaces/{ws}/events[/{id}]`` (research §1.3, §3).

Events are processed synchronously, so a posted event is visible to the very next GET
(the real service takes seconds).  ``bringBackProperties`` resolve here: EXTERNAL_ID
finds (or creates) the customer with that externalId in the node; SESSION_ID attaches
to the session's customer, or parks the event until the session is linked.

A POST may carry an ``Idempotency-Key`` header (1-255 printable ASCII characters).  The
first request with a key stores key -> event id in the same transaction as the event; a
repeat with the same key and the same body answers the stored id (202, header
``Idempotent-Replayed: true``) without storing anything; the same key with a different
body is a 422.  Keys are kept per workspace for as long as the database lives.  Setting
``hub.honour_idempotency_keys = False`` (``app.state.hub``) ignores the header, like an API
without the feature, so clients can be tested against both kinds of hub.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..context import (
    Hub,
    empty_response,
    json_response,
    list_param,
    page_block,
    page_params,
    page_response,
    raw_json_response,
)
from ..errors import HubError, field_error
from ..schema import (
    EVENT_CONTEXTS,
    EVENT_MODES,
    EVENT_TYPES,
    check_customer_body,
    check_event_body,
    event_mode,
)
from ..timefmt import now_hub, to_hub_datetime
from . import customers, sessions

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS events (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        ws TEXT NOT NULL,
        node TEXT,
        customer_id TEXT,
        session_value TEXT,
        type TEXT NOT NULL,
        context TEXT NOT NULL,
        mode TEXT NOT NULL,
        date TEXT NOT NULL,
        doc TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS events_customer_date ON events(customer_id, date)",
    "CREATE INDEX IF NOT EXISTS events_ws_date ON events(ws, date)",
    "CREATE INDEX IF NOT EXISTS events_node_date ON events(node, date)",
    "CREATE INDEX IF NOT EXISTS events_parked ON events(node, session_value) WHERE customer_id IS NULL",
    """CREATE TABLE IF NOT EXISTS event_keys (
        ws TEXT NOT NULL,
        key TEXT NOT NULL,
        event_id TEXT NOT NULL,
        body_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (ws, key)
    )""",
)

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

NOT_VALID = "event is not valid"


def _delete_for_customer(conn: Any, ws: str, customer_id: str) -> None:
    conn.execute("DELETE FROM events WHERE customer_id = ?", (customer_id,))


def _resolve_customer(
    hub: Hub, conn: sqlite3.Connection, ws: str, ev: dict[str, Any]
) -> tuple[str | None, str | None]:
    """-> (customer id or None when parked, node id)."""
    if ev["customerId"] is not None:
        row = conn.execute(
            "SELECT node FROM customers WHERE id = ? AND ws = ?", (ev["customerId"], ws)
        ).fetchone()
        if row is None:
            raise customers.not_found(ev["customerId"])
        return ev["customerId"], row[0]
    bbp = ev["bringBackProperties"]
    node = hub.require_node(ws, bbp["nodeId"])
    if bbp["type"] == "EXTERNAL_ID":
        row = conn.execute(
            "SELECT id FROM customers WHERE node = ? AND external_id = ? ORDER BY pk LIMIT 1",
            (node, bbp["value"]),
        ).fetchone()
        if row is not None:
            return row[0], node
        fields = check_customer_body({"nodeId": node, "externalId": bbp["value"]}, [])
        doc, _ = customers.insert(conn, ws, fields)
        return doc["id"], node
    return sessions.customer_for_session(conn, node, bbp["value"]), node


def _idempotency_key(request: Request) -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all(" " < ch < "\x7f" for ch in key):
        raise HubError(
            400,
            "Idempotency-Key is not valid",
            errors=[
                field_error(
                    "",
                    f"the {IDEMPOTENCY_HEADER} header must be 1-{MAX_KEY_LENGTH} printable ASCII characters "
                    "without spaces (a UUID is a good key)",
                    "INVALID",
                )
            ],
        )
    return key


def _body_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def routes(hub: Hub) -> list[Route]:
    store = hub.store
    hub.customer_deleted_hooks.append(_delete_for_customer)

    async def create_event(request: Request) -> Response:
        ws = hub.workspace(request)
        key = _idempotency_key(request) if hub.honour_idempotency_keys else None
        body = await hub.read_object(request)
        errors: list[dict[str, Any]] = []
        ev = check_event_body(body, errors)
        if errors:
            raise HubError(400, NOT_VALID, errors=errors)
        now = now_hub()
        event_id = str(uuid.uuid4())
        body_hash = _body_hash(body) if key is not None else ""
        with store.transaction() as conn:
            if key is not None:
                seen = conn.execute(
                    "SELECT event_id, body_hash FROM event_keys WHERE ws = ? AND key = ?", (ws, key)
                ).fetchone()
                if seen is not None:
                    if seen[1] != body_hash:
                        raise HubError(
                            422,
                            f"{IDEMPOTENCY_HEADER} {key} was already used for a different event",
                            data={"id": seen[0]},
                        )
                    response = json_response({"id": seen[0]}, 202)
                    response.headers["Idempotent-Replayed"] = "true"
                    return response
                conn.execute(
                    "INSERT INTO event_keys(ws, key, event_id, body_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                    (ws, key, event_id, body_hash, now),
                )
            customer_id, node = _resolve_customer(hub, conn, ws, ev)
            bbp = ev["bringBackProperties"]
            doc = {
                "id": event_id,
                "customerId": customer_id,
                "bringBackProperties": bbp,
                "type": ev["type"],
                "context": ev["context"],
                "date": ev["date"] or now,
                "properties": ev["properties"],
                "contextInfo": ev["contextInfo"],
                "registeredAt": now,
                "updatedAt": now,
                "tracking": ev["tracking"],
            }
            session_value = bbp["value"] if bbp is not None and bbp["type"] == "SESSION_ID" else None
            conn.execute(
                "INSERT INTO events(id, ws, node, customer_id, session_value, type, context, mode, date, doc)"
                " "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    event_id,
                    ws,
                    node,
                    customer_id,
                    session_value,
                    ev["type"],
                    ev["context"],
                    event_mode(ev["type"]),
                    doc["date"],
                    json.dumps(doc, ensure_ascii=False, separators=(",", ":")),
                ),
            )
        return json_response({"id": event_id}, 202)

    def _enum_list(request: Request, name: str, allowed: tuple[str, ...]) -> list[str]:
        values = list_param(request, name)
        bad = [v for v in values if v not in allowed]
        if bad:
            raise HubError(
                400,
                f"{name} is not valid",
                errors=[
                    field_error(f"/{name}", f"{bad[0]!r} is not one of {', '.join(allowed)}", "INVALID_ENUM")
                ],
            )
        return values

    def _date_param(request: Request, name: str) -> str | None:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return None
        value = to_hub_datetime(int(raw) if raw.isdigit() else raw)
        if value is None:
            raise HubError(
                400,
                f"{name} is not valid",
                errors=[field_error(f"/{name}", f"{raw!r} is not an ISO-8601 date-time", "INVALID_FORMAT")],
            )
        return value

    async def list_events(request: Request) -> Response:
        ws = hub.workspace(request)
        qp = request.query_params
        page, size = page_params(request)
        base_where = ["ws = ?"]
        base_params: list[Any] = [ws]
        customer_id = qp.get("customerId")
        if customer_id:
            base_where.append("customer_id = ?")
            base_params.append(customer_id)
        node = qp.get("nodeId")
        if node:
            hub.require_node(ws, node)
            base_where.append("node = ?")
            base_params.append(node)
        where, params = list(base_where), list(base_params)
        types = _enum_list(request, "type", EVENT_TYPES)
        if types:
            where.append(f"type IN ({', '.join('?' * len(types))})")
            params.extend(types)
        contexts = _enum_list(request, "context", EVENT_CONTEXTS)
        if contexts:
            where.append(f"context IN ({', '.join('?' * len(contexts))})")
            params.extend(contexts)
        modes = _enum_list(request, "mode", EVENT_MODES)
        if modes:
            where.append(f"mode IN ({', '.join('?' * len(modes))})")
            params.extend(modes)
        date_from = _date_param(request, "dateFrom")
        if date_from:
            where.append("date >= ?")
            params.append(date_from)
        date_to = _date_param(request, "dateTo")
        if date_to:
            where.append("date <= ?")
            params.append(date_to)
        docs, total, unfiltered = hub.select_page(
            "events",
            where,
            params,
            order="date DESC, pk DESC",
            page=page,
            size=size,
            base_where=base_where,
            base_params=base_params,
        )
        return page_response(docs, page_block(page, size, total, unfiltered))

    async def get_event(request: Request) -> Response:
        ws = hub.workspace(request)
        eid = request.path_params["id"]
        row = store.one("SELECT doc FROM events WHERE id = ? AND ws = ?", (eid, ws))
        if row is None:
            raise HubError(404, f"event not found {eid}")
        return raw_json_response(row[0])

    async def delete_event(request: Request) -> Response:
        ws = hub.workspace(request)
        eid = request.path_params["id"]
        cur = store.execute("DELETE FROM events WHERE id = ? AND ws = ?", (eid, ws))
        if cur.rowcount == 0:
            raise HubError(404, f"event not found {eid}")
        return empty_response(204)

    base = "/workspaces/{ws}/events"
    return [
        Route(base, list_events, methods=["GET"]),
        Route(base, create_event, methods=["POST"]),
        Route(base + "/{id}", get_event, methods=["GET"]),
        Route(base + "/{id}", delete_event, methods=["DELETE"]),
    ]
