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
import uuid

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..audience_schema import AUDIENCE_READ_ONLY
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
from ..schema import merge_patch
from ..timefmt import now_hub
from ..uploads import UploadWorker, read_upload
from .audience_openapi import openapi
from .audience_records import (
    NOT_VALID,
    QUERY_SCHEMA,
    SCHEMA,
    delete_memberships,
    document,
    load,
    members_sql,
    not_found,
    save,
    validated,
    with_size,
)

__all__ = ["NOT_VALID", "QUERY_SCHEMA", "SCHEMA", "not_found", "openapi", "routes"]

# -- routes --------------------------------------------------------------------------------------------


def routes(hub: Hub) -> list[Route]:
    """The audience, member and upload routes; starts the upload worker and resumes unfinished uploads."""
    store = hub.store
    hub.customer_deleted_hooks.append(delete_memberships)
    worker = UploadWorker(store)
    worker.resume()

    async def list_audiences(request: Request) -> Response:
        ws = hub.workspace(request)
        base_where, base_params = hub.node_scope(request, ws)
        rows, page = hub.query_page(
            request, "audiences", QUERY_SCHEMA, base_where=base_where, base_params=base_params
        )
        docs = [dumps(with_size(hub, store.conn, json.loads(doc))) for doc in rows]
        return page_response(docs, page)

    async def create_audience(request: Request) -> Response:
        ws = hub.workspace(request)
        body = await hub.read_object(request)
        node = body.get("nodeId")
        if not isinstance(node, str) or not node:
            raise HubError(400, NOT_VALID, errors=[field_error("/nodeId", "nodeId is required", "REQUIRED")])
        hub.require_node(ws, node)
        fields = validated(body)
        now = now_hub()
        doc = document(fields, id=str(uuid.uuid4()), node=node, created=now, updated=now)
        with store.transaction() as conn:
            save(conn, ws, doc, insert=True)
            out = with_size(hub, conn, doc)
        return json_response(out, 201)

    async def get_audience(request: Request) -> Response:
        ws = hub.workspace(request)
        conn = store.conn
        return json_response(with_size(hub, conn, load(conn, ws, request.path_params["id"])))

    async def _replace(request: Request, merge: bool) -> Response:
        ws = hub.workspace(request)
        aid = request.path_params["id"]
        body = await hub.read_object(request)
        if body.get("id") is not None and body["id"] != aid:
            raise HubError(
                400, NOT_VALID, errors=[field_error("/id", "id does not match the URL", "MISMATCH")]
            )
        with store.transaction() as conn:
            current = load(conn, ws, aid)
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
            fields = validated(
                merge_patch(editable, given) if merge else {"source": current["source"], **given}
            )
            doc = document(
                fields, id=aid, node=current["nodeId"], created=current["createdAt"], updated=now_hub()
            )
            save(conn, ws, doc, insert=False)
            out = with_size(hub, conn, doc)
        return json_response(out)

    async def put_audience(request: Request) -> Response:
        return await _replace(request, merge=False)

    async def patch_audience(request: Request) -> Response:
        return await _replace(request, merge=True)

    async def delete_audience(request: Request) -> Response:
        ws = hub.workspace(request)
        aid = request.path_params["id"]
        with store.transaction() as conn:
            doc = with_size(hub, conn, load(conn, ws, aid))
            conn.execute("DELETE FROM audience_members WHERE audience_id = ?", (aid,))
            conn.execute("DELETE FROM audience_uploads WHERE audience_id = ?", (aid,))
            conn.execute("DELETE FROM audiences WHERE id = ?", (aid,))
        return json_response(doc)

    async def audience_customers(request: Request) -> Response:
        ws = hub.workspace(request)
        page, size = page_params(request)
        conn = store.conn
        doc = load(conn, ws, request.path_params["id"])
        where, params = members_sql(conn, doc)
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
        audience = load(store.conn, ws, aid)
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
        load(store.conn, ws, aid)
        rows = store.all(
            "SELECT doc FROM audience_uploads WHERE audience_id = ? ORDER BY pk DESC LIMIT ? OFFSET ?",
            (aid, size, page * size),
        )
        total = store.scalar("SELECT COUNT(*) FROM audience_uploads WHERE audience_id = ?", (aid,))
        return page_response([r[0] for r in rows], page_block(page, size, total, total))

    async def get_upload(request: Request) -> Response:
        ws = hub.workspace(request)
        aid, uid = request.path_params["id"], request.path_params["uid"]
        load(store.conn, ws, aid)
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
