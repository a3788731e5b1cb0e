"""The ``query`` grammar (research §5) evaluated by SQLite: every operator, composites, combined queries,
arrays, dates and date-times in all the spellings clients send."""

from __future__ import annotations

import json

import pytest

from .conftest import assert_envelope, atomic


@pytest.fixture
def people(node):
    """Four customers with varied data; returns (node, {name: id})."""
    specs = {
        "ann": dict(
            externalId="A",
            extra="0",
            base={
                "firstName": "Ann",
                "lastName": "Rossi",
                "dob": "1994-06-10",
                "contacts": {"email": "ann@x.it"},
                "address": {"city": "Rome", "geo": {"lat": 41.9, "lon": 12.5}},
                "jobs": [{"id": "j1", "companyName": "ACME", "startDate": "2015-01-01", "isCurrent": True}],
                "likes": [{"id": "l1", "name": "jazz", "createdTime": "2020-05-01T10:00:00+02:00"}],
            },
            tags={"auto": ["vip"], "manual": ["gold", "early"]},
            extended={"score": 10, "seen": "2021-03-04T10:00:00Z"},
        ),
        "bob": dict(
            externalId="B",
            base={
                "firstName": "Bob",
                "lastName": "Bianchi",
                "dob": "1980-01-31",
                "contacts": {"email": "bob@x.it"},
                "jobs": [
                    {"id": "j2", "companyName": "Initech", "startDate": "2010-06-01", "isCurrent": False}
                ],
            },
            tags={"auto": [], "manual": ["silver"]},
            extended={"score": 0, "seen": "2021-03-04T12:00:00+0000"},
        ),
        "cy": dict(
            externalId="C",
            base={"firstName": "Cy", "dob": "2001-12-25"},
            enabled=False,
            extended={"score": 25},
        ),
        "dee": dict(base={"firstName": "Dee", "lastName": "Verdi"}, tags={"auto": [], "manual": ["gold"]}),
    }
    ids = {name: node.create(**spec)["id"] for name, spec in specs.items()}
    return node, ids


def names(node, ids, condition=None, **kw):
    found = node.ids(condition, **kw)
    return {n for n, i in ids.items() if i in found}


def test_equals_and_not_equals(people):
    node, ids = people
    assert names(node, ids, atomic("base.firstName", "EQUALS", "Ann")) == {"ann"}
    assert names(node, ids, atomic("base.firstName", "NOT_EQUALS", "Ann")) == {"bob", "cy", "dee"}
    # NOT_EQUALS keeps customers where the attribute is missing/null
    assert names(node, ids, atomic("base.lastName", "NOT_EQUALS", "Rossi")) == {"bob", "cy", "dee"}
    assert names(node, ids, atomic("externalId", "EQUALS", "B")) == {"bob"}
    assert names(node, ids, atomic("base.contacts.email", "EQUALS", "ann@x.it")) == {"ann"}
    assert names(node, ids, atomic("enabled", "EQUALS", False)) == {"cy"}
    # falsy values are real values (0 and "0")
    assert names(node, ids, atomic("extended.score", "EQUALS", 0)) == {"bob"}
    assert names(node, ids, atomic("extra", "EQUALS", "0")) == {"ann"}
    assert names(node, ids, atomic("id", "EQUALS", ids["dee"])) == {"dee"}


def test_ordering_operators_on_numbers_and_strings(people):
    node, ids = people
    assert names(node, ids, atomic("extended.score", "GT", 10)) == {"cy"}
    assert names(node, ids, atomic("extended.score", "GTE", 10)) == {"ann", "cy"}
    assert names(node, ids, atomic("extended.score", "LT", 10)) == {"bob"}
    assert names(node, ids, atomic("extended.score", "LTE", 10)) == {"ann", "bob"}
    assert names(node, ids, atomic("base.firstName", "LT", "Bz")) == {"ann", "bob"}
    assert names(node, ids, atomic("base.address.geo.lat", "GT", 40)) == {"ann"}


