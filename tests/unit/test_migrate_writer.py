"""Bulk import on the wire: the upsert (create, 409 → compare → patch or leave), events, rejects, failures.

Every request is declared on the strict fake hub with its exact body; the tests also show
which requests are *not* sent (an unchanged customer is never patched, a known event is
never posted twice, an invalid record sends nothing).
"""

from __future__ import annotations

import socket

import pytest
from helpers import (  # noqa: F401
    BASE,
    NODE_ID,
    TOKEN,
    WS_ID,
    FakeHub,
    customer_doc,
    envelope,
    event_doc,
    hub_fixture,
    node_fixture,
    workspace_fixture,
)

from contacthub_like import ConnectionFailed, NotFound, ServerError, Workspace
from contacthub_like.http.retry import Retry
from contacthub_like.migrate import BulkInterrupted, Outcome, RecordResult, RecordRetry, bulk_import
from contacthub_like.services.contacthub.workspace import Node

CONFLICT = {
    "message": "Conflict with exiting customer c-1",
    "logref": "l-1",
    "data": {"customer": {"id": "c-1", "href": "https://hub.test/hub/v1/workspaces/ws-1/customers/c-1"}},
    "errors": [],
}

BRUCE = {"externalId": "ext-1", "base": {"firstName": "Bruce", "contacts": {"email": "bruce@wayne.test"}}}
EVENT = {
    "type": "viewedProduct",
    "context": "WEB",
    "date": "2025-01-02T03:04:05Z",
    "properties": {"sku": "S-1"},
}


def run(node: Node, records: list, **kwargs) -> tuple:
    results: list[RecordResult] = []
    summary = bulk_import(node, records, workers=1, on_result=results.append, **kwargs)
    return summary, results


def test_new_customer_is_created_with_its_events(hub: FakeHub, node: Node) -> None:
    hub.expect("POST", "/customers", body={**BRUCE, "nodeId": NODE_ID}, status=201, reply=customer_doc())
    hub.expect("POST", "/events", body={**EVENT, "customerId": "c-1"}, status=202, reply={"id": "ev-9"})
    summary, results = run(node, [{**BRUCE, "events": [EVENT]}])
    assert (summary.created, summary.total) == (1, 1)
    assert results[0].outcome is Outcome.CREATED and results[0].id == "c-1"
    assert hub.count == 2


def test_conflict_patches_only_the_differences(hub: FakeHub, node: Node) -> None:
    hub.expect("POST", "/customers", body={**BRUCE, "nodeId": NODE_ID}, status=409, reply=CONFLICT)
    existing = customer_doc()
    existing["base"]["firstName"] = "Brucie"
    hub.expect("GET", "/customers/c-1", reply=existing)
    hub.expect("PATCH", "/customers/c-1", body={"base": {"firstName": "Bruce"}}, reply=customer_doc())
    summary, _ = run(node, [BRUCE])
    assert (summary.updated, summary.total) == (1, 1)
    assert hub.count == 3


def test_conflict_with_identical_customer_sends_no_patch(hub: FakeHub, node: Node) -> None:
    hub.expect("POST", "/customers", body={**BRUCE, "nodeId": NODE_ID}, status=409, reply=CONFLICT)
    hub.expect("GET", "/customers/c-1", reply=customer_doc())
    summary, _ = run(node, [BRUCE])
    assert (summary.unchanged, summary.total) == (1, 1)
    assert hub.count == 2


def test_known_events_of_an_existing_customer_are_not_posted_again(hub: FakeHub, node: Node) -> None:
    other = {**EVENT, "type": "completedOrder", "context": "ECOMMERCE", "properties": {"orderId": "O-1"}}
    hub.expect("POST", "/customers", body={**BRUCE, "nodeId": NODE_ID}, status=409, reply=CONFLICT)
    hub.expect("GET", "/customers/c-1", reply=customer_doc())
    stored = event_doc(
        type="viewedProduct", context="WEB", date="2025-01-02T03:04:05.000+0000", properties={"sku": "S-1"}
    )
    hub.expect("GET", "/events", params={"customerId": "c-1"}, reply=envelope([stored]))
    hub.expect("POST", "/events", body={**other, "customerId": "c-1"}, status=202, reply={"id": "ev-2"})
    summary, _ = run(node, [{**BRUCE, "events": [EVENT, other]}])
    # the customer itself did not change, but a new event was written for it
    assert (summary.updated, summary.total) == (1, 1)
    assert hub.count == 4


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"externalId": "x", "base": {"contacts": {"email": "not-an-address"}}}, "not an e-mail address"),
        ({"externalId": "x", "base": {"dob": "1980-13-45"}}, "dob"),
        ({"externalId": "x", "base": {"timezone": "Mars/Olympus"}}, "Mars/Olympus"),
        ({"externalId": "x", "shoeSize": 42}, "shoeSize"),
        ({"externalId": "x", "events": [{"type": "dancedTango", "context": "WEB"}]}, "event 1"),
        ({"externalId": "x", "events": "yesterday"}, "events must be a list"),
    ],
)
def test_invalid_records_are_rejected_without_a_request(
    hub: FakeHub, node: Node, record: dict, reason: str
) -> None:
    summary, results = run(node, [record])
    assert (summary.rejected, summary.total) == (1, 1)
    assert reason in (results[0].reason or "")
    assert hub.count == 0


