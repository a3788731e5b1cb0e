"""Any JSON sent as ``query`` compiles to SQL that SQLite runs, or is a 400 -- never a crash."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacthub_like.sandbox.errors import HubError
from contacthub_like.sandbox.querysql import OPERATORS, compile_query
from contacthub_like.sandbox.resources.customers import QUERY_SCHEMA
from contacthub_like.sandbox.timefmt import sql_hub_ts

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["2020-01-01", "2020-01-01T10:00:00Z", "1994-06-10T00:00:00.000+0000", "gold"]),
)
values = st.one_of(
    scalars, st.lists(scalars, max_size=3), st.dictionaries(st.text(max_size=3), scalars, max_size=2)
)
attributes = st.one_of(
    st.sampled_from(
        [
            "base.firstName",
            "base.dob",
            "registeredAt",
            "externalId",
            "tags.manual",
            "base.jobs.startDate",
            "base.subscriptions.preferences.key",
            "extended.x",
            "base.contacts.email",
            "id",
        ]
    ),
    st.text(max_size=15),
)


@st.composite
def atomic(draw):
    cond = {
        "type": "atomic",
        "attribute": draw(attributes),
        "operator": draw(st.sampled_from(OPERATORS + ("LIKE",))),
    }
    if draw(st.booleans()):
        cond["value"] = draw(values)
    return cond


conditions = st.recursive(
    atomic(),
    lambda children: st.fixed_dictionaries(
        {
            "type": st.just("composite"),
            "conjunction": st.sampled_from(["and", "or", "OR", "xor"]),
            "conditions": st.lists(children, max_size=3),
        }
    ),
    max_leaves=6,
)
simple = st.fixed_dictionaries(
    {"type": st.just("simple"), "are": st.fixed_dictionaries({"condition": conditions})}
)
queries = st.recursive(
    simple,
    lambda children: st.fixed_dictionaries(
        {
            "type": st.just("combined"),
            "conjunction": st.sampled_from(["INTERSECT", "UNION", "EXCEPT", "NOPE"]),
            "queries": st.lists(children, max_size=3),
        }
    ),
    max_leaves=4,
)
junk = st.recursive(
    scalars, lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(st.text(max_size=5), c))
)


@pytest.fixture(scope="module")
def db():
    conn = sqlite3.connect(":memory:")
    conn.create_function("hub_ts", 1, sql_hub_ts, deterministic=True)
    conn.execute(
        "CREATE TABLE customers (pk INTEGER PRIMARY KEY, id TEXT, node TEXT, external_id TEXT, email TEXT, "
        "registered_at TEXT, updated_at TEXT, doc TEXT)"
    )
    doc = {
        "base": {
            "firstName": "A",
            "dob": "2000-01-01",
            "jobs": [{"startDate": "2001-01-01"}],
            "subscriptions": [{"preferences": [{"key": "k"}]}],
        },
        "tags": {"manual": ["gold"]},
    }
    conn.execute("INSERT INTO customers(id, node, doc) VALUES ('c', 'n', ?)", (json.dumps(doc),))
    yield conn
    conn.close()


def _run(db, document):
    try:
        sql, params = compile_query(document, QUERY_SCHEMA)
    except HubError as exc:
        assert exc.status == 400 and exc.errors
        return
    db.execute(f"SELECT COUNT(*) FROM customers WHERE node = 'n' AND {sql}", params).fetchone()


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(query=queries)
def test_structured_queries_compile_and_run_or_are_rejected(db, query):
    _run(db, {"name": "q", "query": query})


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(document=junk)
def test_arbitrary_json_is_rejected_cleanly(db, document):
    _run(db, document)
