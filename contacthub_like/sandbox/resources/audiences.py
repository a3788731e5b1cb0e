"""``/workspaces/{ws}/audiences[/{id}]``, their members and their uploads (DESIGN §4).

A QUERY audience stores a customer query (the same grammar as ``GET /customers?query=``)
and is evaluated live, in SQL, whenever its members or size are read.  An UPLOAD
audience holds the customers matched by uploads: ``POST /audiences/{id}/uploads`` only
stores the rows and answers 202 with a PENDING record; a background worker matches them
(PROCESSING) and finishes with COMPLETED -- every row counted as matched or rejected,
with the reason for each reject -- or FAILED.  Uploads left unfinished when a hub stops
are picked up again when it starts.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import queue
import sqlite3
import threading
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..context import (
    Hub,
    dumps,
    json_response,
    loads_strict,
    page_block,
    page_params,
    page_response,
)
from ..errors import HubError, field_error
from ..querysql import DATETIME, EntitySchema, QueryError, compile_query, parse_query_param, sort_clause
from ..schema import AUDIENCE, AUDIENCE_READ_ONLY, UPLOAD_KEYS, UPLOAD_MODES, merge_patch
from ..store import Store
from ..timefmt import now_hub
from . import customers

log = logging.getLogger("contacthub_like.sandbox")

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
UPLOAD_NOT_VALID = "upload is not valid"
MAX_UPLOAD_ROWS = 100_000
MAX_UPLOAD_BYTES = 16 * 1024 * 1024
_KEY_COLUMNS = {"id": "id", "externalId": "external_id", "email": "email"}
_MATCH_CHUNK = 500


def not_found(audience_id: str) -> HubError:
    return HubError(404, f"audience not found {audience_id}")


# -- audience documents ----------------------------------------------------------------------------


def _validated(body: dict[str, Any]) -> dict[str, Any]:
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


def _document(fields: dict[str, Any], *, id: str, node: str, created: str, updated: str) -> dict[str, Any]:
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


def _members_sql(conn: sqlite3.Connection, doc: dict[str, Any]) -> tuple[str, list[Any]]:
    """FROM/WHERE over ``customers`` selecting the audience's members (a live query or the upload table)."""
    if doc["source"] == "QUERY":
        sql, params = compile_query(doc["query"], customers.QUERY_SCHEMA)
        return f"FROM customers WHERE node = ? AND {sql}", [doc["nodeId"], *params]
    return (
        "FROM audience_members m JOIN customers ON customers.id = m.customer_id WHERE m.audience_id = ?",
        [doc["id"]],
    )


def _with_size(hub: Hub, conn: sqlite3.Connection, doc: dict[str, Any]) -> dict[str, Any]:
    where, params = _members_sql(conn, doc)
    size = hub.count(f"SELECT COUNT(*) {where}", params)
    return {**doc, "size": size}


def _load(conn: sqlite3.Connection, ws: str, audience_id: str) -> dict[str, Any]:
    row = conn.execute("SELECT doc FROM audiences WHERE id = ? AND ws = ?", (audience_id, ws)).fetchone()
    if row is None:
        raise not_found(audience_id)
    return json.loads(row[0])


def _save(conn: sqlite3.Connection, ws: str, doc: dict[str, Any], insert: bool) -> None:
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


def _delete_memberships(conn: Any, ws: str, customer_id: str) -> None:
    conn.execute("DELETE FROM audience_members WHERE customer_id = ?", (customer_id,))


# -- uploads -------------------------------------------------------------------------------------------


def _upload_error(path: str, message: str, code: str = "INVALID") -> HubError:
    return HubError(400, UPLOAD_NOT_VALID, errors=[field_error(path, message, code)])


def _choice(value: Any, path: str, allowed: tuple[str, ...], default: str | None) -> str:
    if value is None or value == "":
        if default is None:
            raise _upload_error(path, f"{path[1:]} is required: one of {', '.join(allowed)}", "REQUIRED")
        return default
    if value not in allowed:
        raise _upload_error(path, f"{value!r} is not one of {', '.join(allowed)}", "INVALID_ENUM")
    return value


