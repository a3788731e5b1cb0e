"""Run the benchmarks: ``python -m benchmarks`` (all groups), ``--only sdk``, ``--quick``.

Groups:

* ``model``: hydrating customers and computing PATCH bodies, against ``json.loads``;
* ``hub``: requests per second of the embedded hub holding 100,000 customers;
* ``sdk``: side by side with a raw ``requests.Session`` loop and the original SDK 0.2,
  sequentially and with 20 ms of injected latency;
* ``async``: the ``_async`` twins against a raw ``httpx.AsyncClient`` loop and the threaded
  sync path, 32 requests in flight through 20 ms of latency;
* ``migrate``: bulk import with 1 and 8 workers, and a 100,000-customer export (JSON Lines, Parquet).

``--quick`` uses small sizes and few rounds (a smoke run, not figures to record).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from . import bench_async, bench_hub, bench_migrate, bench_model, bench_sdk
from .machine import facts

GROUPS = ("model", "hub", "sdk", "async", "migrate")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=GROUPS, help="run only this group (repeatable)")
    parser.add_argument("--quick", action="store_true", help="small sizes, few rounds: checks the code runs")
    parser.add_argument(
        "--no-peer", action="store_true", help="leave out the original SDK (no virtualenv, no registry)"
    )
    parser.add_argument(
        "--migrate-rounds",
        type=int,
        default=3,
        metavar="N",
        help="rounds of the migration benchmark whose medians are reported (default 3; each round "
        "imports 10,000 customers twice and exports 100,000: about 5 minutes on 2 cores)",
    )
    parser.add_argument(
        "--migrate-customers",
        type=int,
        default=10_000,
        metavar="N",
        help="customers to import (default 10,000)",
    )
    parser.add_argument("--json", metavar="FILE", help="also write every figure to FILE as JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    groups = args.only or list(GROUPS)
    machine = facts()
    print("machine: " + "; ".join(f"{k} {v}" for k, v in machine.items()), flush=True)
    print(
        "every figure is a median of interleaved rounds; ratios compare runs made in the same loop",
        flush=True,
    )
    results: dict[str, Any] = {"machine": machine, "quick": args.quick}
    started = time.perf_counter()
    if "model" in groups:
        results["model"] = bench_model.run(rounds=5 if args.quick else 40)
    if "hub" in groups:
        if args.quick:
            results["hub"] = bench_hub.run(customers=2000, rounds=1, requests_per_client=50, max_seconds=1.0)
        else:
            results["hub"] = bench_hub.run()
    if "sdk" in groups:
        sizes = bench_sdk.Sizes.quick() if args.quick else bench_sdk.Sizes()
        results["sdk"] = bench_sdk.run(sizes, peer=not args.no_peer)
    if "async" in groups:
        if args.quick:
            results["async"] = bench_async.run(requests=100, concurrency=8, rounds=1)
        else:
            results["async"] = bench_async.run()
    if "migrate" in groups:
        if args.quick:
            results["migrate"] = bench_migrate.run(200, 2000, 1)
        else:
            results["migrate"] = bench_migrate.run(args.migrate_customers, rounds=args.migrate_rounds)
    print(f"\ntotal {time.perf_counter() - started:.0f} s", flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
