"""The bulk importer on an event loop: the same writer, summary, checkpoint and rejects as the threaded
one, through the same faults, with ``concurrency`` records in flight."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from contacthub_like import Node, Workspace
from contacthub_like.http.retry import Retry
from contacthub_like.migrate import (
    BulkInterrupted,
    Checkpoint,
    RecordRetry,
    RejectsFile,
    bulk_import_async,
    read_csv,
)
from contacthub_like.sandbox import admin
from contacthub_like.sandbox.faults import FaultConfig
from contacthub_like.sandbox.server import LocalHub

from .test_fault_soak import TEN_PERCENT, source_file, stored


@pytest.mark.parametrize("honour_keys", [True, False], ids=["keys-honoured", "keys-ignored"])
def test_async_import_and_reimport_through_ten_percent_faults_store_everything_once(
    tmp_path: Path, node: Node, client_hub: LocalHub, honour_keys: bool
) -> None:
    source = source_file(tmp_path / "in.csv", 120)
    creds = admin.ensure_default_credentials(client_hub.db_path)
    hub = client_hub.app.state.hub
    hub.honour_idempotency_keys = honour_keys
    client_hub.set_faults(FaultConfig(**TEN_PERCENT, retry_after=0.01, seed=21 if honour_keys else 22))

    async def run() -> tuple[object, object]:
        retry = Retry(backoff=0.01, max_backoff=0.05)
        records = RecordRetry(backoff=0.01, max_backoff=0.05)
        async with Workspace(
            creds.workspace_id, creds.token, client_hub.base_url, retry=retry, pool_maxsize=16
        ) as ws:
            target = ws.get_node(node.node_id)
            first = await target.bulk_async(
                read_csv(source), concurrency=16, source=str(source), retry=records
            )
            again = await bulk_import_async(
                target, read_csv(source), concurrency=16, source=str(source), retry=records
            )
        return first, again

    try:
        first, again = asyncio.run(run())
        injected = client_hub.injected_faults
    finally:
        client_hub.set_faults(FaultConfig())
        hub.honour_idempotency_keys = True
    assert sum(injected.values()) >= 10, injected
    assert first.total == 120 and first.rejected == 0 and first.created + first.updated == 120
    assert again.total == 120 and again.rejected == 0  # created vs unchanged: see docs/reliability.rst
    assert stored(node) == (120, 120, 240)


def test_async_import_keeps_rejects_and_checkpoint_and_resumes(
    tmp_path: Path, node: Node, client_hub: LocalHub
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "externalId,base.firstName,base.contacts.email\n"
        "A1,Ann,ann@example.com\nA2,Bob,not-an-email\nA3,Cid,cid@example.com\n",
        encoding="utf-8",
    )
    creds = admin.ensure_default_credentials(client_hub.db_path)

    async def run(checkpoint: Checkpoint, rejects: RejectsFile) -> object:
        async with Workspace(creds.workspace_id, creds.token, client_hub.base_url) as ws:
            return await ws.get_node(node.node_id).bulk_async(
                read_csv(source), concurrency=2, checkpoint=checkpoint, rejects=rejects
            )

    with (
        Checkpoint(tmp_path / "run.checkpoint", source=str(source)) as cp,
        RejectsFile(tmp_path / "rejects.jsonl") as rejects,
    ):
        summary = asyncio.run(run(cp, rejects))
    assert (summary.created, summary.rejected, summary.total) == (2, 1, 3)
    assert "not-an-email" in (tmp_path / "rejects.jsonl").read_text("utf-8")
    with (
        Checkpoint(tmp_path / "run.checkpoint", source=str(source), resume=True) as cp,
        RejectsFile(tmp_path / "rejects2.jsonl") as rejects,
    ):
        resumed = asyncio.run(run(cp, rejects))
    assert resumed.total == 3 and resumed.created == 2  # counted from the checkpoint, nothing rewritten


def test_a_hub_that_stays_down_interrupts_with_the_summary(
    tmp_path: Path, node: Node, client_hub: LocalHub
) -> None:
    creds = admin.ensure_default_credentials(client_hub.db_path)
    client_hub.set_faults(FaultConfig(rate_503=1.0, retry_after=0.001))

    async def run() -> None:
        async with Workspace(
            creds.workspace_id, creds.token, client_hub.base_url, retry=Retry(max_attempts=2, backoff=0.001)
        ) as ws:
            records = [
                {"externalId": f"D{n}", "base": {"contacts": {"email": f"d{n}@example.com"}}}
                for n in range(5)
            ]
            await ws.get_node(node.node_id).bulk_async(
                records, concurrency=2, retry=RecordRetry(max_attempts=2, backoff=0.001)
            )

    try:
        with pytest.raises(BulkInterrupted, match="stopped") as stopped:
            asyncio.run(run())
    finally:
        client_hub.set_faults(FaultConfig())
    assert stopped.value.summary.created == 0
