"""NetSapiens' answer shapes: ``{"code": <HTTP status>, "message": "..."}`` for errors and acks.

Handlers raise :class:`NsError`; the app turns it into the body and status.  Messages say
what was wrong and how to fix it, and never echo a secret.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response


class NsError(Exception):
    """An error answer: the HTTP status doubles as ``code`` in the body, as the API does."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"code": self.status, "message": self.message}


def bad_request(message: str) -> NsError:
    return NsError(400, message)


def unauthorized(message: str) -> NsError:
    return NsError(401, message)


def forbidden(message: str) -> NsError:
    return NsError(403, message)


def not_found(message: str) -> NsError:
    return NsError(404, message)


def conflict(message: str) -> NsError:
    return NsError(409, message)


def ns_json(value: Any, status: int = 200) -> Response:
    """A JSON answer (compact, UTF-8), the media type every NetSapiens answer carries."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return Response(text.encode("utf-8"), status_code=status, media_type="application/json")


def accepted() -> Response:
    """``202 {"code":202,"message":"Accepted"}``: the API's success for most writes."""
    return ns_json({"code": 202, "message": "Accepted"}, 202)
