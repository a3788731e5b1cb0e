"""marketingData: tables, imports from a signed file location, GDPR jobs, identity records."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests

from contacthub_like.sandbox.ci360 import seeding

from .conftest import CI, sas_error, wait_for

D = "/marketingData"
RUNNING = {"PENDING", "RUNNING"}


def table_body(name: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "description": "test table",
        "type": "customer",
        "makeAvailableForTargeting": True,
        "dataItems": [
            {"name": "customer_id", "type": "STRING", "key": True},
            {"name": "email", "type": "STRING"},
        ],
    }
    body.update(changes)
    return body


def make_table(ci: CI, **changes: Any) -> dict[str, Any]:
    r = ci.request("POST", f"{D}/tables", json=table_body(f"t-{uuid.uuid4().hex[:8]}", **changes))
    assert r.status_code == 201, r.text
    return r.json()


def test_tables_create_get_patch_post_override_delete(ci: CI) -> None:
    table = make_table(ci)
    path = f"{D}/tables/{table['id']}"
    assert ci.request("GET", path).json()["name"] == table["name"]
    patched = ci.request("PATCH", path, json={"description": "patched", "dataItems": None})
    assert patched.status_code == 200, patched.text
    assert patched.json()["description"] == "patched" and len(patched.json()["dataItems"]) == 2
    # VeloxPy's update_table_by_ID_POST: form fields labelled JSON, empty ones left empty
    form = "name=&description=via+post&type=&makeAvailableForTargeting=False"
    r = ci.request(
        "POST", path, params={"_method": "PATCH"}, data=form, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 200, r.text
    assert (r.json()["description"], r.json()["makeAvailableForTargeting"]) == ("via post", False)
    # ... and a list of dicts as repeated fields holding each dict's Python repr
    items = "dataItems={'name': 'customer_id', 'type': 'STRING', 'key': True}&dataItems={'name': 'phone'}"
    r = ci.request(
        "POST", path, params={"_method": "PATCH"}, data=items, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 200, r.text
    assert [i["name"] for i in r.json()["dataItems"]] == ["customer_id", "phone"]
    sas_error(ci.request("POST", path, params={"_method": "POST"}, json={}), 400, contains="_method=PATCH")
    sas_error(ci.request("POST", path, json={}), 400, contains="_method=PATCH")
    assert ci.request("DELETE", path).status_code == 204
    sas_error(ci.request("GET", path), 404)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"dataItems": [{"name": "email", "type": "STRING"}]}, "exactly one data item with key"),
        ({"dataItems": [{"name": "a", "type": "BLOB", "key": True}]}, "type"),
        ({"type": "spreadsheet"}, "type"),
        ({"name": None}, "name is required"),
        ({"customProperties": ["x"]}, "customProperties"),
        ({"makeAvailableForTargeting": "perhaps"}, "true or false"),
    ],
)
def test_a_bad_table_is_a_400(ci: CI, changes: dict[str, Any], words: str) -> None:
    body = {**table_body(f"bad-{uuid.uuid4().hex[:6]}"), **changes}
    sas_error(ci.request("POST", f"{D}/tables", json=body), 400, contains=words)


def test_tables_list_by_name_and_type(ci: CI) -> None:
    table = make_table(ci, type="importedList", dataItems=[{"name": "x", "type": "INT"}])
    found = ci.request("GET", f"{D}/tables", params={"name": table["name"]}).json()
    assert [t["id"] for t in found["items"]] == [table["id"]]
    typed = ci.request("GET", f"{D}/tables", params={"dataType": "importedList", "limit": 100}).json()
    assert table["id"] in [t["id"] for t in typed["items"]]
    assert all(t["type"] == "importedList" for t in typed["items"])
    sas_error(ci.request("GET", f"{D}/tables", params={"type": "nope"}), 400)


def _import(ci: CI, table_id: str, csv: bytes | None, **body: Any) -> dict[str, Any]:
    r = ci.request("POST", f"{D}/fileTransferLocation", data="", headers={"Content-Type": "application/json"})
    assert r.status_code == 201, r.text
    url = r.json()["signedURL"]
    if csv is not None:
        assert (
            requests.put(url, data=csv, headers={"Content-Type": "text/csv"}, timeout=10).status_code == 200
        )
    payload = {
        "name": "imp",
        "dataDescriptorId": table_id,
        "fieldDelimiter": ",",
        "fileLocation": url,
        "fileType": "CSV",
        "headerRowIncluded": True,
        "recordLimit": 0,
        "updateMode": "upsert",
        **body,
    }
    r = ci.request(
        "POST",
        f"{D}/importRequestJobs",
        data=json.dumps(payload),
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 201, r.text
    job_id = r.json()["id"]
    return wait_for(lambda: ci.request("GET", f"{D}/importRequestJobs/{job_id}").json(), "status", RUNNING)


def test_an_import_completes_and_its_keys_become_identity_records(ci: CI) -> None:
    table = make_table(ci)
    key = f"cust-{uuid.uuid4().hex[:6]}"
    done = _import(ci, table["id"], f"customer_id,email\n{key},a@example.com\nk2,b@example.com\n".encode())
    assert (done["status"], done["recordsProcessed"]) == ("COMPLETED", 2)
    assert ci.request("GET", f"{D}/tables/{table['id']}").json()["rowCount"] == 2
    record = ci.request("GET", f"{D}/identityRecords", params={"customerId": key})
    assert record.status_code == 200, record.text
    by_id = ci.request("GET", f"{D}/identityRecords/{record.json()['id']}").json()
    assert by_id["customerId"] == key
    listed = ci.request("GET", f"{D}/importRequestJobs", params={"dataDescriptorId": table["id"]}).json()
    assert [j["id"] for j in listed["items"]] == [done["id"]]


def test_record_limit_and_a_failing_import(ci: CI) -> None:
    table = make_table(ci)
    limited = _import(ci, table["id"], b"a,1\nb,2\nc,3\n", headerRowIncluded=False, recordLimit=2)
    assert limited["recordsProcessed"] == 2
    failed = _import(ci, table["id"], b"customer_id,email\nonly-one-column\n")
    assert failed["status"] == "FAILED" and "row 1 has 1 values" in failed["message"]
    missing = _import(ci, table["id"], None)
    assert missing["status"] == "FAILED" and "no file was uploaded" in missing["message"]


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"dataDescriptorId": "nope"}, "names no table"),
        ({"fieldDelimiter": ";"}, "comma"),
        ({"fileType": "PARQUET"}, "CSV"),
        ({"updateMode": "merge"}, "updateMode"),
        ({"recordLimit": -1}, "at least 0"),
        ({"fileLocation": "s3://bucket/file.csv"}, "signed upload URL"),
    ],
)
def test_a_bad_import_request_is_a_400(ci: CI, changes: dict[str, Any], words: str) -> None:
    body = {
        "name": "imp",
        "dataDescriptorId": seeding.TABLE_ID,
        "fileLocation": ci.base + "/_upload/x?expires=1&signature=0",
        **changes,
    }
    if "fileLocation" not in changes and "dataDescriptorId" not in changes:
        body["fileLocation"] = ci.request("POST", f"{D}/fileTransferLocation").json()["signedURL"]
    sas_error(ci.request("POST", f"{D}/importRequestJobs", json=body), 400, contains=words)


def _customer_job(ci: CI, **body: Any) -> dict[str, Any]:
    r = ci.request("POST", f"{D}/customerJobs", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["id"].startswith("e-")
    job_id = r.json()["id"]
    return wait_for(lambda: ci.request("GET", f"{D}/customerJobs/{job_id}").json(), "status", RUNNING)


def test_gdpr_export_then_delete(ci: CI) -> None:
    login = f"login-{uuid.uuid4().hex[:6]}"
    event = {"eventName": seeding.EVENT_NAME, "login_id": login}
    assert ci.request("POST", "/marketingGateway/events", json=event).status_code == 201
    exported = _customer_job(
        ci,
        jobType="GDPR_EXPORT",
        identityType="login_id",
        identityList=[login, "unknown"],
        outputIdentityTypes=["login_id"],
    )
    assert exported["status"] == "COMPLETED" and exported["records"] == [{"loginId": login}]
    deleted = _customer_job(ci, jobType="GDPR_DELETE", identityType="login_id", identityList=[login])
    assert deleted["deletedCount"] == 1
    sas_error(ci.request("GET", f"{D}/identityRecords", params={"loginId": login}), 404)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"jobType": "GDPR_FORGET", "identityType": "login_id", "identityList": ["x"]}, "jobType"),
        ({"jobType": "GDPR_DELETE", "identityType": "shoe", "identityList": ["x"]}, "identityType"),
        (
            {"jobType": "GDPR_DELETE", "identityType": "login_id", "identityList": []},
            "identityList is required",
        ),
        ({"jobType": "GDPR_EXPORT", "identityType": "visitor_id", "identityList": ["v"]}, "visitor_id"),
        (
            {"jobType": "GDPR_DELETE", "identityType": "login_id", "identityList": [1]},
            "array of non-empty strings",
        ),
    ],
)
def test_a_bad_customer_job_is_a_400(ci: CI, body: dict[str, Any], words: str) -> None:
    sas_error(ci.request("POST", f"{D}/customerJobs", json=body), 400, contains=words)


def test_identity_lookup_needs_exactly_one_filter(ci: CI) -> None:
    sas_error(ci.request("GET", f"{D}/identityRecords"), 400, contains="none")
    sas_error(ci.request("GET", f"{D}/identityRecords", params={"loginId": "a", "customerId": "b"}), 400)


def test_a_limit_past_100_is_lowered_and_echoed(ci: CI) -> None:
    page = ci.request("GET", f"{D}/tables", params={"limit": 150}).json()
    assert page["limit"] == 100
