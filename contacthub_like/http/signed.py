"""Transfers to and from pre-signed URLs an API hands out (upload slots, file links).

Such a URL is a credential of its own and usually points at another host (a storage
service), so these requests go through a separate pool that never sends the API's
``Authorization`` header, with their own timeouts (files are large), streamed from and to
disk, and only to hosts the caller allows: by default the host of the URL the API gave,
over HTTPS (plain HTTP only on loopback, where the embedded sandbox serves them).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qsl, urlsplit

import requests

from .._log import get_logger, redact
from ..errors import ConnectionFailed, InvalidValue, RequestTimeout, TransportError, error_from_response
from .encoding import Timeout, _is_loopback
from .files import atomic_write

__all__ = ["SignedTransfers", "DEFAULT_TRANSFER_TIMEOUT"]

log: logging.Logger = get_logger("transport")

#: (connect, read) seconds: a storage service may take a while to answer a large body
DEFAULT_TRANSFER_TIMEOUT: tuple[float, float] = (10.0, 300.0)
_CHUNK = 256 * 1024


class SignedTransfers:
    """PUT or GET bytes at pre-signed URLs, without the API's credentials.

    :param allowed_hosts: hosts a URL may point at; ``None`` accepts the host of any URL the
        API gave, over HTTPS or on loopback.
    :param timeout: seconds, or ``(connect, read)``, for every transfer.
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

    def upload(
        self,
        url: str,
        source: str | os.PathLike[str] | bytes | IO[bytes] | Iterable[bytes],
        *,
        content_type: str = "application/octet-stream",
        method: str = "PUT",
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        """Send ``source`` (a file path, bytes, a binary file or chunks) as the body; streamed from disk."""
        self.check(url)
        sent_headers = {"Content-Type": content_type, **(headers or {})}
        if isinstance(source, (str, os.PathLike)):
            path = Path(source)
            sent_headers.setdefault("Content-Length", str(path.stat().st_size))
            with open(path, "rb") as body:
                return self._send(method, url, data=body, headers=sent_headers)
        return self._send(method, url, data=source, headers=sent_headers)

    def download(self, url: str, target: str | os.PathLike[str]) -> Path:
        """Stream the document at ``url`` into ``target``, replacing it only once complete."""
        self.check(url)
        response = self._send("GET", url, stream=True)
        try:
            return atomic_write(target, response.iter_content(chunk_size=_CHUNK))
        except requests.RequestException as exc:
            raise TransportError(
                f"GET {_shown(url)}: the download was interrupted ({type(exc).__name__}); {target} was left as it was"
            ) from exc
        finally:
            response.close()

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        shown = _shown(url)
        try:
            response = self._session.request(
                method, url, timeout=self.timeout, allow_redirects=False, **kwargs
            )
        except requests.Timeout as exc:
            raise RequestTimeout(f"{method} {shown} timed out: {redact(str(exc), [url])}") from exc
        except requests.ConnectionError as exc:
            raise ConnectionFailed(
                f"{method} {shown}: cannot reach the transfer host: {redact(str(exc), [url])}"
            ) from exc
        log.debug("%s %s -> %d (signed transfer)", method, shown, response.status_code)
        if response.status_code >= 300:
            error = error_from_response(response, secrets=_signature_parts(url))
            response.close()
            raise error
        return response

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> SignedTransfers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _signature_parts(url: str) -> list[str]:
    """The URL and each of its query values: any of them may be (part of) the signature."""
    return [url, *(value for _, value in parse_qsl(urlsplit(url).query) if len(value) >= 4)]


def _shown(url: str) -> str:
    """The URL without its query: the signature in it is a credential and never logged."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + ("?…" if parts.query else "")
