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
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

import requests
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase

from .. import wire
from .._log import get_logger, redact
from ..errors import (
    APIError,
    ConnectionFailed,
    InvalidType,
    InvalidValue,
    OperationNotPermitted,
    RequestTimeout,
    RetriesExhausted,
    TransportError,
    error_from_response,
)
from .encoding import (
    _NOTHING,
    Timeout,
    _body,
    _check_base_url,
    _check_timeout,
    _Encoded,
    _is_loopback,
    encode_params,
    maybe_applied,
    parsed_answer,
    quote_segment,
)
from .oversize import cut_off_error, refine_error
from .retry import IDEMPOTENT_METHODS
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

log: logging.Logger = get_logger("transport")


def _library_version() -> str:
    # The one stated version (also the distribution's, via setuptools' dynamic version):
    # right from a source tree too, where installed metadata may be absent or stale.
    from contacthub_like._version import __version__

    return __version__


DEFAULT_USER_AGENT = f"contacthub-like/{_library_version()}"

_JSON = "application/json"


class Throttle(Protocol):
    """Called before every attempt; may block to keep under a request rate."""

    def acquire(self) -> None: ...


class RetryPolicy(Protocol):
    """Decides whether and when to repeat a request.

    ``run`` receives ``send``, which performs one attempt and returns the raw response
    (any status) or raises :class:`~contacthub_like.errors.TransportError`.  The policy
    calls it as many times as it wants and returns the response to use; the transport
    then maps a non-2xx status to an exception as usual.  ``idempotent`` says whether
    repeating the request is harmless.  A policy that gives up raises
    :class:`~contacthub_like.errors.RetriesExhausted` (see :class:`contacthub_like.http.retry.Retry`).
    """

    def run(
        self, send: Callable[[], requests.Response], *, method: str, path: str, idempotent: bool
    ) -> requests.Response: ...


#: ``(response, secrets=...) -> Exception``: a service's reading of its error bodies
ErrorDecoder: TypeAlias = Callable[..., Exception]
#: ``(response) -> bool``: whether an answer is the service's throttle signal (beyond 429)
ThrottleSignal: TypeAlias = Callable[[requests.Response], bool]


class Transport:
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
            session = self._new_session(pool_maxsize, base_headers, auth)
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
            _freeze_environment(session, self._base_url)

    @staticmethod
    def _new_session(
        pool_maxsize: int, headers: Mapping[str, str], auth: AuthBase | None
    ) -> requests.Session:
        session = requests.Session()
        adapter = HTTPAdapter(pool_maxsize=pool_maxsize)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        session.headers.update(headers)
        session.auth = auth
        return session

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
    def _secrets(self) -> tuple[str, ...]:
        # read on every use: an OAuth2 auth object's tokens change over time
        return tuple(getattr(self._auth, "secrets", ()))

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

    # ------------------------------------------------------------------- send path

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
            "params": encode_params(params),
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


def _freeze_environment(session: requests.Session, base_url: str) -> None:
    """Read the proxy and CA-bundle settings from the environment once, for every request to come.

    With ``trust_env`` on, requests scans the whole process environment for proxy
    variables on every call (about 0.2 ms, more than all of this library's own work per
    request). The settings that apply to the hub's URL (``HTTPS_PROXY``/``HTTP_PROXY``
    honouring ``NO_PROXY``, ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE``) are taken here
    and kept on the session; ``.netrc`` is not needed because the session has its own
    auth. Changing those variables later does not affect an existing Workspace.
    """
    settings = session.merge_environment_settings(base_url, {}, None, True, None)
    session.proxies.update(settings["proxies"])
    session.verify = settings["verify"]
    session.trust_env = False


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
