"""marketingAudience: definitions, listing and paging, and the upload flow to COMPLETE or FAILED."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests

from contacthub_like.sandbox.ci360 import seeding

from .conftest import CI, sas_error, wait_for

AUD = "/marketingAudience/audiences"
MEDIA = "application/vnd.sas.marketing.audience.definition.upload+json"


def definition(name: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "description": "made by a test",
        "expiration": 10,
        "source": "customer_defined",
        "identityType": "customer_id",
        "iconName": "super",
        "identityColumnName": "Customer ID",
        "emailColumnName": "Zip Code",
        "dataItems": [
            {"columnNumber": 1, "label": "Customer ID", "dataType": "character", "usedForTracking": "false"},
            {"columnNumber": 2, "label": "Zip Code", "dataType": "character", "usedForTracking": "false"},
            {"columnNumber": 3, "label": "Birthday", "dataType": "date", "usedForTracking": "false"},
        ],
    }
    body.update(changes)
    return body


def create(ci: CI, name: str | None = None, **changes: Any) -> dict[str, Any]:
    body = definition(name or f"aud-{uuid.uuid4().hex[:8]}", **changes)
    r = ci.request("POST", AUD, token="temporary", data=json.dumps(body), headers={"Content-Type": MEDIA})
    assert r.status_code == 201, r.text
    return r.json()


def test_create_get_replace_patch_delete(ci: CI) -> None:
    made = create(ci)
    ident = made["audienceId"]
    assert made["dataItems"][0]["usedForTracking"] is False
    assert any(link["rel"] == "self" and link["href"].endswith(ident) for link in made["links"])
    got = ci.request("GET", f"{AUD}/{ident}", token="temporary").json()
    assert got["name"] == made["name"]
    replaced = ci.request(
        "PUT",
        f"{AUD}/{ident}",
        token="temporary",
        json=definition(made["name"] + "-v2", description="replaced"),
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["description"] == "replaced"
    patched = ci.request("PATCH", f"{AUD}/{ident}", token="temporary", json={"description": "patched"})
    assert patched.status_code == 200, patched.text
    assert (patched.json()["description"], patched.json()["name"]) == ("patched", made["name"] + "-v2")
    assert ci.request("DELETE", f"{AUD}/{ident}", token="temporary").status_code == 204
    sas_error(ci.request("GET", f"{AUD}/{ident}", token="temporary"), 404)
    sas_error(ci.request("DELETE", f"{AUD}/{ident}", token="temporary"), 404)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"dataItems": []}, "dataItems is required"),
        ({"dataItems": "x"}, "array of objects"),
        ({"identityColumnName": "Nope"}, "not the label"),
        ({"name": ""}, "name is required"),
        ({"expiration": "soon"}, "integer"),
        ({"identityType": "shoe_size"}, "identityType"),
        ({"dataItems": [{"columnNumber": 1, "label": "Customer ID", "dataType": "blob"}]}, "dataType"),
    ],
)
def test_an_invalid_definition_is_a_400(ci: CI, changes: dict[str, Any], words: str) -> None:
    body = {**definition(f"bad-{uuid.uuid4().hex[:6]}"), **changes}
    if "dataItems" in changes and changes["dataItems"] and isinstance(changes["dataItems"], list):
        body["emailColumnName"] = None
    sas_error(ci.request("POST", AUD, token="temporary", json=body), 400, contains=words)


def test_a_taken_name_is_a_409(ci: CI) -> None:
    made = create(ci)
    r = ci.request("POST", AUD, token="temporary", json=definition(made["name"]))
    sas_error(r, 409, contains="already exists")


def test_listing_filters_sorts_and_pages_by_links(ci: CI) -> None:
    prefix = f"page-{uuid.uuid4().hex[:6]}"
    made = [create(ci, f"{prefix}-{i}")["audienceId"] for i in range(5)]
    by_name = ci.request("GET", AUD, token="temporary", params={"name": f"{prefix}-3"}).json()
    assert [a["audienceId"] for a in by_name["items"]] == [made[3]]
    url: str | None = ci.base + AUD + "?limit=2&sortBy=modifiedTimestamp:ascending"
    seen: list[str] = []
    pages = 0
    while url:
        page = ci.request("GET", url, token="temporary").json()
        pages += 1
        assert page["limit"] == 2 and len(page["items"]) <= 2
        seen += [a["audienceId"] for a in page["items"]]
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    assert pages == (page["count"] + 1) // 2
    assert len(seen) == len(set(seen)) == page["count"]
    assert [i for i in seen if i in made] == made  # ascending by modification
    newest = ci.request("GET", AUD, token="temporary", params={"limit": 1}).json()["items"][0]
    assert newest["audienceId"] == made[-1]


@pytest.mark.parametrize(
    "params",
    [
        {"sortBy": "name:ascending"},
        {"status": "sleeping"},
        {"source": "excel"},
        {"audienceType": "x"},
        {"limit": "0"},
        {"start": "-1"},
        {"limit": "ten"},
    ],
)
def test_bad_list_parameters_are_a_400(ci: CI, params: dict[str, str]) -> None:
    sas_error(ci.request("GET", AUD, token="temporary", params=params), 400)


def test_status_and_type_filters(ci: CI) -> None:
    listed = ci.request(
        "GET", AUD, token="temporary", params={"status": "failed", "audienceType": "upload"}
    ).json()
    assert listed["count"] == 0
    active = ci.request("GET", AUD, token="temporary", params={"audienceType": "upload", "limit": 100}).json()
    assert seeding.AUDIENCE_ID in [a["audienceId"] for a in active["items"]]


def _upload(ci: CI, audience_id: str, csv: bytes | None, **body: Any) -> dict[str, Any]:
    r = ci.request("POST", f"{AUD}/fileTransferLocation", token="temporary")
    assert r.status_code == 201, r.text
    url = r.json()["signedURL"]
    if csv is not None:
        assert (
            requests.put(url, data=csv, headers={"Content-Type": "text/csv"}, timeout=10).status_code == 200
        )
    payload = {
        "name": "upload",
        "audienceId": audience_id,
        "fileLocation": url,
        "headerRowIncluded": False,
        **body,
    }
    r = ci.request("PUT", f"{AUD}/{audience_id}/data", token="temporary", json=payload)
    assert r.status_code == 202, r.text
    history_id = r.json()["historyId"]
    assert r.json()["status"] == "FILE_SUBMITTED"
    return wait_for(
        lambda: ci.request("GET", f"{AUD}/{audience_id}/history/{history_id}", token="temporary").json(),
        "status",
        {"FILE_SUBMITTED", "FILE_PROCESSING"},
    )


def test_the_upload_flow_reaches_complete(ci: CI) -> None:
    csv = b"1,412203,2023-01-15\n2,412202,2023-01-19\n3,412206,2023-01-18\n"
    done = _upload(ci, seeding.AUDIENCE_ID, csv)
    assert done["status"] == "COMPLETE"
    assert done["recordsProcessed"] == 3
    history = ci.request("GET", f"{AUD}/{seeding.AUDIENCE_ID}/history", token="temporary").json()
    assert done["historyId"] in [h["historyId"] for h in history["items"]]


def test_a_header_row_is_skipped_when_declared(ci: CI) -> None:
    audience = create(ci)["audienceId"]
    done = _upload(
        ci, audience, b"Customer ID,Zip Code,Birthday\n1,27513,2001-01-01\n", headerRowIncluded=True
    )
    assert (done["status"], done["recordsProcessed"]) == ("COMPLETE", 1)


@pytest.mark.parametrize(
    ("csv", "words"),
    [
        (b"1,412203\n", "row 1 has 2 values"),
        (None, "no file was uploaded"),
        (b"", "no data rows"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_a_bad_file_ends_the_upload_failed(ci: CI, csv: bytes | None, words: str) -> None:
    done = _upload(ci, seeding.AUDIENCE_ID, csv)
    assert done["status"] == "FAILED"
    assert words in done["errorMessage"]


def test_upload_data_refuses_a_location_that_is_not_a_signed_url(ci: CI) -> None:
    body = {"fileLocation": "https://example.com/file.csv", "headerRowIncluded": False}
    r = ci.request("PUT", f"{AUD}/{seeding.AUDIENCE_ID}/data", token="temporary", json=body)
    sas_error(r, 400, contains="fileLocation")
    r = ci.request(
        "PUT", f"{AUD}/{seeding.AUDIENCE_ID}/data", token="temporary", json={"headerRowIncluded": False}
    )
    sas_error(r, 400, contains="fileLocation is required")


def test_the_seeded_history_entry_of_the_readme_example(ci: CI) -> None:
    path = f"{AUD}/{seeding.HISTORY_AUDIENCE_ID}/history/{seeding.HISTORY_ID}"
    assert ci.request("GET", path, token="temporary").json()["status"] == "COMPLETE"
    sas_error(
        ci.request("GET", f"{AUD}/{seeding.AUDIENCE_ID}/history/{seeding.HISTORY_ID}", token="temporary"), 404
    )
