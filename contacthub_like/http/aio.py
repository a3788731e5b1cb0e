"""The asyncio socket of a :class:`~contacthub_like.http.transport.Transport`, on ``httpx.AsyncClient``.

Everything but the socket is the sync transport's: the base URL, timeouts, auth strategy,
retry decisions (:class:`~contacthub_like.http.retry.RetryState`), throttle bucket, error
decoder, throttle signal, parameter and body encoding, redaction and log lines.  So a
session answers the same way whether it is called from a thread or awaited, and one token
refresh, one rate limit and one retry budget are shared by both.

One ``httpx.AsyncClient`` (one connection pool, HTTP/1.1 keep-alive) serves each event loop
that uses the transport: a client is bound to the loop that opened its connections, and a
notebook or a script calling ``asyncio.run`` twice runs two loops one after the other.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncGenerator, Mapping
from typing import TYPE_CHECKING, Any

import httpx
import requests
from requests.structures import CaseInsensitiveDict

from .. import wire
from .._log import get_logger, redact
from ..errors import (
    APIError,
    ConnectionFailed,
    OperationNotPermitted,
    RequestTimeout,
    RetriesExhausted,
    TransportError,
)
from .encoding import _NOTHING, _body, _Encoded, encode_params, maybe_applied, parsed_answer
from .retry import IDEMPOTENT_METHODS

if TYPE_CHECKING:  # pragma: no cover
    from .transport import Transport

__all__ = ["AsyncTransport"]

log: logging.Logger = get_logger("transport")


class _AuthTarget:
    """What an auth strategy signs: it only ever sets or reads ``headers``."""

    __slots__ = ("method", "url", "headers")

    def __init__(self, method: str, url: str, headers: dict[str, str]) -> None:
        self.method = method
        self.url = url
        self.headers = headers


class AsyncTransport:
    """``await transport.aio.request(...)``: the same requests as the sync transport, awaited."""

    def __init__(self, transport: Transport) -> None:
        self._sync = transport
        self._clients: dict[asyncio.AbstractEventLoop, httpx.AsyncClient] = {}
        # per loop: an async generator whose finally closes that loop's client; asyncio.run() closes
        # every live async generator before closing its loop, so the pool never outlives its loop
        self._keepers: dict[asyncio.AbstractEventLoop, AsyncGenerator[None, None]] = {}
        self._closed = False
        auth = transport.auth
        #: strategies whose signing may wait on a token request run in a worker thread
        self._auth_blocks = auth is not None and getattr(auth, "may_block", True)
        #: a strategy that knows per URL (RoutedAuth) says so for each request
        self._blocks_for = getattr(auth, "may_block_for", None)

    # -- the client of the running loop ------------------------------------------------------------
    async def _client(self) -> httpx.AsyncClient:
        if self._closed or self._sync.closed:
            raise OperationNotPermitted("this connection is closed; create a new session to reconnect")
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            for old in [old for old in self._clients if old.is_closed()]:
                del self._clients[old]  # its loop is gone (and closed its client on the way out)
                self._keepers.pop(old, None)
            sync = self._sync
            timeout = sync.timeout
            connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
            client = httpx.AsyncClient(
                timeout=httpx.Timeout(read, connect=connect),
                limits=httpx.Limits(
                    max_connections=sync.pool_maxsize, max_keepalive_connections=sync.pool_maxsize
                ),
                trust_env=sync.session.trust_env,
                proxy=next(iter(sync.session.proxies.values()), None) if sync.session.proxies else None,
                headers=sync.plain_headers,
            )
            self._clients[loop] = client
            keeper = _close_with_the_loop(client, self._clients, loop)
            await keeper.__anext__()
            self._keepers[loop] = keeper
        return client

    # -- requests ----------------------------------------------------------------------------------
    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        form: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        has_json: bool = False,
    ) -> Any:
        """Send a request and return the parsed JSON body (``None`` for an empty one).

        The arguments are the sync :meth:`Transport.request`'s; ``has_json`` says that ``json``
        is a body even when it is ``None`` (JSON ``null``).
        """

        response = await self.request_raw(
            method,
            path,
            params=params,
            json=json,
            form=form,
            content=content,
            content_type=content_type,
            headers=headers,
            idempotent=idempotent,
            has_json=has_json,
        )
        return parsed_answer(response, method, path)

    async def request_raw(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        form: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        has_json: bool = False,
    ) -> httpx.Response:
        """The 2xx answer itself (its body read), for callers that need its headers."""

        body = _body(json if (json is not None or has_json) else _NOTHING, form, content, content_type)
        return await self._send(method, path, params, body, headers, idempotent)

    async def _send(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        body: Any,
        headers: Mapping[str, str] | None,
        idempotent: bool | None,
    ) -> httpx.Response:

        sync = self._sync
        client = await self._client()
        method = method.upper()
        url = sync.url_for(path)
        sent_headers: dict[str, str] = {}
        data: bytes | None = None
        if isinstance(body, _Encoded):
            sent_headers["Content-Type"] = body.content_type
            data = body.data
        elif body is not _NOTHING:
            sent_headers["Content-Type"] = "application/json"
            data = wire.dumps(body).encode("utf-8")
        if headers:
            sent_headers.update(headers)
        query = encode_params(params)
        outcomes: list[int | None] = []

        async def attempt() -> httpx.Response:
            number = len(outcomes) + 1
            try:
                response = await self._send_once(client, method, url, path, query, data, sent_headers, number)
                if response.status_code == 401 and await self._reauthenticate(method, url, sent_headers):
                    response = await self._send_once(
                        client, method, url, path, query, data, sent_headers, number
                    )
            except TransportError:
                outcomes.append(None)
                raise
            outcomes.append(response.status_code)
            return response

        retry = sync.retry
        if retry is None or not hasattr(retry, "begin"):
            response = await attempt()
        else:
            safe = method in IDEMPOTENT_METHODS if idempotent is None else bool(idempotent)
            state = retry.begin(method=method, path=path, idempotent=safe, throttled=sync.throttled)
            try:
                while True:
                    response_or_none: httpx.Response | None = None
                    error: TransportError | None = None
                    try:
                        response_or_none = await attempt()
                    except TransportError as exc:
                        error = exc
                    wait = state.after(response_or_none, error)
                    if wait is None:
                        assert response_or_none is not None
                        response = response_or_none
                        break
                    await _sleep(retry, wait)
            except RetriesExhausted as exc:
                if isinstance(exc.response, httpx.Response):
                    last = as_requests_response(exc.response)
                    exc.response = last
                    if exc.last_error is None:
                        exc.last_error = sync.decode(last)
                raise
        if response.status_code >= 300:
            error_obj = sync.decode(as_requests_response(response))
            if isinstance(error_obj, APIError):
                error_obj.attempts = max(1, len(outcomes))
                error_obj.maybe_applied_before = maybe_applied(outcomes)
            raise error_obj
        return response

    async def _signed_headers(self, method: str, url: str, headers: dict[str, str]) -> dict[str, str]:
        auth = self._sync.auth
        if auth is None:
            return headers
        target = _AuthTarget(method, url, dict(headers))
        blocks = self._blocks_for(url) if self._blocks_for is not None else self._auth_blocks
        if blocks:  # a token request may be due: never block the event loop on it
            await asyncio.to_thread(auth, target)  # type: ignore[arg-type]  # signs only .headers
        else:
            auth(target)  # type: ignore[arg-type]
        return target.headers

    async def _reauthenticate(self, method: str, url: str, headers: dict[str, str]) -> bool:
        renew = getattr(self._sync.auth, "reauthenticate", None)
        if renew is None:
            return False
        signed = await self._signed_headers(method, url, headers)
        return bool(await asyncio.to_thread(renew, _AuthTarget(method, url, signed)))

    async def _send_once(
        self,
        client: httpx.AsyncClient,
        method: str,
        url: str,
        path: str,
        query: Any,
        data: bytes | None,
        headers: dict[str, str],
        attempt: int,
    ) -> httpx.Response:
        sync = self._sync
        throttle = sync.throttle
        if throttle is not None:
            acquire = getattr(throttle, "acquire_async", None)
            if acquire is not None:
                await acquire()
            else:
                await asyncio.to_thread(throttle.acquire)
        signed = await self._signed_headers(method, url, headers)
        debug = log.isEnabledFor(logging.DEBUG)
        start = time.perf_counter() if debug else 0.0
        try:
            response = await client.request(method, url, params=query, content=data, headers=signed)
        except httpx.HTTPError as exc:
            error = self._wrap(exc, method, path)
            if debug:
                log.debug(
                    "%s %s failed after %.1f ms: %s (attempt %d)",
                    method,
                    path,
                    (time.perf_counter() - start) * 1000.0,
                    type(error).__name__,
                    attempt,
                )
            raise error from exc
        if debug:
            log.debug(
                "%s %s -> %d in %.1f ms (attempt %d)",
                method,
                path,
                response.status_code,
                (time.perf_counter() - start) * 1000.0,
                attempt,
            )
        return response

    def _wrap(self, exc: httpx.HTTPError, method: str, path: str) -> TransportError:
        sync = self._sync
        detail = redact(str(exc) or type(exc).__name__, sync.secrets)
        if isinstance(exc, httpx.TimeoutException):
            return RequestTimeout(f"{method} {path} timed out: {detail}")
        if isinstance(
            exc, (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
        ):
            return ConnectionFailed(f"{method} {path}: cannot reach {sync.base_url}: {detail}")
        return TransportError(f"{method} {path} failed: {type(exc).__name__}: {detail}")

    # -- lifecycle ---------------------------------------------------------------------------------
    async def aclose(self) -> None:
        """Close the connection pool of the running loop (those of other loops close with their loops)."""
        self._closed = True
        loop = asyncio.get_running_loop()
        keeper = self._keepers.pop(loop, None)
        if keeper is not None:
            await keeper.aclose()  # its finally closes the client
        client = self._clients.pop(loop, None)
        if client is not None:
            await client.aclose()

    @property
    def closed(self) -> bool:
        return self._closed

    def __repr__(self) -> str:
        return f"<AsyncTransport {self._sync.base_url!r}>"


async def _close_with_the_loop(
    client: httpx.AsyncClient, clients: dict[asyncio.AbstractEventLoop, httpx.AsyncClient], loop: Any
) -> AsyncGenerator[None, None]:
    """Suspended until its loop shuts down (``asyncio.run`` closes live async generators), then closes."""
    try:
        yield
    finally:
        if clients.get(loop) is client:
            del clients[loop]
        await client.aclose()


async def _sleep(retry: Any, seconds: float) -> None:
    """Wait as the policy says: its own ``sleep`` when a test gave one, else without blocking the loop."""
    if seconds <= 0:
        return
    sleep = getattr(retry, "sleep", time.sleep)
    if sleep is time.sleep:
        await asyncio.sleep(seconds)
    else:
        sleep(seconds)


def as_requests_response(response: httpx.Response) -> requests.Response:
    """The same answer as a :class:`requests.Response`, so every service's error decoder reads it."""
    converted = requests.Response()
    converted.status_code = response.status_code
    converted._content = response.content
    converted.headers = CaseInsensitiveDict(response.headers.items())
    converted.reason = response.reason_phrase
    converted.url = str(response.url)
    converted.encoding = response.encoding
    return converted
