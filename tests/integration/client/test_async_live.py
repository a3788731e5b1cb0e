"""The ``_async`` twins against the embedded hub over loopback: fan-out, lazy lists, cancellation,
timeouts, and one token refresh shared by tasks and threads."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from contacthub_like import Customer, Event, Workspace
from contacthub_like.errors import NotFound, RequestTimeout
from contacthub_like.http.auth import OAuth2PasswordGrant
from contacthub_like.sandbox import admin
from contacthub_like.sandbox.faults import FaultConfig


def test_fan_out_query_patch_and_delete_awaited(client_hub, workspace) -> None:
    node_id = admin.create_node(client_hub.store, workspace.workspace_id, "async")

    async def scenario() -> None:
        async with Workspace(
            workspace.workspace_id,
            admin.ensure_default_credentials(client_hub.db_path).token,
            client_hub.base_url,
        ) as ws:
            node = ws.get_node(node_id)
            created = await asyncio.gather(
                *(
                    Customer(
                        node, externalId=f"a-{n}", base={"lastName": "Wayne" if n % 2 else "Kent"}
                    ).post_async()
                    for n in range(40)
                )
            )
            assert len({c.id for c in created}) == 40
            query = node.query(Customer).filter(Customer.base.lastName == "Wayne").limit_page_size(7)
            waynes = [c async for c in query.all_async(prefetch=3)]
            assert sorted(c.externalId for c in waynes) == sorted(f"a-{n}" for n in range(1, 40, 2))
            assert await query.count_async() == 20
            first = waynes[0]
            first.base.firstName = "Bruce"
            await first.patch_async()
            assert (await node.get_customer_async(id=first.id)).base.firstName == "Bruce"
            event = await Event(
                node, customerId=first.id, type="viewedPage", context="WEB", properties={"url": "/"}
            ).post_async()
            assert (await node.get_event_async(event.id)).customerId == first.id
            await first.delete_async()
            with pytest.raises(NotFound):
                await node.get_customer_async(id=first.id)

    asyncio.run(scenario())


def test_twins_work_from_inside_a_running_loop_and_across_loops(client_hub, workspace, node) -> None:
    """The same Workspace serves two event loops one after the other (a notebook re-running cells)."""
    customer = node.add_customer(externalId="loops")

    async def read() -> str | None:
        return (await node.get_customer_async(id=customer.id)).externalId

    assert asyncio.run(read()) == "loops"
    assert asyncio.run(read()) == "loops"  # a second loop: a new pool, not the dead loop's
    assert node.get_customer(id=customer.id).externalId == "loops"  # and the sync path still works
    # each loop's pool closed with its loop: the suite turns an unclosed socket into a failure


def test_a_cancelled_task_leaves_the_pool_usable(client_hub, workspace, node) -> None:
    customer = node.add_customer(externalId="cancel-me")
    client_hub.set_faults(FaultConfig(latency=0.5))

    async def scenario() -> str | None:
        try:
            slow = asyncio.ensure_future(node.get_customer_async(id=customer.id))
            await asyncio.sleep(0.1)
            slow.cancel()
            with pytest.raises(asyncio.CancelledError):
                await slow
        finally:
            client_hub.set_faults(FaultConfig())
        return (await node.get_customer_async(id=customer.id)).externalId

    assert asyncio.run(scenario()) == "cancel-me"


def test_a_slow_answer_times_out_with_a_typed_error(client_hub, workspace) -> None:
    client_hub.set_faults(FaultConfig(latency=1.0))

    async def scenario() -> None:
        async with Workspace(
            workspace.workspace_id,
            admin.ensure_default_credentials(client_hub.db_path).token,
            client_hub.base_url,
            timeout=(1.0, 0.2),
            retry=None,
        ) as ws:
            await ws.get_node(workspace.default_node_id or "x").get_customer_async(id="whoever")

    try:
        with pytest.raises(RequestTimeout, match="timed out"):
            asyncio.run(scenario())
    finally:
        client_hub.set_faults(FaultConfig())


def test_tasks_and_threads_share_one_token_refresh(client_hub, workspace, node) -> None:
    user = f"async-{time.monotonic_ns()}"
    admin.create_api_user(client_hub.store, workspace.workspace_id, user, "pw-async-123")
    auth = OAuth2PasswordGrant(f"{client_hub.base_url}/oauth/token", user, "pw-async-123")
    node.add_customer(externalId="shared-token")
    with Workspace(workspace.workspace_id, auth=auth, base_url=client_hub.base_url, pool_maxsize=16) as ws:
        other = ws.get_node(node.node_id)
        barrier = threading.Barrier(9)
        seen: list[int] = []

        def thread_reader() -> None:
            barrier.wait(timeout=10)
            seen.append(len(other.get_customers().elements))

        async def tasks() -> list[str | None]:
            barrier.wait(timeout=10)  # released with the threads
            found = await asyncio.gather(
                *(other.get_customer_async(external_id="shared-token") for _ in range(16))
            )
            return [c.externalId for c in found]

        threads = [threading.Thread(target=thread_reader) for _ in range(8)]
        for t in threads:
            t.start()
        results = asyncio.run(tasks())
        for t in threads:
            t.join(timeout=20)
    assert results == ["shared-token"] * 16 and seen == [1] * 8
    assert auth.grants == {"password": 1}
