"""HTTP transport: one :class:`requests.Session`, timeouts, error mapping, logging.

The transport moves requests; it knows nothing about entities.  A call goes::

    request() -> _send() -> [retry policy] -> _attempt() -> [throttle] -> session.request()
                                                         -> [auth.reauthenticate + resend once on 401]
              -> error_from_response() for non-2xx, JSON decoding for 2xx

Design points:

* Everything per-request that can be computed once is computed in ``__init__`` (URL
  prefix, default headers on the session, the auth header inside the auth object), so
  the send path is a few dict operations on top of ``requests`` itself.
* Every request carries a timeout: the transport default, or the one given to the call.
* Retries and throttling are *hooks* (:class:`RetryPolicy`, :class:`Throttle`); with
  neither set, nothing is wrapped and one attempt is made.  The transport tells the policy
  whether a request is idempotent (by method, or as the caller says for a POST that is safe
  to repeat), and records every attempt's outcome so an error can say whether an earlier
  attempt may have been applied (``APIError.maybe_applied_before``).
* An auth object with a ``reauthenticate(request) -> bool`` method gets one chance per
  attempt to renew its credentials after a 401; the request is then sent once more.
* The token never reaches a log line, an exception message or a ``repr``.

The send path is :mod:`contacthub_like.http.sending` (mixed in), the owned
:class:`requests.Session` is built by :mod:`contacthub_like.http.connection`, and the hooks'
shapes are in :mod:`contacthub_like.http.hooks`; their public names are importable from here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import requests
from requests.auth import AuthBase

from ..errors import InvalidType, InvalidValue, error_from_response
from .connection import DEFAULT_USER_AGENT, freeze_environment, new_session
from .encoding import (
    _NOTHING,
    Timeout,
    _body,
    _check_base_url,
    _check_timeout,
    _is_loopback,
    encode_params,
    parsed_answer,
    quote_segment,
)
from .hooks import ErrorDecoder, RetryPolicy, Throttle, ThrottleSignal
from .sending import SendPath
from .timeouts import DEFAULT_TIMEOUT

if TYPE_CHECKING:  # pragma: no cover
    from .aio import AsyncTransport

__all__ = [
    "Transport",
    "RetryPolicy",
    "Throttle",
    "Timeout",
    "DEFAULT_TIMEOUT",
    "DEFAULT_USER_AGENT",
    "encode_params",
    "quote_segment",
    "ErrorDecoder",
    "ThrottleSignal",
]


_JSON = "application/json"


class Transport(SendPath):
    """The HTTP session shared by a Workspace and its Nodes.

    :param base_url: API root, e.g. ``https://api.contactlab.it/hub/v1``; paths are appended.
    :param auth: how to sign requests (:class:`~contacthub_like.http.auth.BearerToken`), or ``None``.
    :param timeout: default timeout, seconds or ``(connect, read)``; every call has one.
    :param pool_maxsize: connections kept per host (raise it for threaded bulk work).
    :param session: an existing :class:`requests.Session` to use (e.g. with custom
        adapters or proxies).  It is not modified and ``close()`` leaves it open; headers
        and auth are then passed on each call and ``pool_maxsize`` is not applied.
    :param retry: optional :class:`RetryPolicy` wrapping each call.
    :param throttle: optional :class:`Throttle` consulted before each attempt.
    :param decode_error: the service's error decoder, ``(response, secrets=...) -> Exception``
        (the default reads ``{message, ...}`` envelopes, Spring error pages and plain text).
    :param throttled: the service's throttle signal when it is not (only) 429, so the retry
        policy backs off on it as on a 429.
    """

    def __init__(
        self,
        base_url: str,
        auth: AuthBase | None,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        user_agent: str = DEFAULT_USER_AGENT,
        pool_maxsize: int = 10,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
        throttle: Throttle | None = None,
        decode_error: ErrorDecoder | None = None,
        throttled: ThrottleSignal | None = None,
    ) -> None:
        if auth is not None and not callable(auth):
            raise InvalidType("auth must be a requests AuthBase (e.g. BearerToken(token)) or None")
        if not isinstance(pool_maxsize, int) or isinstance(pool_maxsize, bool) or pool_maxsize < 1:
            raise InvalidValue(f"pool_maxsize must be a positive int, got {pool_maxsize!r}")
        self._base_url = _check_base_url(base_url)
        self._auth = auth
        self._timeout = _check_timeout(timeout)
        self._retry = retry
        self._throttle = throttle
        self._decode_error: ErrorDecoder = decode_error or error_from_response
        self._throttled = throttled
        self._reauthenticate: Callable[[requests.PreparedRequest], bool] | None = getattr(
            auth, "reauthenticate", None
        )
        self._closed = False
        self._pool_maxsize = pool_maxsize
        self._aio: AsyncTransport | None = None
        base_headers = {"Accept": _JSON, "User-Agent": user_agent}
        self._base_headers = base_headers
        self._owns_session = session is None
        if session is None:
            session = new_session(pool_maxsize, base_headers, auth)
            # HTTP(S)_PROXY is for the way out: a hub on this machine (the embedded one) is reached
            # directly, as curl and Go do for loopback, instead of through a proxy that cannot see it
            session.trust_env = not _is_loopback(self._base_url)
            # Session already carries auth and base headers: pass only what differs.
            self._call_auth: AuthBase | None = None
            self._plain_headers: dict[str, str] | None = None
        else:
            self._call_auth = auth
            self._plain_headers = base_headers
        self._session = session
        self._body_headers: dict[str, str] = {**(self._plain_headers or {}), "Content-Type": _JSON}
        if self._owns_session and auth is not None and session.trust_env:
            freeze_environment(session, self._base_url)

    # ------------------------------------------------------------------ properties

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def timeout(self) -> Timeout:
        return self._timeout

    @property
    def auth(self) -> AuthBase | None:
        return self._auth

    @property
    def retry(self) -> RetryPolicy | None:
        return self._retry

    @property
    def throttle(self) -> Throttle | None:
        return self._throttle

    @property
    def secrets(self) -> tuple[str, ...]:
        """What redaction hides: the auth strategy's current secrets."""
        return self._secrets

    @property
    def pool_maxsize(self) -> int:
        return self._pool_maxsize

    @property
    def plain_headers(self) -> dict[str, str]:
        """Headers every request carries (Accept, User-Agent)."""
        return dict(self._base_headers)

    @property
    def throttled(self) -> ThrottleSignal | None:
        """The service's throttle signal, if it has one beyond 429."""
        return self._throttled

    @property
    def aio(self) -> AsyncTransport:
        """The asyncio socket of this transport: same settings, auth, retries and throttle, awaited."""
        if self._aio is None:
            from .aio import AsyncTransport

            self._aio = AsyncTransport(self)
        return self._aio

    def url_for(self, path: str) -> str:
        """The absolute URL of ``path`` (a path below ``base_url``, or an href the API returned)."""
        return self._url(path)

    def decode(self, response: requests.Response) -> Exception:
        """The error for a non-2xx answer, as the service reads it (secrets redacted)."""
        return self._error(response)

    @property
    def session(self) -> requests.Session:
        """The underlying session (for mounting adapters; do not log its headers)."""
        return self._session

    @property
    def closed(self) -> bool:
        return self._closed

    # -------------------------------------------------------------------- requests

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = _NOTHING,
        form: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout | None = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send a request and return the parsed JSON body, or ``None`` for an empty body.

        ``path`` starts with ``/`` and is appended to ``base_url`` as is (quote ids with
        :func:`quote_segment`).  ``json`` is the body, encoded once with
        :func:`contacthub_like.wire.dumps`; leave it out for no body (``None`` sends
        ``null``); ``form`` sends ``application/x-www-form-urlencoded`` instead, ``content`` raw
        bytes labelled ``content_type``.  Non-2xx answers raise the :class:`~contacthub_like.errors.APIError`
        subclass for the status; network failures raise
        :class:`~contacthub_like.errors.TransportError` subclasses.

        ``idempotent`` overrides the method's default (GET/HEAD/OPTIONS/PUT/DELETE are,
        others are not) for the retry policy: pass ``True`` only for a request whose
        repetition is harmless, e.g. a POST carrying an idempotency key.
        """
        body = _body(json, form, content, content_type)
        response = self._send(method, path, params, body, headers, timeout, False, idempotent)
        return parsed_answer(response, method, path)

    async def request_async(self, method: str, path: str, **options: Any) -> Any:
        """:meth:`request`, awaited on this transport's asyncio socket (:attr:`aio`)."""
        options.pop("timeout", None)  # the async client applies the transport's timeout
        return await self.aio.request(method, path, has_json="json" in options, **options)

    async def request_raw_async(self, method: str, path: str, **options: Any) -> Any:
        """:meth:`request_raw`, awaited: the 2xx ``httpx.Response`` (``.content``, ``.headers``) itself."""
        options.pop("timeout", None)
        options.pop("stream", None)
        return await self.aio.request_raw(method, path, has_json="json" in options, **options)

    def request_raw(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = _NOTHING,
        form: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout | None = None,
        stream: bool = False,
        idempotent: bool | None = None,
    ) -> requests.Response:
        """Like :meth:`request` but return the 2xx :class:`requests.Response` itself.

        For non-JSON downloads such as CSV (pass ``headers={"Accept": "text/csv"}``).  With
        ``stream=True`` the caller must close the response.
        """
        body = _body(json, form, content, content_type)
        return self._send(method, path, params, body, headers, timeout, stream, idempotent)

    # ------------------------------------------------------------------- lifecycle

    def close(self) -> None:
        """Close the connection pool (a session passed in by the caller stays open)."""
        if not self._closed:
            self._closed = True
            if self._owns_session:
                self._session.close()

    async def aclose(self) -> None:
        """Close the asyncio connection pool (of the running loop), then the sync one."""
        if self._aio is not None:
            await self._aio.aclose()
        self.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = " closed" if self._closed else ""
        return f"<Transport {self._base_url} auth={self._auth!r} timeout={self._timeout!r}{state}>"
