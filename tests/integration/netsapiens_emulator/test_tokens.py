"""POST /tokens: both grants, refresh rotation, expiry from the server's access-token TTL, bad input."""

from __future__ import annotations

import time

import pytest

from .conftest import Ns, password_grant


@pytest.fixture
def anon(api_root: str):
    client = Ns(api_root)
    yield client
    client.close()


def test_password_grant_answers_the_access_token_of_the_seeded_user(anon: Ns, config) -> None:
    body = anon.json("POST", "/tokens", json=password_grant(config))
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert (body["username"], body["user"], body["domain"]) == ("123@testdomain.com", "123", "testdomain.com")
    assert body["territory"] == "MainReseller" and body["scope"] == "Super User"
    assert body["client_id"] == config["client_id"] and "44.1" in body["apiversion"]
    assert len(body["access_token"]) == 32 and body["access_token"] != body["refresh_token"]
    anon.token = body["access_token"]
    assert anon.json("GET", "/domains/{domain}/users", domain="~")[0]["user"] == "123"


def test_refresh_grant_rotates_the_refresh_token(anon: Ns, config) -> None:
    first = anon.json("POST", "/tokens", json=password_grant(config))
    grant = {k: config[k] for k in ("client_id", "client_secret")}
    second = anon.json(
        "POST",
        "/tokens",
        json={"grant_type": "refresh_token", **grant, "refresh_token": first["refresh_token"]},
    )
    assert (
        second["access_token"] != first["access_token"] and second["refresh_token"] != first["refresh_token"]
    )
    reuse = anon.call(
        "POST",
        "/tokens",
        401,
        json={"grant_type": "refresh_token", **grant, "refresh_token": first["refresh_token"]},
    )
    assert "refresh token" in reuse.json()["message"]
    anon.token = second["access_token"]
    anon.call("GET", "/domains", 200)


def test_access_tokens_expire_after_the_server_ttl(hub, anon: Ns, config) -> None:
    settings = hub.app.state.hub.settings
    old = settings.access_token_ttl
    settings.access_token_ttl = 1.0
    try:
        body = anon.json("POST", "/tokens", json=password_grant(config))
    finally:
        settings.access_token_ttl = old
    assert body["expires_in"] == 1
    anon.token = body["access_token"]
    anon.call("GET", "/domains", 200)
    time.sleep(1.1)
    expired = anon.call("GET", "/domains/{domain}/users", 401, domain="~").json()
    assert (
        expired["code"] == 401 and "expired" in expired["message"] and "refresh_token" in expired["message"]
    )
    grant = {k: config[k] for k in ("client_id", "client_secret")}
    renewed = anon.json(
        "POST",
        "/tokens",
        json={"grant_type": "refresh_token", **grant, "refresh_token": body["refresh_token"]},
    )
    assert renewed["expires_in"] == 3600
    anon.token = renewed["access_token"]
    anon.call("GET", "/domains", 200)


@pytest.mark.parametrize(
    "overrides, status, words",
    [
        ({"password": "wrong"}, 401, "username or password"),
        ({"username": "nobody@testdomain.com"}, 401, "username or password"),
        ({"client_secret": "wrong"}, 401, "client_id or client_secret"),
        ({"client_id": "unknown"}, 401, "client_id or client_secret"),
        ({"grant_type": "client_credentials"}, 400, "grant_type"),
        ({"grant_type": "mfa"}, 400, "MFA"),
        ({"password": 1234}, 400, "'password' must be a string"),
    ],
)
def test_bad_credentials_are_refused_with_a_reason(anon: Ns, config, overrides, status, words) -> None:
    body = anon.call("POST", "/tokens", status, json=password_grant(config, **overrides)).json()
    assert body["code"] == status and words in body["message"]
    assert config["password"] not in body["message"] and config["client_secret"] not in body["message"]


def test_a_token_request_must_be_a_json_object(anon: Ns, api_root: str, config) -> None:
    missing = anon.call("POST", "/tokens", 400, json={"grant_type": "password"}).json()
    assert "'client_id' is required" in missing["message"]
    r = anon.session.post(api_root + "/tokens", data="grant_type=password", timeout=10)
    assert r.status_code == 400 and "not valid JSON" in r.json()["message"]
    client = {k: config[k] for k in ("client_id", "client_secret")}
    refresh = anon.call("POST", "/tokens", 400, json={"grant_type": "refresh_token", **client})
    assert "'refresh_token' is required" in refresh.json()["message"]


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope", "Basic abc"])
def test_calls_without_a_valid_bearer_token_get_401(api_root: str, header) -> None:
    client = Ns(api_root)
    if header is not None:
        client.session.headers["Authorization"] = header
    body = client.call("GET", "/subscriptions", 401).json()
    assert body["code"] == 401 and "/tokens" in body["message"]
    client.close()


def test_version_needs_no_token(anon: Ns) -> None:
    body = anon.json("GET", "/version")
    assert body["apiversion"].startswith("Version: ") and body["hostname"]
