"""The core components of the hub's OpenAPI document: customers, sessions, events and sub-resources.

Each customer, event and sub-resource schema is derived from the spec objects of
:mod:`.schema` the server validates with (via :func:`.openapi_parts.spec_schema`), so the
published shapes follow the server's rules.
"""

from __future__ import annotations

from typing import Any

from . import schema as S
from .openapi_parts import HUB_TS_PATTERN, page_schema, partial, ref, spec_schema


def _customer_schemas() -> dict[str, Any]:
    top_input: dict[str, Any] = {
        "nodeId": {"type": "string"},
        "externalId": {"type": "string", "nullable": True},
        "extra": {"type": "string", "nullable": True},
        "enabled": {"type": "boolean", "nullable": True},
        "base": spec_schema(S.BASE, response=False),
        "extended": {"type": "object", "additionalProperties": True, "nullable": True},
        "consents": spec_schema(S.CONSENTS, response=False),
        "tags": spec_schema(S.TAGS, response=False),
    }
    top_input["base"]["nullable"] = True
    top_input["tags"]["nullable"] = True
    customer_out = {
        "type": "object",
        "required": [
            "id",
            "nodeId",
            "externalId",
            "extra",
            "registeredAt",
            "updatedAt",
            "enabled",
            "base",
            "extended",
            "consents",
            "tags",
        ],
        "properties": {
            "id": {"type": "string"},
            "nodeId": {"type": "string"},
            "externalId": {"type": "string", "nullable": True},
            "extra": {"type": "string", "nullable": True},
            "registeredAt": {"type": "string", "pattern": HUB_TS_PATTERN},
            "updatedAt": {"type": "string", "pattern": HUB_TS_PATTERN},
            "enabled": {"type": "boolean"},
            "base": spec_schema(S.BASE, response=True),
            "extended": {"type": "object", "nullable": True, "additionalProperties": True},
            "consents": spec_schema(S.CONSENTS, response=True),
            "tags": spec_schema(S.TAGS, response=True),
        },
    }
    post = {"type": "object", "required": ["nodeId"], "additionalProperties": False, "properties": top_input}
    patch_props = {k: v for k, v in top_input.items() if k != "nodeId"}
    patch = {"type": "object", "additionalProperties": False, "properties": patch_props}
    put = {
        "type": "object",
        "additionalProperties": False,
        "properties": {**top_input, "id": {"type": "string"}},
    }
    projected = partial(customer_out)
    projected["required"] = ["id"]
    projected["additionalProperties"] = False
    projected["description"] = (
        "A customer listed with fields=...: its id and the requested paths only, nested as in a customer"
    )
    return {
        "Customer": customer_out,
        "ProjectedCustomer": projected,
        "PostCustomer": post,
        "PutCustomer": put,
        "PatchCustomer": patch,
    }


def core_schemas() -> dict[str, Any]:
    """``components/schemas`` of the core document, in the order they are published."""
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "required": ["message", "logref", "data", "errors"],
            "properties": {
                "message": {"type": "string"},
                "logref": {"type": "string"},
                "data": {"nullable": True},
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["message", "path", "data", "code"],
                        "properties": {
                            "message": {"type": "string"},
                            "path": {"type": "string"},
                            "data": {"nullable": True},
                            "code": {"type": "string", "nullable": True},
                        },
                    },
                },
            },
        },
        "Page": {
            "type": "object",
            "required": ["size", "totalElements", "totalUnfilteredElements", "totalPages", "number"],
            "properties": {
                k: {"type": "integer", "minimum": 0}
                for k in ("size", "totalElements", "totalUnfilteredElements", "totalPages", "number")
            },
        },
        **_customer_schemas(),
        "CustomerPage": {
            "type": "object",
            "required": ["elements", "page"],
            "properties": {
                "elements": {
                    "type": "array",
                    "items": {"anyOf": [ref("Customer"), ref("ProjectedCustomer")]},
                    "description": "full customers, or ProjectedCustomer objects when fields= is given",
                },
                "page": ref("Page"),
            },
        },
        "Session": {
            "type": "object",
            "required": ["id", "value"],
            "properties": {"id": {"type": "string"}, "value": {"type": "string"}},
        },
        "PostSession": {
            "type": "object",
            "required": ["value"],
            "additionalProperties": False,
            "properties": {"value": {"type": "string", "minLength": 1}},
        },
        "SessionList": {
            "type": "object",
            "required": ["elements"],
            "properties": {"elements": {"type": "array", "items": ref("Session")}},
        },
        "BringBackProperties": {
            "type": "object",
            "required": ["type", "value", "nodeId"],
            "additionalProperties": False,
            "properties": {
                "type": {"type": "string", "enum": list(S.BRING_BACK_TYPES)},
                "value": {"type": "string", "minLength": 1},
                "nodeId": {"type": "string"},
            },
        },
        "PostEvent": {
            "type": "object",
            "required": ["type", "context", "properties"],
            "additionalProperties": False,
            "properties": {
                "customerId": {"type": "string"},
                "bringBackProperties": ref("BringBackProperties"),
                "type": {"type": "string", "enum": list(S.EVENT_TYPES)},
                "context": {"type": "string", "enum": list(S.EVENT_CONTEXTS)},
                "mode": {"type": "string", "enum": list(S.EVENT_MODES)},
                "properties": {"type": "object", "additionalProperties": True},
                "contextInfo": {"type": "object", "additionalProperties": True},
                "date": {"type": "string", "format": "date-time"},
                "tracking": spec_schema(S.TRACKING, response=False),
            },
        },
        "Event": {
            "type": "object",
            "required": [
                "id",
                "customerId",
                "bringBackProperties",
                "type",
                "context",
                "date",
                "properties",
                "contextInfo",
                "registeredAt",
                "updatedAt",
                "tracking",
            ],
            "properties": {
                "id": {"type": "string"},
                "customerId": {"type": "string", "nullable": True},
                "bringBackProperties": {"allOf": [ref("BringBackProperties")], "nullable": True},
                "type": {"type": "string"},
                "context": {"type": "string"},
                "date": {"type": "string", "pattern": HUB_TS_PATTERN},
                "properties": {"type": "object", "additionalProperties": True},
                "contextInfo": {"type": "object", "additionalProperties": True},
                "registeredAt": {"type": "string", "pattern": HUB_TS_PATTERN},
                "updatedAt": {"type": "string", "pattern": HUB_TS_PATTERN},
                "tracking": spec_schema(S.TRACKING, response=True),
            },
        },
        "EventPage": page_schema("Event"),
        "EventId": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
    }
    for kind, spec in S.SUBRESOURCES.items():
        name = S.SUBRESOURCE_NAMES[kind].capitalize()
        schemas[name] = spec_schema(spec, response=True)
        schemas[name].pop("nullable", None)
        schemas["Post" + name] = spec_schema(spec, response=False)
        schemas["Post" + name].pop("nullable", None)
        schemas["Post" + name]["required"] = []
    return schemas
