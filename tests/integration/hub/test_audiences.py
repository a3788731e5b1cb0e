"""Audiences on the hub: live QUERY audiences, UPLOAD audiences filled in the background, validation."""

from __future__ import annotations

import json
import time
from typing import Any

import requests

from contacthub_like.sandbox import admin
from contacthub_like.sandbox.server import LocalHub
from contacthub_like.sandbox.store import Store

from .conftest import Api, NodeApi, assert_envelope, atomic


def query_doc(condition: dict[str, Any]) -> dict[str, Any]:
    return {"name": "query", "query": {"type": "simple", "name": "query", "are": {"condition": condition}}}


def create(api: Api, node: NodeApi, expect: int = 201, **body: Any) -> dict[str, Any]:
    r = api.post("/audiences", json={"nodeId": node.node, **body})
    assert r.status_code == expect, r.text
    return r.json()


def member_ids(api: Api, audience_id: str) -> list[str]:
    r = api.get(f"/audiences/{audience_id}/customers", params={"size": 50})
    assert r.status_code == 200, r.text
    return [c["id"] for c in r.json()["elements"]]


def wait_upload(session: requests.Session, url: str, seconds: float = 20.0) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        record = session.get(url, timeout=10).json()
        if record["status"] in ("COMPLETED", "FAILED") or time.monotonic() > deadline:
            return record
        time.sleep(0.02)


def upload(api: Api, audience_id: str, **body: Any) -> dict[str, Any]:
    r = api.post(f"/audiences/{audience_id}/uploads", json=body)
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "PENDING" and r.json()["matched"] == 0
    return wait_upload(api.session, r.headers["location"])


def test_query_audience_is_evaluated_live(api: Api, node: NodeApi) -> None:
    ann = node.create(base={"firstName": "Ann"})
    node.create(base={"firstName": "Bob"})
    audience = create(
        api, node, name="anns", source="QUERY", query=query_doc(atomic("base.firstName", "EQUALS", "Ann"))
    )
    assert audience["size"] == 1 and audience["status"] == "ACTIVE" and audience["source"] == "QUERY"
    assert member_ids(api, audience["id"]) == [ann["id"]]
    later = node.create(base={"firstName": "Ann"})
    assert api.get(f"/audiences/{audience['id']}").json()["size"] == 2
    assert member_ids(api, audience["id"]) == [ann["id"], later["id"]]
    api.delete(f"/customers/{ann['id']}")
    assert member_ids(api, audience["id"]) == [later["id"]]
    everyone = create(
        api, node, name="all", source="QUERY", query={"name": "query", "query": {"type": "simple"}}
    )
    assert everyone["size"] == 2


def test_audience_validation(api: Api, node: NodeApi) -> None:
    body = assert_envelope(
        api.post(
            "/audiences",
            json={
                "nodeId": node.node,
                "name": "x",
                "source": "QUERY",
                "query": query_doc(atomic("a", "NOPE", 1)),
            },
        ),
        400,
    )
    assert body["errors"][0]["path"] == "/query/query/are/condition/operator"
    errors = assert_envelope(api.post("/audiences", json={"nodeId": node.node, "source": "QUERY"}), 400)[
        "errors"
    ]
    assert {e["path"] for e in errors} == {"/name", "/query"}
    errors = assert_envelope(
        api.post(
            "/audiences", json={"nodeId": node.node, "name": "u", "source": "UPLOAD", "query": query_doc({})}
        ),
        400,
    )["errors"]
    assert errors[0]["path"] == "/query"
    assert_envelope(api.post("/audiences", json={"name": "u", "source": "UPLOAD"}), 400)
    uploads = create(api, node, name="u", source="UPLOAD")
    assert_envelope(api.patch(f"/audiences/{uploads['id']}", json={"source": "QUERY"}), 400)
    patched = api.patch(f"/audiences/{uploads['id']}", json={"status": "INACTIVE", "description": "d"}).json()
    assert (patched["status"], patched["description"], patched["name"]) == ("INACTIVE", "d", "u")


def test_list_audiences_by_name_and_status(api: Api, node: NodeApi) -> None:
    create(api, node, name="a", source="UPLOAD")
    create(api, node, name="b", source="UPLOAD", status="INACTIVE")
    create(api, node, name="c", source="UPLOAD")

    def names(condition: dict[str, Any] | None = None, **params: Any) -> list[str]:
        if condition is not None:
            params["query"] = json.dumps(query_doc(condition))
        r = api.get("/audiences", params={"nodeId": node.node, **params})
        assert r.status_code == 200, r.text
        return [a["name"] for a in r.json()["elements"]]

    assert names(atomic("status", "EQUALS", "ACTIVE")) == ["a", "c"]
    assert names(atomic("name", "IN", ["b", "c"]), sort="name,desc") == ["c", "b"]
    assert names(size=2, page=1) == ["c"]


