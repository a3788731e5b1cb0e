"""``/customers/{cid}/{educations|jobs|likes|subscriptions}[/{itemId}]`` (research §1.2).

The items live inside the customer document (``base.<list>``), so a sub-resource write
and a customer read can never disagree.  POST answers 200, except subscriptions (201).
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..context import Hub, json_response
from ..errors import HubError, field_error
from ..schema import SUBRESOURCE_NAMES, SUBRESOURCES
from ..timefmt import now_hub
from . import customers

SCHEMA: tuple[str, ...] = ()
POST_STATUS = {"educations": 200, "jobs": 200, "likes": 200, "subscriptions": 201}


def _validated(kind: str, item: Any) -> dict[str, Any]:
    errors: list[dict[str, Any]] = []
    out = SUBRESOURCES[kind].check(item, (), errors)
    if errors:
        raise HubError(400, f"{SUBRESOURCE_NAMES[kind]} is not valid", errors=errors)
    return out


def _routes_for(hub: Hub, kind: str) -> list[Route]:
    store = hub.store
    label = SUBRESOURCE_NAMES[kind]

    def missing(item_id: str) -> HubError:
        return HubError(404, f"{label} not found {item_id}")

    async def create(request: Request) -> Response:
        ws = hub.workspace(request)
        cid = request.path_params["cid"]
        body = await hub.read_object(request)
        if body.get("id") is None:
            body = {**body, "id": str(uuid.uuid4())}
        item = _validated(kind, body)
        with store.transaction() as conn:
            doc = customers.load(conn, ws, cid)
            items = doc["base"][kind]
            if any(i.get("id") == item["id"] for i in items):
                raise HubError(
                    409,
                    f"{label} {item['id']} already exists",
                    errors=[field_error("/id", "duplicate id", "DUPLICATE")],
                )
            items.append(item)
            doc["updatedAt"] = now_hub()
            customers.save(conn, doc)
        return json_response(item, POST_STATUS[kind])

    async def get(request: Request) -> Response:
        ws = hub.workspace(request)
        doc = customers.load(store.conn, ws, request.path_params["cid"])
        item_id = request.path_params["item"]
        for item in doc["base"][kind]:
            if item.get("id") == item_id:
                return json_response(item)
        raise missing(item_id)

    async def put(request: Request) -> Response:
        ws = hub.workspace(request)
        cid = request.path_params["cid"]
        item_id = request.path_params["item"]
        body = await hub.read_object(request)
        if body.get("id") is not None and body["id"] != item_id:
            raise HubError(
                400,
                f"{label} is not valid",
                errors=[field_error("/id", "id does not match the URL", "MISMATCH")],
            )
        item = _validated(kind, {**body, "id": item_id})
        with store.transaction() as conn:
            doc = customers.load(conn, ws, cid)
            items = doc["base"][kind]
            for index, old in enumerate(items):
                if old.get("id") == item_id:
                    items[index] = item
                    break
            else:
                raise missing(item_id)
            doc["updatedAt"] = now_hub()
            customers.save(conn, doc)
        return json_response(item)

    async def delete(request: Request) -> Response:
        ws = hub.workspace(request)
        cid = request.path_params["cid"]
        item_id = request.path_params["item"]
        with store.transaction() as conn:
            doc = customers.load(conn, ws, cid)
            items = doc["base"][kind]
            for index, old in enumerate(items):
                if old.get("id") == item_id:
                    del items[index]
                    break
            else:
                raise missing(item_id)
            doc["updatedAt"] = now_hub()
            customers.save(conn, doc)
        return json_response(old)

    base = f"/workspaces/{{ws}}/customers/{{cid}}/{kind}"
    return [
        Route(base, create, methods=["POST"]),
        Route(base + "/{item}", get, methods=["GET"]),
        Route(base + "/{item}", put, methods=["PUT"]),
        Route(base + "/{item}", delete, methods=["DELETE"]),
    ]


def routes(hub: Hub) -> list[Route]:
    out: list[Route] = []
    for kind in SUBRESOURCES:
        out.extend(_routes_for(hub, kind))
    return out
