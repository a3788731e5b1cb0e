"""Deep pages and counts stay cheap: the indexes the listing relies on, and seek paging.

The plans are checked with ``EXPLAIN QUERY PLAN`` against the hub's own schema, so dropping
an index (or writing a query the index cannot serve) fails here rather than as a slow hub.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from contacthub_like.sandbox.resources import customers
from contacthub_like.sandbox.store import Store

from .conftest import NodeApi, atomic

FIRST = "json_extract(doc, '$.base.firstName')"
LAST = "json_extract(doc, '$.base.lastName')"


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    store = Store(Path(tmp_path_factory.mktemp("plans")) / "hub.sqlite3", schema=customers.SCHEMA)
    return store.conn


def plan(conn: sqlite3.Connection, sql: str, params: tuple[object, ...]) -> str:
    return " | ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params))


@pytest.mark.parametrize("where", ["ws = ?", "ws = ? AND node = ?", "node = ?"])
def test_unfiltered_counts_read_an_index_only(conn: sqlite3.Connection, where: str) -> None:
    params = tuple("x" for _ in range(where.count("?")))
    found = plan(conn, f"SELECT COUNT(*) FROM customers WHERE {where}", params)  # noqa: S608
    assert "COVERING INDEX" in found and "SCAN customers" not in found, found


def test_a_two_name_query_is_filtered_by_the_index(conn: sqlite3.Connection) -> None:
    where = f"node = ? AND {FIRST} = ? AND {LAST} = ?"
    found = plan(conn, f"SELECT COUNT(*) FROM customers WHERE {where}", ("n", "a", "b"))  # noqa: S608
    assert "customers_node_first_last (node=? AND <expr>=? AND <expr>=?)" in found, found
    seek = f"SELECT pk, doc FROM customers WHERE ({where}) AND pk > ? ORDER BY pk LIMIT 50"  # noqa: S608
    found = plan(conn, seek, ("n", "a", "b", 7))
    assert "(node=? AND <expr>=? AND <expr>=? AND rowid>?)" in found, found
    assert "TEMP B-TREE" not in found, found  # the index hands the rows over in pk order: no sort


def test_the_next_page_seeks_from_the_previous_pages_last_key(conn: sqlite3.Connection) -> None:
    found = plan(
        conn, "SELECT pk, doc FROM customers WHERE (node = ?) AND pk > ? ORDER BY pk LIMIT 50", ("n", 7)
    )
    assert "rowid>?" in found and "TEMP B-TREE" not in found, found


def _walk(node: NodeApi, condition: dict[str, object] | None, size: int) -> list[str]:
    seen: list[str] = []
    page = 0
    while True:
        body = node.query(condition, size=size, page=page)
        seen += [c["id"] for c in body["elements"]]
        page += 1
        if page >= body["page"]["totalPages"]:
            return seen


def test_a_walk_answers_what_offset_paging_answers(node: NodeApi) -> None:
    made = [
        node.create(externalId=f"w{i}", base={"firstName": "W", "lastName": "Z" if i % 2 else "Y"})["id"]
        for i in range(23)
    ]
    assert _walk(node, None, 4) == made  # sequential walk: every page after the first seeks
    odd = [cid for i, cid in enumerate(made) if i % 2]
    condition = {
        "type": "composite",
        "conjunction": "and",
        "conditions": [atomic("base.firstName", "EQUALS", "W"), atomic("base.lastName", "EQUALS", "Z")],
    }
    assert _walk(node, condition, 3) == odd
    # pages out of order, and a page read again after a write, are OFFSET pages as before
    assert [c["id"] for c in node.query(None, size=4, page=3)["elements"]] == made[12:16]
    node.query(None, size=4, page=0)
    node.api.delete(f"/customers/{made[1]}")
    assert [c["id"] for c in node.query(None, size=4, page=1)["elements"]] == made[5:9]
