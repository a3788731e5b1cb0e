"""The hub's error envelope.

Every non-2xx answer carries the same four keys (``message``, ``logref``, ``data``,
``errors``): the original Python SDK raises KeyError when one is missing, so even
framework-level errors (unknown route, wrong method) use it.
"""

from __future__ import annotations

import uuid
from typing import Any

UNAUTHORIZED_MESSAGE = "The client is not authorized to access the API"


def field_error(path: str, message: str, code: str | None = None, data: Any = None) -> dict[str, Any]:
    """One ``errors[]`` item; ``path`` is a JSON pointer into the request body (or query document)."""
    return {"message": message, "path": path, "data": data, "code": code}


def envelope(message: str, data: Any = None, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"message": message, "logref": str(uuid.uuid4()), "data": data, "errors": list(errors or [])}


class HubError(Exception):
    """Raised anywhere in request handling; the app turns it into the envelope and status."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        data: Any = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.data = data
        self.errors: list[dict[str, Any]] = list(errors or [])
        self.headers = headers

    def body(self) -> dict[str, Any]:
        return envelope(self.message, self.data, self.errors)


def bad_request(message: str, errors: list[dict[str, Any]] | None = None) -> HubError:
    return HubError(400, message, errors=errors)


def invalid(path: str, message: str, top: str = "request is not valid", code: str | None = None) -> HubError:
    return HubError(400, top, errors=[field_error(path, message, code)])


def not_found(message: str) -> HubError:
    return HubError(404, message)


def conflict(message: str, data: Any = None) -> HubError:
    return HubError(409, message, data=data)


def pointer(*parts: object) -> str:
    """Build a JSON pointer (RFC 6901 escaping) from path parts."""
    out = []
    for part in parts:
        out.append(str(part).replace("~", "~0").replace("/", "~1"))
    return "/" + "/".join(out) if out else ""
