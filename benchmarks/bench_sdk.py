"""Side by side: this library, the raw-HTTP limit and the original ContactHub SDK, on one hub.

Three sides run the same workloads against the same embedded hub (in its own process,
over loopback), alternating in every round so a slow moment hits all of them:

* **raw**: a plain :class:`requests.Session` loop sending the same HTTP calls as ours
  and decoding the JSON: the floor for any Python client. Like ours, it turns requests'
  ``trust_env`` off, so neither side rescans the proxy environment on every call;
* **peer**: contacthub-sdk-python 0.2 in its own virtualenv, one subprocess per timed
  run (only the workload itself is timed, not the start-up);
* **ours**: this library, sequentially; with injected latency it runs twice: once with a
  bounded thread pool over one Workspace (creates, patches) and page prefetch (fetches),
  which the others do not have, and once one request at a time, like for like.

Workloads: create customers, fetch customers through a two-condition query and read
three fields of each, patch one field of customers; then the same with 20 ms of
latency injected by the hub. Every figure is the median of the rounds.
"""

from __future__ import annotations

import copy
import json
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from contacthub_like import Customer, Properties, Workspace

from .bench_hub import two_conditions
from .hubproc import HubProcess, latency_supported
from .peer_env import peer_python
from .seeding import customer_body, open_hub_db, seed_customers

PEER_SCRIPT = Path(__file__).with_name("peer_workload.py")
NAMES = [("Bruce", "Wayne"), ("Diana", "Prince"), ("Clark", "Kent"), ("Selina", "Kyle")]
MATCH = ("Fetch", "Target")
TIMEOUT = 10.0

SEQUENTIAL_TARGETS = {"raw": 1.15, "peer": 1.3}
#: a sequential fetch sends exactly the raw loop's requests: the client's own cost must stay small
RAW_TARGET_BY_WORKLOAD = {"fetch": 1.05}
LATENCY_TARGET_PEER = 5.0


@dataclass
class Sizes:
    creates: int = 2000
    fetches: int = 5000
    patches: int = 2000
    #: sequential rounds; creates and patches write to SQLite, whose timings vary more than a read's
    rounds: int = 5
    latency_rounds: int = 2  # a latency round of the raw and peer sides alone waits ~3 minutes
    latency: float = 0.02
    workers: int = 16
    prefetch: int = 8
    page_size: int = 50  # the hub's largest page: fewest round trips for raw and ours
    #: sequential fetches per round and side: a fetch takes a fifth of a second, so 3 rounds alone
    #: gave medians that moved by 5% from one run to the next on a shared machine
    fetch_repeats: int = 5

    @classmethod
    def quick(cls) -> Sizes:
        return cls(creates=200, fetches=500, patches=200, rounds=3, latency_rounds=1, fetch_repeats=1)


@dataclass
class Hub:
    base_url: str
    workspace_id: str
    token: str
    create_node: str
    fetch_node: str
    patch_node: str
    patch_docs: list[dict[str, Any]]
    tmp: Path

    @property
    def root(self) -> str:
        return f"{self.base_url}/workspaces/{self.workspace_id}"


@dataclass
class Side:
    """One way of running the workloads; ``run(workload, round_tag)`` returns seconds for the timed part."""

    name: str
    run: Callable[[str, str], float]
    times: dict[str, list[float]] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------- raw


