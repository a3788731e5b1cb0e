"""The OpenAPI description of the audience, member and upload paths (the hook of :mod:`.audiences`).

The sources, statuses, upload keys and modes and the upload row limit are taken from the
modules that enforce them, so the document cannot promise what the server refuses.
"""

from __future__ import annotations

from typing import Any

from ..audience_schema import AUDIENCE_SOURCES, AUDIENCE_STATUSES, UPLOAD_KEYS, UPLOAD_MODES, UPLOAD_STATUSES
from ..openapi_parts import (
    HUB_TS_PATTERN,
    PAGE,
    SIZE,
    WS,
    error_responses,
    json_content,
    page_schema,
    param,
    ref,
)
from ..uploads import MAX_UPLOAD_ROWS


def openapi(document: dict[str, Any]) -> None:
    """Describe the audience, member and upload paths in the hub's OpenAPI document."""
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
    schemas["AudiencePage"] = page_schema("Audience")
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
    schemas["AudienceUploadPage"] = page_schema("AudienceUpload")

    def body(name: str) -> dict[str, Any]:
        return {"required": True, "content": {"application/json": {"schema": ref(name)}}}

    aid = param("id", "path", description="audience id")
    paths = document["paths"]
    paths["/workspaces/{ws}/audiences"] = {
        "parameters": [WS],
        "get": {
            "operationId": "listAudiences",
            "parameters": [
                param("nodeId"),
                param("query", description="JSON query document over name, status, source, createdAt..."),
                param("sort", description="field[,asc|desc]"),
                PAGE,
                SIZE,
            ],
            "responses": {
                "200": json_content(ref("AudiencePage"), "A page of audiences"),
                **error_responses(400, 401, 403, 404),
            },
        },
        "post": {
            "operationId": "createAudience",
            "requestBody": body("PostAudience"),
            "responses": {
                "201": json_content(ref("Audience"), "The created audience"),
                **error_responses(400, 401, 403, 404),
            },
        },
    }
    paths["/workspaces/{ws}/audiences/{id}"] = {
        "parameters": [WS, aid],
        "get": {
            "operationId": "getAudience",
            "responses": {
                "200": json_content(ref("Audience"), "The audience"),
                **error_responses(401, 403, 404),
            },
        },
        "put": {
            "operationId": "replaceAudience",
            "requestBody": body("PatchAudience"),
            "responses": {
                "200": json_content(ref("Audience"), "The replaced audience"),
                **error_responses(400, 401, 403, 404),
            },
        },
        "patch": {
            "operationId": "patchAudience",
            "requestBody": body("PatchAudience"),
            "responses": {
                "200": json_content(ref("Audience"), "The merged audience"),
                **error_responses(400, 401, 403, 404),
            },
        },
        "delete": {
            "operationId": "deleteAudience",
            "responses": {
                "200": json_content(ref("Audience"), "The deleted audience (its members and uploads go too)"),
                **error_responses(401, 403, 404),
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
                "200": json_content(ref("CustomerPage"), "A page of customers"),
                **error_responses(400, 401, 403, 404),
            },
        },
    }
    paths["/workspaces/{ws}/audiences/{id}/uploads"] = {
        "parameters": [WS, aid],
        "get": {
            "operationId": "listAudienceUploads",
            "parameters": [PAGE, SIZE],
            "responses": {
                "200": json_content(ref("AudienceUploadPage"), "Uploads, newest first"),
                **error_responses(400, 401, 403, 404),
            },
        },
        "post": {
            "operationId": "createAudienceUpload",
            "summary": "Upload members (JSON, or text/csv with ?key=&mode=); processed in the background",
            "parameters": [
                param(
                    "key", schema={"type": "string", "enum": list(UPLOAD_KEYS)}, description="text/csv only"
                ),
                param(
                    "mode", schema={"type": "string", "enum": list(UPLOAD_MODES)}, description="text/csv only"
                ),
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": ref("PostAudienceUpload")},
                    "text/csv": {"schema": {"type": "string"}},
                },
            },
            "responses": {
                "202": json_content(ref("AudienceUpload"), "Accepted: a PENDING upload record to poll"),
                **error_responses(400, 401, 403, 404, 409),
            },
        },
    }
    paths["/workspaces/{ws}/audiences/{id}/uploads/{uid}"] = {
        "parameters": [WS, aid, param("uid", "path", description="upload id")],
        "get": {
            "operationId": "getAudienceUpload",
            "responses": {
                "200": json_content(ref("AudienceUpload"), "The upload record"),
                **error_responses(401, 403, 404),
            },
        },
    }