def test_null_operators(people):
    node, ids = people
    assert names(node, ids, atomic("base.lastName", "IS_NULL")) == {"cy"}
    assert names(node, ids, atomic("base.lastName", "IS_NOT_NULL")) == {"ann", "bob", "dee"}
    assert names(node, ids, atomic("externalId", "IS_NULL")) == {"dee"}
    assert names(node, ids, atomic("extended.nothing", "IS_NULL")) == set(ids)
    # an empty list counts as null
    assert names(node, ids, atomic("tags.auto", "IS_NOT_NULL")) == {"ann"}
    assert names(node, ids, atomic("tags.auto", "IS_NULL")) == {"bob", "cy", "dee"}


def test_in_and_not_in_on_list_attributes_and_value_arrays(people):
    node, ids = people
    # list attribute contains a scalar (the original SDK's in_('gold', Customer.tags.manual))
    assert names(node, ids, atomic("tags.manual", "IN", "gold")) == {"ann", "dee"}
    assert names(node, ids, atomic("tags.manual", "NOT_IN", "gold")) == {"bob", "cy"}
    # scalar attribute in a value array
    assert names(node, ids, atomic("base.firstName", "IN", ["Ann", "Cy", "Zed"])) == {"ann", "cy"}
    assert names(node, ids, atomic("base.firstName", "NOT_IN", ["Ann", "Cy"])) == {"bob", "dee"}
    assert names(node, ids, atomic("externalId", "IN", ["A", "C"])) == {"ann", "cy"}
    assert names(node, ids, atomic("externalId", "NOT_IN", ["A", "C"])) == {"bob", "dee"}
    # list attribute shares an element with a value array
    assert names(node, ids, atomic("tags.manual", "IN", ["silver", "early"])) == {"ann", "bob"}
    assert names(node, ids, atomic("base.firstName", "IN", [])) == set()
    assert names(node, ids, atomic("extended.score", "IN", [0, 25])) == {"bob", "cy"}


def test_between_numbers_dates_and_datetimes(people):
    node, ids = people
    assert names(node, ids, atomic("extended.score", "BETWEEN", [5, 25])) == {"ann", "cy"}
    assert names(node, ids, atomic("base.dob", "BETWEEN", ["1990-01-01", "2002-01-01"])) == {"ann", "cy"}
    # a date field compared with date-times (what the original SDK sends for datetime bounds)
    between = ["1994-06-10T00:00:00Z", "2001-12-25T00:00:00Z"]
    assert names(node, ids, atomic("base.dob", "BETWEEN", between)) == {"ann", "cy"}
    assert names(node, ids, atomic("base.dob", "EQUALS", "1994-06-10T00:00:00Z")) == {"ann"}
    assert names(node, ids, atomic("base.dob", "GT", "1994-06-10T00:00:00.000Z")) == {"cy"}
    assert names(node, ids, atomic("base.dob", "LT", "1994-06-10T12:00:00+00:00")) == {"ann", "bob"}
    # epoch milliseconds on a date field: 1994-06-10T00:00:00Z
    assert names(node, ids, atomic("base.dob", "EQUALS", 771206400000)) == {"ann"}


def test_datetime_fields_in_any_spelling(people):
    node, ids = people
    everyone = node.query()["elements"]
    stamps = sorted(c["registeredAt"] for c in everyone)
    first, last = stamps[0], stamps[-1]
    # stored as ...+0000, compared as ...Z, +00:00 and epoch ms
    as_z = first.replace("+0000", "Z")
    assert names(node, ids, atomic("registeredAt", "GTE", as_z)) == set(ids)
    assert names(node, ids, atomic("registeredAt", "GT", last.replace("+0000", "+00:00"))) == set()
    import datetime as dt

    parsed = dt.datetime.strptime(first, "%Y-%m-%dT%H:%M:%S.%f%z")
    ms = int(parsed.timestamp() * 1000)
    assert names(node, ids, atomic("registeredAt", "BETWEEN", [ms, ms + 10**9])) == set(ids)
    # nested date-time inside an array of objects, stored from a +02:00 value
    assert names(node, ids, atomic("base.likes.createdTime", "EQUALS", "2020-05-01T08:00:00Z")) == {"ann"}
    # free-form extended date-times in different spellings
    assert names(node, ids, atomic("extended.seen", "GT", "2021-03-04T11:00:00Z")) == {"bob"}
    assert names(node, ids, atomic("extended.seen", "EQUALS", "2021-03-04T12:00:00.000Z")) == {"bob"}


