"""The async twin of ``helpers.FakeHub``: the same strict expectations, served to httpx through respx.

``twin_hub`` parametrises a test over both paths: ``mode.run(...)`` calls a verb sync, or awaits its
``_async`` twin inside ``asyncio.run``, and ``mode.hub.expect(...)`` declares the same request for
either mock, so one test pins the wire of both.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import responses
import respx
from helpers import NO_BODY, ROOT, TOKEN, FakeHub


class AsyncFakeHub:
    """Each expected request is matched on method, URL path, exact query, exact JSON body and bearer token."""

    def __init__(self, router: respx.MockRouter, root: str = ROOT, token: str = TOKEN) -> None:
        self.router = router
        self.root = root
        self.token = token
        self.seen: list[httpx.Request] = []

    def expect(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = NO_BODY,
        status: int = 200,
        reply: Any = None,
        raw: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> respx.Route:
        url = path if path.startswith("http") else self.root + path
        wanted = {k: v if isinstance(v, list) else [str(v)] for k, v in (params or {}).items()}
        wanted = {k: [str(x) for x in v] for k, v in wanted.items()}

        def answer(request: httpx.Request) -> httpx.Response:
            self.seen.append(request)
            assert request.headers.get("authorization") == f"Bearer {self.token}", "no bearer token"
            query = parse_qs(request.url.query.decode(), keep_blank_values=True)
            assert query == wanted, f"query {query} != {wanted}"
            if body is NO_BODY:
                assert not request.content, f"expected no body, got {request.content!r}"
            else:
                assert json.loads(request.content) == body, f"body {request.content!r} != {body!r}"
            if raw is not None:
                return httpx.Response(status, text=raw, headers=headers)
            if reply is None:
                return httpx.Response(status, headers=headers)
            return httpx.Response(status, json=reply, headers=headers)

        # the query is part of the route (respx "contains"), so pages of one path are told apart
        pattern: dict[str, Any] = {"params": {k: v[-1] for k, v in wanted.items()}} if wanted else {}
        return self.router.route(method=method, url=url.split("?")[0], **pattern).mock(side_effect=answer)

    @property
    def count(self) -> int:
        return len(self.seen)


class Mode:
    """How a parametrised test runs a verb: ``run(obj, "patch")`` → ``obj.patch()`` or ``await obj.patch_async()``."""

    def __init__(self, name: str, hub: Any) -> None:
        self.name = name
        self.hub = hub

    def run(self, target: Any, verb: str, *args: Any, **kwargs: Any) -> Any:
        if self.name == "sync":
            return getattr(target, verb)(*args, **kwargs)

        # the loop's connection pool closes with the loop (asyncio.run finalises it)
        return asyncio.run(getattr(target, verb + "_async")(*args, **kwargs))

    def __repr__(self) -> str:
        return self.name


@pytest.fixture(params=["sync", "async"], name="mode")
def mode_fixture(request: pytest.FixtureRequest) -> Iterator[Mode]:
    if request.param == "sync":
        with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
            yield Mode("sync", FakeHub(mock))
    else:
        with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
            yield Mode("async", AsyncFakeHub(router))


Runner = Callable[..., Any]
