"""The building blocks of the hub's OpenAPI 3 document: schema nodes, references, parameters, responses.

:func:`spec_schema` turns the same :mod:`.validation` spec objects the server checks bodies
with into JSON Schema, so the document cannot describe a body the server would refuse (or
the reverse).  The helpers here are shared by the core document (:mod:`.openapi`) and by
the resource modules' ``openapi(document)`` hooks, so every path describes its parameters,
pages and errors the same way.
"""

from __future__ import annotations

from typing import Any

from . import validation as V
from .context import MAX_PAGE_SIZE

HUB_TS_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$"


def spec_schema(spec: V.Spec, *, response: bool) -> dict[str, Any]:
    """JSON Schema (OpenAPI 3.0 dialect) of one schema node."""
    if isinstance(spec, V.Obj):
        props = {k: spec_schema(v, response=response) for k, v in spec.fields.items()}
        out: dict[str, Any] = {"type": "object", "properties": props}
        if response:
            out["required"] = list(spec.fields)
        elif spec.required:
            out["required"] = list(spec.required)
        if not response:
            out["additionalProperties"] = False
        if spec.nullable:
            out["nullable"] = True
        return out
    if isinstance(spec, V.Arr):
        out = {"type": "array", "items": spec_schema(spec.item, response=response)}
        if not response:
            out["nullable"] = True
        return out
    if isinstance(spec, V.DateTime):
        if response:
            return {"type": "string", "pattern": HUB_TS_PATTERN, "nullable": True}
        return {"type": "string", "format": "date-time", "nullable": True}
    if isinstance(spec, V.Date):
        return {"type": "string", "format": "date", "nullable": True}
    if isinstance(spec, V.WholeNumber) and not response:
        digits = {"type": "string", "pattern": V.WHOLE_NUMBER_PATTERN}
        return {"anyOf": [{"type": "integer"}, digits], "nullable": True}
    if isinstance(spec, V.Int):
        return {"type": "integer", "nullable": True}
    if isinstance(spec, V.Num):
        return {"type": "number", "nullable": True}
    if isinstance(spec, V.Bool):
        return {"type": "boolean", "nullable": True}
    if isinstance(spec, V.FreeObject):
        return {"type": "object", "additionalProperties": True, "nullable": True}
    if isinstance(spec, V.Str):
        out = {"type": "string", "nullable": True}
        if spec.choices is not None:
            out["enum"] = sorted(spec.choices) + [None]
        elif spec.pattern is not None:
            out["pattern"] = spec.pattern.pattern
        return out
    raise TypeError(spec)  # pragma: no cover


def ref(name: str) -> dict[str, str]:
    """A reference to a schema under ``components/schemas``."""
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: dict[str, Any], description: str) -> dict[str, Any]:
    """A response (or body) whose JSON content follows ``schema``."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error_responses(*codes: int) -> dict[str, Any]:
    """The error responses for ``codes``: every error answers with the same ``Error`` envelope."""
    texts = {
        400: "Invalid request",
        401: "Missing or wrong token",
        403: "Workspace not found",
        404: "Not found",
        405: "Method not allowed",
        409: "Conflict with an existing record",
        412: "If-Match names a version that is not the current one (data.customer holds the current)",
        422: "Idempotency-Key reused with a different body",
    }
    return {str(c): json_content(ref("Error"), texts[c]) for c in codes}


def param(
    name: str,
    where: str = "query",
    required: bool = False,
    schema: dict[str, Any] | None = None,
    description: str = "",
) -> dict[str, Any]:
    """An operation parameter; a path parameter is always required, as OpenAPI demands."""
    out = {
        "name": name,
        "in": where,
        "required": required or where == "path",
        "schema": schema or {"type": "string"},
    }
    if description:
        out["description"] = description
    return out


WS = param("ws", "path", description="workspace id")
IF_MATCH = param(
    "If-Match",
    "header",
    description="apply the write only if the customer is still this version (an ETag of an earlier "
    "answer, or *); otherwise 412 with the current customer",
)
PAGE = param("page", schema={"type": "integer", "minimum": 0, "default": 0}, description="0-based page")
SIZE = param("size", schema={"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": 10})


def partial(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with no required properties at any depth: what a projection of it may hold."""
    out = {k: v for k, v in schema.items() if k != "required"}
    if "properties" in out:
        out["properties"] = {k: partial(v) for k, v in out["properties"].items()}
    return out


def page_schema(item: str) -> dict[str, Any]:
    """A page of ``item`` objects in the hub's ``{elements, page}`` envelope."""
    return {
        "type": "object",
        "required": ["elements", "page"],
        "properties": {"elements": {"type": "array", "items": ref(item)}, "page": ref("Page")},
    }
