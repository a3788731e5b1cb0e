"""``bulk_import(..., dry_run=True)`` on the wire: reads only, classified as a real run would be.

Every request is declared on the strict fake hub with its exact path and query parameters;
each test then asserts that nothing but ``GET`` went out.  The rejection tests run the same
records through a real import too and compare the reasons word for word.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from async_helpers import Mode, mode_fixture  # noqa: F401
from helpers import (  # noqa: F401
    NODE_ID,
    FakeHub,
    customer_doc,
    envelope,
    event_doc,
    hub_fixture,
    node_fixture,
    workspace_fixture,
)

from contacthub_like import Customer, InvalidValue
from contacthub_like.migrate import (
    BulkInterrupted,
    Checkpoint,
    Outcome,
    RecordResult,
    RecordRetry,
    SourceRecord,
    bulk_import,
)
from contacthub_like.migrate.records import Summary
from contacthub_like.services.contacthub.workspace import Node

BRUCE = {"externalId": "ext-1", "base": {"firstName": "Bruce", "contacts": {"email": "bruce@wayne.test"}}}
EVENT = {
    "type": "viewedProduct",
    "context": "WEB",
    "date": "2025-01-02T03:04:05Z",
    "properties": {"sku": "S-1"},
}
BY_EXTERNAL_ID = {"nodeId": NODE_ID, "externalId": "ext-1", "size": 1}


def preview(node: Node, records: list, **kwargs) -> tuple[Summary, list[RecordResult]]:
    results: list[RecordResult] = []
    summary = bulk_import(node, records, workers=1, on_result=results.append, dry_run=True, **kwargs)
    return summary, results


def only_reads(hub: FakeHub) -> list[str]:
    """The requests sent, as ``METHOD path?query``; fails if any was not a GET."""
    sent = [f"{c.request.method} {c.request.path_url}" for c in hub.mock.calls]
    assert all(line.startswith("GET ") for line in sent), sent
    return sent


def test_a_customer_the_hub_does_not_have_would_be_created(hub: FakeHub, node: Node) -> None:
    hub.expect("GET", "/customers", params=BY_EXTERNAL_ID, reply=envelope([]))
    summary, results = preview(node, [{**BRUCE, "events": [EVENT]}])
    assert (summary.created, summary.total, summary.dry_run) == (1, 1, True)
    assert str(summary).startswith("dry run, nothing written: 1 records: 1 created, 0 updated")
    assert results[0].outcome is Outcome.CREATED and results[0].id is None
    path = f"/hub/v1/workspaces/ws-1/customers?nodeId={NODE_ID}&externalId=ext-1&size=1"
    assert only_reads(hub) == [f"GET {path}"]


def test_a_customer_with_differences_would_be_updated(hub: FakeHub, node: Node) -> None:
    existing = customer_doc()
    existing["base"]["firstName"] = "Brucie"
    hub.expect("GET", "/customers", params=BY_EXTERNAL_ID, reply=envelope([existing]))
    summary, results = preview(node, [BRUCE])
    assert (summary.updated, summary.total) == (1, 1)
    assert results[0].id == "c-1"
    assert len(only_reads(hub)) == 1


def test_an_identical_customer_would_be_unchanged(hub: FakeHub, node: Node) -> None:
    # the hub spells instants as +0000; the record as Z: the same instant, so no change
    stored = customer_doc(extended={"joined": "2020-01-02T03:04:05.000+0000"})
    hub.expect("GET", "/customers", params=BY_EXTERNAL_ID, reply=envelope([stored]))
    summary, _ = preview(node, [{**BRUCE, "extended": {"joined": "2020-01-02T03:04:05Z"}}])
    assert (summary.unchanged, summary.total) == (1, 1)
    assert len(only_reads(hub)) == 1


def test_events_of_an_existing_customer_are_compared_as_a_real_run_compares_them(
    hub: FakeHub, node: Node
) -> None:
    stored = event_doc(
        type="viewedProduct", context="WEB", date="2025-01-02T03:04:05.000+0000", properties={"sku": "S-1"}
    )
    other = {**EVENT, "type": "completedOrder", "context": "ECOMMERCE", "properties": {"orderId": "O-1"}}
    for _ in range(2):
        hub.expect("GET", "/customers", params=BY_EXTERNAL_ID, reply=envelope([customer_doc()]))
        hub.expect("GET", "/events", params={"customerId": "c-1"}, reply=envelope([stored]))
    known, _ = preview(node, [{**BRUCE, "events": [EVENT]}])
    assert (known.unchanged, known.total) == (1, 1)  # its one event is stored already
    new, _ = preview(node, [{**BRUCE, "events": [EVENT, other]}])
    assert (new.updated, new.total) == (1, 1)  # a real run would post the second event
    assert len(only_reads(hub)) == 4


INVALID = [
    {"externalId": "x", "base": {"contacts": {"email": "not-an-address"}}},
    {"externalId": "x", "base": {"dob": "1980-13-45"}},
    {"externalId": "x", "base": {"timezone": "Mars/Olympus"}},
    {"externalId": "x", "shoeSize": 42},
    {"externalId": "x", "events": [{"type": "dancedTango", "context": "WEB"}]},
    {"externalId": "x", "events": "yesterday"},
    ["not", "an", "object"],
]


def test_invalid_records_are_rejected_with_the_reasons_of_a_real_run_and_no_request(
    hub: FakeHub, node: Node
) -> None:
    dry, dry_results = preview(node, INVALID)
    real_results: list[RecordResult] = []
    real = bulk_import(node, INVALID, workers=1, on_result=real_results.append)
    assert (dry.rejected, dry.total) == (real.rejected, real.total) == (len(INVALID), len(INVALID))
    reasons = {r.record.key: r.reason for r in dry_results}
    assert reasons == {r.record.key: r.reason for r in real_results}
    assert all(reasons.values()) and len(reasons) == len(INVALID)
    assert hub.count == 0


def test_an_unreadable_source_line_is_rejected_with_the_readers_reason(hub: FakeHub, node: Node) -> None:
    broken = SourceRecord("7", source="E1,too,few", line=7, error="line 7: expected 3 fields, got 2")
    summary, results = preview(node, [broken])
    assert (summary.rejected, results[0].reason) == (1, "line 7: expected 3 fields, got 2")
    assert hub.count == 0


def test_a_workspace_matched_by_email_is_read_with_an_email_query(hub: FakeHub, node: Node) -> None:
    query = {
        "name": "query",
        "query": {
            "type": "simple",
            "name": "query",
            "are": {
                "condition": {
                    "type": "atomic",
                    "attribute": "base.contacts.email",
                    "operator": "EQUALS",
                    "value": "bruce@wayne.test",
                }
            },
        },
    }
    hub.expect(
        "GET",
        "/customers",
        params={"nodeId": NODE_ID, "query": json.dumps(query), "size": 1},
        reply=envelope([customer_doc()]),
    )
    summary, results = preview(node, [{"base": BRUCE["base"]}], match_on="email")
    assert (summary.unchanged, results[0].id) == (1, "c-1")
    assert len(only_reads(hub)) == 1


def test_what_the_hub_cannot_match_would_be_created_without_a_request(hub: FakeHub, node: Node) -> None:
    no_key, _ = preview(node, [{"base": {"firstName": "Nobody"}}])  # no externalId to match on
    unmatched, _ = preview(node, [BRUCE, BRUCE], match_on="none")  # a workspace without a policy
    entity, _ = preview(node, [Customer(node, externalId=None, base={"firstName": "Selina"})])
    assert (no_key.created, unmatched.created, entity.created) == (1, 2, 1)
    assert hub.count == 0


def test_a_key_repeated_in_the_input_is_created_once_then_found(hub: FakeHub, node: Node) -> None:
    hub.expect("GET", "/customers", params=BY_EXTERNAL_ID, reply=envelope([]))
    renamed = {**BRUCE, "base": {**BRUCE["base"], "lastName": "Wayne"}}
    summary, results = preview(node, [BRUCE, BRUCE, renamed, {**renamed, "events": [EVENT]}])
    assert [r.outcome for r in sorted(results, key=lambda r: int(r.record.key))] == [
        Outcome.CREATED,  # the first POST would answer 201
        Outcome.UNCHANGED,  # the second would meet the first's customer: nothing to change
        Outcome.UPDATED,  # the third adds a last name
        Outcome.UPDATED,  # the fourth an event
    ]
    assert (summary.created, summary.updated, summary.unchanged) == (1, 2, 1)
    assert len(only_reads(hub)) == 1  # the later records need no read


def test_a_dry_run_reads_a_checkpoint_and_never_writes_it(hub: FakeHub, node: Node, tmp_path: Path) -> None:
    path = tmp_path / "in.checkpoint"
    with Checkpoint(path, source="in.csv") as checkpoint:
        checkpoint.record(RecordResult(SourceRecord("1"), Outcome.CREATED))
    before = path.read_bytes()
    hub.expect("GET", "/customers", params={**BY_EXTERNAL_ID, "externalId": "ext-2"}, reply=envelope([]))
    records = [SourceRecord("1", data=BRUCE), SourceRecord("2", data={**BRUCE, "externalId": "ext-2"})]
    with Checkpoint(path, source="in.csv", read_only=True) as checkpoint:
        summary, results = preview(node, records, checkpoint=checkpoint)
        with pytest.raises(InvalidValue, match="read-only"):
            checkpoint.record(results[0])
    assert [r.record.key for r in results] == ["2"]  # record 1 is done: a resume would not send it
    assert (summary.created, summary.total) == (2, 2)  # the totals cover the whole input, as on a resume
    assert path.read_bytes() == before
    assert len(only_reads(hub)) == 1
    assert not Checkpoint(tmp_path / "missing", source="x", read_only=True).done
    assert not (tmp_path / "missing").exists()


def test_a_writable_checkpoint_is_not_advanced_by_a_dry_run(hub: FakeHub, node: Node, tmp_path: Path) -> None:
    hub.expect("GET", "/customers", params=BY_EXTERNAL_ID, reply=envelope([]))
    with Checkpoint(tmp_path / "cp", source="s") as checkpoint:
        preview(node, [SourceRecord("1", data=BRUCE)], checkpoint=checkpoint)
        assert checkpoint.done == {}
    assert (tmp_path / "cp").read_text(encoding="utf-8").count("\n") == 1  # the header only


def test_a_failing_hub_stops_the_dry_run_as_it_stops_an_import(hub: FakeHub, node: Node) -> None:
    hub.expect("GET", "/customers", params=BY_EXTERNAL_ID, status=404, reply={"message": "node not found"})
    with pytest.raises(BulkInterrupted) as stopped:
        preview(node, [BRUCE], retry=RecordRetry(max_attempts=1))
    assert stopped.value.summary.total == 0 and stopped.value.summary.dry_run
    assert len(only_reads(hub)) == 1


def test_the_matching_key_must_be_a_policy_the_hub_has(node: Node) -> None:
    for dry_run in (True, False):
        with pytest.raises(InvalidValue, match="externalId, email, none"):
            bulk_import(node, [BRUCE], dry_run=dry_run, match_on="phone")  # type: ignore[arg-type]


def test_node_bulk_takes_dry_run_through_the_same_path(hub: FakeHub, node: Node) -> None:
    hub.expect("GET", "/customers", params=BY_EXTERNAL_ID, reply=envelope([customer_doc()]))
    summary = node.bulk([BRUCE], workers=1, dry_run=True)
    assert (summary.unchanged, summary.dry_run) == (1, True)
    assert len(only_reads(hub)) == 1


def test_the_threaded_and_the_asyncio_importer_preview_with_the_same_reads(mode: Mode, node: Node) -> None:
    stored = event_doc(
        type="viewedProduct", context="WEB", date="2025-01-02T03:04:05.000+0000", properties={"sku": "S-1"}
    )
    other = {**EVENT, "type": "completedOrder", "context": "ECOMMERCE", "properties": {"orderId": "O-1"}}
    mode.hub.expect("GET", "/customers", params=BY_EXTERNAL_ID, reply=envelope([customer_doc()]))
    mode.hub.expect("GET", "/events", params={"customerId": "c-1"}, reply=envelope([stored]))
    mode.hub.expect("GET", "/customers", params={**BY_EXTERNAL_ID, "externalId": "ext-2"}, reply=envelope([]))
    records = [{**BRUCE, "events": [EVENT, other]}, {**BRUCE, "externalId": "ext-2"}]
    summary = mode.run(node, "bulk", records, dry_run=True)
    assert (summary.created, summary.updated, summary.total, summary.dry_run) == (1, 1, 2, True)
    calls = mode.hub.mock.calls if mode.name == "sync" else mode.hub.router.calls
    assert [call.request.method for call in calls] == ["GET"] * 3
