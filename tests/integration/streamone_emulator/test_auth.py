"""v1 Basic auth, v3 bearer tokens, the refresh grant with single-use rotating refresh tokens, the
access-token lifetime setting and validateAccess."""

from __future__ import annotations

import time

import requests

from .conftest import Ion, assert_error


def test_v1_basic_auth_is_required_and_checked(ion: Ion) -> None:
    assert ion.v1_get("/customers").status_code == 200
    url = f"{ion.base}/api/v1/customers"
    missing = ion.anon.get(url, timeout=10)
    assert_error(missing, 401, 16)
    assert missing.headers["WWW-Authenticate"].startswith("Basic ")
    wrong = assert_error(ion.anon.get(url, auth=(ion.config["v1"]["api_key"], "not-it"), timeout=10), 401)
    assert "not-it" not in wrong["message"]
    assert_error(ion.anon.get(url, headers={"Authorization": "Basic %%%"}, timeout=10), 401)
    assert_error(ion.anon.get(url, auth=("unknown", "x"), timeout=10), 401)


def test_v3_bearer_is_required_and_scoped_to_its_account(ion: Ion) -> None:
    assert ion.v3_get("/customers").status_code == 200
    missing = ion.anon.get(ion.v3_url("/customers"), timeout=10)
    assert_error(missing, 401, 16)
    assert missing.headers["WWW-Authenticate"].startswith("Bearer ")
    bad = {"Authorization": "Bearer not-a-token"}
    assert_error(ion.anon.get(ion.v3_url("/customers"), headers=bad, timeout=10), 401)
    other = ion.v3.get(f"{ion.base}/api/v3/accounts/999/customers", timeout=10)
    assert_error(other, 403, 7)


def test_refresh_grant_rotates_and_refuses_reuse(ion: Ion) -> None:
    pair = ion.new_tokens()
    first = ion.oauth("token", grant_type="refresh_token", refresh_token=pair["refresh_token"])
    assert first.status_code == 200, first.text
    body = first.json()
    assert set(body) == {"access_token", "expires_in", "refresh_token", "token_type"}
    assert body["token_type"] == "Bearer" and body["refresh_token"] != pair["refresh_token"]
    assert first.headers["Cache-Control"] == "no-store"
    reused = ion.oauth("token", grant_type="refresh_token", refresh_token=pair["refresh_token"])
    error = assert_error(reused, 400, 3)
    assert error["error"] == "invalid_grant" and "already used" in error["message"]
    assert pair["refresh_token"] not in reused.text
    # the rotated token works once, and its access token is valid
    again = ion.oauth("token", grant_type="refresh_token", refresh_token=body["refresh_token"])
    assert again.status_code == 200
    headers = {"Authorization": f"Bearer {again.json()['access_token']}"}
    assert ion.anon.get(ion.v3_url("/customers/12345"), headers=headers, timeout=10).status_code == 200


def test_refresh_grant_ignores_redirect_uri_and_rejects_bad_grants(ion: Ion) -> None:
    pair = ion.new_tokens()
    ok = ion.oauth(
        "token",
        grant_type="refresh_token",
        refresh_token=pair["refresh_token"],
        redirect_uri="http://localhost/",
    )
    assert ok.status_code == 200
    assert assert_error(ion.oauth("token", refresh_token="x"), 400)["error"] == "invalid_request"
    assert assert_error(ion.oauth("token", grant_type="password"), 400)["error"] == "unsupported_grant_type"
    assert assert_error(ion.oauth("token", grant_type="refresh_token"), 400)["error"] == "invalid_request"
    unknown = ion.oauth("token", grant_type="refresh_token", refresh_token="never-issued")
    assert assert_error(unknown, 400)["error"] == "invalid_grant"


def test_access_token_lifetime_follows_the_setting_and_validate_access(ion: Ion) -> None:
    settings = ion.hub.app.state.hub.settings
    saved = settings.access_token_ttl
    settings.access_token_ttl = 1.0
    try:
        pair = ion.new_tokens()
        fresh = ion.oauth("token", grant_type="refresh_token", refresh_token=pair["refresh_token"]).json()
    finally:
        settings.access_token_ttl = saved
    assert fresh["expires_in"] == 1
    valid = ion.oauth("validateAccess", access_token=fresh["access_token"])
    assert valid.status_code == 200
    assert set(valid.json()) == {"access_expires_in", "refresh_expires_in"}
    assert valid.json()["refresh_expires_in"] > 30 * 24 * 3600
    time.sleep(1.2)
    assert ion.oauth("validateAccess", access_token=fresh["access_token"]).status_code == 401
    expired = ion.anon.get(
        ion.v3_url("/customers"), headers={"Authorization": f"Bearer {fresh['access_token']}"}, timeout=10
    )
    assert "expired" in assert_error(expired, 401)["message"]


def test_validate_access_answers_exactly_401_for_a_bad_token(ion: Ion) -> None:
    assert ion.oauth("validateAccess", access_token="garbage").status_code == 401
    assert ion.oauth("validateAccess").status_code == 401
    good = ion.oauth("validateAccess", access_token=ion.config["v3"]["access_token"])
    assert good.status_code == 200 and good.json()["access_expires_in"] > 0


def test_a_refresh_token_is_refused_as_an_access_token(ion: Ion) -> None:
    pair = ion.new_tokens()
    headers = {"Authorization": f"Bearer {pair['refresh_token']}"}
    assert requests.get(ion.v3_url("/customers"), headers=headers, timeout=10).status_code == 401
