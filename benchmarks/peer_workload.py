"""One timed workload of the original ContactHub SDK (contacthub-sdk-python 0.2) against a hub.

Runs in the SDK's own virtualenv (see :mod:`benchmarks.peer_env`), so it uses only that
SDK and the standard library. Usage: ``python peer_workload.py SPEC.json``; the spec says
which workload, on which hub, with which data. Prints one JSON line:
``{"seconds": <timed part>, "items": <items handled>}``. Setup (imports, building
customer objects from documents) is outside the timed part, as it is for the other sides.
"""

import json
import sys
import time

from contacthub import Workspace
from contacthub._api_manager._api_customer import _CustomerAPIManager
from contacthub.lib.paginated_list import PaginatedList
from contacthub.models import Customer, Properties


def create(node, spec):
    prefix = spec["prefix"]
    start = time.perf_counter()
    for i in range(spec["count"]):
        first, last = spec["names"][i % len(spec["names"])]
        Customer(
            node=node,
            externalId=f"{prefix}-{i}",
            base=Properties(
                firstName=first,
                lastName=last,
                contacts=Properties(email=f"{first.lower()}.{prefix}{i}@example.com"),
            ),
        ).post()
    return time.perf_counter() - start, spec["count"]


def fetch(node, spec):
    first, last = spec["match"]
    start = time.perf_counter()
    # Query.all() has no page size (its pages would be the hub's default of 10): the same query
    # goes through the SDK's own API manager with the page size the other sides use, so the
    # comparison measures clients, not the number of requests.
    query = node.query(Customer).filter((Customer.base.firstName == first) & (Customer.base.lastName == last))
    page = PaginatedList(
        node=node,
        function=_CustomerAPIManager(node).get_all,
        entity_class=Customer,
        query={"name": "query", "query": query.inner_query},
        size=spec["page_size"],
    )
    seen = []
    while True:
        for customer in page:
            seen.append((customer.base.firstName, customer.base.contacts.email, customer.externalId))
        if page.page_number >= page.total_pages - 1:
            break
        page = page.next_page()
    elapsed = time.perf_counter() - start
    if len(seen) != spec["expected"]:
        raise SystemExit(f"the SDK saw {len(seen)} customers, expected {spec['expected']}")
    return elapsed, len(seen)


def patch(node, spec):
    with open(spec["docs_file"], encoding="utf-8") as fh:
        docs = json.load(fh)
    customers = [Customer(node=node, **doc) for doc in docs]
    value = spec["value"]
    start = time.perf_counter()
    for customer in customers:
        customer.base.firstName = value
        customer.patch()
    return time.perf_counter() - start, len(customers)


def main():
    with open(sys.argv[1], encoding="utf-8") as fh:
        spec = json.load(fh)
    workspace = Workspace(workspace_id=spec["workspace_id"], token=spec["token"], base_url=spec["base_url"])
    node = workspace.get_node(spec["node_id"])
    seconds, items = {"create": create, "fetch": fetch, "patch": patch}[spec["workload"]](node, spec)
    print(json.dumps({"seconds": seconds, "items": items}))


if __name__ == "__main__":
    main()
