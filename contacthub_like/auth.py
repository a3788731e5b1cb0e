"""Authentication strategies, as :class:`requests.auth.AuthBase` objects.

The header value is computed once, when the object is built, so signing a request is a
single dict assignment.  ``repr``/``str`` never show the secret, and ``secrets`` lists the
strings a log line or an error message must never contain (see :func:`redact`).
"""

from __future__ import annotations

import base64

import requests
from requests.auth import AuthBase

from ._log import REDACTED, redact
from .errors import InvalidType, InvalidValue

__all__ = ["BearerToken", "BasicAuth", "redact", "REDACTED"]


def _check_secret(value: object, name: str) -> str:
    """A header-safe secret: a non-empty str with no whitespace or control characters.

    Checked here because requests' own header check quotes the bad value (the secret) in
    its error message.
    """
    if not isinstance(value, str):
        raise InvalidType(f"{name} must be a str, got {type(value).__name__}")
    value = value.strip()
    if not value:
        raise InvalidValue(f"{name} is empty: pass the API token shown in the hub's source settings")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise InvalidValue(f"{name} contains whitespace or control characters; check for a pasting error")
    return value


class BearerToken(AuthBase):
    """``Authorization: Bearer <token>``, the scheme ContactHub uses."""

    __slots__ = ("_token", "_header")

    def __init__(self, token: str) -> None:
        self._token = _check_secret(token, "token")
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
