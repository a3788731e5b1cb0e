"""Migration throughput and memory: ``python -m benchmarks.bench_migrate [--customers N] [--export N]``.

* Import: the same customers into an embedded hub that adds 20 ms to every request (the
  latency of a remote hub), once with one worker and once with eight, into fresh nodes.
  The hub runs as its own process (``contacthub-like hub serve``), as a remote hub would,
  so its work does not compete with the client's threads for one interpreter.
  Target: eight workers at least 6x faster than one.
* Export: 100,000 customers, seeded straight into the hub's SQLite store, exported as
  JSON Lines and as Parquet (the ``parquet`` extra), each by a separate process whose peak
  resident memory during the export (``VmHWM``, reset just before it) is compared with its
  resident memory when it starts (Linux; ``ru_maxrss`` would not do: it keeps the parent's
  peak across ``exec``). Target: growth under 64 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from contacthub_like import Workspace
from contacthub_like.migrate import bulk_import
from contacthub_like.sandbox import admin
from contacthub_like.sandbox.resources import customers as customer_table
from contacthub_like.sandbox.schema import build_customer
from contacthub_like.sandbox.store import Store
from contacthub_like.sandbox.timefmt import now_hub

LATENCY = 0.020


def customers(count: int, prefix: str) -> list[dict]:
    return [
        {
            "externalId": f"{prefix}-{n}",
            "base": {
                "firstName": f"First{n}",
                "lastName": f"Last{n % 500}",
                "dob": f"19{50 + n % 50}-0{1 + n % 9}-1{n % 9}",
                "contacts": {"email": f"c{n}@{prefix}.example.com"},
            },
            "tags": {"manual": ["vip"] if n % 10 == 0 else []},
        }
        for n in range(count)
    ]


_HUB = """
import sys
from pathlib import Path
from contacthub_like.sandbox.faults import FaultConfig
from contacthub_like.sandbox.server import LocalHub
hub = LocalHub(Path(sys.argv[1]), faults=FaultConfig(latency=float(sys.argv[2]))).start()
print(hub.base_url, flush=True)
sys.stdin.read()  # serve until the parent closes the pipe
hub.stop()
"""


@contextlib.contextmanager
def served_hub(db_path: Path, latency: float = 0.0) -> Iterator[str]:
    """The embedded hub (as ``LocalHub`` runs it) in a child process; yields its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _HUB, str(db_path), str(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().strip()
        if not base_url.startswith("http://"):
            raise RuntimeError("the hub process did not start")
        yield base_url
    finally:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a hung hub must not hang the benchmark
            proc.kill()
            proc.wait(timeout=30)
        proc.stdout.close()


def new_node(db_path: Path, name: str) -> str:
    with Store(db_path) as store:
        return admin.create_node(store, admin.default_credentials(store).workspace_id, name)


def bench_import(db_path: Path, base_url: str, count: int, rounds: int = 1) -> dict:
    """One worker, then eight, into fresh nodes, ``rounds`` times; medians of the times."""
    creds = admin.ensure_default_credentials(db_path)
    times: dict[int, list[float]] = {1: [], 8: []}
    with Workspace(creds.workspace_id, creds.token, base_url, pool_maxsize=16) as ws:
        for round_no in range(rounds):
            for workers in (1, 8):
                node = ws.get_node(new_node(db_path, f"import-{workers}-{round_no}"))
                records = customers(count, f"w{workers}r{round_no}")
                start = time.perf_counter()
                summary = bulk_import(node, records, workers=workers)
                elapsed = time.perf_counter() - start
                assert summary.created == count, summary
                times[workers].append(elapsed)
                print(
                    f"import {count} customers, {LATENCY * 1e3:.0f} ms latency, {workers} worker(s): "
                    f"{elapsed:8.2f} s  ({count / elapsed:7.1f} customers/s)",
                    flush=True,
                )
    sequential, parallel = statistics.median(times[1]), statistics.median(times[8])
    speedup = sequential / parallel
    print(
        f"import medians of {rounds}: 1 worker {sequential:.2f} s, 8 workers {parallel:.2f} s, "
        f"speed-up {speedup:.2f}x   target >= 6x",
        flush=True,
    )
    return {"sequential_s": sequential, "workers8_s": parallel, "speedup": speedup}


def seed(db_path: Path, count: int) -> str:
    """``count`` customers written straight into the store, in one transaction; returns the node id."""
    creds = admin.ensure_default_credentials(db_path)
    node = new_node(db_path, "export")
    now = now_hub()
    rows = []
    for n, doc in enumerate(customers(count, "x")):
        fields = {
            "nodeId": node,
            "externalId": doc["externalId"],
            "extra": None,
            "enabled": True,
            "base": doc["base"],
            "extended": None,
            "consents": None,
            "tags": {"auto": [], "manual": doc["tags"]["manual"]},
        }
        stored = build_customer(fields, id=str(uuid.uuid4()), registered_at=now, updated_at=now)
        text = json.dumps(stored, ensure_ascii=False, separators=(",", ":"))
        rows.append(
            (stored["id"], creds.workspace_id, node, doc["externalId"], f"c{n}@x.example.com", now, now, text)
        )
    with Store(db_path, schema=customer_table.SCHEMA) as store, store.transaction() as conn:
        conn.executemany(
            "INSERT INTO customers(id, ws, node, external_id, email, registered_at, updated_at, doc) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return node


_EXPORTER = """
import sys, time
from itertools import islice
from contacthub_like import Workspace
from contacthub_like.migrate import DEFAULT_CSV_FIELDS, export_customers, write_jsonl
from contacthub_like.migrate.export import write_parquet

def status(key):  # KiB, from the kernel's own accounting of this process
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith(key))

def export(path):  # as `contacthub-like export -o PATH` does, by the format
    if sys.argv[6] == "parquet":
        return write_parquet(export_customers(node), path, list(DEFAULT_CSV_FIELDS))
    with open(path, "w", encoding="utf-8") as out:
        return write_jsonl(export_customers(node), out)

ws = Workspace(sys.argv[1], sys.argv[2], sys.argv[3])
node = ws.get_node(sys.argv[4])
next(iter(export_customers(node)))  # warm up: imports, connection, first page
if sys.argv[6] == "parquet":  # warm up pyarrow too: its Parquet code loads on the first row group
    write_parquet(islice(export_customers(node), 50), sys.argv[5], list(DEFAULT_CSV_FIELDS))
with open("/proc/self/clear_refs", "w") as fh:
    fh.write("5")  # restart the peak (VmHWM) from the current resident size
before = status("VmRSS:")
start = time.perf_counter()
count = export(sys.argv[5])
elapsed = time.perf_counter() - start
print(count, elapsed, before, status("VmHWM:"))
"""

#: output format -> (file name, what the report calls it)
EXPORT_FORMATS = {
    "jsonl": ("export.jsonl", "JSON Lines"),
    "parquet": ("export.parquet", "Parquet (row groups of 10,000, the CSV columns)"),
}


def _export_once(args: list[str], fmt: str, out: Path, count: int) -> tuple[float, float]:
    """One export in a fresh process: (seconds, peak memory growth in MB)."""
    result = subprocess.run(
        [sys.executable, "-c", _EXPORTER, *args, str(out), fmt],
        capture_output=True,
        text=True,
        timeout=1800,
        check=True,
    )
    exported, elapsed, before, after = result.stdout.split()
    assert int(exported) == count, exported
    growth = (int(after) - int(before)) / 1024
    print(
        f"export {exported} customers as {EXPORT_FORMATS[fmt][1]} ({out.stat().st_size / 2**20:.0f} MB): "
        f"{float(elapsed):8.2f} s ({count / float(elapsed):7.0f} customers/s), "
        f"peak memory growth {growth:.1f} MB",
        flush=True,
    )
    return float(elapsed), growth


def bench_export(db_path: Path, count: int, rounds: int = 1) -> dict:
    """Seed once, export ``rounds`` times in each format (interleaved); medians of times and memory growth.

    The JSON Lines figures are the top-level keys (as before); Parquet's are under ``parquet``.
    """
    creds = admin.ensure_default_credentials(db_path)
    start = time.perf_counter()
    node = seed(db_path, count)
    print(f"seeded {count} customers in {time.perf_counter() - start:.1f} s", flush=True)
    formats = [fmt for fmt in EXPORT_FORMATS if fmt != "parquet" or importlib.util.find_spec("pyarrow")]
    if len(formats) < len(EXPORT_FORMATS):
        print("export as Parquet skipped: pyarrow is not installed (pip install '.[parquet]')", flush=True)
    seconds: dict[str, list[float]] = {fmt: [] for fmt in formats}
    growth: dict[str, list[float]] = {fmt: [] for fmt in formats}
    with tempfile.TemporaryDirectory() as tmp, served_hub(db_path) as base_url:
        args = [creds.workspace_id, creds.token, base_url, node]
        for _ in range(rounds):
            for fmt in formats:
                name = EXPORT_FORMATS[fmt][0]
                elapsed, grown = _export_once(args, fmt, Path(tmp) / name, count)
                seconds[fmt].append(elapsed)
                growth[fmt].append(grown)
    results: dict = {}
    for fmt in formats:
        median_s, median_growth = statistics.median(seconds[fmt]), statistics.median(growth[fmt])
        print(
            f"export as {fmt}, medians of {rounds}: {median_s:.2f} s ({count / median_s:.0f} customers/s), "
            f"peak memory growth {median_growth:.1f} MB (largest {max(growth[fmt]):.1f} MB)   target < 64 MB",
            flush=True,
        )
        figures = {
            "seconds": median_s,
            "peak_growth_mb": median_growth,
            "largest_growth_mb": max(growth[fmt]),
        }
        if fmt == "jsonl":
            results.update(figures)
        else:
            results[fmt] = figures
    return results


def run(customers_count: int = 10_000, export_count: int = 100_000, rounds: int = 3) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "hub.sqlite3"
        admin.ensure_default_credentials(db_path)
        with served_hub(db_path, LATENCY) as base_url:
            results = {"import": bench_import(db_path, base_url, customers_count, rounds)}
        results["export"] = bench_export(db_path, export_count, rounds)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_migrate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--customers", type=int, default=10_000, help="customers to import (default 10,000)")
    parser.add_argument("--export", type=int, default=100_000, help="customers to export (default 100,000)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="repetitions whose medians are reported (default 3)"
    )
    args = parser.parse_args(argv)
    run(args.customers, args.export, args.rounds)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
