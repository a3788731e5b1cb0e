"""Token-based auth: the static CI360 JWT, and the OAuth2 password/refresh lifecycle on the wire."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator

import pytest
import requests
import responses
from responses import matchers

from contacthub_like import Workspace, errors
from contacthub_like.http.auth import OAuth2PasswordGrant, StaticJWT

TOKEN_URL = "https://auth.test/oauth/token"
BASE = "https://hub.test/hub/v1"
USERS = BASE + "/workspaces/ws/customers"
PASSWORD = "pw-Secret-1"  # noqa: S105


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as m:
        yield m


def grant(mock: responses.RequestsMock, form: dict[str, str], reply: dict[str, object], status: int = 200):
    mock.post(
        TOKEN_URL,
        status=status,
        json=reply,
        match=[
            matchers.urlencoded_params_matcher(form),
            matchers.header_matcher({"Accept": "application/json"}),
        ],
    )


def password_form() -> dict[str, str]:
    return {"grant_type": "password", "username": "api", "password": PASSWORD}


def tokens(access: str, refresh: str, expires_in: float = 100) -> dict[str, object]:
    return {
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": expires_in,
        "refresh_token": refresh,
    }


def bearer(token: str) -> list:
    return [matchers.header_matcher({"Authorization": f"Bearer {token}"})]


# ------------------------------------------------------------------------------ static JWT


def test_static_jwt_follows_the_ci360_recipe():
    # reference value computed with openssl: HMAC-SHA256 keyed with the text of base64(secret)
    expected = (
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjbGllbnRJRCI6InRlbmFudC00MiJ9."
        "KVskxpeLuHJB4KMqt5x51NmvIgWXjcDacgHJybLzBRA"
    )
    auth = StaticJWT("tenant-42", "my-client-secret")
    signed = requests.Request("GET", "https://x.test/", auth=auth).prepare()
    assert signed.headers["Authorization"] == f"Bearer {expected}"
    assert expected in auth.secrets and "my-client-secret" in auth.secrets
    assert repr(auth) == "StaticJWT(client_id='tenant-42', client_secret='***')"
    with pytest.raises(errors.InvalidValue, match="client_id"):
        StaticJWT("", "s")


# ------------------------------------------------------------------------------- OAuth2


def test_password_grant_then_refresh_ahead_of_expiry_with_rotation(mock):
    clock = Clock()
    stored: list[str] = []
    auth = OAuth2PasswordGrant(
        TOKEN_URL, "api", PASSWORD, refresh_margin=10, on_refresh_token=stored.append, clock=clock
    )
    grant(mock, password_form(), tokens("a1", "r1"))
    assert auth.access_token().value == "a1"
    clock.now += 89  # 1 s before the 10 s margin: still the same token, no request
    assert auth.access_token().value == "a1"
    grant(mock, {"grant_type": "refresh_token", "refresh_token": "r1"}, tokens("a2", "r2"))
    clock.now += 1
    assert auth.access_token().value == "a2"
    assert stored == ["r1", "r2"] and auth.refresh_token == "r2"
    assert auth.grants == {"password": 1, "refresh_token": 1}
    assert {"a1", "a2", "r1", "r2", PASSWORD} <= set(auth.secrets)
    assert PASSWORD not in repr(auth) and "a2" not in repr(auth.access_token())


def test_margin_never_exceeds_half_the_lifetime(mock):
    clock = Clock()
    auth = OAuth2PasswordGrant(TOKEN_URL, "api", PASSWORD, refresh_margin=60, clock=clock)
    grant(mock, password_form(), tokens("a1", "r1", expires_in=10))
    assert auth.access_token().renew_at == 1005.0


def test_refused_refresh_token_falls_back_to_the_password(mock):
    auth = OAuth2PasswordGrant(TOKEN_URL, "api", PASSWORD, refresh_token="old", client_id="app")
    refused = {"message": "bad", "logref": "l", "data": None, "errors": [], "error": "invalid_grant"}
    grant(
        mock, {"grant_type": "refresh_token", "refresh_token": "old", "client_id": "app"}, refused, status=400
    )
    grant(mock, {**password_form(), "client_id": "app"}, tokens("a1", "r1"))
    assert auth.access_token().value == "a1"


def test_client_secret_goes_in_basic_auth(mock):
    auth = OAuth2PasswordGrant(TOKEN_URL, "api", PASSWORD, client_id="app", client_secret="cs-1")
    basic = "Basic " + base64.b64encode(b"app:cs-1").decode()
    mock.post(
        TOKEN_URL,
        json=tokens("a1", "r1"),
        match=[
            matchers.urlencoded_params_matcher(password_form()),
            matchers.header_matcher({"Authorization": basic}),
        ],
    )
    auth.access_token()
    assert "cs-1" in auth.secrets and basic.split()[1] in auth.secrets


def test_wrong_password_is_an_error_without_the_password(mock):
    auth = OAuth2PasswordGrant(TOKEN_URL, "api", PASSWORD)
    body = {"message": f"wrong password {PASSWORD}", "logref": "l", "data": None, "errors": []}
    grant(mock, password_form(), body, status=401)
    with pytest.raises(errors.Unauthorized) as info:
        auth.access_token()
    assert PASSWORD not in str(info.value) and PASSWORD not in repr(info.value)


@pytest.mark.parametrize("reply", [{"token_type": "Bearer"}, {"access_token": "a", "expires_in": "soon"}])
def test_unusable_token_answers_are_invalid_responses(mock, reply):
    grant(mock, password_form(), reply)
    with pytest.raises(errors.InvalidResponse, match="without a usable access_token"):
        OAuth2PasswordGrant(TOKEN_URL, "api", PASSWORD).access_token()


def test_unreachable_token_endpoint_is_a_transport_error(mock):
    mock.post(TOKEN_URL, body=requests.ConnectionError(f"refused {PASSWORD}"))
    with pytest.raises(errors.ConnectionFailed) as info:
        OAuth2PasswordGrant(TOKEN_URL, "api", PASSWORD).access_token()
    assert PASSWORD not in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"token_url": "ftp://x"}, errors.InvalidValue),
        ({"password": ""}, errors.InvalidValue),
        ({"refresh_margin": -1}, errors.InvalidValue),
        ({"refresh_margin": "30"}, errors.InvalidType),
        ({"on_refresh_token": "store"}, errors.InvalidType),
    ],
)
def test_settings_are_checked(kwargs, error):
    args = {"token_url": TOKEN_URL, "username": "api", "password": PASSWORD, **kwargs}
    with pytest.raises(error):
        OAuth2PasswordGrant(**args)


def test_a_401_renews_the_token_once_and_resends(mock):
    auth = OAuth2PasswordGrant(TOKEN_URL, "api", PASSWORD)
    grant(mock, password_form(), tokens("a1", "r1"))
    mock.get(USERS, status=401, json={"message": "expired"}, match=bearer("a1"))
    grant(mock, {"grant_type": "refresh_token", "refresh_token": "r1"}, tokens("a2", "r2"))
    mock.get(USERS, json={"elements": []}, match=bearer("a2"))
    with Workspace("ws", auth=auth, base_url=BASE, retry=None) as ws:
        assert ws.transport.request("GET", "/workspaces/ws/customers") == {"elements": []}
    assert auth.grants == {"password": 1, "refresh_token": 1}


def test_a_second_401_is_the_callers_problem(mock):
    auth = OAuth2PasswordGrant(TOKEN_URL, "api", PASSWORD)
    grant(mock, password_form(), tokens("a1", "r1"))
    mock.get(USERS, status=401, json={"message": "no"}, match=bearer("a1"))
    grant(mock, {"grant_type": "refresh_token", "refresh_token": "r1"}, tokens("a2", "r2"))
    mock.get(USERS, status=401, json={"message": "still no"}, match=bearer("a2"))
    with Workspace("ws", auth=auth, base_url=BASE, retry=None) as ws, pytest.raises(errors.Unauthorized):
        ws.transport.request("GET", "/workspaces/ws/customers")


def test_threads_waiting_on_an_expired_token_cause_one_refresh(mock):
    clock = Clock()
    auth = OAuth2PasswordGrant(TOKEN_URL, "api", PASSWORD, refresh_margin=0, clock=clock)
    grant(mock, password_form(), tokens("a1", "r1"))
    auth.access_token()
    clock.now += 200
    grant(mock, {"grant_type": "refresh_token", "refresh_token": "r1"}, tokens("a2", "r2"))
    barrier = threading.Barrier(16)
    seen: list[str] = []

    def worker() -> None:
        barrier.wait(timeout=10)
        seen.append(auth.access_token().value)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert seen == ["a2"] * 16 and auth.grants == {"password": 1, "refresh_token": 1}