def test_json_upload_is_processed_in_the_background(api: Api, node: NodeApi) -> None:
    one = node.create(externalId="e-1", base={"contacts": {"email": "one@x.test"}})
    two = node.create(externalId="e-2")
    audience = create(api, node, name="up", source="UPLOAD")
    record = upload(
        api,
        audience["id"],
        key="externalId",
        members=[
            {"externalId": "e-1"},
            "e-2",
            {"externalId": "e-1"},
            {"externalId": "nope"},
            {},
            7,
            {"externalId": 3},
        ],
    )
    assert record["status"] == "COMPLETED" and record["completedAt"]
    assert (record["received"], record["matched"], record["rejected"]) == (7, 2, 5)
    assert [(r["row"], r["reason"]) for r in record["rejects"]] == [
        (3, "duplicate of row 1"),
        (4, "no customer with externalId 'nope' in this node"),
        (5, "the row has no externalId value"),
        (6, "the row is not an object with a 'externalId' key"),
        (7, "externalId must be a string"),
    ]
    assert member_ids(api, audience["id"]) == [one["id"], two["id"]]
    assert api.get(f"/audiences/{audience['id']}").json()["size"] == 2
    # REPLACE: the new upload is the whole membership
    replaced = upload(api, audience["id"], key="email", mode="REPLACE", members=["one@x.test"])
    assert (replaced["matched"], replaced["rejected"]) == (1, 0)
    assert member_ids(api, audience["id"]) == [one["id"]]
    history = api.get(f"/audiences/{audience['id']}/uploads").json()
    assert [u["id"] for u in history["elements"]] == [replaced["id"], record["id"]]
    api.delete(f"/customers/{one['id']}")
    assert member_ids(api, audience["id"]) == []


def test_csv_upload(api: Api, node: NodeApi) -> None:
    customer = node.create(externalId="csv-1")
    audience = create(api, node, name="csv", source="UPLOAD")
    url = f"/audiences/{audience['id']}/uploads"
    headers = {"Content-Type": "text/csv"}
    r = api.post(url, params={"key": "id"}, data=b"name,externalId\nA,csv-1\n", headers=headers)
    body = assert_envelope(r, 400)
    assert (
        body["errors"][0]["code"] == "MISSING_COLUMN" and "name, externalId" in body["errors"][0]["message"]
    )
    assert_envelope(api.post(url, data=b"externalId\ncsv-1\n", headers=headers), 400)  # no key parameter
    r = api.post(
        url,
        params={"key": "externalId"},
        data="\ufeffname,externalId\nA,csv-1\nB\n\n".encode(),
        headers=headers,
    )
    assert r.status_code == 202, r.text
    record = wait_upload(api.session, r.headers["location"])
    assert (record["received"], record["matched"], record["rejected"]) == (3, 1, 2)
    assert member_ids(api, audience["id"]) == [customer["id"]]


def test_upload_errors(api: Api, node: NodeApi) -> None:
    query_audience = create(
        api, node, name="q", source="QUERY", query=query_doc(atomic("externalId", "EQUALS", "x"))
    )
    assert_envelope(
        api.post(f"/audiences/{query_audience['id']}/uploads", json={"key": "id", "members": []}), 409
    )
    audience = create(api, node, name="u", source="UPLOAD")
    url = f"/audiences/{audience['id']}/uploads"
    assert assert_envelope(api.post(url, json={"members": []}), 400)["errors"][0]["path"] == "/key"
    assert (
        assert_envelope(api.post(url, json={"key": "phone", "members": []}), 400)["errors"][0]["path"]
        == "/key"
    )
    assert (
        assert_envelope(api.post(url, json={"key": "id", "members": {}}), 400)["errors"][0]["path"]
        == "/members"
    )
    assert_envelope(api.post(url, json={"key": "id", "members": [], "extra": 1}), 400)
    assert_envelope(api.post(url, data=b"{", headers={"Content-Type": "application/json"}), 400)
    assert_envelope(api.get(f"{url}/nope"), 404)
    assert_envelope(api.post("/audiences/nope/uploads", json={"key": "id", "members": []}), 404)


def test_deleting_an_audience_removes_its_members_and_uploads(api: Api, node: NodeApi) -> None:
    node.create(externalId="d-1")
    audience = create(api, node, name="gone", source="UPLOAD")
    upload(api, audience["id"], key="externalId", members=["d-1"])
    deleted = api.delete(f"/audiences/{audience['id']}")
    assert deleted.status_code == 200 and deleted.json()["size"] == 1
    assert_envelope(api.get(f"/audiences/{audience['id']}"), 404)
    assert_envelope(api.get(f"/audiences/{audience['id']}/uploads"), 404)


def test_unfinished_uploads_are_processed_when_the_hub_starts(tmp_path) -> None:
    db = tmp_path / "resume.sqlite3"
    with Store(db) as store:
        creds = admin.default_credentials(store)
    with LocalHub(db).start() as hub, requests.Session() as s:
        s.headers["Authorization"] = f"Bearer {creds.token}"
        base = f"{hub.base_url}/workspaces/{creds.workspace_id}"
        s.post(f"{base}/customers", json={"nodeId": creds.node_id, "externalId": "r-1"}, timeout=10)
        audience = s.post(
            f"{base}/audiences", json={"nodeId": creds.node_id, "name": "r", "source": "UPLOAD"}, timeout=10
        )
        aid = audience.json()["id"]
    # an upload accepted by a hub that stopped before processing it
    with Store(db) as store:
        doc = {
            "id": "up-left",
            "audienceId": aid,
            "status": "PENDING",
            "key": "externalId",
            "mode": "APPEND",
            "received": 2,
            "matched": 0,
            "rejected": 0,
            "rejects": [],
            "createdAt": "2024-01-01T00:00:00.000+0000",
            "completedAt": None,
            "error": None,
        }
        store.execute(
            "INSERT INTO audience_uploads(id, audience_id, status, payload, doc) VALUES (?, ?, ?, ?, ?)",
            ("up-left", aid, "PENDING", json.dumps(["r-1", "r-2"]), json.dumps(doc)),
        )
    with LocalHub(db).start() as hub, requests.Session() as s:
        s.headers["Authorization"] = f"Bearer {creds.token}"
        url = f"{hub.base_url}/workspaces/{creds.workspace_id}/audiences/{aid}/uploads/up-left"
        record = wait_upload(s, url)
        assert (record["status"], record["matched"], record["rejected"]) == ("COMPLETED", 1, 1)
