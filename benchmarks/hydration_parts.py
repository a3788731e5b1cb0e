"""Where hydration time goes: ``python -m benchmarks.hydration_parts [ROUNDS]``.

The model benchmark gives one ratio for the whole loop; this splits it. Each line is
the median time per customer (1,000 customers of the benchmark fixture, documents
already parsed) of the loop up to that read, so the difference between two lines is
the cost of one more read: wrapping ``base``, reading ``firstName``, and so on. The
last line is the model benchmark's loop against ``json.loads`` of the page, measured
once with the cyclic garbage collector on and once with it off (a difference means
reference cycles: see docs/benchmarks.rst). A last line runs the same loop with
``msgspec.convert`` into Structs in place of the model, for scale (``struct_reference.py``).
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from collections.abc import Callable

from contacthub_like import Customer

from ._timing import interleaved
from .sample_data import customers_page
from .struct_reference import convert_and_read


def _median_us(fn: Callable[[], object], rounds: int, count: int) -> float:
    fn()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) / count * 1e6


def run(rounds: int = 30, customers: int = 1000) -> dict[str, float]:
    payload = json.dumps(customers_page(customers))
    docs = json.loads(payload)["elements"]
    wrap = Customer.from_dict
    steps: dict[str, Callable[[], object]] = {
        "from_dict": lambda: [wrap(None, d) for d in docs],
        "+ c.base": lambda: [wrap(None, d).base for d in docs],
        "+ base.firstName": lambda: [wrap(None, d).base.firstName for d in docs],
        "+ base.contacts": lambda: [wrap(None, d).base.contacts for d in docs],
        "+ contacts.email": lambda: [wrap(None, d).base.contacts.email for d in docs],
        "from_dict + c.tags": lambda: [wrap(None, d).tags for d in docs],
        "+ tags.manual": lambda: [wrap(None, d).tags.manual for d in docs],
    }
    results = {}
    for name, fn in steps.items():
        results[name] = _median_us(fn, rounds, len(docs))
        print(f"{name:<22} {results[name]:6.2f} us per customer", flush=True)

    def loads() -> object:
        return json.loads(payload)

    def loop() -> object:
        out = []
        for d in json.loads(payload)["elements"]:
            c = wrap(None, d)
            out.append((c.base.firstName, c.base.contacts.email, c.tags.manual))
        return out

    for collector in (True, False):
        (gc.enable if collector else gc.disable)()
        base_s, ours_s = interleaved(loads, loop, rounds)
        gc.enable()
        base, ours = base_s / len(docs) * 1e6, ours_s / len(docs) * 1e6
        label = "on" if collector else "off"
        print(
            f"loop / json.loads, collector {label}: {ours:6.2f} / {base:6.2f} us = {ours / base:4.2f}x",
            flush=True,
        )
        results[f"ratio_gc_{label}"] = ours / base

    def reference() -> object:
        return convert_and_read(json.loads(payload)["elements"])

    base_s, ref_s = interleaved(loads, reference, rounds)
    print(
        f"reference, msgspec.convert into Structs (C, eager) / json.loads: {ref_s / base_s:4.2f}x",
        flush=True,
    )
    results["reference_structs"] = ref_s / base_s
    return results


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
