"""The async path against a raw ``httpx.AsyncClient`` loop and the threaded sync path.

Workload: ``requests`` GETs of one customer against the benchmark hub (a child process)
with ``latency`` seconds injected by the hub, ``concurrency`` in flight at once:

* **raw httpx**: one ``httpx.AsyncClient`` (pool of ``concurrency``), a semaphore, the JSON
  parsed with the same decoder as ours; the baseline;
* **ours async**: ``await node.get_customer_async(id=...)`` from ``concurrency`` tasks;
* **ours threads**: ``node.get_customer(id=...)`` on a pool of ``concurrency`` threads.

Goals: ours async ≥ 0.9x the raw loop's throughput, and at least the threaded path's. Client
CPU per request (this process's CPU time over the requests) is reported for both of ours, sync
and async, with no latency so it is not hidden by waiting. Rounds alternate the sides; figures
are medians.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from contacthub_like import Workspace, wire

from .hubproc import HubProcess, latency_supported
from .seeding import customer_body, open_hub_db, seed_customers


def _raw(base: str, ws: str, token: str, ident: str, requests: int, concurrency: int) -> float:
    async def run() -> float:
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        async with httpx.AsyncClient(limits=limits, headers=headers, timeout=30, trust_env=False) as client:
            gate = asyncio.Semaphore(concurrency)
            url = f"{base}/workspaces/{ws}/customers/{ident}"

            async def one() -> None:
                async with gate:
                    response = await client.get(url)
                    response.raise_for_status()
                    wire.decode_json(response.content)

            start = time.perf_counter()
            await asyncio.gather(*(one() for _ in range(requests)))
            return time.perf_counter() - start

    return asyncio.run(run())


def _ours_async(base: str, ws: str, token: str, ident: str, requests: int, concurrency: int) -> float:
    async def run() -> float:
        async with Workspace(ws, token, base, pool_maxsize=concurrency) as workspace:
            node = workspace.get_node("unused")
            gate = asyncio.Semaphore(concurrency)

            async def one() -> None:
                async with gate:
                    await node.get_customer_async(id=ident)

            await one()  # the pool of this loop is opened outside the clock, as the raw client's is
            start = time.perf_counter()
            await asyncio.gather(*(one() for _ in range(requests)))
            return time.perf_counter() - start

    return asyncio.run(run())


def _ours_threads(base: str, ws: str, token: str, ident: str, requests: int, concurrency: int) -> float:
    with Workspace(ws, token, base, pool_maxsize=concurrency) as workspace:
        node = workspace.get_node("unused")
        node.get_customer(id=ident)
        with ThreadPoolExecutor(concurrency) as pool:
            start = time.perf_counter()
            list(pool.map(lambda _: node.get_customer(id=ident), range(requests)))
            return time.perf_counter() - start


def _cpu(side: Any, *args: Any) -> float:
    """This process's CPU seconds for one run of ``side``."""
    start = time.process_time()
    side(*args)
    return time.process_time() - start


def run(
    requests: int = 1000, concurrency: int = 32, latency: float = 0.02, rounds: int = 3
) -> dict[str, Any]:
    print(
        f"\n== async: {requests} GETs of one customer, {concurrency} in flight, "
        f"{latency * 1e3:.0f} ms injected latency, {rounds} rounds",
        flush=True,
    )
    reason = latency_supported()
    if reason:
        print(f"SKIPPED: {reason}", flush=True)
        return {"skipped": reason}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "hub.sqlite3"
        store, creds = open_hub_db(db)
        from contacthub_like.sandbox import admin

        node_id = admin.create_node(store, creds.workspace_id, "bench-async")
        (doc,) = seed_customers(
            store, creds.workspace_id, [customer_body(node_id, 0, "Bruce", "Wayne")], keep=True
        )
        store.close()
        with HubProcess(db) as hub:
            args = (hub.base_url, creds.workspace_id, creds.token, doc["id"], requests, concurrency)
            sides = {"raw httpx": _raw, "ours async": _ours_async, "ours threads": _ours_threads}
            cpu = {name: [] for name in ("ours async", "ours threads")}
            for _ in range(rounds):  # no latency: what each request costs this process
                for name in cpu:
                    cpu[name].append(_cpu(sides[name], *args) / requests)
            hub.set_latency(latency)
            times: dict[str, list[float]] = {name: [] for name in sides}
            for _ in range(rounds):
                for name, side in sides.items():
                    times[name].append(side(*args))
            hub.set_latency(0.0)
    medians = {name: statistics.median(values) for name, values in times.items()}
    throughput = {name: requests / seconds for name, seconds in medians.items()}
    for name in sides:
        print(f"{name:<14} {throughput[name]:8.0f} req/s   ({medians[name]:.2f} s)", flush=True)
    vs_raw = throughput["ours async"] / throughput["raw httpx"]
    vs_threads = throughput["ours async"] / throughput["ours threads"]
    print(f"ours async / raw httpx    {vs_raw:5.2f}x   goal >= 0.90x {'ok' if vs_raw >= 0.9 else 'MISSED'}")
    print(
        f"ours async / ours threads {vs_threads:5.2f}x   goal >= 1.00x {'ok' if vs_threads >= 1.0 else 'MISSED'}"
    )
    cpu_us = {name: statistics.median(values) * 1e6 for name, values in cpu.items()}
    print(
        f"client CPU per request (no latency): async {cpu_us['ours async']:.0f} us, "
        f"threads {cpu_us['ours threads']:.0f} us",
        flush=True,
    )
    return {
        "throughput": throughput,
        "async_vs_raw": vs_raw,
        "async_vs_threads": vs_threads,
        "cpu_us_per_request": cpu_us,
    }
