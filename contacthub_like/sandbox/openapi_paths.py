"""The core paths of the hub's OpenAPI document: customers, their sub-resources and sessions, and events.

The resource modules mounted next to these (audiences, invoices...) add their own paths
through their ``openapi(document)`` hooks.
"""

from __future__ import annotations

from typing import Any

from . import schema as S
from .openapi_parts import IF_MATCH, PAGE, SIZE, WS, error_responses, json_content, param, ref


def core_paths() -> dict[str, Any]:
    """``paths`` of the core document, in the order they are published."""
    cid = param("id", "path", description="customer id")
    paths: dict[str, Any] = {
        "/workspaces/{ws}/customers": {
            "parameters": [WS],
            "get": {
                "operationId": "listCustomers",
                "summary": "List customers of a node (paged, filtered, sorted)",
                "parameters": [
                    param("nodeId", required=True),
                    param("externalId"),
                    param("query", description="JSON query document (see the query grammar)"),
                    param(
                        "fields",
                        description="comma-separated dotted paths of a customer (base.firstName, "
                        "tags.manual, extended.anything): each element then holds its id and those "
                        "paths only (ProjectedCustomer); an unknown path is a 400",
                    ),
                    param("sort", description="field[,asc|desc]"),
                    PAGE,
                    SIZE,
                ],
                "responses": {
                    "200": json_content(ref("CustomerPage"), "A page of customers"),
                    **error_responses(400, 401, 403, 404),
                },
            },
            "post": {
                "operationId": "createCustomer",
                "summary": "Create a customer",
                "parameters": [param("sessionId")],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("PostCustomer")}},
                },
                "responses": {
                    "201": json_content(ref("Customer"), "The created customer"),
                    **error_responses(400, 401, 403, 404, 409),
                },
            },
        },
        "/workspaces/{ws}/customers/{id}": {
            "parameters": [WS, cid],
            "get": {
                "operationId": "getCustomer",
                "responses": {
                    "200": json_content(ref("Customer"), "The customer"),
                    **error_responses(401, 403, 404),
                },
            },
            "put": {
                "operationId": "replaceCustomer",
                "parameters": [param("sessionId"), IF_MATCH],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("PutCustomer")}},
                },
                "responses": {
                    "200": json_content(ref("Customer"), "The replaced customer"),
                    **error_responses(400, 401, 403, 404, 409, 412),
                },
            },
            "patch": {
                "operationId": "patchCustomer",
                "parameters": [param("sessionId"), IF_MATCH],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("PatchCustomer")}},
                },
                "responses": {
                    "200": json_content(ref("Customer"), "The merged customer"),
                    **error_responses(400, 401, 403, 404, 409, 412),
                },
            },
            "delete": {
                "operationId": "deleteCustomer",
                "parameters": [IF_MATCH],
                "responses": {
                    "200": json_content(ref("Customer"), "The deleted customer (its events go too)"),
                    **error_responses(401, 403, 404, 412),
                },
            },
        },
        "/workspaces/{ws}/customers/{cid}/sessions": {
            "parameters": [WS, param("cid", "path")],
            "get": {
                "operationId": "listSessions",
                "responses": {
                    "200": json_content(ref("SessionList"), "Sessions"),
                    **error_responses(401, 403, 404),
                },
            },
            "post": {
                "operationId": "createSession",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("PostSession")}},
                },
                "responses": {
                    "201": json_content(ref("Session"), "The linked session"),
                    **error_responses(400, 401, 403, 404, 409),
                },
            },
        },
        "/workspaces/{ws}/customers/{cid}/sessions/{sid}": {
            "parameters": [WS, param("cid", "path"), param("sid", "path")],
            "get": {
                "operationId": "getSession",
                "responses": {
                    "200": json_content(ref("Session"), "The session"),
                    **error_responses(401, 403, 404),
                },
            },
            "delete": {
                "operationId": "deleteSession",
                "responses": {
                    "200": json_content(ref("Session"), "The unlinked session"),
                    **error_responses(401, 403, 404),
                },
            },
        },
        "/workspaces/{ws}/events": {
            "parameters": [WS],
            "get": {
                "operationId": "listEvents",
                "parameters": [
                    param("customerId"),
                    param("nodeId"),
                    param("type", description="comma-separated event types"),
                    param("context", description="comma-separated contexts"),
                    param("mode", schema={"type": "string", "enum": list(S.EVENT_MODES)}),
                    param("dateFrom", schema={"type": "string", "format": "date-time"}),
                    param("dateTo", schema={"type": "string", "format": "date-time"}),
                    PAGE,
                    SIZE,
                ],
                "responses": {
                    "200": json_content(ref("EventPage"), "A page of events, newest first"),
                    **error_responses(400, 401, 403, 404),
                },
            },
            "post": {
                "operationId": "createEvent",
                "parameters": [
                    param(
                        "Idempotency-Key",
                        "header",
                        schema={"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
                        description="a repeat with the same key and body answers the first event's id",
                    )
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("PostEvent")}},
                },
                "responses": {
                    "202": json_content(ref("EventId"), "Accepted (processed at once)"),
                    **error_responses(400, 401, 403, 404, 422),
                },
            },
        },
        "/workspaces/{ws}/events/{id}": {
            "parameters": [WS, param("id", "path")],
            "get": {
                "operationId": "getEvent",
                "responses": {
                    "200": json_content(ref("Event"), "The event"),
                    **error_responses(401, 403, 404),
                },
            },
            "delete": {
                "operationId": "deleteEvent",
                "responses": {"204": {"description": "Deleted"}, **error_responses(401, 403, 404)},
            },
        },
    }
    for kind in S.SUBRESOURCES:
        name = S.SUBRESOURCE_NAMES[kind].capitalize()
        status = "201" if kind == "subscriptions" else "200"
        paths[f"/workspaces/{{ws}}/customers/{{cid}}/{kind}"] = {
            "parameters": [WS, param("cid", "path")],
            "post": {
                "operationId": f"create{name}",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("Post" + name)}},
                },
                "responses": {
                    status: json_content(ref(name), f"The created {kind[:-1]}"),
                    **error_responses(400, 401, 403, 404, 409),
                },
            },
        }
        paths[f"/workspaces/{{ws}}/customers/{{cid}}/{kind}/{{item}}"] = {
            "parameters": [WS, param("cid", "path"), param("item", "path")],
            "get": {
                "operationId": f"get{name}",
                "responses": {
                    "200": json_content(ref(name), f"The {kind[:-1]}"),
                    **error_responses(401, 403, 404),
                },
            },
            "put": {
                "operationId": f"replace{name}",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("Post" + name)}},
                },
                "responses": {
                    "200": json_content(ref(name), f"The replaced {kind[:-1]}"),
                    **error_responses(400, 401, 403, 404),
                },
            },
            "delete": {
                "operationId": f"delete{name}",
                "responses": {
                    "200": json_content(ref(name), f"The deleted {kind[:-1]}"),
                    **error_responses(401, 403, 404),
                },
            },
        }
    return paths
