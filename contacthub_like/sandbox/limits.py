"""Request size limits, answered in the hub's JSON error envelope.

An HTTP parser left to itself answers an oversized request line or header block with a
plain-text 400 and closes the connection, often while the client is still sending, which
the client then sees as a reset.  The hub instead lets its parser accept up to
:data:`PARSER_LIMIT` bytes of request head and checks sizes itself, answering

* ``414 URI Too Long`` when the path and query string pass :data:`MAX_URL_BYTES`;
* ``431 Request Header Fields Too Large`` when the headers pass :data:`MAX_HEADER_BYTES`;

both with ``{"message", "logref", "data", "errors"}`` naming what was too large, its size and
the limit.  A head larger than :data:`PARSER_LIMIT` still gets the parser's own answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .context import json_response
from .errors import envelope, field_error

__all__ = ["MAX_URL_BYTES", "MAX_HEADER_BYTES", "PARSER_LIMIT", "RequestSizeLimit", "too_large"]

#: path plus query string, in bytes (room for a query document of a thousand conditions)
MAX_URL_BYTES = 64 * 1024
#: all header names and values together, in bytes
MAX_HEADER_BYTES = 64 * 1024
#: request head the HTTP parser accepts before giving up on its own (uvicorn's h11 setting)
PARSER_LIMIT = 4 * 1024 * 1024

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def too_large(scope: Scope) -> tuple[int, str, str] | None:
    """``(status, pointer, message)`` when the request is over a limit, else None."""
    url = len(scope.get("raw_path") or scope.get("path", "").encode()) + len(scope.get("query_string", b""))
    if url > MAX_URL_BYTES:
        return (
            414,
            "/query",
            f"the URL (path and query string) is {url} bytes; the hub takes at most {MAX_URL_BYTES}: "
            "send fewer or shorter parameters",
        )
    headers = sum(len(name) + len(value) for name, value in scope.get("headers", ()))
    if headers > MAX_HEADER_BYTES:
        return (
            431,
            "/headers",
            f"the request headers are {headers} bytes together; the hub takes at most {MAX_HEADER_BYTES}",
        )
    return None


class RequestSizeLimit:
    """ASGI middleware: 414/431 in the JSON envelope for requests over the limits, before any route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        problem = too_large(scope) if scope["type"] == "http" else None
        if problem is None:
            await self.app(scope, receive, send)
            return
        status, where, message = problem
        response = json_response(envelope(message, errors=[field_error(where, message, "TOO_LARGE")]), status)
        response.headers["Connection"] = "close"
        await response(scope, receive, send)
