"""OAuth2 resource-owner password grant: expiring access tokens renewed once, however many threads wait.

The access token lives in a cachetools cache and is renewed under a lock, so many threads
waiting on an expired token cause one token request, not one each; a rotating refresh token
is handed to ``on_refresh_token`` as soon as the server issues it. ``repr``/``str`` never
show a secret.
"""

from __future__ import annotations

import base64
import logging
import math
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from typing import Any

import attrs
import cachetools
import requests
from requests.auth import AuthBase

from .._log import REDACTED, get_logger, redact
from ..errors import (
    BadRequest,
    ConnectionFailed,
    InvalidResponse,
    InvalidType,
    InvalidValue,
    RequestTimeout,
    TransportError,
    Unauthorized,
    error_from_response,
)
from .credentials import check_secret
from .timeouts import DEFAULT_TIMEOUT

__all__ = ["AccessToken", "OAuth2PasswordGrant", "token_request_failed"]

log: logging.Logger = get_logger("auth")


@attrs.frozen(repr=False)
class AccessToken:
    """An access token and when (on the auth object's monotonic clock) it should be renewed."""

    value: str
    expires_at: float
    renew_at: float

    def __repr__(self) -> str:
        return f"AccessToken(value='{REDACTED}', expires_at={self.expires_at:.1f})"


_CACHE_KEY = "access"


