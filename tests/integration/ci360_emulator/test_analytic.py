"""marketingData analytic transfers: a signed upload location, listed and sorted."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from .conftest import CI, sas_error

T = "/marketingData/analytic/transfers"
COLUMNS = [{"name": "customer_id", "type": "STRING", "length": 36}]


def _create(ci: CI, list_type: str = "allowlist") -> dict[str, Any]:
    r = ci.request("POST", T, json={"columns": COLUMNS, "listType": list_type})
    assert r.status_code == 201, r.text
    return r.json()


def test_a_transfer_waits_for_its_file_then_counts_its_rows(ci: CI) -> None:
    links = ci.request("GET", "/marketingData/analytic").json()["links"]
    assert links[0]["rel"] == "transfers"
    transfer = _create(ci)
    assert transfer["status"] == "WAITING_FOR_FILE"
    assert requests.put(transfer["signedURL"], data=b"c1\nc2\n", timeout=10).status_code == 200
    got = ci.request("GET", f"{T}/{transfer['id']}").json()
    assert (got["status"], got["rowCount"]) == ("RECEIVED", 2)


def test_transfers_sort_by_type_and_creation(ci: CI) -> None:
    first, second = _create(ci, "denylist"), _create(ci)
    newest = ci.request("GET", T, params={"limit": 2}).json()["items"]
    assert [t["id"] for t in newest] == [second["id"], first["id"]]
    oldest = ci.request("GET", T, params={"sortBy": "creationTimeStamp:ascending", "limit": 100}).json()
    ids = [t["id"] for t in oldest["items"]]
    assert ids.index(first["id"]) < ids.index(second["id"])
    by_type = ci.request("GET", T, params={"sortBy": "transferType:ascending"})
    assert by_type.status_code == 200


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"listType": "allowlist"}, "columns is required"),
        ({"columns": COLUMNS, "listType": "greylist"}, "listType"),
        ({"columns": [{"type": "STRING"}], "listType": "allowlist"}, "name is required"),
        ({"columns": COLUMNS * 2, "listType": "allowlist"}, "same name"),
        ({"columns": [{"name": "a", "length": 0}], "listType": "allowlist"}, "at least 1"),
    ],
)
def test_a_bad_transfer_is_a_400(ci: CI, body: dict[str, Any], words: str) -> None:
    sas_error(ci.request("POST", T, json=body), 400, contains=words)


def test_a_bad_sort_is_a_400(ci: CI) -> None:
    sas_error(ci.request("GET", T, params={"sortBy": "size:ascending"}), 400, contains="sortBy")