def test_hub_validation_error_rejects_the_record_and_the_import_goes_on(hub: FakeHub, node: Node) -> None:
    refused = {
        "message": "source customer is not valid",
        "errors": [{"path": "/base/firstName", "message": "too long"}],
    }
    hub.expect("POST", "/customers", body={"externalId": "bad", "nodeId": NODE_ID}, status=400, reply=refused)
    hub.expect("POST", "/customers", body={**BRUCE, "nodeId": NODE_ID}, status=201, reply=customer_doc())
    summary, results = run(node, [{"externalId": "bad"}, BRUCE])
    assert (summary.rejected, summary.created, summary.total) == (1, 1, 2)
    assert "400" in results[0].reason and "/base/firstName too long" in results[0].reason


def test_hub_failure_stops_the_import_with_the_summary_so_far(hub: FakeHub) -> None:
    # without retries: the transport's retry policy has its own tests; here the first 503 is final
    with Workspace(WS_ID, TOKEN, base_url=BASE, retry=None) as workspace:
        node = workspace.get_node(NODE_ID)
        hub.expect("POST", "/customers", body={**BRUCE, "nodeId": NODE_ID}, status=201, reply=customer_doc())
        down = {"message": "unavailable", "errors": []}
        hub.expect(
            "POST", "/customers", body={"externalId": "ext-2", "nodeId": NODE_ID}, status=503, reply=down
        )
        with pytest.raises(BulkInterrupted) as info:
            run(node, [BRUCE, {"externalId": "ext-2"}, {"externalId": "ext-3"}], retry=None)
    assert isinstance(info.value.cause, ServerError)
    assert info.value.summary.created == 1
    assert info.value.summary.total == 1  # the failed record is not counted: a resume sends it again
    assert hub.count == 2  # nothing after the failure


def test_unreachable_hub_stops_the_import() -> None:
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with Workspace("ws", "tok", f"http://127.0.0.1:{port}", timeout=(1, 1), retry=None) as ws:
        with pytest.raises(BulkInterrupted) as info:
            ws.get_node("n").bulk([BRUCE, BRUCE], workers=1, retry=None)
    assert isinstance(info.value.cause, ConnectionFailed)
    assert info.value.summary.total == 0


def test_workers_must_be_a_sensible_count(node: Node) -> None:
    from contacthub_like import InvalidValue

    for bad in (0, -1, 1000, 2.5, True):
        with pytest.raises(InvalidValue, match="workers"):
            bulk_import(node, [], workers=bad)


def test_unknown_node_stops_the_import_instead_of_rejecting_every_record(hub: FakeHub, node: Node) -> None:
    missing = {"message": f"node not found {NODE_ID}", "errors": []}
    hub.expect("POST", "/customers", body={**BRUCE, "nodeId": NODE_ID}, status=404, reply=missing)
    with pytest.raises(BulkInterrupted) as info:
        run(node, [BRUCE, {"externalId": "ext-2"}])
    assert isinstance(info.value.cause, NotFound)
    assert info.value.summary.total == 0


def test_entities_are_written_by_their_own_verbs(hub: FakeHub, node: Node) -> None:
    from contacthub_like import Customer, Event

    customer = Customer(
        externalId="ext-1", base={"firstName": "Bruce", "contacts": {"email": "bruce@wayne.test"}}
    )
    event = Event(customerId="c-1", type="loggedIn", context="WEB")
    hub.expect("POST", "/customers", body={**BRUCE, "nodeId": NODE_ID}, status=409, reply=CONFLICT)
    hub.expect("GET", "/customers/c-1", reply=customer_doc())
    hub.expect(
        "POST",
        "/events",
        body={"customerId": "c-1", "type": "loggedIn", "context": "WEB"},
        status=202,
        reply={"id": "e-1"},
    )
    summary, results = run(node, [customer, event])
    assert [r.outcome for r in results] == [Outcome.UNCHANGED, Outcome.CREATED]
    assert results[1].id == "e-1" and summary.total == 2


# ------------------------------------------------------------ repeats: nothing lost, nothing duplicated

NO_SLEEP = RecordRetry(sleep=lambda seconds: None)
BOOM = {"message": "Internal Server Error", "errors": []}


