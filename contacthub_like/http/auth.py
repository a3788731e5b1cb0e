"""Authentication strategies, as :class:`requests.auth.AuthBase` objects.

Static schemes (:class:`BearerToken`, :class:`BasicAuth`, :class:`StaticJWT`) compute the
header value once, when the object is built, so signing a request is a single dict
assignment.  :class:`OAuth2PasswordGrant` (in :mod:`.oauth`, exported here too) keeps an
expiring access token in a cachetools cache and renews it under a lock, so many threads
waiting on an expired token cause one token request, not one each.  ``repr``/``str``
never show a secret, and ``secrets`` lists the strings a log line or an error message must
never contain (see :func:`redact`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from urllib.parse import urlsplit

import requests
from requests.auth import AuthBase

from .._log import REDACTED, redact
from ..errors import InvalidType, InvalidValue
from .credentials import check_secret
from .oauth import AccessToken, OAuth2PasswordGrant

__all__ = [
    "BearerToken",
    "BasicAuth",
    "StaticJWT",
    "OAuth2PasswordGrant",
    "AccessToken",
    "RoutedAuth",
    "redact",
    "REDACTED",
]


class BearerToken(AuthBase):
    """``Authorization: Bearer <token>``, the scheme ContactHub uses."""

    #: signing never waits on the network (the async transport signs inline)
    may_block = False

    __slots__ = ("_token", "_header")

    def __init__(self, token: str) -> None:
        self._token = check_secret(token, "token")
        self._header = f"Bearer {self._token}"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = self._header
        return request

    @property
    def header_value(self) -> str:
        """The full ``Authorization`` value (for transports that set headers themselves)."""
        return self._header

    @property
    def secrets(self) -> tuple[str, ...]:
        """Strings that must never be shown: the token."""
        return (self._token,)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BearerToken) and other._token == self._token

    def __hash__(self) -> int:
        return hash((BearerToken, self._token))

    def __repr__(self) -> str:
        return f"BearerToken(token='{REDACTED}')"

    __str__ = __repr__


class BasicAuth(AuthBase):
    """``Authorization: Basic ...`` from a username and password (UTF-8 encoded).

    Unlike :class:`requests.auth.HTTPBasicAuth` (Latin-1), non-ASCII passwords are sent as
    UTF-8, which is what current servers expect (RFC 7617 ``charset="UTF-8"``).
    """

    #: signing never waits on the network (the async transport signs inline)
    may_block = False

    __slots__ = ("_username", "_password", "_header")

    def __init__(self, username: str, password: str) -> None:
        if not isinstance(username, str):
            raise InvalidType(f"username must be a str, got {type(username).__name__}")
        if not isinstance(password, str):
            raise InvalidType(f"password must be a str, got {type(password).__name__}")
        if ":" in username:
            raise InvalidValue("username must not contain ':' (Basic auth cannot carry it)")
        self._username = username
        self._password = password
        raw = f"{username}:{password}".encode()
        self._header = "Basic " + base64.b64encode(raw).decode("ascii")

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = self._header
        return request

    @property
    def username(self) -> str:
        return self._username

    @property
    def header_value(self) -> str:
        return self._header

    @property
    def secrets(self) -> tuple[str, ...]:
        """Strings that must never be shown: the password and the encoded credentials."""
        return (self._password, self._header.split(" ", 1)[1])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BasicAuth) and other._header == self._header

    def __hash__(self) -> int:
        return hash((BasicAuth, self._header))

    def __repr__(self) -> str:
        return f"BasicAuth(username={self._username!r}, password='{REDACTED}')"

    __str__ = __repr__


# ------------------------------------------------------------------------------ static JWT


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


class StaticJWT(AuthBase):
    """A never-expiring HS256 JWT built from a client id and secret (SAS CI360 gateway recipe).

    Header ``{"alg":"HS256","typ":"JWT"}``, claims ``{"clientID": client_id}`` and nothing
    else; the HMAC key is the ASCII text of ``base64(client_secret)`` (the encoded form is the
    key, it is not decoded).  The token is the same bytes every time, so it is built once.
    """

    #: signing never waits on the network (the async transport signs inline)
    may_block = False

    __slots__ = ("_client_id", "_secret", "_token", "_header")

    def __init__(self, client_id: str, client_secret: str) -> None:
        if not isinstance(client_id, str) or not client_id.strip():
            raise InvalidValue("client_id must be a non-empty str (the tenant id)")
        self._client_id = client_id.strip()
        self._secret = check_secret(client_secret, "client_secret")
        header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
        claims = _b64url(json.dumps({"clientID": self._client_id}, separators=(",", ":")).encode())
        key = base64.b64encode(self._secret.encode("utf-8"))
        signature = hmac.new(key, f"{header}.{claims}".encode("ascii"), hashlib.sha256).digest()
        self._token = f"{header}.{claims}.{_b64url(signature)}"
        self._header = f"Bearer {self._token}"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = self._header
        return request

    @property
    def client_id(self) -> str:
        return self._client_id

    @property
    def header_value(self) -> str:
        return self._header

    @property
    def secrets(self) -> tuple[str, ...]:
        """The client secret, its base64 form (the signing key) and the token."""
        return (self._secret, base64.b64encode(self._secret.encode("utf-8")).decode("ascii"), self._token)

    def __repr__(self) -> str:
        return f"StaticJWT(client_id={self._client_id!r}, client_secret='{REDACTED}')"

    __str__ = __repr__


# --------------------------------------------------------------- one auth per path prefix


class RoutedAuth(AuthBase):
    """A different credential per API path: the longest matching prefix picks it.

    Some APIs take different tokens on different resources behind one base URL (SAS CI360:
    the temporary token on ``/marketingAudience``, the static JWT everywhere else).  A
    connector declares ``{prefix: auth}`` once; every request, sync or async, is signed by
    the strategy of its path, so an entity never chooses a token itself.

    :param base_url: the API root the prefixes are relative to.
    :param routes: path prefix (``"/marketingAudience"``) → strategy; a prefix matches whole
        segments only (``/a`` matches ``/a`` and ``/a/b``, not ``/ab``).
    :param default: the strategy of every other path (``None``: no Authorization header).
    """

    def __init__(
        self, base_url: str, routes: Mapping[str, AuthBase], default: AuthBase | None = None
    ) -> None:
        for prefix, auth in routes.items():
            if not prefix.startswith("/") or prefix.endswith("/") or not callable(auth):
                raise InvalidValue(
                    "a route is '/prefix' (no trailing slash) -> an auth strategy, "
                    f"got {prefix!r} -> {auth!r}"
                )
        self._base_path = urlsplit(base_url).path.rstrip("/")
        # longest first, so /a/b wins over /a
        self._routes = sorted(routes.items(), key=lambda item: len(item[0]), reverse=True)
        self._default = default
        strategies = [auth for _, auth in self._routes] + ([default] if default is not None else [])
        self._strategies = strategies
        #: signing may wait on a token request when any strategy may
        self.may_block: bool = any(getattr(auth, "may_block", True) for auth in strategies)

    def for_url(self, url: str) -> AuthBase | None:
        """The strategy that signs a request to ``url``."""
        path = urlsplit(url).path
        if self._base_path and path.startswith(self._base_path):
            path = path[len(self._base_path) :]
        for prefix, auth in self._routes:
            if path == prefix or path.startswith(prefix + "/"):
                return auth
        return self._default

    def may_block_for(self, url: str) -> bool:
        """Whether signing a request to ``url`` may wait on a token request (the async transport
        signs the others inline instead of in a worker thread)."""
        auth = self.for_url(url)
        return auth is not None and getattr(auth, "may_block", True)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        auth = self.for_url(str(request.url))
        return auth(request) if auth is not None else request

    def reauthenticate(self, request: requests.PreparedRequest) -> bool:
        """After a 401: renew the credential of that path, when its strategy can."""
        renew = getattr(self.for_url(str(request.url)), "reauthenticate", None)
        return bool(renew(request)) if renew is not None else False

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every strategy's secrets."""
        return tuple(s for auth in self._strategies for s in getattr(auth, "secrets", ()))

    def close(self) -> None:
        """Close the strategies that hold connections (token endpoints)."""
        for auth in self._strategies:
            close = getattr(auth, "close", None)
            if callable(close):
                close()

    def __repr__(self) -> str:
        shown = ", ".join(f"{prefix!r}: {auth!r}" for prefix, auth in reversed(self._routes))
        return f"RoutedAuth({{{shown}}}, default={self._default!r})"

    __str__ = __repr__
