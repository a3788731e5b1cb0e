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

        want = {"auth": auth, "form": form, "json_body": json_body}

        def match(request: requests.PreparedRequest) -> tuple[bool, str]:
            got = urlsplit(request.url or "").query
            if got != query:
                return False, f"query {got!r} != {query!r}"
            sent = request.body.decode() if isinstance(request.body, bytes) else request.body
            problem = _mismatch(
                want, request.headers.get("Authorization"), sent or "", request.headers.get("Content-Type")
            )
            return not problem, problem

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


class AsyncFakeIon:
    """:class:`FakeIon` for the awaited forms: the same ``expect`` served to httpx through respx.

    One catch-all route answers every request with the first declared one that has its method,
    URL and exact raw query; its Authorization header and body are then asserted as FakeIon's
    are.  A request nobody declared is answered 599 and remembered; :meth:`verify` (called by the
    fixture) fails on it, and on any declared request never sent.  The OAuth refresh stays on
    ``requests`` (the async transport runs the blocking token call in a worker thread), so
    ``token()`` declares it on the ``responses`` mock.
    """

    def __init__(self, router: Any, sync_mock: responses.RequestsMock) -> None:
        self.mock = sync_mock
        self.pending: list[dict[str, Any]] = []
        self.problems: list[str] = []
        self.served = 0
        router.route().mock(side_effect=self._answer)

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
    ) -> None:
        url = path if path.startswith("http") else HOST + path
        self.pending.append(dict(locals(), url=url))

    def token(self, refresh: str = REFRESH, reply: dict[str, Any] | None = None, status: int = 200) -> None:
        FakeIon(self.mock).token(refresh, reply, status)

    def _answer(self, request: Any) -> Any:
        import httpx

        url = str(request.url).split("?", 1)[0]
        query = request.url.query.decode()
        key = (request.method, url, query)
        want = next((w for w in self.pending if (w["method"], w["url"], w["query"]) == key), None)
        if want is None:
            self.problems.append(f"undeclared {request.method} {request.url}")
            return httpx.Response(599)
        self.pending.remove(want)
        self.served += 1
        problem = _mismatch(
            want,
            request.headers.get("Authorization"),
            request.content.decode(),
            request.headers.get("Content-Type"),
        )
        if problem:
            self.problems.append(f"{request.method} {url}: {problem}")
            return httpx.Response(599)
        if want["body"] is not None:
            return httpx.Response(want["status"], content=want["body"], headers=want["headers"])
        reply = want["reply"] if want["reply"] is not None else {}
        return httpx.Response(want["status"], json=reply, headers=want["headers"])

    def verify(self) -> None:
        assert not self.problems, self.problems
        assert not self.pending, f"declared but never sent: {[(w['method'], w['url']) for w in self.pending]}"


def _mismatch(want: dict[str, Any], auth: str | None, sent: str, content_type: str | None) -> str:
    """What differs between a declared request and the one sent ('' when nothing does)."""
    if want["auth"] is not None and auth != want["auth"]:
        return "wrong Authorization header"
    if want["auth"] is None and auth is not None:
        return "an Authorization header was sent"
    if want["form"] is not None:
        if sent != want["form"] or content_type != "application/x-www-form-urlencoded":
            return f"form {sent!r} != {want['form']!r}"
    elif want["json_body"] is not NO_BODY:
        if not sent or json.loads(sent) != want["json_body"]:
            return f"body {sent!r} != {want['json_body']!r}"
    elif sent:
        return f"unexpected body {sent!r}"
    return ""