def raw_side(hub: Hub, sizes: Sizes, label: str) -> Side:
    session = requests.Session()
    session.trust_env = False  # as ours: no proxy-environment scan per request (see docs/benchmarks.rst)
    session.headers.update({"Authorization": f"Bearer {hub.token}", "Accept": "application/json"})
    body_headers = {"Content-Type": "application/json"}
    customers_url = f"{hub.root}/customers"
    query = two_conditions(*MATCH)

    def check(response: requests.Response) -> Any:
        if response.status_code >= 300:
            raise RuntimeError(
                f"raw: {response.request.method} answered {response.status_code}: {response.text[:300]}"
            )
        return json.loads(response.content)

    def create(tag: str, count: int) -> None:
        for i in range(count):
            first, last = NAMES[i % len(NAMES)]
            body = {
                "nodeId": hub.create_node,
                "externalId": f"{tag}-{i}",
                "base": {
                    "firstName": first,
                    "lastName": last,
                    "contacts": {"email": f"{first.lower()}.{tag}{i}@example.com"},
                },
            }
            data = json.dumps(body).encode("utf-8")
            created = check(session.post(customers_url, data=data, headers=body_headers, timeout=TIMEOUT))
            assert created["id"]

    def fetch() -> None:
        params: dict[str, Any] = {"nodeId": hub.fetch_node, "query": query, "size": sizes.page_size}
        number, seen = 0, []
        while True:
            page = check(session.get(customers_url, params=params, timeout=TIMEOUT))
            for doc in page["elements"]:
                base = doc["base"]
                seen.append((base["firstName"], base["contacts"]["email"], doc["externalId"]))
            number += 1
            if number >= page["page"]["totalPages"]:
                break
            params["page"] = number
        if len(seen) != sizes.fetches:
            raise RuntimeError(f"raw: fetched {len(seen)} customers, expected {sizes.fetches}")

    def patch(tag: str) -> None:
        for doc in hub.patch_docs:
            data = json.dumps({"base": {"firstName": tag}}).encode("utf-8")
            check(
                session.patch(
                    f"{customers_url}/{doc['id']}", data=data, headers=body_headers, timeout=TIMEOUT
                )
            )

    def run(workload: str, tag: str) -> float:
        start = time.perf_counter()
        if workload == "create":
            create(tag, sizes.creates)
        elif workload == "fetch":
            fetch()
        else:
            patch(tag)
        return time.perf_counter() - start

    create(
        f"raw-warm-{label}", 3
    )  # open the connection before the first timed run, as a long-lived client would have
    return Side("raw", run)


# --------------------------------------------------------------------------------------------- ours


def ours_side(hub: Hub, sizes: Sizes, label: str, *, concurrent: bool) -> tuple[Side, Workspace]:
    workspace = Workspace(hub.workspace_id, hub.token, hub.base_url, pool_maxsize=sizes.workers)
    create_node = workspace.get_node(hub.create_node)
    fetch_node = workspace.get_node(hub.fetch_node)
    patch_node = workspace.get_node(hub.patch_node)
    query = (
        fetch_node.query(Customer)
        .filter((Customer.base.firstName == MATCH[0]) & (Customer.base.lastName == MATCH[1]))
        .limit_page_size(sizes.page_size)
    )
    pool = ThreadPoolExecutor(sizes.workers, thread_name_prefix="bench-ours") if concurrent else None

    def create_one(tag: str, i: int) -> Customer:
        first, last = NAMES[i % len(NAMES)]
        return create_node.add_customer(
            externalId=f"{tag}-{i}",
            base=Properties(
                firstName=first,
                lastName=last,
                contacts=Properties(email=f"{first.lower()}.{tag}{i}@example.com"),
            ),
        )

    def create(tag: str) -> None:
        if pool is None:
            for i in range(sizes.creates):
                create_one(tag, i)
        else:
            created = list(pool.map(lambda i: create_one(tag, i), range(sizes.creates)))
            assert len(created) == sizes.creates

    def fetch() -> None:
        seen = [
            (c.base.firstName, c.base.contacts.email, c.externalId)
            for c in query.all(prefetch=sizes.prefetch if concurrent else 0)
        ]
        if len(seen) != sizes.fetches:
            raise RuntimeError(f"ours: fetched {len(seen)} customers, expected {sizes.fetches}")

    def patch_one(customer: Customer, tag: str) -> None:
        customer.base.firstName = tag
        customer.patch()

    def patch(tag: str, customers: list[Customer]) -> None:
        if pool is None:
            for customer in customers:
                patch_one(customer, tag)
        else:
            list(pool.map(lambda c: patch_one(c, tag), customers))

    def run(workload: str, tag: str) -> float:
        if workload == "patch":  # objects as a previous read left them; building them is not timed
            customers = [Customer.from_dict(patch_node, doc) for doc in copy.deepcopy(hub.patch_docs)]
            start = time.perf_counter()
            patch(tag, customers)
            return time.perf_counter() - start
        start = time.perf_counter()
        if workload == "create":
            create(tag)
        else:
            fetch()
        return time.perf_counter() - start

    for i in range(3):  # open the connections before the first timed run
        create_one(f"ours-warm-{label}-" + ("c" if concurrent else "s"), i)
    return Side("ours", run), workspace


# --------------------------------------------------------------------------------------------- peer