class OAuth2PasswordGrant(AuthBase):
    """OAuth2 resource-owner password grant with refresh tokens, safe to share between threads.

    :param token_url: the token endpoint (the embedded hub's is ``<base_url>/oauth/token``).
    :param username: the API user (password grant).
    :param password: the API user's password.
    :param client_id: the client's id, sent in the form when there is no ``client_secret``.
    :param client_secret: with ``client_id``, sent as HTTP Basic client credentials.
    :param refresh_token: a refresh token from an earlier run, tried before the password.
    :param on_refresh_token: called with every new refresh token the server issues (servers
        that rotate them invalidate the old one), so the caller can store it for the next run.
    :param refresh_margin: renew this many seconds before the access token expires (at most
        half its lifetime), so requests in flight do not carry a token that dies on the way.
    :param timeout: timeout of token requests, seconds or ``(connect, read)``.
    :param token_auth: signs the token request itself, for token endpoints that want a
        credential of their own (SAS CI360's takes the static JWT as bearer); not with
        ``client_secret``, which would set the same header.
    :param token_body: ``"form"`` (RFC 6749's urlencoded body) or ``"json"`` for token
        endpoints that read a JSON object (NetSapiens v2 ``POST /tokens``).
    :param client_auth: ``"basic"`` sends ``client_id``/``client_secret`` as HTTP Basic
        credentials; ``"body"`` puts both in the request body, as NetSapiens requires.

    The access token lives in a :class:`cachetools.TLRUCache` whose entries expire at their
    renewal time.  A thread that finds it empty takes the lock; threads arriving meanwhile
    wait on the lock and then find the new token, so one expiry costs one token request.
    After a 401 the transport calls :meth:`reauthenticate` once: the token is renewed unless
    another thread already did.  A refused refresh token falls back to the password grant.
    ``grants`` counts the token requests made, by grant type.
    """

    def __init__(
        self,
        token_url: str,
        username: str,
        password: str,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        refresh_token: str | None = None,
        on_refresh_token: Callable[[str], None] | None = None,
        refresh_margin: float = 30.0,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        token_body: str = "form",
        client_auth: str = "basic",
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
        token_auth: AuthBase | None = None,
    ) -> None:
        if token_auth is not None and (client_secret is not None or not callable(token_auth)):
            raise InvalidValue(
                "token_auth must be a requests AuthBase and cannot be combined with client_secret "
                "(both would set the token request's Authorization header)"
            )
        if token_body not in ("form", "json"):
            raise InvalidValue(f"token_body must be 'form' or 'json', got {token_body!r}")
        if client_auth not in ("basic", "body"):
            raise InvalidValue(f"client_auth must be 'basic' or 'body', got {client_auth!r}")
        if not isinstance(token_url, str) or not token_url.startswith(("http://", "https://")):
            raise InvalidValue(f"token_url must be an http(s) URL, got {token_url!r}")
        if not isinstance(username, str) or not username:
            raise InvalidValue("username must be a non-empty str")
        if not isinstance(password, str) or not password:
            raise InvalidValue("password must be a non-empty str")
        if on_refresh_token is not None and not callable(on_refresh_token):
            raise InvalidType("on_refresh_token must be a callable taking the new refresh token")
        if isinstance(refresh_margin, bool) or not isinstance(refresh_margin, (int, float)):
            raise InvalidType(
                f"refresh_margin must be a number of seconds, got {type(refresh_margin).__name__}"
            )
        if not math.isfinite(refresh_margin) or refresh_margin < 0:
            raise InvalidValue(f"refresh_margin must be a finite number >= 0, got {refresh_margin!r}")
        self._token_url = token_url
        self._username = username
        self._password = password
        self._client_id = client_id
        self._client_secret = (
            check_secret(client_secret, "client_secret") if client_secret is not None else None
        )
        self._refresh_token = (
            check_secret(refresh_token, "refresh_token") if refresh_token is not None else None
        )
        self._on_refresh_token = on_refresh_token
        self._token_auth = token_auth
        self._margin = float(refresh_margin)
        self._timeout = timeout
        self._token_body = token_body
        self._client_auth = client_auth
        self._session = session or requests.Session()
        self._owns_session = session is None
        self._clock = clock
        self._lock = threading.Lock()
        self._cache: cachetools.TLRUCache[str, AccessToken] = cachetools.TLRUCache(
            maxsize=1, ttu=lambda _key, token, _now: token.renew_at, timer=clock
        )
        # every token this object has held, for redaction (bounded: old ones are long dead)
        self._seen: deque[str] = deque(maxlen=32)
        self.grants: Counter[str] = Counter()

    # -- requests' AuthBase ---------------------------------------------------------------------
    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.access_token().value}"
        return request

    def access_token(self) -> AccessToken:
        """The current access token, obtained or renewed first when needed."""
        token = self._cache.get(_CACHE_KEY)
        if token is not None:
            return token
        with self._lock:
            token = self._cache.get(_CACHE_KEY)
            if token is None:
                token = self._obtain()
            return token

    def reauthenticate(self, request: requests.PreparedRequest) -> bool:
        """After a 401: renew the token unless another thread already replaced the one ``request`` used."""
        used = request.headers.get("Authorization", "")
        with self._lock:
            current = self._cache.get(_CACHE_KEY)
            if current is None or f"Bearer {current.value}" == used:
                self._cache.pop(_CACHE_KEY, None)
                self._obtain()
        return True

    # -- token requests (lock held) --------------------------------------------------------------
    def _obtain(self) -> AccessToken:
        if self._refresh_token is not None:
            try:
                return self._grant({"grant_type": "refresh_token", "refresh_token": self._refresh_token})
            except (BadRequest, Unauthorized) as exc:
                log.debug("the refresh token was refused (%s); using the password grant", exc.status_code)
                self._refresh_token = None
        return self._grant({"grant_type": "password", "username": self._username, "password": self._password})

    def _grant(self, form: dict[str, str]) -> AccessToken:
        grant = form["grant_type"]
        auth: Any = self._token_auth
        if self._client_secret is not None and self._client_auth == "basic":
            auth = (self._client_id or "", self._client_secret)
        elif self._client_id is not None:
            form = {**form, "client_id": self._client_id}
            if self._client_secret is not None:
                form["client_secret"] = self._client_secret
        body: dict[str, Any] = {"json": form} if self._token_body == "json" else {"data": form}
        started = self._clock()
        try:
            response = self._session.post(
                self._token_url,
                **body,
                auth=auth,
                timeout=self._timeout,
                headers={"Accept": "application/json"},
            )
        except requests.RequestException as exc:
            raise self._wrap(exc) from exc
        self.grants[grant] += 1
        if response.status_code != 200:
            raise error_from_response(response, secrets=self.secrets)
        token, expires_in, refresh = self._parse(response)
        self._seen.append(token)
        if refresh is not None and refresh != self._refresh_token:
            self._refresh_token = refresh
            self._seen.append(refresh)
            if self._on_refresh_token is not None:
                self._on_refresh_token(refresh)
        margin = min(self._margin, expires_in / 2)
        access = AccessToken(token, started + expires_in, started + expires_in - margin)
        self._cache[_CACHE_KEY] = access
        log.debug("obtained an access token (%s grant), valid for %.0f s", grant, expires_in)
        return access

    def _parse(self, response: requests.Response) -> tuple[str, float, str | None]:
        try:
            body: Any = response.json()
        except ValueError:
            body = None
        token = body.get("access_token") if isinstance(body, dict) else None
        expires_in = body.get("expires_in", 3600) if isinstance(body, dict) else None
        refresh = body.get("refresh_token") if isinstance(body, dict) else None
        valid_expiry = (
            isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool) and expires_in > 0
        )
        if (
            not isinstance(token, str)
            or not token
            or not valid_expiry
            or not (refresh is None or isinstance(refresh, str))
        ):
            raise InvalidResponse(
                f"the token endpoint {self._token_url} answered 200 without a usable access_token/expires_in",
                status_code=response.status_code,
                response=response,
            )
        return token, float(expires_in), refresh or None  # type: ignore[arg-type]  # checked above

    def _wrap(self, exc: requests.RequestException) -> TransportError:
        return token_request_failed(exc, self._token_url, self.secrets)

    # -- the rest --------------------------------------------------------------------------------
    @property
    def refresh_token(self) -> str | None:
        """The latest refresh token (store it through ``on_refresh_token`` rather than reading it here)."""
        return self._refresh_token

    @property
    def secrets(self) -> tuple[str, ...]:
        """The password, the client secret and every token this object has held."""
        values = [self._password, *self._seen]
        if self._client_secret is not None:
            values.append(self._client_secret)
            raw = f"{self._client_id or ''}:{self._client_secret}".encode()
            values.append(base64.b64encode(raw).decode("ascii"))
        if self._refresh_token is not None:
            values.append(self._refresh_token)
        values.extend(getattr(self._token_auth, "secrets", ()))
        return tuple(values)

    def close(self) -> None:
        if self._owns_session:
            self._session.close()

    def __repr__(self) -> str:
        return (
            f"OAuth2PasswordGrant(token_url={self._token_url!r}, username={self._username!r}, "
            f"password='{REDACTED}')"
        )

    __str__ = __repr__


def token_request_failed(
    exc: requests.RequestException, token_url: str, secrets: tuple[str, ...]
) -> TransportError:
    """The library's error for a token request that got no answer, with every secret masked."""
    detail = redact(str(exc), secrets)
    if isinstance(exc, requests.Timeout):
        return RequestTimeout(f"token request to {token_url} timed out: {detail}")
    if isinstance(exc, requests.ConnectionError):
        return ConnectionFailed(f"cannot reach the token endpoint {token_url}: {detail}")
    return TransportError(f"token request to {token_url} failed: {type(exc).__name__}: {detail}")
