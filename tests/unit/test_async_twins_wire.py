"""Every verb and its ``_async`` twin send the same requests: one expectation, both paths."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import respx
from async_helpers import AsyncFakeHub, mode_fixture  # noqa: F401
from helpers import (  # noqa: F401
    BASE,
    NODE_ID,
    ROOT,
    TOKEN,
    WS_ID,
    customer_doc,
    envelope,
    event_doc,
    node_fixture,
    workspace_fixture,
)

from contacthub_like import Customer, Education, Event, Workspace
from contacthub_like.errors import Conflict, NotFound, RequestTimeout
from contacthub_like.http.retry import Retry


def test_get_customer(mode, node) -> None:
    mode.hub.expect("GET", "/customers/c-1", reply=customer_doc())
    customer = mode.run(node, "get_customer", id="c-1")
    assert customer.base.firstName == "Bruce" and customer.node is node


def test_patch_sends_only_what_changed(mode, node) -> None:
    customer = Customer.from_dict(node, customer_doc())
    customer.base.firstName = "Brucie"
    customer.tags.manual.append("gold")
    mode.hub.expect(
        "PATCH",
        "/customers/c-1",
        body={"base": {"firstName": "Brucie"}, "tags": {"manual": ["vip", "gold"]}},
        reply=customer_doc(tags={"auto": [], "manual": ["vip", "gold"]}),
    )
    mode.run(customer, "patch")
    assert customer.tags.manual == ["vip", "gold"] and customer._diff() == {}


def test_post_with_force_update_turns_a_conflict_into_a_patch(mode, node) -> None:
    conflict = {"message": "Conflict", "data": {"customer": {"id": "c-9", "href": "/customers/c-9"}}}
    mode.hub.expect(
        "POST",
        "/customers",
        body={"externalId": "ext-1", "extra": "x", "nodeId": NODE_ID},
        status=409,
        reply=conflict,
    )
    mode.hub.expect(
        "PATCH", "/customers/c-9", body={"externalId": "ext-1", "extra": "x"}, reply=customer_doc(id="c-9")
    )
    customer = mode.run(
        Customer(node, default_attributes={}, externalId="ext-1", extra="x"), "post", force_update=True
    )
    assert customer.id == "c-9"


def test_post_without_force_update_raises_the_conflict(mode, node) -> None:
    mode.hub.expect(
        "POST",
        "/customers",
        body={"externalId": "ext-1", "nodeId": NODE_ID},
        status=409,
        reply={"message": "Conflict", "data": {"customer": {"id": "c-9"}}},
    )
    with pytest.raises(Conflict) as caught:
        mode.run(Customer(node, default_attributes={}, externalId="ext-1"), "post")
    assert caught.value.existing_id == "c-9"


def test_event_post_carries_an_idempotency_key(mode, node) -> None:
    body = {"customerId": "c-1", "type": "viewedPage", "context": "WEB", "properties": {"url": "/"}}
    mode.hub.expect("POST", "/events", body=body, status=202, reply={"id": "ev-7"})
    event = mode.run(
        Event(node, customerId="c-1", type="viewedPage", context="WEB", properties={"url": "/"}), "post"
    )
    assert event.id == "ev-7"
    sent = mode.hub.seen[-1].headers if mode.name == "async" else mode.hub.request().headers
    assert len(sent["Idempotency-Key"]) == 36


def test_item_verbs_on_their_sub_collection(mode, node) -> None:
    mode.hub.expect(
        "POST",
        "/customers/c-1/educations",
        body={"id": "01", "schoolType": "COLLEGE"},
        reply={"id": "01", "schoolType": "COLLEGE"},
    )
    education = mode.run(node, "add_item", Education, "c-1", id="01", schoolType="COLLEGE")
    assert education.id == "01"
    mode.hub.expect("DELETE", "/customers/c-1/educations/01", status=204)
    mode.run(education, "delete")


def test_delete_and_missing(mode, node) -> None:
    mode.hub.expect("GET", "/events/ev-404", status=404, reply={"message": "event not found"})
    with pytest.raises(NotFound, match="event not found"):
        mode.run(node, "get_event", "ev-404")


def test_async_query_walk_with_prefetch() -> None:
    docs = [customer_doc(id=f"c-{n}") for n in range(5)]
    seen: list[str] = []

    def pages(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("page", "0"))
        seen.append(str(request.url.params))
        return httpx.Response(
            200, json=envelope(docs[number * 2 : number * 2 + 2], number=number, size=2, total=5)
        )

    async def walk() -> list[str]:
        async with Workspace(WS_ID, TOKEN, base_url=BASE) as ws:
            node = ws.get_node(NODE_ID)
            query = node.query(Customer).filter(Customer.base.lastName == "Wayne").limit_page_size(2)
            with respx.mock(assert_all_mocked=True) as router:
                router.get(f"{ROOT}/customers").mock(side_effect=pages)
                ids = [c.id async for c in query.all_async(prefetch=2)]
                assert await query.count_async() == 5
            return ids

    assert asyncio.run(walk()) == [f"c-{n}" for n in range(5)]
    query_param = "query=" + "%7B"
    assert all(p.startswith("nodeId=node-1&" + query_param) for p in seen)
    assert sorted(p.rsplit("page=", 1)[-1] if "page=" in p else "0" for p in seen[:3]) == ["0", "1", "2"]


def test_async_retries_a_503_with_the_same_decisions() -> None:
    waits: list[float] = []

    async def go() -> str:
        retry = Retry(backoff=0.1, jitter=0, sleep=waits.append)
        async with Workspace(WS_ID, TOKEN, base_url=BASE, retry=retry) as ws:
            with respx.mock(assert_all_mocked=True) as router:
                router.get(f"{ROOT}/customers/c-1").mock(
                    side_effect=[
                        httpx.Response(503, headers={"Retry-After": "2"}, json={"message": "busy"}),
                        httpx.Response(503, json={"message": "busy"}),
                        httpx.Response(200, json=customer_doc()),
                    ]
                )
                customer = await ws.get_node(NODE_ID).get_customer_async(id="c-1")
        return customer.id

    assert asyncio.run(go()) == "c-1" and waits == [2.0, 0.2]


def test_async_timeout_is_typed() -> None:
    async def go() -> None:
        async with Workspace(WS_ID, TOKEN, base_url=BASE, retry=None) as ws:
            with respx.mock(assert_all_mocked=True) as router:
                router.get(f"{ROOT}/customers/c-1").mock(side_effect=httpx.ReadTimeout("slow"))
                await ws.get_node(NODE_ID).get_customer_async(id="c-1")

    with pytest.raises(RequestTimeout, match="timed out"):
        asyncio.run(go())
