"""Across the emulator: the throttle, bad input never answered 500, routing errors, the OpenAPI
document, seeding and the VeloxPy INI file."""

from __future__ import annotations

import configparser
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

from contacthub_like.cli import main as cli_main
from contacthub_like.sandbox.ci360 import app as ci360_app
from contacthub_like.sandbox.ci360 import openapi, seeding
from contacthub_like.sandbox.ci360.auth import TEMPORARY
from contacthub_like.sandbox.store import Store

from .conftest import CI, sas_error

IDS = {
    "audienceId": seeding.AUDIENCE_ID,
    "historyId": seeding.HISTORY_ID,
    "tableId": seeding.TABLE_ID,
    "taskJobId": "x",
    "segmentMapJobId": "x",
    "occurrenceId": "x",
    "responseTrackingCodeId": "x",
    "importRequestJobId": "x",
    "tableJobId": "x",
    "transferId": "x",
    "customerJobId": "x",
    "identityRecordId": "x",
    "fileId": "x",
}
GARBAGE: list[tuple[bytes, str]] = [
    (b"", "application/json"),
    (b"{", "application/json"),
    (b"null", "application/json"),
    (b'{"name": {"deep": [1, 2]}, "dataItems": [1], "version": "x", "taskId": 5}', "application/json"),
    (
        b'{"dataItems": [{"columnNumber": "a", "label": 3, "key": "x"}], "identityList": "x"}',
        "application/json",
    ),
    (b"a=%ZZ&&=&dataItems={'x':&version=99999999999999999999", "application/json"),
    (b"\x00\xff" * 50, "application/octet-stream"),
    (b'"' + b"[" * 5000, "application/json"),
    (
        b"version=\xc2\xb2&columnNumber=1&dataItems={[1]: 2}&dataItems={'a': " + b"[" * 3000,
        "application/json",
    ),
]


def test_past_the_settable_rate_the_gateway_answers_403_with_a_sas_error(ci: CI) -> None:
    state = ci.state
    saved = (state.throttle_limit, state.throttle_window)
    state.throttle.reset()
    state.throttle_limit, state.throttle_window = 3, 60
    try:
        for _ in range(3):
            assert ci.request("GET", "/marketingData/tables").status_code == 200
        body = sas_error(ci.request("GET", "/marketingData/tables"), 403, contains="rate limit")
        assert body["errorCode"] == 1429  # tells a throttle from a real 403
        assert body["remediation"]
    finally:
        state.throttle_limit, state.throttle_window = saved
        state.throttle.reset()
    assert ci.request("GET", "/marketingData/tables").status_code == 200


def test_a_throttled_client_is_let_in_again_once_its_requests_leave_the_window(ci: CI) -> None:
    state = ci.state
    saved = (state.throttle_limit, state.throttle_window)
    state.throttle.reset()
    state.throttle_limit, state.throttle_window = 2, 2  # two buckets: no boundary can drop one early
    try:
        statuses = [ci.request("GET", "/marketingData/tables").status_code for _ in range(3)]
        assert statuses == [200, 200, 403]
        time.sleep(2.1)  # the window has moved past both admitted requests
        assert ci.request("GET", "/marketingData/tables").status_code == 200
    finally:
        state.throttle_limit, state.throttle_window = saved
        state.throttle.reset()


@pytest.mark.parametrize(
    "endpoint", ci360_app.ENDPOINTS + ci360_app.SERVICE_ENDPOINTS, ids=lambda e: f"{e.method} {e.path}"
)
def test_bad_input_is_never_a_500(ci: CI, endpoint: Any) -> None:
    path = re.sub(r"{(\w+)}", lambda m: IDS[m.group(1)], endpoint.path)
    token = "temporary" if endpoint.auth == TEMPORARY else "static"
    queries: list[dict[str, str]] = [
        {},
        {q: "%ff\x00" for q in endpoint.query},
        {q: "-1" for q in endpoint.query},
        {q: "9" * 30 for q in endpoint.query},
        {q: "\u00b2" for q in endpoint.query},
    ]
    for query in queries:
        for body, media_type in GARBAGE if endpoint.body else [(b"", "application/json")]:
            r = ci.request(
                endpoint.method,
                path,
                token=token,
                params=query,
                data=body,
                headers={"Content-Type": media_type},
            )
            assert r.status_code < 500, (query, body[:60], r.text)
            if r.status_code >= 400:
                assert r.json()["httpStatusCode"] == r.status_code


def test_routing_errors_have_the_sas_shape(ci: CI) -> None:
    sas_error(ci.request("GET", "/marketingNothing"), 404, contains="no resource")
    sas_error(ci.request("DELETE", "/marketingData/tables"), 405, contains="not supported")


def test_the_packaged_openapi_document_is_current_and_served(ci: CI) -> None:
    assert openapi.DOCUMENT_PATH.read_text(encoding="utf-8") == openapi.render(), (
        "regenerate it: python -m contacthub_like.sandbox.ci360.openapi"
    )
    served = ci.request("GET", "/openapi.json", token=None).json()
    assert served == json.loads(openapi.render())
    assert served["paths"]["/marketingExecution/taskJobs"]["post"]["responses"].keys() >= {"201", "400"}
    assert served["paths"]["/marketingAudience/audiences"]["get"]["security"] == [{"temporaryToken": []}]


def test_seeding_is_idempotent_and_writes_the_veloxpy_ini(tmp_path: Path) -> None:
    with Store(tmp_path / "hub.sqlite3") as store:
        first = seeding.seed(store, base_url="http://127.0.0.1:8123", config_dir=tmp_path)
        counts = store.all("SELECT kind, count(*) FROM ci360_objects GROUP BY kind ORDER BY kind")
        text = first[0].read_text()
        second = seeding.seed(store, base_url="http://127.0.0.1:8123", config_dir=tmp_path)
        assert store.all("SELECT kind, count(*) FROM ci360_objects GROUP BY kind ORDER BY kind") == counts
        assert store.scalar("SELECT count(*) FROM ci360_tenants") == 1
    assert second == first == [tmp_path / "sasci360veloxpy.ini"]
    assert first[0].read_text() == text  # the secret and password did not change
    assert first[0].stat().st_mode & 0o077 == 0
    ini = configparser.ConfigParser()
    ini.read(first[0])
    tenant = ini["tenant"]
    assert tenant["protocol"] == "http://"
    assert tenant["extapigateway_url"] == "127.0.0.1:8123/ci360"
    assert tenant["client_id"] == seeding.TENANT
    assert {"client_secret", "api_user_name", "api_user_password"} <= set(tenant)
    assert dict(counts)["task"] == 3 and dict(counts)["eventDefinition"] == 1


def test_hub_init_writes_the_ini_with_the_port(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, out = tmp_path / "hub.sqlite3", tmp_path / "configs"
    assert cli_main(["hub", "init", "--db", str(db), "--port", "8765", "--service-configs", str(out)]) == 0
    ini = configparser.ConfigParser()
    ini.read(out / "sasci360veloxpy.ini")
    assert ini["tenant"]["extapigateway_url"] == "127.0.0.1:8765/ci360"
    assert "sasci360veloxpy.ini" in capsys.readouterr().out
