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
    dumps,
    json_response,
    page_block,
    page_params,
    page_response,
)
from ..errors import HubError, field_error
from ..querysql import DATETIME, EntitySchema, QueryError, compile_query
from ..schema import AUDIENCE, AUDIENCE_READ_ONLY, UPLOAD_KEYS, UPLOAD_MODES, merge_patch
from ..timefmt import now_hub
from ..uploads import MAX_UPLOAD_ROWS, UploadWorker, read_upload
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


# -- routes --------------------------------------------------------------------------------------------


def routes(hub: Hub) -> list[Route]:
    store = hub.store
    hub.customer_deleted_hooks.append(_delete_memberships)
    worker = UploadWorker(store)
    worker.resume()

    async def list_audiences(request: Request) -> Response:
        ws = hub.workspace(request)
        base_where, base_params = hub.node_scope(request, ws)
        rows, page = hub.query_page(
            request, "audiences", QUERY_SCHEMA, base_where=base_where, base_params=base_params
        )
        docs = [dumps(_with_size(hub, store.conn, json.loads(doc))) for doc in rows]
        return page_response(docs, page)

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
        key, mode, members = await read_upload(request)
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
        *collection_routes(
            base,
            listing=list_audiences,
            create=create_audience,
            get=get_audience,
            put=put_audience,
            patch=patch_audience,
            delete=delete_audience,
        ),
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