def test_a_409_after_a_lost_answer_is_not_proof_of_a_new_customer(hub: FakeHub) -> None:
    # the customer existed with this event already: the repeat's 409 must lead to the events check
    workspace = Workspace(WS_ID, TOKEN, base_url=BASE, retry=Retry(backoff=0))
    node = workspace.get_node(NODE_ID)
    hub.expect("POST", "/customers", body={**BRUCE, "nodeId": NODE_ID}, status=502, reply=BOOM)
    hub.expect("POST", "/customers", body={**BRUCE, "nodeId": NODE_ID}, status=409, reply=CONFLICT)
    hub.expect("GET", "/customers/c-1", reply=customer_doc())
    stored = event_doc(type="viewedProduct", context="WEB", date=EVENT["date"], properties={"sku": "S-1"})
    hub.expect("GET", "/events", params={"customerId": "c-1"}, reply=envelope([stored]))
    with workspace:
        summary, _ = run(node, [{**BRUCE, "events": [EVENT]}], retry=None)
    assert summary.total == 1 and hub.count == 4  # no event POST
    assert summary.unchanged == 1  # registered in 2017: older than this import, so not counted as created


def test_a_409_after_a_lost_answer_for_a_customer_registered_just_now_counts_as_created(hub: FakeHub) -> None:
    import datetime as dt

    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    with Workspace(WS_ID, TOKEN, base_url=BASE, retry=Retry(backoff=0)) as workspace:
        node = workspace.get_node(NODE_ID)
        hub.expect("POST", "/customers", body={**BRUCE, "nodeId": NODE_ID}, status=504, reply=BOOM)
        hub.expect("POST", "/customers", body={**BRUCE, "nodeId": NODE_ID}, status=409, reply=CONFLICT)
        mine = customer_doc(externalId="ext-1", registeredAt=now, updatedAt=now)
        mine["base"] = {**mine["base"], **BRUCE["base"]}
        hub.expect("GET", "/customers/c-1", reply=mine)
        summary, _ = run(node, [BRUCE], retry=None)
    assert summary.created == 1 and hub.count == 3


def test_a_record_is_written_again_after_a_500_with_the_same_event_key(hub: FakeHub, node: Node) -> None:
    hub.expect("POST", "/customers", body={**BRUCE, "nodeId": NODE_ID}, status=201, reply=customer_doc())
    event_body = {**EVENT, "customerId": "c-1"}
    hub.expect("POST", "/events", body=event_body, status=500, reply=BOOM)
    hub.expect("POST", "/customers", body={**BRUCE, "nodeId": NODE_ID}, status=409, reply=CONFLICT)
    hub.expect("GET", "/customers/c-1", reply=customer_doc())
    hub.expect("GET", "/events", params={"customerId": "c-1"}, reply=envelope([]))
    hub.expect("POST", "/events", body=event_body, status=202, reply={"id": "ev-1"})
    summary, results = run(node, [{**BRUCE, "events": [EVENT]}], source="in.csv", retry=NO_SLEEP)
    assert (summary.created, summary.total) == (1, 1) and results[0].id == "c-1"
    keys = [
        c.request.headers.get("Idempotency-Key") for c in hub.mock.calls if c.request.url.endswith("/events")
    ]
    assert len(keys) == 2 and keys[0] == keys[1] and keys[0].startswith("mig-")
    # the same source record gives the same key in any later run; another record or source does not
    again = _key_of(node, "in.csv", "1"), _key_of(node, "in.csv", "1"), _key_of(node, "other.csv", "1")
    assert again[0] == again[1] != again[2]


def _key_of(node: Node, source: str, key: str) -> str:
    from contacthub_like.migrate.writer import _event, _idempotency_key

    return _idempotency_key(f"{source}\n{key}", "c-1", 1, _event(node, EVENT, 1))


def test_a_record_the_hub_cannot_match_is_not_written_again(hub: FakeHub, node: Node) -> None:
    anonymous = {"base": {"firstName": "Anon"}}
    hub.expect("POST", "/customers", body={**anonymous, "nodeId": NODE_ID}, status=500, reply=BOOM)
    with pytest.raises(BulkInterrupted) as info:
        run(node, [anonymous], retry=NO_SLEEP)
    assert isinstance(info.value.cause, ServerError) and hub.count == 1


def test_record_retry_gives_up_after_its_attempts(hub: FakeHub, node: Node) -> None:
    for _ in range(3):
        hub.expect("POST", "/customers", body={**BRUCE, "nodeId": NODE_ID}, status=500, reply=BOOM)
    with pytest.raises(BulkInterrupted) as info:
        run(node, [BRUCE], retry=RecordRetry(max_attempts=3, sleep=lambda s: None))
    assert isinstance(info.value.cause, ServerError) and hub.count == 3


def test_a_record_is_written_again_when_the_transport_ran_out_of_attempts() -> None:
    from contacthub_like.errors import RetriesExhausted

    exhausted = RetriesExhausted("GET /customers/c-1: gave up after 5 attempt(s)", attempts=5, waited=0.1)
    assert RecordRetry().worth_repeating(exhausted)
    assert not RecordRetry().worth_repeating(ServerError("nope", status_code=501))
