"""marketingData table jobs: preference import and export, table download behind signed GET URLs."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from .conftest import CI, sas_error, wait_for
from .test_data import D, make_table

RUNNING = {"PENDING", "RUNNING"}


def _job(ci: CI, **body: Any) -> dict[str, Any]:
    r = ci.request("POST", f"{D}/tableJobs", json=body)
    assert r.status_code == 201, r.text
    job_id = r.json()["id"]
    return wait_for(lambda: ci.request("GET", f"{D}/tableJobs/{job_id}").json(), "status", RUNNING)


def test_a_table_download_holds_its_items_and_imported_rows(ci: CI) -> None:
    table = make_table(ci)
    url = ci.upload(f"{D}/fileTransferLocation", b"customer_id,email\nc1,a@example.com\n")
    r = ci.request(
        "POST",
        f"{D}/importRequestJobs",
        json={"name": "i", "dataDescriptorId": table["id"], "fileLocation": url, "headerRowIncluded": True},
    )
    job_id = r.json()["id"]
    wait_for(lambda: ci.request("GET", f"{D}/importRequestJobs/{job_id}").json(), "status", RUNNING)
    ci.request("PATCH", f"{D}/tables/{table['id']}", json={"description": "changed after the import"})
    done = _job(ci, jobType="TABLE_DOWNLOAD", dataDescriptorId=table["id"])
    assert done["status"] == "COMPLETED", done
    got = requests.get(done["downloadUrls"][0], timeout=10)  # no Authorization header
    assert got.status_code == 200
    assert got.text == "customer_id,email\nc1,a@example.com\n"


def test_preferences_imported_then_exported_with_source_and_timestamp(ci: CI) -> None:
    url = ci.upload(f"{D}/fileTransferLocation", b"customer_id,channel,optin\np-1,email,Y\n")
    table_id = make_table(ci)["id"]
    imported = _job(
        ci,
        jobType="CONTACT_PREFERENCE_IMPORT",
        dataDescriptorId=table_id,
        fileLocation=url,
        headerRowIncluded=True,
    )
    assert (imported["status"], imported["recordsProcessed"]) == ("COMPLETED", 1)
    exported = _job(ci, jobType="CONTACT_PREFERENCE_EXPORT", includeSourceAndTimestamp=True)
    rows = requests.get(exported["downloadUrls"][0], timeout=10).text.strip().split("\n")
    assert any(row.startswith("p-1,email,Y,API,") for row in rows)


def test_a_download_url_refuses_puts_and_tampering_and_upload_urls_refuse_gets(ci: CI) -> None:
    done = _job(ci, jobType="TABLE_DOWNLOAD", dataDescriptorId=make_table(ci)["id"])
    url = done["downloadUrls"][0]
    sas_error(requests.put(url, data=b"x", timeout=10), 403, contains="download")
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["expires"] = str(int(query["expires"]) + 1)
    sas_error(
        requests.get(parts._replace(query=urlencode(query)).geturl(), timeout=10), 403, contains="signature"
    )
    upload = ci.request("POST", f"{D}/fileTransferLocation").json()["signedURL"]
    sas_error(requests.get(upload, timeout=10), 403, contains="upload")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"jobType": "TABLE_UPLOAD"}, "jobType"),
        ({"jobType": "TABLE_DOWNLOAD"}, "needs dataDescriptorId"),
        ({"jobType": "TABLE_DOWNLOAD", "dataDescriptorId": "nope"}, "names no table"),
        ({"jobType": "CONTACT_PREFERENCE_EXPORT", "fileLocation": "x"}, "reads no file"),
        ({"jobType": "CONTACT_PREFERENCE_EXPORT", "includeSourceAndTimestamp": "si"}, "true or false"),
    ],
)
def test_a_bad_table_job_is_a_400(ci: CI, body: dict[str, Any], words: str) -> None:
    sas_error(ci.request("POST", f"{D}/tableJobs", json=body), 400, contains=words)


def test_an_import_without_a_file_fails(ci: CI) -> None:
    url = ci.request("POST", f"{D}/fileTransferLocation").json()["signedURL"]
    done = _job(
        ci, jobType="CONTACT_PREFERENCE_IMPORT", dataDescriptorId=make_table(ci)["id"], fileLocation=url
    )
    assert done["status"] == "FAILED" and "no file was uploaded" in done["message"]
