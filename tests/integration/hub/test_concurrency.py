"""Many clients at once: no lost writes, no duplicate under the matching policy, no 5xx."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests


def test_parallel_writers_and_readers(hub, creds, node):
    url = f"{hub.base_url}/workspaces/{creds.workspace_id}/customers"
    headers = {"Authorization": f"Bearer {creds.token}"}

    def worker(n: int) -> list[int]:
        statuses = []
        with requests.Session() as s:
            s.headers.update(headers)
            for i in range(15):
                r = s.post(url, json={"nodeId": node.node, "externalId": f"w{n}-{i}"}, timeout=10)
                statuses.append(r.status_code)
                statuses.append(s.get(f"{url}/{r.json()['id']}", timeout=10).status_code)
                statuses.append(s.get(url, params={"nodeId": node.node, "size": 5}, timeout=10).status_code)
            # everyone races for the same externalId: exactly one wins
            statuses.append(
                s.post(url, json={"nodeId": node.node, "externalId": "race"}, timeout=10).status_code
            )
        return statuses

    with ThreadPoolExecutor(8) as pool:
        results = [s for statuses in pool.map(worker, range(8)) for s in statuses]
    assert results.count(201) == 8 * 15 + 1
    assert results.count(409) == 7
    assert set(results) <= {200, 201, 409}
    assert node.query(size=1)["page"]["totalElements"] == 8 * 15 + 1


def test_counts_follow_writes_from_other_connections(hub, creds, node):
    from contacthub_like.sandbox.resources import customers
    from contacthub_like.sandbox.schema import check_customer_body
    from contacthub_like.sandbox.store import Store

    for i in range(12):
        node.create(externalId=f"c{i}")
    assert node.query(size=5, page=1)["page"]["totalElements"] == 12  # page 1 of 3 needs a COUNT
    with Store(hub.db_path) as other:  # e.g. a CLI import running next to the server
        with other.transaction() as conn:
            customers.insert(conn, creds.workspace_id, check_customer_body({"nodeId": node.node}, []))
    assert node.query(size=5, page=1)["page"]["totalElements"] == 13