def test_arrays_of_objects_match_any_element(people):
    node, ids = people
    assert names(node, ids, atomic("base.jobs.companyName", "EQUALS", "ACME")) == {"ann"}
    assert names(node, ids, atomic("base.jobs.companyName", "NOT_EQUALS", "ACME")) == {"bob", "cy", "dee"}
    assert names(node, ids, atomic("base.jobs.isCurrent", "EQUALS", True)) == {"ann"}
    assert names(node, ids, atomic("base.jobs.startDate", "LT", "2012-01-01")) == {"bob"}
    assert names(node, ids, atomic("base.jobs.companyName", "IN", ["Initech", "Other"])) == {"bob"}


def test_composite_and_or_nested(people):
    node, ids = people
    a_or_b = {
        "type": "composite",
        "conjunction": "or",
        "conditions": [atomic("base.firstName", "EQUALS", "Ann"), atomic("base.firstName", "EQUALS", "Bob")],
    }
    assert names(node, ids, a_or_b) == {"ann", "bob"}
    nested = {
        "type": "composite",
        "conjunction": "and",
        "conditions": [a_or_b, atomic("tags.manual", "IN", "gold")],
    }
    assert names(node, ids, nested) == {"ann"}
    upper = {"type": "composite", "conjunction": "OR", "conditions": [atomic("externalId", "EQUALS", "C")]}
    assert names(node, ids, upper) == {"cy"}


def test_combined_intersect_union_except(people):
    node, ids = people

    def simple(cond):
        return {"type": "simple", "name": "query", "are": {"condition": cond}}

    gold = simple(atomic("tags.manual", "IN", "gold"))
    ann_bob = simple(atomic("base.firstName", "IN", ["Ann", "Bob"]))
    no_last = simple(atomic("base.lastName", "IS_NULL"))

    def combined(conj, *queries):
        return {"type": "combined", "name": "query", "conjunction": conj, "queries": list(queries)}

    assert names(node, ids, query=combined("INTERSECT", gold, ann_bob)) == {"ann"}
    assert names(node, ids, query=combined("UNION", gold, ann_bob)) == {"ann", "bob", "dee"}
    assert names(node, ids, query=combined("EXCEPT", ann_bob, gold)) == {"bob"}
    # EXCEPT must keep customers whose excluded attribute is null
    assert names(
        node,
        ids,
        query=combined(
            "EXCEPT",
            simple(atomic("enabled", "EQUALS", True)),
            simple(atomic("base.lastName", "EQUALS", "Rossi")),
        ),
    ) == {"bob", "dee"}
    assert names(node, ids, query=combined("UNION", combined("INTERSECT", gold, ann_bob), no_last)) == {
        "ann",
        "cy",
    }
    # a simple query without a condition matches everyone; paging totals follow the filter
    body = node.query(query=simple(atomic("tags.manual", "IN", "gold")), size=1)
    assert body["page"]["totalElements"] == 2 and body["page"]["totalUnfilteredElements"] == 4
    assert names(node, ids, query={"type": "simple", "name": "query"}) == set(ids)


