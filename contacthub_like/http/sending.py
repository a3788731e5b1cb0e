"""The send path of a :class:`~contacthub_like.http.transport.Transport`: attempts, retries, errors, logs.

A call goes::

    _send() -> [retry policy] -> _attempt() -> [throttle] -> session.request()
                                            -> [auth.reauthenticate + resend once on 401]
            -> the service's error decoder for non-2xx

:class:`SendPath` is mixed into the transport (its methods are the transport's own, so
the path costs no extra call); the transport's ``__init__`` sets the state it reads.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests
from requests.auth import AuthBase

from .. import wire
from .._log import get_logger, redact
from ..errors import (
    APIError,
    ConnectionFailed,
    InvalidValue,
    OperationNotPermitted,
    RequestTimeout,
    RetriesExhausted,
    TransportError,
)
from .encoding import _NOTHING, Timeout, _check_timeout, _Encoded, encode_query, maybe_applied
from .hooks import ErrorDecoder, RetryPolicy, Throttle, ThrottleSignal
from .oversize import cut_off_error, refine_error
from .retry import IDEMPOTENT_METHODS

__all__ = ["SendPath"]

log: logging.Logger = get_logger("transport")


class SendPath:
    """How a transport sends one request: attempts, retries, throttle, re-authentication, errors."""

    # set by the transport's __init__ (computed once, read on every request)
    _base_url: str
    _auth: AuthBase | None
    _timeout: Timeout
    _retry: RetryPolicy | None
    _throttle: Throttle | None
    _decode_error: ErrorDecoder
    _throttled: ThrottleSignal | None
    _reauthenticate: Callable[[requests.PreparedRequest], bool] | None
    _closed: bool
    _session: requests.Session
    _call_auth: AuthBase | None
    _plain_headers: dict[str, str] | None
    _body_headers: dict[str, str]

    @property
    def _secrets(self) -> tuple[str, ...]:
        # read on every use: an OAuth2 auth object's tokens change over time
        return tuple(getattr(self._auth, "secrets", ()))

    def _send(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        body: Any,
        headers: Mapping[str, str] | None,
        timeout: Timeout | None,
        stream: bool,
        idempotent: bool | None = None,
    ) -> requests.Response:
        if self._closed:
            raise OperationNotPermitted("this connection is closed; create a new Workspace to reconnect")
        method = method.upper()
        url = self._url(path)
        kwargs: dict[str, Any] = {
            "params": encode_query(params),
            "timeout": self._timeout if timeout is None else _check_timeout(timeout),
            "auth": self._call_auth,
            "stream": stream,
        }
        if body is _NOTHING:
            base_headers = self._plain_headers
        elif isinstance(body, _Encoded):
            base_headers = {**(self._plain_headers or {}), "Content-Type": body.content_type}
            kwargs["data"] = body.data
        else:
            base_headers = self._body_headers
            kwargs["data"] = wire.dumps(body).encode("utf-8")
        kwargs["headers"] = {**(base_headers or {}), **headers} if headers else base_headers

        # one entry per attempt: the status, or None when there was no answer
        outcomes: list[int | None] = []

        def attempt() -> requests.Response:
            return self._attempt(method, url, path, kwargs, outcomes)

        if self._retry is None:
            response = attempt()
        else:
            safe = method in IDEMPOTENT_METHODS if idempotent is None else bool(idempotent)
            try:
                extra = {"throttled": self._throttled} if self._throttled is not None else {}
                response = self._retry.run(attempt, method=method, path=path, idempotent=safe, **extra)
            except RetriesExhausted as exc:
                if exc.response is not None and exc.last_error is None:
                    exc.last_error = self._error(exc.response)
                raise
        if response.status_code >= 300:
            error = self._error(response)
            if isinstance(error, APIError):
                error.attempts = max(1, len(outcomes))
                error.maybe_applied_before = maybe_applied(outcomes)
            raise error
        return response

    def _attempt(
        self, method: str, url: str, path: str, kwargs: dict[str, Any], outcomes: list[int | None]
    ) -> requests.Response:
        """One attempt (plus one resend when the auth renewed its credentials after a 401)."""
        number = len(outcomes) + 1
        try:
            response = self._send_once(method, url, path, kwargs, number)
            if (
                response.status_code == 401
                and self._reauthenticate is not None
                and self._reauthenticate(response.request)
            ):
                response = self._send_once(method, url, path, kwargs, number)
        except TransportError:
            outcomes.append(None)
            raise
        outcomes.append(response.status_code)
        return response

    def _send_once(
        self, method: str, url: str, path: str, kwargs: dict[str, Any], attempt: int = 1
    ) -> requests.Response:
        if self._throttle is not None:
            self._throttle.acquire()
        debug = log.isEnabledFor(logging.DEBUG)
        start = time.perf_counter() if debug else 0.0
        try:
            response = self._session.request(method, url, **kwargs)
        except requests.RequestException as exc:
            too_large = cut_off_error(exc, method, path, url, kwargs)
            if too_large is not None:  # not worth a retry: the same request would be cut off again
                raise too_large from None
            error = self._wrap(exc, method, path)
            if debug:
                log.debug(
                    "%s %s failed after %.1f ms: %s (attempt %d)",
                    method,
                    path,
                    _ms(start),
                    type(error).__name__,
                    attempt,
                )
            raise error from exc
        if debug:
            log.debug(
                "%s %s -> %d in %.1f ms (attempt %d)", method, path, response.status_code, _ms(start), attempt
            )
        return response

    def _url(self, path: str) -> str:
        if path.startswith("/"):
            return self._base_url + path
        if path.startswith(self._base_url + "/"):  # an href the hub returned
            return path
        raise InvalidValue(f"path must start with '/' (relative to {self._base_url}), got {path!r}")

    def _wrap(self, exc: requests.RequestException, method: str, path: str) -> TransportError:
        detail = redact(str(exc), self._secrets)
        if isinstance(exc, requests.Timeout):
            return RequestTimeout(f"{method} {path} timed out: {detail}")
        if isinstance(exc, requests.ConnectionError):
            return ConnectionFailed(f"{method} {path}: cannot reach {self._base_url}: {detail}")
        return TransportError(f"{method} {path} failed: {type(exc).__name__}: {detail}")

    def _error(self, response: requests.Response) -> Exception:
        _scrub_authorization(response)
        return refine_error(self._decode_error(response, secrets=self._secrets), response)


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


def _scrub_authorization(response: requests.Response) -> None:
    """Mask the Authorization header of the request an error keeps a reference to.

    The request is finished; masking it means an error report that dumps the exception's
    attributes (``error.response.request.headers``) cannot leak the token.
    """
    for r in (response.request, *(h.request for h in response.history)):
        if r is not None and "Authorization" in r.headers:
            r.headers["Authorization"] = "***"
