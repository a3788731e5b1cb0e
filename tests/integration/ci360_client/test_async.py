"""The async twins from inside a running event loop: the same flows, awaited, the loop never blocked."""

from __future__ import annotations

import asyncio
import uuid

from contacthub_like.ci360 import CI360, Audience, ExternalEvent, Table, TaskJob
from contacthub_like.sandbox.ci360 import seeding

from .conftest import Emulated


def test_every_kind_of_call_awaited_in_one_loop(emulated: Emulated) -> None:
    async def scenario() -> None:
        async with CI360.from_ini_file(emulated.ini, timeout=10) as ci:
            await calls(ci)

    async def calls(ci: CI360) -> None:
        ticks = 0

        async def heartbeat() -> None:  # runs while the calls wait: nothing blocks the loop
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        beat = asyncio.create_task(heartbeat())
        customer = f"async-{uuid.uuid4().hex[:8]}"
        await ExternalEvent(ci, eventName=seeding.EVENT_NAME, customer_id=customer).post_async()
        assert (await ci.identity_record_async("customer_id", customer)).customerId == customer
        await ci.send_events_async([{"eventName": seeding.EVENT_NAME, "subject_id": customer}])

        made = await Audience(
            ci,
            name=f"aud-{uuid.uuid4().hex[:8]}",
            identityColumnName="Customer ID",
            dataItems=[{"columnNumber": 1, "label": "Customer ID", "dataType": "character"}],
        ).post_async()
        upload = await made.upload_async(b"c-1\nc-2\n")
        assert (await upload.wait_async(timeout=20)).state == "COMPLETE"
        names = [a.name async for a in ci.list_async(Audience, {"name": made.name}, size=2)]
        assert made.name in names
        assert [h.historyId async for h in made.history_async()] == [upload.historyId]

        job = await TaskJob(ci, taskId=seeding.TASK_ID).post_async()
        jobs = await asyncio.gather(
            job.wait_async(timeout=20), TaskJob(ci, taskId=seeding.TASK_ID).post_async()
        )
        assert jobs[0].state == "Success"

        table = await ci.get_async(Table, seeding.TABLE_ID)
        table.description = f"async {customer}"
        await table.patch_via_post_async()
        assert (await ci.get_async(Table, seeding.TABLE_ID)).description == f"async {customer}"
        beat.cancel()
        assert ticks > 5

    asyncio.run(scenario())
