"""Upload processing on its own: every row accounted for, REPLACE semantics, and FAILED when it cannot run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from contacthub_like.sandbox import admin
from contacthub_like.sandbox.resources import audiences, customers
from contacthub_like.sandbox.schema import check_customer_body
from contacthub_like.sandbox.store import Store
from contacthub_like.sandbox.uploads import process_upload


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "uploads.sqlite3", schema=(*customers.SCHEMA, *audiences.SCHEMA)) as s:
        yield s


def add_customer(store: Store, ws: str, node: str, **fields: Any) -> str:
    with store.transaction() as conn:
        doc, _ = customers.insert(conn, ws, check_customer_body({"nodeId": node, **fields}, []))
    return doc["id"]


def add_audience(store: Store, ws: str, node: str, audience_id: str) -> None:
    doc = {
        "id": audience_id,
        "nodeId": node,
        "name": "a",
        "description": None,
        "source": "UPLOAD",
        "query": None,
        "status": "ACTIVE",
        "createdAt": "t",
        "updatedAt": "t",
    }
    store.execute(
        "INSERT INTO audiences(id, ws, node, name, source, status, created_at, updated_at, doc)"
        " VALUES (?, ?, ?, 'a', 'UPLOAD', 'ACTIVE', 't', 't', ?)",
        (audience_id, ws, node, json.dumps(doc)),
    )


def stored_upload(store: Store, audience_id: str, members: list[Any], key: str, mode: str = "APPEND") -> str:
    upload_id = f"up-{store.scalar('SELECT COUNT(*) FROM audience_uploads')}"
    doc = {
        "id": upload_id,
        "audienceId": audience_id,
        "status": "PENDING",
        "key": key,
        "mode": mode,
        "received": len(members),
        "matched": 0,
        "rejected": 0,
        "rejects": [],
        "createdAt": "t",
        "completedAt": None,
        "error": None,
    }
    store.execute(
        "INSERT INTO audience_uploads(id, audience_id, status, payload, doc) VALUES (?, ?, 'PENDING', ?, ?)",
        (upload_id, audience_id, json.dumps(members), json.dumps(doc)),
    )
    return upload_id


def record(store: Store, upload_id: str) -> dict[str, Any]:
    return json.loads(store.scalar("SELECT doc FROM audience_uploads WHERE id = ?", (upload_id,)))


def members(store: Store, audience_id: str) -> set[str]:
    rows = store.all("SELECT customer_id FROM audience_members WHERE audience_id = ?", (audience_id,))
    return {r[0] for r in rows}


def test_rows_stay_pending_until_processed_and_then_add_up(store: Store) -> None:
    creds = admin.default_credentials(store)
    ws, node = creds.workspace_id, creds.node_id
    shared_a = add_customer(store, ws, node, externalId="a", base={"contacts": {"email": "same@x.test"}})
    shared_b = add_customer(store, ws, node, externalId="b", base={"contacts": {"email": "same@x.test"}})
    add_audience(store, ws, node, "aud")
    upload_id = stored_upload(
        store, "aud", ["same@x.test", " ", "same@x.test", None, "other@x.test"], "email"
    )
    assert record(store, upload_id)["status"] == "PENDING" and members(store, "aud") == set()
    process_upload(store, upload_id)
    done = record(store, upload_id)
    assert (done["status"], done["received"], done["matched"], done["rejected"]) == ("COMPLETED", 5, 1, 4)
    assert [r["row"] for r in done["rejects"]] == [2, 3, 4, 5]
    assert members(store, "aud") == {shared_a, shared_b}  # one email, two customers: both join
    assert store.scalar("SELECT payload FROM audience_uploads WHERE id = ?", (upload_id,)) is None
    process_upload(store, upload_id)  # already done: nothing happens twice
    assert record(store, upload_id) == done


def test_replace_keeps_only_the_new_rows(store: Store) -> None:
    creds = admin.default_credentials(store)
    ws, node = creds.workspace_id, creds.node_id
    first = add_customer(store, ws, node, externalId="1")
    second = add_customer(store, ws, node, externalId="2")
    add_audience(store, ws, node, "aud")
    process_upload(store, stored_upload(store, "aud", ["1", "2"], "externalId"))
    assert members(store, "aud") == {first, second}
    process_upload(store, stored_upload(store, "aud", [{"externalId": "2"}], "externalId", "REPLACE"))
    assert members(store, "aud") == {second}


def test_an_upload_whose_audience_is_gone_fails_with_the_reason(store: Store) -> None:
    upload_id = stored_upload(store, "deleted", ["x"], "id")
    process_upload(store, upload_id)
    failed = record(store, upload_id)
    assert failed["status"] == "FAILED" and failed["completedAt"]
    assert failed["error"] == "the audience was deleted before the upload was processed"
