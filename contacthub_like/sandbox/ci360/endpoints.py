"""How an emulator route is declared: one :class:`Endpoint` gives the method, the path, the
token it takes, its success status and the words of its OpenAPI entry, so the routes served
and the document describing them come from the same table and cannot drift apart.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import attrs
from starlette.requests import Request
from starlette.responses import Response

from .state import CI360State
from .uploads import request_root

NONE = "none"


@attrs.frozen
class Call:
    """One request with what every handler needs: the shared state and the caller's tenant."""

    state: CI360State
    request: Request
    tenant: str

    def path(self, name: str) -> str:
        return str(self.request.path_params[name])

    def link(
        self, rel: str, uri: str, media_type: str = "application/json", method: str = "GET"
    ) -> dict[str, Any]:
        """A SAS link to ``uri`` (a path under the emulator's root), ``href`` absolute."""
        return {"method": method, "rel": rel, "href": self.root + uri, "uri": uri, "type": media_type}

    @property
    def root(self) -> str:
        """The emulator's absolute root URL as the client reached it (``http://host:port/ci360``)."""
        return request_root(self.request)


Handler = Callable[[Call], Awaitable[Any]]


@attrs.frozen
class Endpoint:
    method: str
    #: Starlette path syntax, relative to the emulator's prefix
    path: str
    handler: Handler
    #: the token it takes: ``static``, ``temporary``, or ``none``
    auth: str
    #: the status of a successful answer (204 answers no body)
    status: int
    summary: str
    #: query parameters it reads, for the OpenAPI document
    query: tuple[str, ...] = ()
    #: whether it reads a request body, for the OpenAPI document
    body: bool = False
    #: media types of a successful answer (none: an empty body)
    answers: tuple[str, ...] = ("application/json",)


def json_response(doc: Any, status: int = 200, media_type: str = "application/json") -> Response:
    return Response(json.dumps(doc), status_code=status, media_type=media_type)


def to_response(result: Any, status: int) -> Response:
    """What a handler returned as a response: a Response as is, None as an empty answer."""
    if isinstance(result, Response):
        return result
    if result is None or status == 204:
        return Response(b"", status_code=status)
    return json_response(result, status)
