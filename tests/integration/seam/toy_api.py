"""A small API served by Starlette for the seam tests: offset/limit over bare arrays, Basic auth,
``{code, message}`` errors.  It is the server side only; the client is declared in the tests."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

USER, PASSWORD = "toy-user", "toy-password"


def build_app() -> Starlette:
    widgets: dict[str, dict] = {str(n): {"id": str(n), "name": f"w{n}", "size": n} for n in range(1, 24)}
    requests_seen: list[tuple[str, str]] = []

    def error(status: int, message: str) -> Response:
        return JSONResponse({"code": status, "message": message}, status_code=status)

    def authorized(request: Request) -> bool:
        expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        return request.headers.get("authorization") == expected

    async def collection(request: Request) -> Response:
        requests_seen.append((request.method, str(request.url.query)))
        if not authorized(request):
            return error(401, "bad credentials")
        if request.method == "POST":
            body = json.loads(await request.body())
            if not isinstance(body.get("name"), str):
                return error(400, "name is required")
            ident = str(len(widgets) + 1)
            widgets[ident] = {"id": ident, "name": body["name"], "size": body.get("size", 0)}
            return JSONResponse(widgets[ident], status_code=201)
        offset, limit = int(request.query_params.get("offset", 0)), int(request.query_params.get("limit", 10))
        return JSONResponse(list(widgets.values())[offset : offset + min(limit, 10)])

    async def member(request: Request) -> Response:
        requests_seen.append((request.method, await request.body() and (await request.body()).decode()))
        if not authorized(request):
            return error(401, "bad credentials")
        widget = widgets.get(request.path_params["ident"])
        if widget is None:
            return error(404, f"no widget {request.path_params['ident']}")
        if request.method == "PATCH":
            widget.update(json.loads(await request.body()))
        return JSONResponse(widget)

    app = Starlette(
        routes=[
            Route("/widgets", collection, methods=["GET", "POST"]),
            Route("/widgets/{ident}", member, methods=["GET", "PATCH"]),
        ]
    )
    app.state.seen = requests_seen
    return app


@contextmanager
def serving(app: Starlette) -> Iterator[str]:
    """Serve ``app`` on a loopback port in a thread; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.005)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