async def _read_limited(request: Request) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_UPLOAD_BYTES:
            raise _upload_error("", f"an upload is at most {MAX_UPLOAD_BYTES} bytes; split it", "TOO_LARGE")
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_csv(raw: bytes, key: str) -> list[Any]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _upload_error("", "the CSV file is not UTF-8 text", "INVALID_FORMAT") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header:
            raise _upload_error(
                "", "the CSV file is empty: it needs a header row naming the key column", "REQUIRED"
            )
        names = [h.strip() for h in header]
        if key not in names:
            raise _upload_error(
                "/key",
                f"the CSV header has no {key!r} column (its columns: {', '.join(names)}); add it or pick "
                f"another key",
                "MISSING_COLUMN",
            )
        members: list[Any] = []
        for row in reader:
            if not row:  # a blank line is still a row the client sent: report it, never drop it
                members.append({})
                continue
            members.append(dict(zip(names, row, strict=False)))  # short rows: missing key -> reject
    except csv.Error as exc:
        raise _upload_error("", f"the CSV file is malformed: {exc}", "INVALID_FORMAT") from None
    return members


def _match(
    conn: sqlite3.Connection, node: str, key: str, members: list[Any]
) -> tuple[list[str], list[dict[str, Any]]]:
    """Resolve every row to customers, or to a reject with its reason; each row is exactly one of them."""
    rejects: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    wanted: list[tuple[int, str]] = []
    for row, member in enumerate(members, start=1):
        if isinstance(member, str):
            value: Any = member
        elif isinstance(member, dict):
            value = member.get(key)
            if value is not None and not isinstance(value, str):
                rejects.append({"row": row, "value": None, "reason": f"{key} must be a string"})
                continue
        else:
            rejects.append(
                {"row": row, "value": None, "reason": f"the row is not an object with a {key!r} key"}
            )
            continue
        value = (value or "").strip()
        if not value:
            rejects.append({"row": row, "value": None, "reason": f"the row has no {key} value"})
            continue
        if value in first_row:
            rejects.append({"row": row, "value": value, "reason": f"duplicate of row {first_row[value]}"})
            continue
        first_row[value] = row
        wanted.append((row, value))
    column = _KEY_COLUMNS[key]
    found: dict[str, list[str]] = {}
    values = [v for _, v in wanted]
    for i in range(0, len(values), _MATCH_CHUNK):
        chunk = values[i : i + _MATCH_CHUNK]
        marks = ", ".join("?" * len(chunk))
        for value, cid in conn.execute(
            f"SELECT {column}, id FROM customers WHERE node = ? AND {column} IN ({marks}) ORDER BY pk",  # noqa: S608
            (node, *chunk),
        ):
            found.setdefault(value, []).append(cid)
    matched: list[str] = []
    for row, value in wanted:
        ids = found.get(value)
        if ids:
            matched.extend(ids)
        else:
            rejects.append(
                {"row": row, "value": value, "reason": f"no customer with {key} {value!r} in this node"}
            )
    rejects.sort(key=lambda r: r["row"])
    return matched, rejects


def _finish(conn: sqlite3.Connection, upload_id: str, doc: dict[str, Any]) -> None:
    conn.execute(
        "UPDATE audience_uploads SET status = ?, payload = NULL, doc = ? WHERE id = ?",
        (doc["status"], dumps(doc), upload_id),
    )


