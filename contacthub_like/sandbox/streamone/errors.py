"""StreamOne Ion's error body: ``{"code": <gRPC code>, "message": "...", "details": [...]}``.

The v3 API is a gRPC-gateway, so its errors carry the gRPC status code beside the HTTP status; the
emulator answers v1 errors in the same shape (the real v1 body is undocumented), so one client-side
decoder serves both.  Handlers raise :class:`IonError`; the app turns it into the body and status.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..context import json_response

#: HTTP status -> gRPC code, as grpc-gateway maps them
GRPC_CODES: dict[int, int] = {400: 3, 401: 16, 403: 7, 404: 5, 405: 12, 409: 6, 413: 8, 429: 8, 500: 13}
FAILED_PRECONDITION = 9


class IonError(Exception):
    """An answer other than 2xx; ``details`` follow google.rpc (a ``BadRequest`` lists field violations)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: int | None = None,
        details: list[dict[str, Any]] | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code: int = GRPC_CODES.get(status, 2) if code is None else code
        self.details: list[dict[str, Any]] = list(details or [])
        self.extra: dict[str, Any] = dict(extra or {})
        self.headers: dict[str, str] = dict(headers or {})

    def body(self) -> dict[str, Any]:
        return {**self.extra, "code": self.code, "message": self.message, "details": self.details}

    def response(self) -> Response:
        response = json_response(self.body(), self.status)
        response.headers.update(self.headers)
        return response


def invalid(field: str, description: str) -> IonError:
    """400 INVALID_ARGUMENT naming the field and what to send instead."""
    violation = {"field": field, "description": description}
    return IonError(
        400,
        f"invalid {field}: {description}",
        details=[{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [violation]}],
    )


def not_found(what: str) -> IonError:
    return IonError(404, f"{what} not found")


def unauthenticated(message: str, scheme: str = "Bearer") -> IonError:
    """401 with the challenge of the scheme expected (Basic for v1, Bearer for v3)."""
    return IonError(401, message, headers={"WWW-Authenticate": f'{scheme} realm="streamone"'})


async def handle_ion_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IonError)
    return exc.response()
