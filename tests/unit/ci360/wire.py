"""Every request of a test, asserted exactly, for the sync and the async driver alike.

A test lists the exchanges it expects (:class:`X`: method, URL with its query, body, the
Authorization header or its absence, and the answer).  :func:`expect` answers them in order
through ``responses`` (requests: the sync transport, the token endpoint, signed transfers)
and a strict ``respx`` router (httpx: the async transport), and checks afterwards that the
requests made were exactly those.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import attrs
import httpx
import responses
import respx

BASE = "https://gw.test/ci360"
SIGNED = "https://s3.test/bucket/upload.csv?X-Amz-Signature=sig-123"
NOTHING = object()


@attrs.frozen
class X:
    """One expected request and its answer."""

    method: str
    url: str
    auth: str | None
    reply: Any = None
    status: int = 200
    json: Any = NOTHING
    form: list[tuple[str, str]] | None = None
    content: bytes | None = None
    content_type: str | None = None


@attrs.frozen
class Seen:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes


def _split(url: str) -> tuple[str, str, str, list[tuple[str, str]]]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc, parts.path, parse_qsl(parts.query, keep_blank_values=True)


def _bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode()
    if hasattr(body, "read"):
        return body.read()  # a file streamed from disk
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    return b"".join(body)


class Wire:
    def __init__(self, exchanges: list[X]) -> None:
        self.expected = exchanges
        self.seen: list[Seen] = []

    def answer(self, seen: Seen) -> tuple[int, bytes]:
        self.seen.append(seen)
        index = len(self.seen) - 1
        if index >= len(self.expected):
            return 599, b'{"message": "unexpected request"}'
        ex = self.expected[index]
        return ex.status, b"" if ex.reply is None else json.dumps(ex.reply).encode()

    def check(self) -> None:
        got = [(s.method, _split(s.url)) for s in self.seen]
        want = [(x.method, _split(x.url)) for x in self.expected]
        assert got == want, f"requests made:\n{got}\nexpected:\n{want}"
        for seen, ex in zip(self.seen, self.expected, strict=True):
            where = f"{ex.method} {ex.url}"
            assert seen.headers.get("authorization") == ex.auth, where
            content_type = seen.headers.get("content-type", "")
            if ex.json is not NOTHING:
                assert content_type.startswith("application/json"), where
                assert json.loads(seen.body) == ex.json, where
            elif ex.form is not None:
                assert content_type == "application/x-www-form-urlencoded", where
                assert parse_qsl(seen.body.decode()) == ex.form, where
            elif ex.content is not None:
                assert seen.body == ex.content, where
                assert content_type == ex.content_type, where
            else:
                assert seen.body == b"", where


@contextmanager
def expect(driver: str, *exchanges: X) -> Iterator[Wire]:
    """Answer ``exchanges`` in order, over requests and httpx; assert the requests afterwards.

    With the async driver the respx router must have been used (every API request goes through it).
    """
    wire = Wire(list(exchanges))

    def by_requests(request: Any) -> tuple[int, dict[str, str], bytes]:
        headers = {k.lower(): v for k, v in request.headers.items()}
        status, body = wire.answer(Seen(request.method, request.url, headers, _bytes(request.body)))
        return status, {"Content-Type": "application/json"}, body

    def by_httpx(request: httpx.Request) -> httpx.Response:
        headers = {k.lower(): v for k, v in request.headers.items()}
        status, body = wire.answer(Seen(request.method, str(request.url), headers, request.read()))
        return httpx.Response(status, content=body, headers={"Content-Type": "application/json"})

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            mocked.add_callback(method, _ANY, callback=by_requests)
        with respx.mock(assert_all_called=driver == "async", assert_all_mocked=True) as router:
            router.route().mock(side_effect=by_httpx)
            yield wire
    wire.check()


_ANY = __import__("re").compile(r"https?://.*")


def act(driver: str, target: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """``target.name(...)``, or ``target.name_async(...)`` awaited in a fresh event loop."""
    if driver == "sync":
        return getattr(target, name)(*args, **kwargs)
    return asyncio.run(getattr(target, name + "_async")(*args, **kwargs))


def collect(driver: str, session: Any, entity_cls: Any, params: dict[str, Any], size: int) -> list[Any]:
    """Every element of a list, walked by the sync or the async driver."""
    if driver == "sync":
        return list(session.list(entity_cls, params, size=size))

    async def walk() -> list[Any]:
        return [item async for item in session.list_async(entity_cls, params, size=size)]

    return asyncio.run(walk())
