"""Model costs: hydrating a page of customers, and computing a PATCH body.

Targets: hydrating 1,000 customers from a JSON page and reading three nested fields
of each (``c.base.firstName``, ``c.base.contacts.email``, ``c.tags.manual``: three
sections wrapped and one list read per customer) costs at most 1.15x a bare
``json.loads`` of the same page; the wire path (a page of 50 customers as the bytes a response
carries, parsed with the library's decoder and wrapped as entities) costs at most 1.0x
``json.loads`` of those bytes alone; the PATCH body of a one-field edit costs under
20 us per customer (reported in microseconds only: it does not parse JSON, so a ratio
against ``json.loads`` would compare unrelated work).
"""

from __future__ import annotations

import json
import statistics
import time

from contacthub_like import Customer, wire

from ._timing import interleaved, report
from .sample_data import customers_page

HYDRATE_TARGET = 1.15
WIRE_TARGET = 1.0
EDIT_TARGET_US = 20.0


def run(rounds: int = 40) -> list[dict]:
    payload = json.dumps(customers_page(1000))
    count = 1000

    def baseline() -> object:
        return json.loads(payload)

    def hydrate_and_read() -> object:
        page = json.loads(payload)
        out = []
        for doc in page["elements"]:
            c = Customer.from_dict(None, doc)
            out.append((c.base.firstName, c.base.contacts.email, c.tags.manual))
        return out

    results = []
    base, ours = interleaved(baseline, hydrate_and_read, rounds)
    results.append(
        report(
            "hydrate 1,000 + read base.firstName, base.contacts.email, tags.manual",
            "json.loads",
            base,
            ours,
            count,
            goal=HYDRATE_TARGET,
        )
    )

    # the wire path: what the client does with each page of a listing (transport.request then Query)
    page_bytes = json.dumps(customers_page(50)).encode("utf-8")

    def loads_page() -> object:
        return json.loads(page_bytes)

    def decode_and_wrap() -> object:
        return [Customer.from_dict(None, doc) for doc in wire.decode_json(page_bytes)["elements"]]

    def decode_wrap_read() -> object:
        out = []
        for doc in wire.decode_json(page_bytes)["elements"]:
            c = Customer.from_dict(None, doc)
            out.append((c.base.firstName, c.base.contacts.email, c.tags.manual))
        return out

    base, ours = interleaved(loads_page, decode_and_wrap, rounds * 20)
    results.append(
        report("wire: page of 50 bytes -> entities", "json.loads", base, ours, 50, goal=WIRE_TARGET)
    )
    base, ours = interleaved(loads_page, decode_wrap_read, rounds * 20)
    results.append(report("wire: page of 50 -> entities + the three reads", "json.loads", base, ours, 50))

    docs = json.loads(payload)["elements"]

    def diff_one_field() -> object:
        bodies = []
        for doc in docs:
            customer = Customer.from_dict(None, doc)
            customer.base.contacts.email = "changed@example.com"
            bodies.append(customer.get_mutation_tracker())
        return bodies

    diff_one_field()  # warm up
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        diff_one_field()
        times.append(time.perf_counter() - start)
    per_item = statistics.median(times) / count * 1e6
    met = "ok" if per_item < EDIT_TARGET_US else "MISSED"
    print(
        f"{'one-field edit -> PATCH body (1,000 customers)':<46} {per_item:6.2f} us per customer"
        f"   target < {EDIT_TARGET_US:.0f} us/item {met}",
        flush=True,
    )
    results.append({"name": "one-field edit -> PATCH body", "us_per_item": per_item})
    return results


if __name__ == "__main__":
    run()