def test_query_with_sort_paging_and_external_id(people):
    node, ids = people
    body = node.query(atomic("base.firstName", "IS_NOT_NULL"), sort="base.firstName,desc", size=2, page=1)
    assert [c["base"]["firstName"] for c in body["elements"]] == ["Bob", "Ann"]
    assert body["page"]["totalElements"] == 4 and body["page"]["totalPages"] == 2
    assert names(node, ids, atomic("base.firstName", "EQUALS", "Ann"), externalId="B") == set()


@pytest.mark.parametrize(
    "bad, pointer",
    [
        ("not json", ""),
        ("[1]", ""),
        ('{"name": "q"}', "/query"),
        ('{"query": {"type": "weird"}}', "/query/type"),
        (
            '{"query": {"type": "simple", "are": {"condition": {"type": "atomic", "attribute": "a", '
            '"operator": "LIKE", "value": 1}}}}',
            "/query/are/condition/operator",
        ),
        (
            '{"query": {"type": "simple", "are": {"condition": {"type": "atomic", "attribute": "a", '
            '"operator": "EQUALS"}}}}',
            "/query/are/condition/value",
        ),
        (
            '{"query": {"type": "simple", "are": {"condition": {"type": "atomic", "attribute": "a", '
            '"operator": "BETWEEN", "value": [1]}}}}',
            "/query/are/condition/value",
        ),
        (
            '{"query": {"type": "simple", "are": {"condition": {"type": "atomic", "attribute": "a", '
            '"operator": "GT", "value": [1, 2]}}}}',
            "/query/are/condition/value",
        ),
        (
            '{"query": {"type": "simple", "are": {"condition": {"type": "atomic", "attribute": "a\\"b", '
            '"operator": "EQUALS", "value": 1}}}}',
            "/query/are/condition/attribute",
        ),
        (
            '{"query": {"type": "simple", "are": {"condition": {"type": "composite", "conjunction": "xor", '
            '"conditions": []}}}}',
            "/query/are/condition/conjunction",
        ),
        (
            '{"query": {"type": "simple", "are": {"condition": {"type": "composite", "conjunction": "and", '
            '"conditions": []}}}}',
            "/query/are/condition/conditions",
        ),
        ('{"query": {"type": "combined", "conjunction": "MINUS", "queries": []}}', "/query/conjunction"),
        (
            '{"query": {"type": "combined", "conjunction": "UNION", "queries": [{"type": "simple", "are": '
            '{"condition": {"type": "atomic", "attribute": "registeredAt", "operator": "GT", '
            '"value": "soon"}}}]}}',
            "/query/queries/0/are/condition/value",
        ),
    ],
)
def test_malformed_queries_are_400_with_pointer(api, node, bad, pointer):
    r = api.get("/customers", params={"nodeId": node.node, "query": bad})
    body = assert_envelope(r, 400)
    assert body["errors"][0]["path"] == pointer


def test_deeply_nested_query_is_rejected_not_crashing(api, node):
    cond = atomic("base.firstName", "EQUALS", "x")
    for _ in range(200):
        cond = {"type": "composite", "conjunction": "and", "conditions": [cond]}
    q = json.dumps({"name": "q", "query": {"type": "simple", "are": {"condition": cond}}})
    assert_envelope(api.get("/customers", params={"nodeId": node.node, "query": q}), 400)


def test_structured_values_compare_as_json(people):
    node, ids = people
    assert names(node, ids, atomic("tags", "EQUALS", {"auto": ["vip"], "manual": ["gold", "early"]})) == {
        "ann"
    }
    assert names(node, ids, atomic("tags.manual", "EQUALS", ["silver"])) == {"bob"}
    assert names(node, ids, atomic("tags.manual", "NOT_EQUALS", ["silver"])) == {"ann", "cy", "dee"}


def test_values_are_bound_not_interpolated(people):
    node, ids = people
    evil = "x') OR 1=1 --"
    assert names(node, ids, atomic("base.firstName", "EQUALS", evil)) == set()
    assert names(node, ids, atomic("base.firstName", "IN", [evil, "Ann"])) == {"ann"}
