"""OAuth2PasswordGrant for token endpoints that read JSON with the client credentials inside (NetSapiens)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses
from responses import matchers

from contacthub_like.errors import InvalidValue
from contacthub_like.http.auth import OAuth2PasswordGrant

TOKEN_URL = "https://pbx.test/ns-api/v2/tokens"
PASSWORD = "pw-Secret-1"  # noqa: S105
CLIENT = {"client_id": "app", "client_secret": "cs-1"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as m:
        yield m


def grant(
    mock: responses.RequestsMock, body: dict[str, str], reply: dict[str, object], status: int = 200
) -> None:
    # strict: the JSON body must be exactly this object, and no Basic header may be sent
    mock.post(
        TOKEN_URL, status=status, json=reply, match=[matchers.json_params_matcher(body, strict_match=True)]
    )


def tokens(access: str, refresh: str) -> dict[str, object]:
    return {"access_token": access, "expires_in": 100, "token_type": "Bearer", "refresh_token": refresh}


def make(clock: Clock) -> OAuth2PasswordGrant:
    return OAuth2PasswordGrant(
        TOKEN_URL,
        "123@testdomain.com",
        PASSWORD,
        **CLIENT,
        token_body="json",
        client_auth="body",
        refresh_margin=10,
        clock=clock,
    )


def test_password_then_refresh_grant_as_json_with_client_credentials_in_the_body(mock):
    clock = Clock()
    auth = make(clock)
    password = {"grant_type": "password", "username": "123@testdomain.com", "password": PASSWORD, **CLIENT}
    grant(mock, password, tokens("a1", "r1"))
    assert auth.access_token().value == "a1"
    assert "Authorization" not in mock.calls[0].request.headers
    grant(mock, {"grant_type": "refresh_token", "refresh_token": "r1", **CLIENT}, tokens("a2", "r2"))
    clock.now += 90
    assert auth.access_token().value == "a2"
    assert "cs-1" in auth.secrets and "cs-1" not in repr(auth)


def test_a_refused_refresh_falls_back_to_the_password_grant(mock):
    clock = Clock()
    auth = make(clock)
    password = {"grant_type": "password", "username": "123@testdomain.com", "password": PASSWORD, **CLIENT}
    grant(mock, password, tokens("a1", "r1"))
    auth.access_token()
    grant(
        mock,
        {"grant_type": "refresh_token", "refresh_token": "r1", **CLIENT},
        {"code": 401, "message": "Invalid refresh token"},
        status=401,
    )
    grant(mock, password, tokens("a2", "r2"))
    clock.now += 95
    assert auth.access_token().value == "a2"
    assert auth.grants == {"password": 2, "refresh_token": 1}


@pytest.mark.parametrize("kwargs", [{"token_body": "xml"}, {"client_auth": "header"}])
def test_unknown_modes_are_refused(kwargs):
    with pytest.raises(InvalidValue, match="must be"):
        OAuth2PasswordGrant(TOKEN_URL, "u", PASSWORD, **kwargs)
