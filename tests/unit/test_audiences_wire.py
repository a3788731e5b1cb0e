"""Audiences on the wire: creation from a query, members, uploads from CSV files and iterables, polling."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import (  # noqa: F401
    NODE_ID,
    FakeHub,
    customer_doc,
    envelope,
    hub_fixture,
    node_fixture,
    workspace_fixture,
)

from contacthub_like import (
    Audience,
    AudienceUpload,
    Customer,
    Event,
    InvalidType,
    InvalidValue,
    OperationNotPermitted,
    UploadFailed,
    WaitTimeout,
)
from contacthub_like.services.contacthub.workspace import Node

FIRST_NAME_BRUCE = {
    "name": "query",
    "query": {
        "type": "simple",
        "name": "query",
        "are": {
            "condition": {
                "type": "atomic",
                "attribute": "base.firstName",
                "operator": "EQUALS",
                "value": "Bruce",
            }
        },
    },
}


def audience_doc(**overrides):
    doc = {
        "id": "aud-1",
        "nodeId": NODE_ID,
        "name": "newsletter",
        "description": None,
        "source": "UPLOAD",
        "query": None,
        "status": "ACTIVE",
        "size": 0,
        "createdAt": "2024-01-05T10:00:00.000+0000",
        "updatedAt": "2024-01-05T10:00:00.000+0000",
    }
    doc.update(overrides)
    return doc


def upload_doc(status="PENDING", **overrides):
    doc = {
        "id": "up-1",
        "audienceId": "aud-1",
        "status": status,
        "key": "externalId",
        "mode": "APPEND",
        "received": 3,
        "matched": 0,
        "rejected": 0,
        "rejects": [],
        "createdAt": "2024-01-05T10:00:00.000+0000",
        "completedAt": None,
        "error": None,
    }
    doc.update(overrides)
    return doc


def test_from_query_posts_the_compiled_customer_query(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "POST",
        "/audiences",
        body={"name": "bruces", "source": "QUERY", "query": FIRST_NAME_BRUCE, "nodeId": NODE_ID},
        status=201,
        reply=audience_doc(id="aud-q", name="bruces", source="QUERY", query=FIRST_NAME_BRUCE, size=2),
    )
    audience = Audience.from_query(
        node, "bruces", node.query(Customer).filter(Customer.base.firstName == "Bruce")
    )
    assert audience.id == "aud-q" and audience.size == 2 and audience.source == Audience.SOURCES.QUERY


def test_from_query_checks_its_query(node: Node, workspace) -> None:
    with pytest.raises(InvalidValue, match="selects customers"):
        Audience.from_query(node, "x", node.query(Event))
    with pytest.raises(InvalidValue, match="another node"):
        Audience.from_query(node, "x", workspace.get_node("other").query(Customer))
    with pytest.raises(InvalidType, match="node.query"):
        Audience.from_query(node, "x", {"query": {}})


def test_members_are_a_lazy_list_of_customers(node: Node, hub: FakeHub) -> None:
    audience = Audience.from_dict(node, audience_doc())
    members = audience.customers(size=1)
    assert hub.count == 0
    hub.expect(
        "GET",
        "/audiences/aud-1/customers",
        params={"size": "1"},
        reply=envelope([customer_doc()], size=1, total=2),
    )
    hub.expect(
        "GET",
        "/audiences/aud-1/customers",
        params={"size": "1", "page": "1"},
        reply=envelope([customer_doc(id="c-2")], size=1, total=2, number=1),
    )
    assert [c.id for c in members] == ["c-1", "c-2"]
    assert isinstance(members[0], Customer) and members[0].node is node


def test_upload_from_a_csv_file_sends_the_key_column_of_every_row(
    node: Node, hub: FakeHub, tmp_path: Path
) -> None:
    path = tmp_path / "members.csv"
    path.write_text("email,externalId,name\na@x.test,e-1,Ann\nb@x.test,,Bob\n\nc@x.test\n", encoding="utf-8")
    hub.expect(
        "POST",
        "/audiences/aud-1/uploads",
        body={
            "key": "externalId",
            "mode": "REPLACE",
            "members": [{"externalId": "e-1"}, {"externalId": ""}, {}, {}],
        },
        status=202,
        reply=upload_doc(received=4, mode="REPLACE"),
    )
    upload = Audience.from_dict(node, audience_doc()).upload(path, key="externalId", mode="REPLACE")
    assert isinstance(upload, AudienceUpload) and upload.status == "PENDING" and upload.received == 4


def test_upload_from_rows(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "POST",
        "/audiences/aud-1/uploads",
        body={
            "key": "email",
            "mode": "APPEND",
            "members": [{"email": "a@x.test"}, {"email": "b@x.test"}, {}],
        },
        status=202,
        reply=upload_doc(key="email"),
    )
    rows = iter(["a@x.test", {"email": "b@x.test", "other": 1}, {"name": "no email"}])
    Audience.from_dict(node, audience_doc()).upload(rows, key="email")


def test_bad_uploads_fail_before_any_request(node: Node, hub: FakeHub, tmp_path: Path) -> None:
    audience = Audience.from_dict(node, audience_doc())
    no_key = tmp_path / "no_key.csv"
    no_key.write_text("email,name\na@x.test,Ann\n", encoding="utf-8")
    with pytest.raises(InvalidValue, match=r"no 'externalId' column \(its columns: email, name\)"):
        audience.upload(no_key)
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InvalidValue, match="is empty"):
        audience.upload(empty, key="email")
    with pytest.raises(InvalidValue, match="no such file"):
        audience.upload(tmp_path / "missing.csv")
    with pytest.raises(InvalidValue, match="key must be one of id, externalId, email"):
        audience.upload(["x"], key="phone")
    with pytest.raises(InvalidValue, match="mode must be one of APPEND, REPLACE"):
        audience.upload(["x"], mode="MERGE")
    with pytest.raises(InvalidType, match="row 2"):
        audience.upload(["x", 42])
    with pytest.raises(InvalidType, match="row 1: externalId must be a string"):
        audience.upload([{"externalId": 7}])
    with pytest.raises(OperationNotPermitted, match="QUERY audience"):
        Audience.from_dict(node, audience_doc(source="QUERY", query=FIRST_NAME_BRUCE)).upload(["x"])
    assert hub.count == 0


def test_wait_polls_with_backoff_until_completed(node: Node, hub: FakeHub) -> None:
    for status in ("PENDING", "PROCESSING"):
        hub.expect("GET", "/audiences/aud-1/uploads/up-1", reply=upload_doc(status))
    rejects = [{"row": 2, "value": "e-9", "reason": "no customer with externalId 'e-9' in this node"}]
    hub.expect(
        "GET",
        "/audiences/aud-1/uploads/up-1",
        reply=upload_doc("COMPLETED", matched=2, rejected=1, rejects=rejects),
    )
    upload = AudienceUpload._wrap(node, "aud-1", upload_doc())
    slept: list[float] = []
    assert (
        upload.wait(timeout=10, interval=0.5, max_interval=0.8, sleep=slept.append, clock=lambda: 0.0)
        is upload
    )
    assert slept == [0.5, 0.8]
    assert (upload.matched, upload.rejected, upload.received) == (2, 1, 3)
    assert upload.rejects[0].row == 2 and "e-9" in upload.rejects[0].reason
    upload.wait()  # already final: no request


def test_wait_gives_up_after_the_timeout(node: Node, hub: FakeHub) -> None:
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    for _ in range(3):
        hub.expect("GET", "/audiences/aud-1/uploads/up-1", reply=upload_doc("PROCESSING"))
    upload = AudienceUpload._wrap(node, "aud-1", upload_doc())
    with pytest.raises(WaitTimeout, match="still PROCESSING after 3 s") as raised:
        upload.wait(timeout=3, interval=1, max_interval=2, sleep=sleep, clock=lambda: now[0])
    assert raised.value.last is upload and now[0] == 3


def test_wait_raises_when_the_upload_failed(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "GET",
        "/audiences/aud-1/uploads/up-1",
        reply=upload_doc("FAILED", error="the audience was deleted before the upload was processed"),
    )
    with pytest.raises(UploadFailed, match="audience was deleted") as raised:
        AudienceUpload._wrap(node, "aud-1", upload_doc()).wait(sleep=lambda s: None)
    assert raised.value.upload.status == "FAILED"
    with pytest.raises(InvalidValue, match="interval"):
        AudienceUpload._wrap(node, "aud-1", upload_doc()).wait(interval=0)


def test_uploads_history_and_query_by_name(node: Node, hub: FakeHub) -> None:
    audience = Audience.from_dict(node, audience_doc())
    hub.expect("GET", "/audiences/aud-1/uploads", reply=envelope([upload_doc("COMPLETED")]))
    history = audience.uploads()
    assert [u.status for u in history] == ["COMPLETED"] and history[0].audience_id == "aud-1"
    condition = {
        "type": "composite",
        "conditions": [
            {"type": "atomic", "attribute": "name", "operator": "EQUALS", "value": "newsletter"},
            {"type": "atomic", "attribute": "status", "operator": "EQUALS", "value": "ACTIVE"},
        ],
        "conjunction": "and",
    }
    query = json.dumps(
        {"name": "query", "query": {"type": "simple", "name": "query", "are": {"condition": condition}}}
    )
    hub.expect(
        "GET", "/audiences", params={"nodeId": NODE_ID, "query": query}, reply=envelope([audience_doc()])
    )
    found = node.query(Audience).filter(Audience.name == "newsletter", Audience.status == "ACTIVE").all()
    assert [a.id for a in found] == ["aud-1"]


def test_patch_and_delete(node: Node, hub: FakeHub) -> None:
    audience = Audience.from_dict(node, audience_doc())
    audience.description = "weekly"
    hub.expect(
        "PATCH", "/audiences/aud-1", body={"description": "weekly"}, reply=audience_doc(description="weekly")
    )
    audience.patch()
    hub.expect("DELETE", "/audiences/aud-1", reply=audience_doc(description="weekly"))
    audience.delete()
