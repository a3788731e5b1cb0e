"""marketingGateway: single events and bulk files through a signed URL."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from contacthub_like.sandbox.ci360 import seeding

from .conftest import CI, sas_error, wait_for

EVENTS = "/marketingGateway/events"
BULK = "/marketingGateway/bulkEventsFileLocation"


def _post_event(ci: CI, event: dict[str, Any]) -> requests.Response:
    # as VeloxPy sends it: a JSON string with Content-Type application/json
    return ci.request("POST", EVENTS, data=json.dumps(event), headers={"Content-Type": "application/json"})


def test_an_event_with_a_defined_name_and_one_identity_is_accepted(ci: CI) -> None:
    event = {"eventName": seeding.EVENT_NAME, "subject_id": "267756", "testattr1": "test"}
    r = _post_event(ci, event)
    assert r.status_code == 201, r.text
    assert r.json()["subject_id"] == "267756"
    assert r.json()["testattr1"] == "test"
    identity = ci.request("GET", "/marketingData/identityRecords", params={"subjectId": "267756"})
    assert identity.status_code == 200, identity.text


@pytest.mark.parametrize(
    ("event", "words"),
    [
        ({"eventName": "No_Such_Event", "customer_id": "c1"}, "not an external event"),
        ({"eventName": seeding.EVENT_NAME}, "found none"),
        ({"eventName": seeding.EVENT_NAME, "customer_id": "c1", "login_id": "l1"}, "customer_id, login_id"),
        ({"customer_id": "c1"}, "eventName is required"),
        ({"eventName": seeding.EVENT_NAME, "datahub_id": "no-such-identity"}, "names no identity"),
        ({"eventName": ["x"], "customer_id": "c1"}, "must be a string"),
    ],
)
def test_an_invalid_event_is_refused_with_400(ci: CI, event: dict[str, Any], words: str) -> None:
    sas_error(_post_event(ci, event), 400, contains=words)


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"", b"\xff\xfe"])
def test_a_malformed_body_is_a_400(ci: CI, body: bytes) -> None:
    sas_error(ci.request("POST", EVENTS, data=body, headers={"Content-Type": "application/json"}), 400)


def _bulk_url(ci: CI, version: Any = "1") -> str:
    r = ci.request(
        "POST",
        BULK,
        data=json.dumps({"applicationId": "eventGenerator", "version": version}),
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 201, r.text
    links = r.json()["links"]
    return next(link["href"] for link in links if link["rel"] == "self")


def _bulk_result(ci: CI, url: str) -> dict[str, Any]:
    file_id = urlsplit(url).path.rsplit("/", 1)[1]

    def fetch() -> dict[str, Any]:
        loaded = ci.state.objects.load("bulkEventsFile", file_id)
        return loaded[1] if loaded else {"status": "RECEIVED"}

    return wait_for(fetch, "status", {"RECEIVED", "PROCESSING"})


def _events_of(ci: CI, url: str) -> list[tuple[str, str]]:
    file_id = urlsplit(url).path.rsplit("/", 1)[1]
    return ci.hub.store.all(
        "SELECT identity_type, identity_value FROM ci360_events WHERE source = ? ORDER BY pk",
        (f"bulk:{file_id}",),
    )


def test_a_headerless_bulk_file_put_without_auth_is_processed(ci: CI) -> None:
    url = _bulk_url(ci)
    csv = (
        "External_Event_Example,customer_id,100000,testattr1,test1\n"
        "External_Event_Example,customer_id,100001,testattr1,test2\n"
        "Unknown_Event,customer_id,100002\n"
    )
    r = requests.put(url, data=csv.encode(), headers={"Content-Type": "application/octet-stream"}, timeout=10)
    assert r.status_code == 200, r.text
    result = _bulk_result(ci, url)
    assert result["status"] == "COMPLETE"
    assert (result["accepted"], result["rejected"]) == (2, 1)
    assert result["rejects"][0]["row"] == 3
    assert _events_of(ci, url) == [("customer_id", "100000"), ("customer_id", "100001")]


def test_a_bulk_file_with_a_header_row_is_read_by_column(ci: CI) -> None:
    url = _bulk_url(ci, version=1)
    csv = "eventName,login_id,sku\nExternal_Event_Example,l-1,A-1\nExternal_Event_Example,l-2,A-2\n"
    assert requests.put(url, data=csv.encode(), timeout=10).status_code == 200
    assert _bulk_result(ci, url)["accepted"] == 2
    assert _events_of(ci, url) == [("login_id", "l-1"), ("login_id", "l-2")]


def test_a_multipart_body_labelled_octet_stream_is_unwrapped(ci: CI) -> None:
    # VeloxPy wraps the file in a multipart form but labels it application/octet-stream
    url = _bulk_url(ci)
    boundary = "----veloxpyboundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="BulkUploadEvents.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
        "External_Event_Example,customer_id,200000,testattr1,x\r\n"
        f"\r\n--{boundary}--\r\n"
    ).encode()
    r = requests.put(url, data=body, headers={"Content-Type": "application/octet-stream"}, timeout=10)
    assert r.status_code == 200, r.text
    assert _bulk_result(ci, url)["status"] == "COMPLETE"
    assert _events_of(ci, url) == [("customer_id", "200000")]


def test_a_bulk_file_without_any_valid_event_fails(ci: CI) -> None:
    url = _bulk_url(ci)
    assert requests.put(url, data=b"Nope,customer_id,1\n", timeout=10).status_code == 200
    result = _bulk_result(ci, url)
    assert result["status"] == "FAILED"
    assert "not an external event" in result["message"]


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return parts._replace(query=urlencode(query)).geturl()


def test_a_wrong_signature_is_refused(ci: CI) -> None:
    url = _bulk_url(ci)
    sig = parse_qs(urlsplit(url).query)["signature"][0]
    wrong = _with_query(url, signature=("0" if sig[0] != "0" else "1") + sig[1:])
    sas_error(requests.put(wrong, data=b"x", timeout=10), 403, contains="signature")
    later = _with_query(url, expires=str(int(parse_qs(urlsplit(url).query)["expires"][0]) + 3_600_000))
    sas_error(requests.put(later, data=b"x", timeout=10), 403, contains="signature")
    sas_error(requests.put(url.split("?")[0], data=b"x", timeout=10), 403, contains="not signed")


def test_an_expired_signed_url_is_refused(ci: CI) -> None:
    saved = ci.state.signed_url_ttl
    ci.state.signed_url_ttl = -1
    try:
        url = _bulk_url(ci)
    finally:
        ci.state.signed_url_ttl = saved
    sas_error(requests.put(url, data=b"x", timeout=10), 403, contains="expired")


def test_bulk_location_refuses_another_version(ci: CI) -> None:
    r = ci.request("POST", BULK, json={"applicationId": "eventGenerator", "version": 2})
    sas_error(r, 400, contains="version")