def process_upload(store: Store, upload_id: str) -> None:
    """Match one stored upload's rows and write the members; PENDING -> PROCESSING -> COMPLETED/FAILED."""
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT doc, payload FROM audience_uploads WHERE id = ? AND payload IS NOT NULL", (upload_id,)
        ).fetchone()
        if row is None:
            return
        doc = json.loads(row[0])
        doc["status"] = "PROCESSING"
        conn.execute(
            "UPDATE audience_uploads SET status = ?, doc = ? WHERE id = ?",
            ("PROCESSING", dumps(doc), upload_id),
        )
    payload = row[1]
    try:
        with store.transaction() as conn:
            audience = conn.execute(
                "SELECT node, source FROM audiences WHERE id = ?", (doc["audienceId"],)
            ).fetchone()
            if audience is None:
                raise LookupError("the audience was deleted before the upload was processed")
            matched, rejects = _match(conn, audience[0], doc["key"], json.loads(payload))
            if doc["mode"] == "REPLACE":
                conn.execute("DELETE FROM audience_members WHERE audience_id = ?", (doc["audienceId"],))
            conn.executemany(
                "INSERT OR IGNORE INTO audience_members(audience_id, customer_id) VALUES (?, ?)",
                [(doc["audienceId"], cid) for cid in matched],
            )
            now = now_hub()
            conn.execute(
                "UPDATE audiences SET updated_at = ?, doc = json_set(doc, '$.updatedAt', ?) WHERE id = ?",
                (now, now, doc["audienceId"]),
            )
            doc.update(
                status="COMPLETED",
                matched=doc["received"] - len(rejects),
                rejected=len(rejects),
                rejects=rejects,
                completedAt=now,
            )
            _finish(conn, upload_id, doc)
    except Exception as exc:  # the record must end in a final state whatever went wrong
        if store.closed:
            raise
        log.warning("audience upload %s failed: %s", upload_id, exc)
        reason = (
            str(exc) if isinstance(exc, LookupError) else "the upload could not be processed; send it again"
        )
        doc.update(status="FAILED", completedAt=now_hub(), error=reason)
        with store.transaction() as conn:
            _finish(conn, upload_id, doc)


class UploadWorker:
    """One background thread per hub that processes uploads in the order they arrived.

    It starts with the first upload (or at start-up when unfinished uploads are found)
    and stops soon after the store is closed.
    """

    poll_seconds = 0.5

    def __init__(self, store: Store) -> None:
        self.store = store
        self._queue: queue.Queue[str] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, upload_id: str) -> None:
        self._queue.put(upload_id)
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="contacthub-hub-uploads", daemon=True)
                self._thread.start()

    def resume(self) -> None:
        for (upload_id,) in self.store.all(
            "SELECT id FROM audience_uploads WHERE payload IS NOT NULL ORDER BY pk"
        ):
            self.submit(upload_id)

    def _run(self) -> None:
        while not self.store.closed:
            try:
                upload_id = self._queue.get(timeout=self.poll_seconds)
            except queue.Empty:
                continue
            try:
                process_upload(self.store, upload_id)
            except Exception:
                if self.store.closed:
                    return
                log.exception("audience upload %s could not be recorded", upload_id)


# -- routes --------------------------------------------------------------------------------------------


