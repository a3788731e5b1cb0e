"""Hub throughput: requests per second on a hub holding 100,000 customers.

The hub runs in its own process (:mod:`benchmarks.hubproc`) over a database seeded
straight through its store; plain ``requests.Session`` clients send the requests over
loopback, so the figures are the hub's, not the client library's. Each figure is the
median of a few timed bursts, every burst bounded in requests and in seconds.
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from .hubproc import HubProcess
from .seeding import customer_body, open_hub_db, seed_customers

FIRST = ["Bruce", "Diana", "Clark", "Selina", "Alfred", "Barbara", "Dick", "Harvey", "Pamela", "Oswald"]
LAST = ["Wayne", "Prince", "Kent", "Kyle", "Pennyworth", "Gordon", "Grayson", "Dent", "Isley", "Cobblepot"]


def two_conditions(first: str, last: str) -> str:
    """``base.firstName == first AND base.lastName == last`` as the hub's ``query`` parameter."""
    conditions = [
        {"type": "atomic", "attribute": "base.firstName", "operator": "EQUALS", "value": first},
        {"type": "atomic", "attribute": "base.lastName", "operator": "EQUALS", "value": last},
    ]
    query = {
        "name": "query",
        "query": {
            "type": "simple",
            "name": "query",
            "are": {"condition": {"type": "composite", "conjunction": "and", "conditions": conditions}},
        },
    }
    return json.dumps(query, separators=(",", ":"))


def _burst(
    make_call: Callable[[requests.Session, int], requests.Response],
    sessions: list[requests.Session],
    requests_per_client: int,
    max_seconds: float,
) -> float:
    """Requests per second of ``len(sessions)`` clients, each sending until its quota or the time is up."""
    done = [0] * len(sessions)
    failures: list[str] = []
    deadline = time.perf_counter() + max_seconds

    def client(index: int) -> None:
        session = sessions[index]
        for i in range(requests_per_client):
            response = make_call(session, index * requests_per_client + i)
            if response.status_code >= 300:
                failures.append(f"{response.status_code} {response.text[:200]}")
                return
            done[index] += 1
            if time.perf_counter() > deadline:
                return

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(sessions))]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"the hub refused a benchmark request: {failures[0]}")
    return sum(done) / elapsed


def run(
    *,
    customers: int = 100_000,
    rounds: int = 3,
    requests_per_client: int = 400,
    max_seconds: float = 4.0,
    clients: tuple[int, ...] = (1, 4),
) -> list[dict[str, Any]]:
    print(
        f"\n== hub throughput: {customers:,} stored customers, hub in its own process, loopback ==",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="contacthub-bench-hub-") as tmp:
        db_path = Path(tmp) / "hub.sqlite3"
        store, creds = open_hub_db(db_path)
        start = time.perf_counter()
        bodies = (
            customer_body(creds.node_id, i, FIRST[i % 10], LAST[(i // 10) % 10], prefix="hub")
            for i in range(customers)
        )
        ids = seed_customers(store, creds.workspace_id, bodies)
        store.close()
        print(
            f"seeded {len(ids):,} customers through the store in {time.perf_counter() - start:.1f} s",
            flush=True,
        )
        rng = random.Random(11)
        with HubProcess(db_path) as hub:
            root = f"{hub.base_url}/workspaces/{creds.workspace_id}/customers"
            headers = {"Authorization": f"Bearer {creds.token}", "Accept": "application/json"}
            query_params = [
                {"nodeId": creds.node_id, "query": two_conditions(f, last), "size": 10}
                for f in FIRST
                for last in LAST
            ]
            counter = iter(range(10**9))

            def get_customer(session: requests.Session, i: int) -> requests.Response:
                return session.get(f"{root}/{ids[rng.randrange(len(ids))]}", timeout=10)

            def post_customer(session: requests.Session, i: int) -> requests.Response:
                n = next(counter)
                body = customer_body(creds.node_id, n, FIRST[n % 10], LAST[n % 7], prefix="post")
                return session.post(root, json=body, timeout=10)

            def query_customers(session: requests.Session, i: int) -> requests.Response:
                return session.get(root, params=query_params[i % len(query_params)], timeout=10)

            operations = [
                ("GET /customers/{id}", get_customer),
                ("POST /customers", post_customer),
                ("GET /customers?query=<2 conditions>&size=10", query_customers),
            ]
            results = []
            for width in clients:
                sessions = [requests.Session() for _ in range(width)]
                for session in sessions:
                    session.headers.update(headers)
                for name, call in operations:
                    _burst(call, sessions, 20, max_seconds)  # warm-up: connections, statement cache
                    rates = [_burst(call, sessions, requests_per_client, max_seconds) for _ in range(rounds)]
                    rate = statistics.median(rates)
                    print(
                        f"{name:<46} {width} client(s): {rate:8.0f} req/s  "
                        f"({1e3 / rate * width:6.2f} ms/request)",
                        flush=True,
                    )
                    results.append({"name": name, "clients": width, "rps": rate})
                for session in sessions:
                    session.close()
            return results


if __name__ == "__main__":
    run()
