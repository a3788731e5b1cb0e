"""The query -> SQL compiler on its own: values are always bound, and the SQL means what the grammar says."""

from __future__ import annotations

import json
import sqlite3

import pytest

from contacthub_like.sandbox.errors import HubError
from contacthub_like.sandbox.querysql import (
    DATE,
    DATETIME,
    EntitySchema,
    QueryError,
    compile_query,
    sort_clause,
)
from contacthub_like.sandbox.timefmt import sql_hub_ts

SCHEMA = EntitySchema(
    columns={"externalId": "external_id"},
    arrays=frozenset({"items"}),
    temporal={"born": DATE, "seen": DATETIME},
)

DOCS = [
    {
        "externalId": "a",
        "n": 1,
        "s": "x",
        "born": "2000-01-02",
        "seen": "2020-01-01T10:00:00.000+0000",
        "tags": ["t1", "t2"],
        "items": [{"k": "p", "v": 1}, {"k": "q", "v": 2}],
        "free": "2021-01-01T00:00:00Z",
    },
    {
        "externalId": "b",
        "n": 2,
        "s": None,
        "born": "1999-12-31",
        "seen": "2020-01-02T00:00:00.000+0000",
        "tags": [],
        "items": [{"k": "q", "v": 5}],
        "free": "2021-01-01T02:00:00+01:00",
    },
    {"externalId": None, "n": 0, "born": None, "tags": ["t2"], "items": []},
]


@pytest.fixture(scope="module")
def db():
    conn = sqlite3.connect(":memory:")
    conn.create_function("hub_ts", 1, sql_hub_ts, deterministic=True)
    conn.execute("CREATE TABLE t (pk INTEGER PRIMARY KEY, external_id TEXT, doc TEXT)")
    for d in DOCS:
        conn.execute("INSERT INTO t(external_id, doc) VALUES (?, ?)", (d["externalId"], json.dumps(d)))
    yield conn
    conn.close()


def run(db, condition):
    sql, params = compile_query(
        {"name": "q", "query": {"type": "simple", "are": {"condition": condition}}}, SCHEMA
    )
    return [r[0] for r in db.execute(f"SELECT pk FROM t WHERE {sql} ORDER BY pk", params)]


def atomic(attr, op, *value):
    c = {"type": "atomic", "attribute": attr, "operator": op}
    if value:
        c["value"] = value[0]
    return c


@pytest.mark.parametrize(
    "cond, expected",
    [
        (atomic("n", "EQUALS", 0), [3]),
        (atomic("n", "NOT_EQUALS", 1), [2, 3]),
        (atomic("n", "GT", 0), [1, 2]),
        (atomic("n", "GTE", 1), [1, 2]),
        (atomic("n", "LT", 2), [1, 3]),
        (atomic("n", "LTE", 0), [3]),
        (atomic("n", "BETWEEN", [1, 2]), [1, 2]),
        (atomic("s", "IS_NULL"), [2, 3]),
        (atomic("s", "IS_NOT_NULL"), [1]),
        (atomic("tags", "IN", "t2"), [1, 3]),
        (atomic("tags", "NOT_IN", "t1"), [2, 3]),
        (atomic("tags", "IS_NULL"), [2]),
        (atomic("n", "IN", [0, 2]), [2, 3]),
        (atomic("n", "NOT_IN", [0, 2]), [1]),
        (atomic("externalId", "IN", ["a", "b"]), [1, 2]),
        (atomic("externalId", "IS_NULL"), [3]),
        (atomic("externalId", "NOT_EQUALS", "a"), [2, 3]),
        (atomic("items.k", "EQUALS", "q"), [1, 2]),
        (atomic("items.k", "NOT_EQUALS", "p"), [2, 3]),
        (atomic("items.v", "GT", 4), [2]),
        (atomic("born", "EQUALS", "2000-01-02T00:00:00Z"), [1]),
        (atomic("born", "LT", "2000-01-01T00:00:00+01:00"), [2]),
        (atomic("seen", "GTE", "2020-01-01T11:00:00+01:00"), [1, 2]),
        (atomic("seen", "LT", 1577836800000 + 36000001), [1]),
        (atomic("free", "EQUALS", "2021-01-01T01:00:00Z"), [2]),
        (
            {
                "type": "composite",
                "conjunction": "or",
                "conditions": [atomic("n", "EQUALS", 1), atomic("n", "EQUALS", 0)],
            },
            [1, 3],
        ),
    ],
)
def test_operators(db, cond, expected):
    assert run(db, cond) == expected


def test_values_never_reach_the_sql_text():
    marker = "'; DROP TABLE t; --"
    cond = {
        "type": "composite",
        "conjunction": "and",
        "conditions": [
            atomic("n", "EQUALS", marker),
            atomic("tags", "IN", [marker]),
            atomic("items.k", "BETWEEN", [marker, marker]),
            atomic("extended.weird key", "EQUALS", marker),
        ],
    }
    sql, params = compile_query({"query": {"type": "simple", "are": {"condition": cond}}}, SCHEMA)
    assert marker not in sql and "weird" not in sql
    assert params.count(marker) == 5


def test_combined_except_keeps_nulls(db):
    q = {
        "type": "combined",
        "conjunction": "EXCEPT",
        "queries": [{"type": "simple"}, {"type": "simple", "are": {"condition": atomic("s", "EQUALS", "x")}}],
    }
    sql, params = compile_query({"query": q}, SCHEMA)
    assert [r[0] for r in db.execute(f"SELECT pk FROM t WHERE {sql}", params)] == [2, 3]


def test_errors_carry_pointers():
    with pytest.raises(QueryError) as info:
        compile_query(
            {"query": {"type": "simple", "are": {"condition": atomic("seen", "GT", "soon")}}}, SCHEMA
        )
    assert info.value.errors[0]["path"] == "/query/are/condition/value"
    assert info.value.status == 400


def test_sort_clause():
    assert sort_clause(["externalId,desc"], SCHEMA) == ("external_id DESC", [])
    assert sort_clause(["a.b", "c,asc"], SCHEMA) == (
        "json_extract(doc, ?) ASC, json_extract(doc, ?) ASC",
        ['$."a"."b"', '$."c"'],
    )
    with pytest.raises(HubError):
        sort_clause(["a,up"], SCHEMA)


@pytest.mark.parametrize("attribute", ["\x00", "base.first\x00Name", "a.\x1f", "tab\tkey"])
def test_control_characters_in_paths_are_a_400(db, attribute):
    # SQLite cuts a JSON path at NUL, so such a path would fail inside the database as a 500
    with pytest.raises(QueryError) as info:
        query = {"type": "simple", "are": {"condition": atomic(attribute, "IS_NULL")}}
        compile_query({"query": query}, SCHEMA)
    assert info.value.errors[0]["path"] == "/query/are/condition/attribute"
    with pytest.raises(HubError):
        sort_clause([attribute], SCHEMA)
