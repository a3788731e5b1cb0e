"""Transfers to and from pre-signed URLs an API hands out (upload slots, file links).

Such a URL is a credential of its own and usually points at another host (a storage
service), so these requests go through a separate pool that never sends the API's
``Authorization`` header, with their own timeouts (files are large), streamed from and to
disk, and only to hosts the caller allows: by default the host of the URL the API gave,
over HTTPS (plain HTTP only on loopback, where the embedded sandbox serves them).

``upload``/``download`` run on ``requests``, ``upload_async``/``download_async`` on ``httpx``;
everything else (the URL checks, the headers, the file naming and atomic write, the error
messages with the signature removed) is shared, so the two differ only in the socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterable, AsyncIterator, Collection, Iterable, Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import requests

from .._log import get_logger, redact
from ..errors import ConnectionFailed, InvalidValue, RequestTimeout, TransportError, error_from_response
from .aio import as_requests_response
from .encoding import Timeout, _is_loopback
from .files import AtomicFile

__all__ = ["SignedTransfers", "DEFAULT_TRANSFER_TIMEOUT", "UploadSource"]

log: logging.Logger = get_logger("transport")

#: (connect, read) seconds: a storage service may take a while to answer a large body
DEFAULT_TRANSFER_TIMEOUT: tuple[float, float] = (10.0, 300.0)
_CHUNK = 256 * 1024

#: what an upload sends: a file path, bytes, a binary file, chunks (or, awaited, async chunks)
UploadSource = str | os.PathLike[str] | bytes | IO[bytes] | Iterable[bytes] | AsyncIterable[bytes]


class SignedTransfers:
    """PUT or GET bytes at pre-signed URLs, without the API's credentials.

    :param allowed_hosts: hosts a URL may point at; ``None`` accepts the host of any URL the
        API gave, over HTTPS or on loopback.
    :param timeout: seconds, or ``(connect, read)``, for every transfer (sync or awaited).
    """

    def __init__(
        self,
        *,
        allowed_hosts: Collection[str] | None = None,
        timeout: Timeout = DEFAULT_TRANSFER_TIMEOUT,
        pool_maxsize: int = 4,
    ) -> None:
        self.allowed_hosts: frozenset[str] | None = (
            None if allowed_hosts is None else frozenset(h.lower() for h in allowed_hosts)
        )
        self.timeout = timeout
        self._session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_maxsize=pool_maxsize)
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)
        self._session.auth = None

    def check(self, url: str) -> str:
        """``url`` if a transfer may go there; else :class:`InvalidValue` saying why."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("https", "http") or not host:
            raise InvalidValue(f"a signed URL must be an absolute http(s) URL, got {_shown(url)}")
        if parts.scheme == "http" and not _is_loopback(url):
            raise InvalidValue(
                f"a signed URL must use HTTPS (plain HTTP only on loopback), got {_shown(url)}"
            )
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            raise InvalidValue(
                f"{host} is not an allowed transfer host ({', '.join(sorted(self.allowed_hosts))}); "
                "pass allowed_hosts= to widen the list"
            )
        return url

    # -- uploads -----------------------------------------------------------------------------------
    def upload(
        self,
        url: str,
        source: UploadSource,
        *,
        content_type: str = "application/octet-stream",
        method: str = "PUT",
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        """Send ``source`` (a file path, bytes, a binary file or chunks) as the body; streamed from disk."""
        self.check(url)
        with _opened(source, content_type, headers) as (body, sent_headers):
            if isinstance(body, AsyncIterable):
                raise InvalidValue("async chunks can only be sent by upload_async(); pass bytes or a file")
            return self._send(method, url, data=body, headers=sent_headers)

    async def upload_async(
        self,
        url: str,
        source: UploadSource,
        *,
        content_type: str = "application/octet-stream",
        method: str = "PUT",
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        """:meth:`upload`, awaited: the file is read in a worker thread chunk by chunk, so the loop
        goes on while it streams.  The answer is read and handed back as :meth:`upload`'s is."""
        self.check(url)
        with _opened(source, content_type, headers) as (body, sent_headers):
            async with self._client_async() as client:
                response = await self._send_async(
                    client, method, url, content=_async_chunks(body), headers=sent_headers
                )
                await response.aread()
                return as_requests_response(response)

    # -- downloads ---------------------------------------------------------------------------------
    def download(self, url: str, target: str | os.PathLike[str]) -> Path:
        """Stream the document at ``url`` into ``target``, replacing it only once complete."""
        self.check(url)
        response = self._send("GET", url, stream=True)
        try:
            with AtomicFile(target) as out:
                for chunk in response.iter_content(chunk_size=_CHUNK):
                    out.write(chunk)
        except requests.RequestException as exc:
            raise _interrupted(url, target, exc) from exc
        finally:
            response.close()
        return Path(target)

    async def download_async(self, url: str, target: str | os.PathLike[str]) -> Path:
        """:meth:`download`, awaited: streamed into a temporary file renamed over ``target`` when
        complete (the final fsync and rename in a worker thread)."""
        self.check(url)
        async with self._client_async() as client:
            response = await self._send_async(client, "GET", url)
            out = AtomicFile(target)
            try:
                async for chunk in response.aiter_bytes(_CHUNK):
                    out.write(chunk)
                await asyncio.to_thread(out.commit)
            except httpx.HTTPError as exc:
                raise _interrupted(url, target, exc) from exc
            finally:
                out.discard()
                await response.aclose()
        return Path(target)

    # -- the two sockets -----------------------------------------------------------------------------
    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        try:
            response = self._session.request(
                method, url, timeout=self.timeout, allow_redirects=False, **kwargs
            )
        except requests.Timeout as exc:
            raise _failed(method, url, exc, timed_out=True) from exc
        except requests.ConnectionError as exc:
            raise _failed(method, url, exc, timed_out=False) from exc
        _log_answer(method, url, response.status_code)
        if response.status_code >= 300:
            error = _refused(response, url)
            response.close()
            raise error
        return response

    def _client_async(self) -> httpx.AsyncClient:
        """A client for one transfer: a pool is bound to its event loop, and next to a large body
        one handshake costs nothing.  No auth, no redirects, no default headers; every phase timed."""
        connect, read = self.timeout if isinstance(self.timeout, tuple) else (self.timeout, self.timeout)
        return httpx.AsyncClient(
            timeout=httpx.Timeout(read, connect=connect),
            follow_redirects=False,
            trust_env=self._session.trust_env,
        )

    async def _send_async(
        self, client: httpx.AsyncClient, method: str, url: str, **kwargs: Any
    ) -> httpx.Response:
        """The answer with its body still streaming (the caller closes it); errors as :meth:`_send`'s."""
        try:
            response = await client.send(client.build_request(method, url, **kwargs), stream=True)
        except httpx.TimeoutException as exc:
            raise _failed(method, url, exc, timed_out=True) from exc
        except httpx.TransportError as exc:
            raise _failed(method, url, exc, timed_out=False) from exc
        _log_answer(method, url, response.status_code)
        if response.status_code >= 300:
            try:
                await response.aread()
            finally:
                await response.aclose()
            raise _refused(as_requests_response(response), url)
        return response

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> SignedTransfers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ------------------------------------------------------------------ shared by both sockets
@contextlib.contextmanager
def _opened(
    source: UploadSource, content_type: str, headers: dict[str, str] | None
) -> Iterator[tuple[Any, dict[str, str]]]:
    """The body to send for ``source`` (a path opened for the time of the request) and its headers."""
    sent_headers = {"Content-Type": content_type, **(headers or {})}
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        sent_headers.setdefault("Content-Length", str(path.stat().st_size))
        with open(path, "rb") as body:
            yield body, sent_headers
        return
    if isinstance(source, (bytes, bytearray)):
        sent_headers.setdefault("Content-Length", str(len(source)))
    yield source, sent_headers


async def _async_chunks(body: Any) -> AsyncIterator[bytes]:
    """Any upload body as async chunks: file reads happen in a worker thread, never on the loop."""
    if isinstance(body, (bytes, bytearray)):
        yield bytes(body)
    elif isinstance(body, AsyncIterable):
        async for chunk in body:
            yield chunk
    elif hasattr(body, "read"):
        while chunk := await asyncio.to_thread(body.read, _CHUNK):
            yield chunk
    else:
        for chunk in body:
            yield chunk


def _failed(method: str, url: str, exc: Exception, *, timed_out: bool) -> TransportError:
    """The typed error of a transfer that got no answer, with the signature taken out."""
    detail = redact(str(exc) or type(exc).__name__, _signature_parts(url))
    if timed_out:
        return RequestTimeout(f"{method} {_shown(url)} timed out: {detail}")
    return ConnectionFailed(f"{method} {_shown(url)}: cannot reach the transfer host: {detail}")


def _refused(response: requests.Response, url: str) -> Exception:
    """The typed error of a non-2xx answer; the signature is removed wherever the host echoed it."""
    return error_from_response(response, secrets=_signature_parts(url))


def _interrupted(url: str, target: str | os.PathLike[str], exc: Exception) -> TransportError:
    return TransportError(
        f"GET {_shown(url)}: the download was interrupted ({type(exc).__name__}); {target} was left as it was"
    )


def _log_answer(method: str, url: str, status: int) -> None:
    log.debug("%s %s -> %d (signed transfer)", method, _shown(url), status)


def _signature_parts(url: str) -> list[str]:
    """The URL and each of its query values: any of them may be (part of) the signature."""
    return [url, *(value for _, value in parse_qsl(urlsplit(url).query) if len(value) >= 4)]


def _shown(url: str) -> str:
    """The URL without its query: the signature in it is a credential and never logged."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + ("?…" if parts.query else "")