def peer_side(hub: Hub, sizes: Sizes, python: str) -> Side:
    docs_file = hub.tmp / "patch-docs.json"
    docs_file.write_text(json.dumps(hub.patch_docs), encoding="utf-8")
    common = {
        "base_url": hub.base_url + "/workspaces",
        "workspace_id": hub.workspace_id,
        "token": hub.token,
    }

    def run(workload: str, tag: str) -> float:
        spec: dict[str, Any] = {**common, "workload": workload}
        if workload == "create":
            spec.update(node_id=hub.create_node, prefix=tag, count=sizes.creates, names=NAMES)
        elif workload == "fetch":
            spec.update(
                node_id=hub.fetch_node, match=MATCH, expected=sizes.fetches, page_size=sizes.page_size
            )
        else:
            spec.update(node_id=hub.patch_node, docs_file=str(docs_file), value=tag)
        spec_file = hub.tmp / "peer-spec.json"
        spec_file.write_text(json.dumps(spec), encoding="utf-8")
        done = subprocess.run(
            [python, str(PEER_SCRIPT), str(spec_file)], capture_output=True, text=True, timeout=900
        )
        if done.returncode != 0:
            raise RuntimeError(f"the original SDK failed on {workload}: {done.stderr.strip()[-2000:]}")
        return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])

    return Side("peer", run)


# ---------------------------------------------------------------------------------------------- run


def _seed(db_path: Path, sizes: Sizes) -> Hub:
    store, creds = open_hub_db(db_path)
    from contacthub_like.sandbox import admin

    create_node = admin.create_node(store, creds.workspace_id, "bench-create")
    fetch_node = admin.create_node(store, creds.workspace_id, "bench-fetch")
    patch_node = admin.create_node(store, creds.workspace_id, "bench-patch")
    # the query matches ``fetches`` customers among twice as many, so it really filters
    bodies = [customer_body(fetch_node, i, MATCH[0], MATCH[1], prefix="fetch") for i in range(sizes.fetches)]
    bodies += [customer_body(fetch_node, i, MATCH[0], "Other", prefix="noise") for i in range(sizes.fetches)]
    seed_customers(store, creds.workspace_id, bodies)
    patch_docs = seed_customers(
        store,
        creds.workspace_id,
        (customer_body(patch_node, i, *NAMES[i % len(NAMES)], prefix="patch") for i in range(sizes.patches)),
        keep=True,
    )
    store.close()
    return Hub(
        "", creds.workspace_id, creds.token, create_node, fetch_node, patch_node, patch_docs, db_path.parent
    )


def _measure(
    sides: list[Side],
    workloads: tuple[str, ...],
    rounds: int,
    label: str,
    repeats: dict[str, int] | None = None,
) -> None:
    """``rounds`` rounds of every workload, sides interleaved; ``repeats`` runs a workload several times a round."""
    for number in range(rounds):
        for workload in workloads:
            order = sides[number % len(sides) :] + sides[: number % len(sides)]  # rotate who goes first
            for repeat in range((repeats or {}).get(workload, 1)):
                for side in order:
                    seconds = side.run(workload, f"{label}{number}-{repeat}-{side.name}")
                    side.times.setdefault(workload, []).append(seconds)
        print(f"  {label} round {number + 1}/{rounds} done", flush=True)