def routes(hub: Hub) -> list[Route]:
    store = hub.store
    hub.customer_deleted_hooks.append(_delete_memberships)
    worker = UploadWorker(store)
    worker.resume()

    async def list_audiences(request: Request) -> Response:
        ws = hub.workspace(request)
        qp = request.query_params
        page, size = page_params(request)
        base_where, base_params = ["ws = ?"], [ws]
        node = qp.get("nodeId")
        if node:
            hub.require_node(ws, node)
            base_where.append("node = ?")
            base_params.append(node)
        where, params = list(base_where), list(base_params)
        raw_query = qp.get("query")
        if raw_query:
            sql, qparams = compile_query(parse_query_param(raw_query), QUERY_SCHEMA)
            where.append(sql)
            params.extend(qparams)
        order, oparams = sort_clause(qp.getlist("sort"), QUERY_SCHEMA)
        order = f"{order}, pk" if order else "pk"
        where_sql = " AND ".join(where)
        conn = store.conn
        try:
            rows = conn.execute(
                f"SELECT doc FROM audiences WHERE {where_sql} ORDER BY {order} LIMIT ? OFFSET ?",  # noqa: S608
                (*params, *oparams, size, page * size),
            ).fetchall()
            total = hub.count(f"SELECT COUNT(*) FROM audiences WHERE {where_sql}", params)
        except (sqlite3.OperationalError, sqlite3.ProgrammingError, sqlite3.InterfaceError) as exc:
            raise QueryError("/query", f"the query cannot be evaluated: {exc}") from None
        unfiltered = (
            total
            if len(where) == len(base_where)
            else hub.count(f"SELECT COUNT(*) FROM audiences WHERE {' AND '.join(base_where)}", base_params)
        )
        docs = [dumps(_with_size(hub, conn, json.loads(r[0]))) for r in rows]
        return page_response(docs, page_block(page, size, total, unfiltered))

    async def create_audience(request: Request) -> Response:
        ws = hub.workspace(request)
        body = await hub.read_object(request)
        node = body.get("nodeId")
        if not isinstance(node, str) or not node:
            raise HubError(400, NOT_VALID, errors=[field_error("/nodeId", "nodeId is required", "REQUIRED")])
        hub.require_node(ws, node)
        fields = _validated(body)
        now = now_hub()
        doc = _document(fields, id=str(uuid.uuid4()), node=node, created=now, updated=now)
        with store.transaction() as conn:
            _save(conn, ws, doc, insert=True)
            out = _with_size(hub, conn, doc)
        return json_response(out, 201)

    async def get_audience(request: Request) -> Response:
        ws = hub.workspace(request)
        conn = store.conn
        return json_response(_with_size(hub, conn, _load(conn, ws, request.path_params["id"])))

    async def _replace(request: Request, merge: bool) -> Response:
        ws = hub.workspace(request)
        aid = request.path_params["id"]
        body = await hub.read_object(request)
        if body.get("id") is not None and body["id"] != aid:
            raise HubError(
                400, NOT_VALID, errors=[field_error("/id", "id does not match the URL", "MISMATCH")]
            )
        with store.transaction() as conn:
            current = _load(conn, ws, aid)
            for key in ("nodeId", "source"):
                if body.get(key) is not None and body[key] != current[key]:
                    raise HubError(
                        400,
                        NOT_VALID,
                        errors=[
                            field_error(
                                f"/{key}", f"{key} cannot change: create another audience", "READ_ONLY"
                            )
                        ],
                    )
            editable = {k: v for k, v in current.items() if k not in AUDIENCE_READ_ONLY}
            given = {k: v for k, v in body.items() if k not in AUDIENCE_READ_ONLY}
            fields = _validated(
                merge_patch(editable, given) if merge else {"source": current["source"], **given}
            )
            doc = _document(
                fields, id=aid, node=current["nodeId"], created=current["createdAt"], updated=now_hub()
            )
            _save(conn, ws, doc, insert=False)
            out = _with_size(hub, conn, doc)
        return json_response(out)

    async def put_audience(request: Request) -> Response:
        return await _replace(request, merge=False)

    async def patch_audience(request: Request) -> Response:
        return await _replace(request, merge=True)

    async def delete_audience(request: Request) -> Response:
        ws = hub.workspace(request)
        aid = request.path_params["id"]
        with store.transaction() as conn:
            doc = _with_size(hub, conn, _load(conn, ws, aid))
            conn.execute("DELETE FROM audience_members WHERE audience_id = ?", (aid,))
            conn.execute("DELETE FROM audience_uploads WHERE audience_id = ?", (aid,))
            conn.execute("DELETE FROM audiences WHERE id = ?", (aid,))
        return json_response(doc)

    async def audience_customers(request: Request) -> Response:
        ws = hub.workspace(request)
        page, size = page_params(request)
        conn = store.conn
        doc = _load(conn, ws, request.path_params["id"])
        where, params = _members_sql(conn, doc)
        order = "customers.pk" if doc["source"] == "QUERY" else "m.pk"
        rows = conn.execute(
            f"SELECT customers.doc {where} ORDER BY {order} LIMIT ? OFFSET ?",  # noqa: S608
            (*params, size, page * size),
        ).fetchall()
        total = hub.count(f"SELECT COUNT(*) {where}", params)
        return page_response([r[0] for r in rows], page_block(page, size, total, total))

    async def create_upload(request: Request) -> Response:
        ws = hub.workspace(request)
        aid = request.path_params["id"]
        audience = _load(store.conn, ws, aid)
        if audience["source"] != "UPLOAD":
            raise HubError(
                409, f"audience {aid} is a {audience['source']} audience: uploads go to UPLOAD audiences"
            )
        raw = await _read_limited(request)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "text/csv":
            key = _choice(request.query_params.get("key"), "/key", UPLOAD_KEYS, None)
            mode = _choice(request.query_params.get("mode"), "/mode", UPLOAD_MODES, "APPEND")
            members = _parse_csv(raw, key)
        else:
            try:
                body = loads_strict(raw) if raw.strip() else None
            except (ValueError, RecursionError):
                raise _upload_error("", "the body is not valid JSON", "MALFORMED_JSON") from None
            if not isinstance(body, dict):
                raise _upload_error(
                    "",
                    "send a JSON object {key, mode, members} or a text/csv file with ?key=",
                    "INVALID_TYPE",
                )
            unknown = sorted(set(body) - {"key", "mode", "members"})
            if unknown:
                raise _upload_error(f"/{unknown[0]}", f"unknown property {unknown[0]!r}", "UNKNOWN_PROPERTY")
            key = _choice(body.get("key"), "/key", UPLOAD_KEYS, None)
            mode = _choice(body.get("mode"), "/mode", UPLOAD_MODES, "APPEND")
            members = body.get("members")
            if not isinstance(members, list):
                raise _upload_error("/members", "members must be an array of rows", "INVALID_TYPE")
        if len(members) > MAX_UPLOAD_ROWS:
            raise _upload_error(
                "/members",
                f"an upload holds at most {MAX_UPLOAD_ROWS} rows, got {len(members)}; split it",
                "TOO_LARGE",
            )
        upload_id = str(uuid.uuid4())
        doc = {
            "id": upload_id,
            "audienceId": aid,
            "status": "PENDING",
            "key": key,
            "mode": mode,
            "received": len(members),
            "matched": 0,
            "rejected": 0,
            "rejects": [],
            "createdAt": now_hub(),
            "completedAt": None,
            "error": None,
        }
        store.execute(
            "INSERT INTO audience_uploads(id, audience_id, status, payload, doc) VALUES (?, ?, ?, ?, ?)",
            (upload_id, aid, "PENDING", dumps(members), dumps(doc)),
        )
        worker.submit(upload_id)
        response = json_response(doc, 202)
        response.headers["Location"] = (
            f"{Hub.api_root(request)}/workspaces/{ws}/audiences/{aid}/uploads/{upload_id}"
        )
        return response

    async def list_uploads(request: Request) -> Response:
        ws = hub.workspace(request)
        aid = request.path_params["id"]
        page, size = page_params(request)
        _load(store.conn, ws, aid)
        rows = store.all(
            "SELECT doc FROM audience_uploads WHERE audience_id = ? ORDER BY pk DESC LIMIT ? OFFSET ?",
            (aid, size, page * size),
        )
        total = store.scalar("SELECT COUNT(*) FROM audience_uploads WHERE audience_id = ?", (aid,))
        return page_response([r[0] for r in rows], page_block(page, size, total, total))

    async def get_upload(request: Request) -> Response:
        ws = hub.workspace(request)
        aid, uid = request.path_params["id"], request.path_params["uid"]
        _load(store.conn, ws, aid)
        row = store.one("SELECT doc FROM audience_uploads WHERE id = ? AND audience_id = ?", (uid, aid))
        if row is None:
            raise HubError(404, f"upload not found {uid}")
        return Response(row[0].encode("utf-8"), media_type="application/json")

    base = "/workspaces/{ws}/audiences"
    return [
        Route(base, list_audiences, methods=["GET"]),
        Route(base, create_audience, methods=["POST"]),
        Route(base + "/{id}", get_audience, methods=["GET"]),
        Route(base + "/{id}", put_audience, methods=["PUT"]),
        Route(base + "/{id}", patch_audience, methods=["PATCH"]),
        Route(base + "/{id}", delete_audience, methods=["DELETE"]),
        Route(base + "/{id}/customers", audience_customers, methods=["GET"]),
        Route(base + "/{id}/uploads", list_uploads, methods=["GET"]),
        Route(base + "/{id}/uploads", create_upload, methods=["POST"]),
        Route(base + "/{id}/uploads/{uid}", get_upload, methods=["GET"]),
    ]


