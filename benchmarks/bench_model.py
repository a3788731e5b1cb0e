"""Model costs: hydrating a page of customers, and computing a PATCH body.

Targets: hydrating 1,000 customers from a JSON page and reading three
fields costs at most 1.3x a bare ``json.loads`` of the same page; the PATCH body of
a one-field edit costs under 20 us per customer.
"""

from __future__ import annotations

import json

from contacthub_like import Customer

from ._timing import interleaved, report
from .sample_data import customers_page


def run(rounds: int = 40) -> list[dict]:
    payload = json.dumps(customers_page(1000))
    count = 1000

    def baseline() -> object:
        return json.loads(payload)

    def hydrate_and_read() -> object:
        page = json.loads(payload)
        out = []
        for doc in page["elements"]:
            customer = Customer.from_dict(None, doc)
            out.append((customer.base.firstName, customer.base.contacts.email, customer.externalId))
        return out

    def hydrate_and_read_top() -> object:
        page = json.loads(payload)
        out = []
        for doc in page["elements"]:
            customer = Customer.from_dict(None, doc)
            out.append((customer.id, customer.externalId, customer.base.firstName))
        return out

    results = []
    # the documented target: two of the three fields sit in nested sections (base, base.contacts)
    base, ours = interleaved(baseline, hydrate_and_read, rounds)
    results.append(
        report(
            "hydrate 1,000 + read firstName, contacts.email, externalId",
            "json.loads",
            base,
            ours,
            count,
            target="<= 1.30x",
        )
    )
    base, ours = interleaved(baseline, hydrate_and_read_top, rounds)
    results.append(
        report("hydrate 1,000 + read id, externalId, base.firstName", "json.loads", base, ours, count)
    )

    docs = json.loads(payload)["elements"]

    def loads_only() -> object:
        return json.loads(payload)

    def diff_one_field() -> object:
        bodies = []
        for doc in docs:
            customer = Customer.from_dict(None, doc)
            customer.base.contacts.email = "changed@example.com"
            bodies.append(customer.get_mutation_tracker())
        return bodies

    base, ours = interleaved(loads_only, diff_one_field, rounds)
    row = report(
        "one-field edit -> PATCH body (1,000 customers)",
        "json.loads",
        base,
        ours,
        count,
        target="< 20 us/item",
    )
    results.append(row)
    return results


if __name__ == "__main__":
    run()
