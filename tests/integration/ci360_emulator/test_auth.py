"""The static JWT, the temporary token, and which token each API takes."""

from __future__ import annotations

import base64
import json

import jwt
import pytest

from contacthub_like.sandbox.ci360 import seeding

from .conftest import CI, sas_error, static_jwt

TABLES = "/marketingData/tables"


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_the_static_jwt_of_the_tenant_opens_marketing_data(ci: CI) -> None:
    r = ci.request("GET", TABLES)
    assert r.status_code == 200, r.text
    assert r.json()["count"] >= 1


def test_a_jwt_signed_with_another_secret_is_refused(ci: CI) -> None:
    token = static_jwt(seeding.TENANT, "not-the-secret-" * 4)
    sas_error(ci.request("GET", TABLES, token=token), 401, contains="signature")


def test_the_key_is_base64_of_the_secret_not_the_secret_itself(ci: CI) -> None:
    token = jwt.encode({"clientID": seeding.TENANT}, ci.secret.encode() + b"=" * 40, algorithm="HS256")
    sas_error(ci.request("GET", TABLES, token=token), 401, contains="signature")


def test_alg_none_is_refused(ci: CI) -> None:
    token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64({'clientID': seeding.TENANT})}."
    sas_error(ci.request("GET", TABLES, token=token), 401, contains="algorithm")


def test_other_hmac_algorithms_are_refused(ci: CI) -> None:
    key = base64.b64encode(ci.secret.encode())
    token = jwt.encode({"clientID": seeding.TENANT}, key + key, algorithm="HS512")
    sas_error(ci.request("GET", TABLES, token=token), 401, contains="HS512")


@pytest.mark.parametrize(
    ("extra", "named"),
    [({"exp": 4102444800}, "exp"), ({"exp": 1}, "exp"), ({"sub": 5, "iat": "x"}, "iat, sub")],
)
def test_claims_other_than_client_id_are_refused_by_name(
    ci: CI, extra: dict[str, object], named: str
) -> None:
    token = static_jwt(seeding.TENANT, ci.secret, **extra)
    sas_error(ci.request("GET", TABLES, token=token), 401, contains=f"other than clientID ({named})")


def test_an_unknown_tenant_is_refused(ci: CI) -> None:
    sas_error(ci.request("GET", TABLES, token=static_jwt("someone-else", ci.secret)), 401, contains="tenant")


def test_no_or_a_malformed_bearer_is_refused(ci: CI) -> None:
    sas_error(ci.request("GET", TABLES, token=None), 401, contains="bearer")
    sas_error(ci.request("GET", TABLES, token="a.b.c"), 401, contains="not a static JWT")


def test_the_password_grant_answers_a_token_with_the_configured_lifetime(ci: CI) -> None:
    r = ci.request(
        "POST",
        "/token",
        data={"grant_type": "password", "username": seeding.API_USER, "password": ci.password},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["expires_in"] == int(ci.state.settings.access_token_ttl)
    assert ci.request("GET", "/marketingAudience/audiences", token=body["access_token"]).status_code == 200


def test_the_grant_also_comes_as_query_parameters_on_get(ci: CI) -> None:
    params = {"grant_type": "password", "username": seeding.API_USER, "password": ci.password}
    r = ci.request("GET", "/token", params=params)
    assert r.status_code == 200, r.text
    assert r.json()["access_token"]


@pytest.mark.parametrize(
    ("form", "status", "words"),
    [
        (
            {"grant_type": "password", "username": seeding.API_USER, "password": "wrong"},
            401,
            "password is wrong",
        ),
        ({"grant_type": "password", "username": "nobody", "password": "x"}, 401, "password is wrong"),
        ({"grant_type": "client_credentials"}, 400, "grant_type"),
        ({"grant_type": "password", "username": seeding.API_USER}, 400, "required"),
    ],
)
def test_a_bad_grant_is_refused(ci: CI, form: dict[str, str], status: int, words: str) -> None:
    sas_error(ci.request("POST", "/token", data=form), status, contains=words)


def test_the_token_endpoint_needs_the_static_jwt(ci: CI) -> None:
    form = {"grant_type": "password", "username": seeding.API_USER, "password": ci.password}
    sas_error(ci.request("POST", "/token", data=form, token=None), 401)


def test_an_expired_temporary_token_is_refused(ci: CI) -> None:
    settings = ci.state.settings
    saved = settings.access_token_ttl
    settings.access_token_ttl = 0
    try:
        form = {"grant_type": "password", "username": seeding.API_USER, "password": ci.password}
        token = ci.request("POST", "/token", data=form).json()["access_token"]
    finally:
        settings.access_token_ttl = saved
    sas_error(ci.request("GET", "/marketingAudience/audiences", token=token), 401, contains="expired")


@pytest.mark.parametrize(
    ("method", "path", "takes"),
    [
        ("GET", "/marketingAudience/audiences", "temporary"),
        ("GET", f"/marketingAudience/audiences/{seeding.AUDIENCE_ID}", "temporary"),
        ("POST", "/marketingGateway/bulkEventsFileLocation", "static"),
        ("GET", "/marketingData/tables", "static"),
        ("GET", "/marketingExecution/occurrences", "static"),
        ("POST", "/marketingData/fileTransferLocation", "static"),
    ],
)
def test_each_api_takes_its_own_kind_of_token(ci: CI, method: str, path: str, takes: str) -> None:
    other = "static" if takes == "temporary" else "temporary"
    assert ci.request(method, path, token=takes).status_code in (200, 201)
    sas_error(ci.request(method, path, token=other), 401, contains=takes)
