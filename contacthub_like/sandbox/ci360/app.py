"""The emulator's Starlette application: every declared endpoint behind its token check, the
token endpoint, the signed upload target, the OpenAPI document, and the gateway throttle.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..emulators import ASGIApp, EmulatorContext, Scope
from . import analytic, audiences, data, execution, gateway, jobs, tablejobs
from .auth import authenticate, token_grant
from .endpoints import NONE, Call, Endpoint, json_response, to_response
from .errors import THROTTLED_CODE, SasError, http_error_handler, log, sas_error_handler
from .state import CI360State
from .uploads import UPLOAD_SEGMENT, receive, send

ENDPOINTS: tuple[Endpoint, ...] = (
    *gateway.ENDPOINTS,
    *audiences.ENDPOINTS,
    *execution.ENDPOINTS,
    *data.ENDPOINTS,
    *tablejobs.ENDPOINTS,
    *analytic.ENDPOINTS,
)


async def _token(call: Call) -> dict[str, Any]:
    return await token_grant(call.state, call.request)


async def _upload(call: Call) -> None:
    await receive(call.state, call.request, call.path("fileId"))


async def _download(call: Call) -> Response:
    return await send(call.state, call.request, call.path("fileId"))


#: routes outside the four APIs; the token endpoint checks the static JWT itself
SERVICE_ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "POST",
        "/token",
        _token,
        NONE,
        200,
        "A temporary access token: form password grant with the static JWT as bearer",
        body=True,
    ),
    Endpoint(
        "GET",
        "/token",
        _token,
        NONE,
        200,
        "The same grant with the fields as query parameters",
        query=("grant_type", "username", "password"),
    ),
    Endpoint(
        "PUT",
        UPLOAD_SEGMENT + "{fileId}",
        _upload,
        NONE,
        200,
        "Upload target of a signed URL: no Authorization header; a wrong or expired signature is refused",
        query=("expires", "signature"),
        body=True,
        answers=(),
    ),
    Endpoint(
        "GET",
        UPLOAD_SEGMENT + "{fileId}",
        _download,
        NONE,
        200,
        "A job's result file behind a signed download URL: no Authorization header",
        query=("expires", "signature"),
        answers=("text/csv",),
    ),
)


def _route(state: CI360State, endpoint: Endpoint) -> Route:
    async def handle(request: Request) -> Response:
        try:
            tenant = "" if endpoint.auth == NONE else authenticate(state, request, endpoint.auth)
            result = await endpoint.handler(Call(state, request, tenant))
        except SasError as exc:
            return exc.response()
        except Exception:  # answered here: a mounted app must not re-raise into the hub's app
            log.exception("CI360 emulator: unexpected error on %s %s", request.method, request.url.path)
            return SasError(500, "internal error", remediation="retry later").response()
        return to_response(result, endpoint.status)

    handle.__name__ = f"{endpoint.method.lower()}_{endpoint.handler.__name__}"
    return Route(endpoint.path, handle, methods=[endpoint.method])


class ThrottleMiddleware:
    """The gateway's limit: past ``throttle_limit`` requests per client address in the trailing
    ``throttle_window`` seconds it answers 403 with a SAS error (not 429), as the real gateway.
    Uploads to signed URLs go to storage, not the gateway, and are not counted."""

    def __init__(self, app: ASGIApp, state: CI360State) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Any]], send: Any) -> None:
        if scope["type"] == "http" and UPLOAD_SEGMENT not in scope.get("path", ""):
            client = (scope.get("client") or ("unknown", 0))[0]
            if not self.state.throttle.admit(client, self.state.throttle_limit, self.state.throttle_window):
                error = SasError(
                    403,
                    f"the request rate limit was exceeded: at most {self.state.throttle_limit} requests per "
                    f"{self.state.throttle_window:g} seconds from one address",
                    remediation="slow down and retry after a while",
                    error_code=THROTTLED_CODE,
                )
                await error.response()(scope, receive, send)
                return
        await self.app(scope, receive, send)


def load_openapi() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("openapi.json").read_text("utf-8"))


def build_app(context: EmulatorContext) -> Starlette:
    """The emulator over the shared store; its state is ``app.state.ci360``."""
    state = CI360State.create(context.store, context.settings)
    gateway.on_bulk_upload(state)
    jobs.resume(state)
    document = load_openapi()

    async def openapi(request: Request) -> Response:
        return json_response(document)

    routes = [_route(state, e) for e in (*SERVICE_ENDPOINTS, *ENDPOINTS)]
    routes.append(Route("/openapi.json", openapi, methods=["GET"]))
    app = Starlette(
        routes=routes,
        exception_handlers={SasError: sas_error_handler, HTTPException: http_error_handler},
    )
    app.add_middleware(ThrottleMiddleware, state=state)
    app.state.ci360 = state
    return app