def openapi(document: dict[str, Any]) -> None:
    """Describe the audience, member and upload paths in the hub's OpenAPI document."""
    from ..openapi import HUB_TS_PATTERN, PAGE, SIZE, WS, _errors, _json, _page_schema, _param, _ref
    from ..schema import AUDIENCE_SOURCES, AUDIENCE_STATUSES, UPLOAD_STATUSES

    ts = {"type": "string", "pattern": HUB_TS_PATTERN}
    query_doc = {
        "type": "object",
        "nullable": True,
        "additionalProperties": True,
        "description": "a customer query document, as in GET /customers?query= (QUERY audiences only)",
    }
    editable = {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "description": {"type": "string", "nullable": True},
        "source": {"type": "string", "enum": list(AUDIENCE_SOURCES)},
        "query": query_doc,
        "status": {"type": "string", "enum": list(AUDIENCE_STATUSES)},
    }
    schemas = document["components"]["schemas"]
    schemas["Audience"] = {
        "type": "object",
        "required": ["id", "nodeId", *editable, "size", "createdAt", "updatedAt"],
        "properties": {
            "id": {"type": "string"},
            "nodeId": {"type": "string"},
            **editable,
            "name": {"type": "string"},
            "size": {"type": "integer", "minimum": 0},
            "createdAt": ts,
            "updatedAt": ts,
        },
    }
    schemas["PostAudience"] = {
        "type": "object",
        "required": ["nodeId", "name", "source"],
        "additionalProperties": False,
        "properties": {"nodeId": {"type": "string"}, **editable},
    }
    schemas["PatchAudience"] = {"type": "object", "additionalProperties": False, "properties": editable}
    schemas["AudiencePage"] = _page_schema("Audience")
    schemas["PostAudienceUpload"] = {
        "type": "object",
        "required": ["key", "members"],
        "additionalProperties": False,
        "properties": {
            "key": {"type": "string", "enum": list(UPLOAD_KEYS)},
            "mode": {"type": "string", "enum": list(UPLOAD_MODES), "default": "APPEND"},
            "members": {
                "type": "array",
                "maxItems": MAX_UPLOAD_ROWS,
                "items": {"oneOf": [{"type": "object", "additionalProperties": True}, {"type": "string"}]},
                "description": "rows: objects holding the key (other keys are ignored) or bare key values",
            },
        },
    }
    schemas["AudienceUpload"] = {
        "type": "object",
        "required": [
            "id",
            "audienceId",
            "status",
            "key",
            "mode",
            "received",
            "matched",
            "rejected",
            "rejects",
            "createdAt",
            "completedAt",
            "error",
        ],
        "properties": {
            "id": {"type": "string"},
            "audienceId": {"type": "string"},
            "status": {"type": "string", "enum": list(UPLOAD_STATUSES)},
            "key": {"type": "string", "enum": list(UPLOAD_KEYS)},
            "mode": {"type": "string", "enum": list(UPLOAD_MODES)},
            "received": {"type": "integer", "minimum": 0},
            "matched": {"type": "integer", "minimum": 0},
            "rejected": {"type": "integer", "minimum": 0},
            "rejects": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["row", "value", "reason"],
                    "properties": {
                        "row": {"type": "integer", "minimum": 1},
                        "value": {"type": "string", "nullable": True},
                        "reason": {"type": "string"},
                    },
                },
            },
            "createdAt": ts,
            "completedAt": {**ts, "nullable": True},
            "error": {"type": "string", "nullable": True},
        },
    }
    schemas["AudienceUploadPage"] = _page_schema("AudienceUpload")

    def body(name: str) -> dict[str, Any]:
        return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}

    aid = _param("id", "path", description="audience id")
    paths = document["paths"]
    paths["/workspaces/{ws}/audiences"] = {
        "parameters": [WS],
        "get": {
            "operationId": "listAudiences",
            "parameters": [
                _param("nodeId"),
                _param("query", description="JSON query document over name, status, source, createdAt..."),
                _param("sort", description="field[,asc|desc]"),
                PAGE,
                SIZE,
            ],
            "responses": {
                "200": _json(_ref("AudiencePage"), "A page of audiences"),
                **_errors(400, 401, 403, 404),
            },
        },
        "post": {
            "operationId": "createAudience",
            "requestBody": body("PostAudience"),
            "responses": {
                "201": _json(_ref("Audience"), "The created audience"),
                **_errors(400, 401, 403, 404),
            },
        },
    }
    paths["/workspaces/{ws}/audiences/{id}"] = {
        "parameters": [WS, aid],
        "get": {
            "operationId": "getAudience",
            "responses": {"200": _json(_ref("Audience"), "The audience"), **_errors(401, 403, 404)},
        },
        "put": {
            "operationId": "replaceAudience",
            "requestBody": body("PatchAudience"),
            "responses": {
                "200": _json(_ref("Audience"), "The replaced audience"),
                **_errors(400, 401, 403, 404),
            },
        },
        "patch": {
            "operationId": "patchAudience",
            "requestBody": body("PatchAudience"),
            "responses": {
                "200": _json(_ref("Audience"), "The merged audience"),
                **_errors(400, 401, 403, 404),
            },
        },
        "delete": {
            "operationId": "deleteAudience",
            "responses": {
                "200": _json(_ref("Audience"), "The deleted audience (its members and uploads go too)"),
                **_errors(401, 403, 404),
            },
        },
    }
    paths["/workspaces/{ws}/audiences/{id}/customers"] = {
        "parameters": [WS, aid],
        "get": {
            "operationId": "listAudienceCustomers",
            "summary": "The members (a QUERY audience is evaluated now)",
            "parameters": [PAGE, SIZE],
            "responses": {
                "200": _json(_ref("CustomerPage"), "A page of customers"),
                **_errors(400, 401, 403, 404),
            },
        },
    }
    paths["/workspaces/{ws}/audiences/{id}/uploads"] = {
        "parameters": [WS, aid],
        "get": {
            "operationId": "listAudienceUploads",
            "parameters": [PAGE, SIZE],
            "responses": {
                "200": _json(_ref("AudienceUploadPage"), "Uploads, newest first"),
                **_errors(400, 401, 403, 404),
            },
        },
        "post": {
            "operationId": "createAudienceUpload",
            "summary": "Upload members (JSON, or text/csv with ?key=&mode=); processed in the background",
            "parameters": [
                _param(
                    "key", schema={"type": "string", "enum": list(UPLOAD_KEYS)}, description="text/csv only"
                ),
                _param(
                    "mode", schema={"type": "string", "enum": list(UPLOAD_MODES)}, description="text/csv only"
                ),
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": _ref("PostAudienceUpload")},
                    "text/csv": {"schema": {"type": "string"}},
                },
            },
            "responses": {
                "202": _json(_ref("AudienceUpload"), "Accepted: a PENDING upload record to poll"),
                **_errors(400, 401, 403, 404, 409),
            },
        },
    }
    paths["/workspaces/{ws}/audiences/{id}/uploads/{uid}"] = {
        "parameters": [WS, aid, _param("uid", "path", description="upload id")],
        "get": {
            "operationId": "getAudienceUpload",
            "responses": {
                "200": _json(_ref("AudienceUpload"), "The upload record"),
                **_errors(401, 403, 404),
            },
        },
    }