def _report(
    title: str, sides: list[Side], counts: dict[str, int], latency: bool, ours_name: str = "ours"
) -> list[dict[str, Any]]:
    """One table: raw, peer and the side named ``ours_name`` (ours with or without threads)."""
    by_name = {s.name: s for s in sides if s.name in ("raw", "peer", ours_name)}
    by_name["ours"] = by_name.pop(ours_name)
    rows = []
    print(f"\n{title}")
    print(
        f"{'workload':<34}{'raw ms':>10}{'peer ms':>10}{'ours ms':>10}"
        f"{'ours/raw':>10}{'peer/ours':>11}   targets"
    )
    for workload, count in counts.items():
        med = {
            name: statistics.median(side.times[workload])
            for name, side in by_name.items()
            if workload in side.times
        }
        ours, raw, peer = med["ours"], med["raw"], med.get("peer")
        row = {
            "workload": workload,
            "items": count,
            "latency": latency,
            "ours_side": ours_name,
            "raw_ms": raw * 1e3,
            "ours_ms": ours * 1e3,
            "peer_ms": None if peer is None else peer * 1e3,
            "ours_over_raw": ours / raw,
            "peer_over_ours": None if peer is None else peer / ours,
            "rounds": len(by_name["ours"].times[workload]),
        }
        if latency and ours_name != "ours":  # like for like: no target, the figures say what it costs
            target = "(like for like: one request at a time on every side)"
            met = True
        elif latency:
            target = f"peer/ours >= {LATENCY_TARGET_PEER:.0f}x"
            met = peer is None or peer / ours >= LATENCY_TARGET_PEER
        else:
            raw_goal = RAW_TARGET_BY_WORKLOAD.get(workload, SEQUENTIAL_TARGETS["raw"])
            target = f"ours/raw <= {raw_goal}x, peer/ours >= {SEQUENTIAL_TARGETS['peer']}x"
            met = ours / raw <= raw_goal and (peer is None or peer / ours >= SEQUENTIAL_TARGETS["peer"])
        row["target_met"] = met
        peer_text = "-" if peer is None else f"{peer * 1e3:10.0f}"
        ratio_text = "-" if peer is None else f"{peer / ours:10.2f}x"
        print(
            f"{workload + f' ({count:,})':<34}{raw * 1e3:10.0f}{peer_text:>10}{ours * 1e3:10.0f}"
            f"{ours / raw:9.2f}x{ratio_text:>11}   {target} {'ok' if met else 'MISSED'}",
            flush=True,
        )
        rows.append(row)
    return rows


def run(sizes: Sizes | None = None, *, peer: bool = True) -> list[dict[str, Any]]:
    sizes = sizes or Sizes()
    print(
        "\n== side by side: raw requests.Session / original SDK 0.2 / ours, "
        "hub in its own process, loopback ==\n"
        f"create {sizes.creates:,}, fetch {sizes.fetches:,} by a 2-condition query, patch {sizes.patches:,}; "
        f"{sizes.rounds} rounds, {sizes.latency_rounds} with {sizes.latency * 1e3:.0f} ms latency",
        flush=True,
    )
    python = None
    if peer:
        python, how = peer_python()
        print(f"original SDK: {how}" if python else f"original SDK: SKIPPED: {how}", flush=True)
    else:
        print("original SDK: skipped (--no-peer)", flush=True)
    counts = {"create": sizes.creates, "fetch": sizes.fetches, "patch": sizes.patches}
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="contacthub-bench-sdk-") as tmp:
        hub = _seed(Path(tmp) / "hub.sqlite3", sizes)
        with HubProcess(Path(tmp) / "hub.sqlite3") as process:
            hub.base_url = process.base_url
            raw = raw_side(hub, sizes, "seq")
            ours, workspace = ours_side(hub, sizes, "seq", concurrent=False)
            sides = [raw, ours] + ([peer_side(hub, sizes, python)] if python else [])
            _measure(sides, ("create", "fetch", "patch"), sizes.rounds, "seq", {"fetch": sizes.fetch_repeats})
            rows += _report("sequential (medians)", sides, counts, latency=False)
            workspace.close()

            reason = latency_supported()
            if reason is not None:
                print(f"\nwith {sizes.latency * 1e3:.0f} ms latency: SKIPPED: {reason}", flush=True)
                return rows
            process.set_latency(sizes.latency)
            raw = raw_side(hub, sizes, "lat")
            ours, workspace = ours_side(hub, sizes, "lat", concurrent=True)
            ours_seq, workspace_seq = ours_side(hub, sizes, "lat", concurrent=False)
            ours_seq.name = "ours-seq"
            sides = [raw, ours, ours_seq] + ([peer_side(hub, sizes, python)] if python else [])
            _measure(sides, ("create", "fetch", "patch"), sizes.latency_rounds, "lat")
            title = (
                f"with {sizes.latency * 1e3:.0f} ms injected latency (medians). NOT like for like: ours "
                f"uses {sizes.workers} threads for create/patch and prefetch={sizes.prefetch} for fetch, "
                "while raw and the original SDK send one request at a time"
            )
            rows += _report(title, sides, counts, latency=True)
            title = (
                f"with {sizes.latency * 1e3:.0f} ms injected latency, like for like (medians): every side, "
                "ours included, sends one request at a time"
            )
            rows += _report(title, sides, counts, latency=True, ours_name="ours-seq")
            workspace.close()
            workspace_seq.close()
    return rows


if __name__ == "__main__":
    run()
