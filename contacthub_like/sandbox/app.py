"""The Starlette application of the embedded hub.

``create_app(store)`` mounts the default resource modules; pass ``resources=`` to add
your own.  A resource module is any object with ``SCHEMA`` (DDL statements for its
tables, run once at start-up) and ``routes(hub) -> list[Route]``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from importlib import resources as importlib_resources
from types import ModuleType
from typing import Any, Protocol

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from .context import Hub, json_response
from .emulators import EmulatorContext, load_emulators
from .errors import HubError, envelope
from .faults import FaultConfig, FaultInjector, FaultMiddleware, admin_routes
from .limits import RequestSizeLimit
from .resources import DEFAULT_RESOURCES
from .store import Store

log: logging.Logger = logging.getLogger("contacthub_like.sandbox")


class ResourceModule(Protocol):
    SCHEMA: Iterable[str]

    def routes(self, hub: Hub) -> list[BaseRoute]: ...


async def _hub_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HubError)
    response = json_response(exc.body(), exc.status)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        message = f"Request method '{request.method}' not supported"
    elif exc.status_code == 404:
        message = "Not Found"
    else:
        message = exc.detail or "error"
    response = json_response(envelope(message), exc.status_code)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error while handling %s %s", request.method, request.url.path)
    return json_response(envelope("Internal Server Error"), 500)


def prefix_mount(prefix: str, app: Any) -> Mount:
    """Everything under ``prefix`` goes to ``app``, whatever the rest of the path holds.

    Starlette's Mount pattern ends at a line break, so a path parameter holding ``%0A`` would
    fall through to the hub's routes and get the hub's error shape instead of the emulator's.
    """
    mount = Mount(prefix, app=app)
    mount.path_regex = re.compile(mount.path_regex.pattern, re.DOTALL)
    return mount


def load_openapi() -> dict[str, Any] | None:
    try:
        text = importlib_resources.files(__package__).joinpath("openapi.json").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    return json.loads(text)


def create_app(
    store: Store,
    resources: Iterable[ModuleType | ResourceModule] | None = None,
    *,
    faults: FaultConfig | None = None,
    admin_token: str | None = None,
) -> Starlette:
    """Build the hub app over ``store``.

    ``resources`` defaults to customers, sub-resources, sessions, events and the OAuth2 token
    endpoint (``DEFAULT_RESOURCES``).
    ``faults`` makes the hub misbehave on purpose (see :mod:`.faults`); change them later through
    ``app.state.faults``.  ``admin_token`` mounts ``/admin/faults``, usable only with that token.
    """
    hub = Hub(store)
    store.analyze()  # statistics for whatever is already stored
    modules = tuple(DEFAULT_RESOURCES if resources is None else resources)
    routes: list[BaseRoute] = []
    for module in modules:
        store.ensure_schema(module.SCHEMA)
        routes.extend(module.routes(hub))

    if resources is None:
        openapi = load_openapi()
    else:  # a custom set of resources: describe exactly what is mounted
        from .openapi import build_document

        openapi = build_document(modules)

    async def openapi_document(request: Request) -> Response:
        if openapi is None:
            return json_response(envelope("Not Found"), 404)
        return json_response(openapi)

    routes.append(Route("/openapi.json", openapi_document, methods=["GET"]))
    if resources is None:  # the full server: every emulated API under its own prefix
        context = EmulatorContext(store, hub.settings)
        for emulator in load_emulators():
            store.ensure_schema(emulator.SCHEMA)
            routes.append(prefix_mount(emulator.PREFIX, emulator.build_app(context)))
    injector = FaultInjector(faults)
    if admin_token is not None:
        routes.extend(admin_routes(injector, admin_token))
    app = Starlette(
        routes=routes,
        exception_handlers={HubError: _hub_error, HTTPException: _http_error, Exception: _server_error},
    )
    app.add_middleware(FaultMiddleware, injector=injector)
    app.add_middleware(RequestSizeLimit)  # outermost: an oversized request is answered before anything
    app.state.hub = hub
    app.state.faults = injector
    return app
