"""RoutedAuth (a credential per path prefix) and a token request signed by a credential of its own."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import httpx
import pytest
import requests
import responses
import respx
from responses import matchers

from contacthub_like import errors
from contacthub_like.http.auth import BearerToken, OAuth2PasswordGrant, RoutedAuth, StaticJWT
from contacthub_like.http.transport import Transport

BASE = "https://gw.test/ci"
TOKEN_URL = BASE + "/token"


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as m:
        yield m


def signed(auth: RoutedAuth, url: str) -> str | None:
    return requests.Request("GET", url, auth=auth).prepare().headers.get("Authorization")


def test_the_longest_whole_segment_prefix_picks_the_credential() -> None:
    a, b, default = BearerToken("tok-a"), BearerToken("tok-b"), BearerToken("tok-d")
    auth = RoutedAuth(BASE, {"/aud": a, "/aud/special": b}, default=default)
    assert signed(auth, BASE + "/aud") == "Bearer tok-a"
    assert signed(auth, BASE + "/aud/x?y=1") == "Bearer tok-a"
    assert signed(auth, BASE + "/aud/special/1") == "Bearer tok-b"
    assert signed(auth, BASE + "/audit") == "Bearer tok-d"  # not a whole segment
    assert signed(RoutedAuth(BASE, {"/aud": a}), BASE + "/other") is None
    assert set(auth.secrets) == {"tok-a", "tok-b", "tok-d"}
    assert "tok-" not in repr(auth) and auth.may_block is False
    with pytest.raises(errors.InvalidValue, match="prefix"):
        RoutedAuth(BASE, {"aud": a})


def test_a_token_request_signed_by_another_credential(mock: responses.RequestsMock) -> None:
    static = StaticJWT("tenant", "secret-x")
    mock.post(
        TOKEN_URL,
        json={"access_token": "temp-1", "token_type": "bearer", "expires_in": 3600},
        match=[
            matchers.urlencoded_params_matcher(
                {"grant_type": "password", "username": "u", "password": "pw-1"}
            ),
            matchers.header_matcher({"Authorization": static.header_value}),
        ],
    )
    temporary = OAuth2PasswordGrant(TOKEN_URL, "u", "pw-1", token_auth=static)
    assert temporary.access_token().value == "temp-1"
    assert static.header_value.split(" ")[1] in temporary.secrets
    with pytest.raises(errors.InvalidValue, match="client_secret"):
        OAuth2PasswordGrant(TOKEN_URL, "u", "pw", client_id="c", client_secret="s", token_auth=static)


def test_one_token_request_for_many_threads_and_the_route_keeps_it(mock: responses.RequestsMock) -> None:
    static = StaticJWT("tenant", "secret-x")
    mock.post(TOKEN_URL, json={"access_token": "temp-1", "expires_in": 3600})
    mock.get(BASE + "/aud/1", json={}, match=[matchers.header_matcher({"Authorization": "Bearer temp-1"})])
    mock.get(
        BASE + "/data/1", json={}, match=[matchers.header_matcher({"Authorization": static.header_value})]
    )
    temporary = OAuth2PasswordGrant(TOKEN_URL, "u", "pw-1", token_auth=static)
    routed = RoutedAuth(BASE, {"/aud": temporary}, default=static)
    assert routed.may_block is True
    assert routed.may_block_for(BASE + "/aud/1") and not routed.may_block_for(BASE + "/data/1")
    with Transport(BASE, routed, timeout=5) as transport:
        threads = [threading.Thread(target=transport.request, args=("GET", "/aud/1")) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        transport.request("GET", "/data/1")
    assert temporary.grants["password"] == 1


def test_the_async_transport_signs_by_route_too() -> None:
    routed = RoutedAuth(BASE, {"/aud": BearerToken("tok-a")}, default=BearerToken("tok-d"))
    transport = Transport(BASE, routed, timeout=5)

    async def calls() -> None:
        with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
            aud = router.get(BASE + "/aud/1").mock(return_value=httpx.Response(200, json={}))
            data = router.get(BASE + "/data").mock(return_value=httpx.Response(200, json={}))
            await transport.request_async("GET", "/aud/1")
            await transport.request_async("GET", "/data")
        assert aud.calls.last.request.headers["Authorization"] == "Bearer tok-a"
        assert data.calls.last.request.headers["Authorization"] == "Bearer tok-d"
        await transport.aio.aclose()

    asyncio.run(calls())
    transport.close()


class ThreadNoting:
    """A strategy that notes the thread it signs on."""

    def __init__(self, token: str, may_block: bool) -> None:
        self.token = token
        self.may_block = may_block
        self.threads: list[threading.Thread] = []

    def __call__(self, request):  # type: ignore[no-untyped-def]
        self.threads.append(threading.current_thread())
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


def test_async_signing_leaves_the_loop_only_for_a_route_that_may_block() -> None:
    blocking, inline = ThreadNoting("tok-b", may_block=True), ThreadNoting("tok-i", may_block=False)
    transport = Transport(BASE, RoutedAuth(BASE, {"/aud": blocking}, default=inline), timeout=5)

    async def calls() -> threading.Thread:
        with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
            router.get(BASE + "/aud/1").mock(return_value=httpx.Response(200, json={}))
            router.get(BASE + "/data").mock(return_value=httpx.Response(200, json={}))
            await transport.request_async("GET", "/aud/1")
            await transport.request_async("GET", "/data")
        await transport.aio.aclose()
        return threading.current_thread()

    loop_thread = asyncio.run(calls())
    transport.close()
    assert inline.threads == [loop_thread] and blocking.threads[0] is not loop_thread
