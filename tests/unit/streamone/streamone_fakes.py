"""A strict fake StreamOne Ion for the wire tests (fixtures in conftest.py): every request must be
declared, exactly.

Each declared request matches on method, path, the *raw* encoded query string (so percent-encoding
and parameter order are asserted too), the body (JSON, form, or none) and the Authorization header.
An undeclared request, or a declared one never sent, fails the test.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlsplit

import requests
import responses

HOST = "https://ion.test"
ACCOUNT = "123"
V3 = f"/api/v3/accounts/{ACCOUNT}"
API_KEY, API_SECRET = "key-1", "s3cret&key"
BASIC = "Basic " + base64.b64encode(f"{API_KEY}:{API_SECRET}".encode()).decode()
ACCESS, REFRESH = "at-1", "rt-1"

NO_BODY: Any = object()


class FakeIon:
    def __init__(self, mock: responses.RequestsMock) -> None:
        self.mock = mock

    def expect(
        self,
        method: str,
        path: str,
        query: str = "",
        *,
        json_body: Any = NO_BODY,
        form: str | None = None,
        auth: str | None = BASIC,
        status: int = 200,
        reply: Any = None,
        headers: dict[str, str] | None = None,
        body: bytes | str | None = None,
    ) -> responses.BaseResponse:
        """``query`` is the exact encoded query string; ``form`` the exact form body."""

        def match(request: requests.PreparedRequest) -> tuple[bool, str]:
            got = urlsplit(request.url or "").query
            if got != query:
                return False, f"query {got!r} != {query!r}"
            if auth is not None and request.headers.get("Authorization") != auth:
                return False, "wrong Authorization header"
            if auth is None and "Authorization" in request.headers:
                return False, "an Authorization header was sent"
            sent = request.body.decode() if isinstance(request.body, bytes) else request.body
            if form is not None:
                if sent != form or request.headers.get("Content-Type") != "application/x-www-form-urlencoded":
                    return False, f"form {sent!r} != {form!r}"
            elif json_body is not NO_BODY:
                if sent is None or json.loads(sent) != json_body:
                    return False, f"body {sent!r} != {json_body!r}"
            elif sent:
                return False, f"unexpected body {sent!r}"
            return True, ""

        url = path if path.startswith("http") else HOST + path
        if body is not None:
            return self.mock.add(method, url, body=body, status=status, headers=headers, match=[match])
        return self.mock.add(
            method,
            url,
            json=reply if reply is not None else {},
            status=status,
            headers=headers,
            match=[match],
        )

    def token(self, refresh: str = REFRESH, reply: dict[str, Any] | None = None, status: int = 200) -> None:
        """The refresh grant the first v3 call makes (a form, no Authorization header)."""
        self.expect(
            "POST",
            "/oauth/token",
            form=f"grant_type=refresh_token&refresh_token={refresh}",
            auth=None,
            reply=reply if reply is not None else token_reply(),
            status=status,
        )


def bearer(token: str = ACCESS) -> str:
    return f"Bearer {token}"


def token_reply(access: str = ACCESS, refresh: str = "rt-2", expires_in: int = 7200) -> dict[str, Any]:
    return {
        "access_token": access,
        "expires_in": expires_in,
        "refresh_token": refresh,
        "token_type": "Bearer",
    }
