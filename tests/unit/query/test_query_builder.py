"""Query: building, combining, and the parameters each call hands to the node."""

from __future__ import annotations

import json

import pytest
from query_fakes import FakeEntity as C
from query_fakes import FakeNode, OtherEntity

from contacthub_like.errors import InvalidType, InvalidValue, OperationNotPermitted
from contacthub_like.query import EMPTY, PaginatedList, Query, between_, in_

SHARED_NODE = FakeNode(0)


def q(node: FakeNode | None = None) -> Query:
    return Query(node or SHARED_NODE, C)


def inner(query: Query) -> dict:
    compiled = query.to_dict()
    assert compiled is not None
    return compiled["query"]


def simple(condition: dict) -> dict:
    return {"type": "simple", "name": "query", "are": {"condition": condition}}


def eq(attribute: str, value: object) -> dict:
    return {"type": "atomic", "attribute": attribute, "operator": "EQUALS", "value": value}


def test_unfiltered_query_sends_no_query_param() -> None:
    assert q().to_dict() is None
    assert q().params() == {}
    assert q().filter().to_dict() is None
    assert q().filter(EMPTY).to_dict() is None


def test_repeated_filter_ands_into_one_flat_composite() -> None:
    query = q().filter(C.base.firstName == "Bruce").filter(C.base.lastName == "Wayne").filter(C.extra == 0)
    assert inner(query) == simple(
        {
            "type": "composite",
            "conditions": [eq("base.firstName", "Bruce"), eq("base.lastName", "Wayne"), eq("extra", 0)],
            "conjunction": "and",
        }
    )
    # filter(a, b) is filter(a & b)
    assert (
        q().filter(C.extra == 1, C.extra == 2).to_dict()
        == q().filter((C.extra == 1) & (C.extra == 2)).to_dict()
    )


def test_filter_after_an_or_keeps_the_or_as_one_child() -> None:
    query = q().filter((C.extra == 1) | (C.extra == 2)).filter(C.base.firstName == "x")
    condition = inner(query)["are"]["condition"]
    assert condition["conjunction"] == "and"
    assert condition["conditions"][0]["conjunction"] == "or"


def test_queries_are_immutable() -> None:
    base = q().filter(C.extra == 1)
    refined = base.filter(C.extra == 2)
    base.order_by("-extra")
    assert base.to_dict() != refined.to_dict()
    assert base.params() == q().filter(C.extra == 1).params()


def test_filter_refuses_other_things_with_advice() -> None:
    with pytest.raises(InvalidType, match="'and'/'or'"):
        q().filter(True)  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match="filter\\(\\) takes criteria"):
        q().filter({"type": "atomic"})  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="uses a path of OtherEntity"):
        q().filter(OtherEntity.name == 1)


def test_query_has_no_truth_value() -> None:
    with pytest.raises(TypeError, match="count"):
        bool(q())


# ------------------------------------------------------------------------------------------ combining
def test_intersect_union_except_key_order_and_shapes() -> None:
    q1 = q().filter(C.base.firstName == "Bruce")
    q2 = q().filter(C.base.lastName == "Wayne")
    both = inner(q1 & q2)
    assert both == {
        "type": "combined",
        "name": "query",
        "conjunction": "INTERSECT",
        "queries": [simple(eq("base.firstName", "Bruce")), simple(eq("base.lastName", "Wayne"))],
    }
    assert list(both) == ["type", "name", "conjunction", "queries"]
    assert inner(q1 | q2)["conjunction"] == "UNION"
    assert inner(q1 - q2)["conjunction"] == "EXCEPT"


def test_associative_combinations_flatten_but_except_nests() -> None:
    q1, q2, q3 = (q().filter(C.extra == n) for n in (1, 2, 3))
    assert len(inner(q1 & q2 & q3)["queries"]) == 3
    assert len(inner(q1 | (q2 | q3))["queries"]) == 3
    mixed = inner((q1 & q2) | q3)
    assert mixed["conjunction"] == "UNION" and mixed["queries"][0]["conjunction"] == "INTERSECT"
    chained = inner((q1 - q2) - q3)
    assert len(chained["queries"]) == 2 and chained["queries"][0]["conjunction"] == "EXCEPT"


def test_combined_query_rules() -> None:
    q1 = q().filter(C.extra == 1)
    q2 = q().filter(C.extra == 2)
    with pytest.raises(OperationNotPermitted, match="Cannot apply a filter on a combined query."):
        (q1 & q2).filter(C.extra == 3)
    with pytest.raises(OperationNotPermitted, match="Cannot combine empty queries."):
        q1 & q()
    with pytest.raises(OperationNotPermitted, match="Cannot combine empty queries."):
        q() | q1
    with pytest.raises(InvalidType, match="combines two queries"):
        q1 & (C.extra == 2)  # type: ignore[operator]
    with pytest.raises(InvalidValue, match="same entity"):
        q1 & Query(q1.node, OtherEntity).filter(OtherEntity.name == 1)
    with pytest.raises(InvalidValue, match="same node"):
        q1 & Query(FakeNode(0), C).filter(C.extra == 1)
    # a combined query can still be ordered
    assert (q1 & q1.filter(C.extra == 2)).order_by("-extra").params()["sort"] == "extra,desc"


# -------------------------------------------------------------------------------------------- params
def test_order_by_forms_and_param_shape() -> None:
    assert q().order_by(C.base.lastName).params() == {"sort": "base.lastName,asc"}
    assert q().order_by(-C.base.lastName).params() == {"sort": "base.lastName,desc"}
    assert q().order_by(C.base.lastName.desc()).params() == {"sort": "base.lastName,desc"}
    assert q().order_by("-base.lastName").params() == {"sort": "base.lastName,desc"}
    # several keys: a list, so the HTTP client repeats ``sort``
    assert q().order_by("base.lastName", -C.base.firstName).params() == {
        "sort": ["base.lastName,asc", "base.firstName,desc"]
    }
    # order_by replaces; no keys clears
    assert q().order_by("a").order_by("b").params() == {"sort": "b,asc"}
    assert q().order_by("a").order_by().params() == {}
    with pytest.raises(InvalidValue, match="OtherEntity"):
        q().order_by(OtherEntity.name)


def test_params_hold_only_what_is_set() -> None:
    query = q().filter(C.extra == 0).order_by("-extra").limit_page_size(5)
    params = query.params(page=3)
    assert set(params) == {"query", "sort", "size", "page"}
    assert json.loads(params["query"]) == query.to_dict()
    assert (params["sort"], params["size"], params["page"]) == ("extra,desc", 5, 3)
    assert "page" not in query.params(page=0)
    with pytest.raises(InvalidValue):
        q().limit_page_size(0)


def test_repr_does_no_io() -> None:
    node = FakeNode(3)
    text = repr(Query(node, C).filter(C.extra == 1).order_by("-extra"))
    assert "FakeEntity" in text and "EQUALS" in text and "extra,desc" in text
    assert node.calls == []


# ------------------------------------------------------------------------------------------- running
def test_all_is_lazy_and_every_page_carries_the_same_params() -> None:
    node = FakeNode(23)
    query = Query(node, C).filter(between_(C.extra, 0, 9) | in_("vip", C.tags.manual)).order_by("-extra")
    results = query.all(size=10)
    assert isinstance(results, PaginatedList)
    assert node.calls == []
    assert [e.id for e in results] == list(range(23))
    assert len(node.calls) == 3
    expected = query.params(size=10)
    for number, (entity, params) in enumerate(node.calls):
        assert entity is C
        assert params == ({**expected, "page": number} if number else expected)


def test_all_from_a_start_page() -> None:
    node = FakeNode(23)
    results = Query(node, C).all(page=2, size=5)
    assert [e.id for e in results] == list(range(10, 23))
    assert [p.get("page") for _, p in node.calls] == [2, 3, 4]
    assert all(p["size"] == 5 for _, p in node.calls)


def test_count_is_one_request_of_size_one() -> None:
    node = FakeNode(42)
    query = Query(node, C).filter(C.extra == 1).order_by("extra")
    assert query.count() == 42
    assert node.calls == [(C, {"query": query.params()["query"], "size": 1})]


def test_first_fetches_one_element() -> None:
    node = FakeNode(42)
    query = Query(node, C).order_by("-extra")
    first = query.first()
    assert first is not None and first.id == 0 and first.node is node
    assert node.calls == [(C, {"sort": "extra,desc", "size": 1})]
    assert Query(FakeNode(0), C).first() is None


def test_iterating_a_query_iterates_its_results() -> None:
    node = FakeNode(12)
    assert [e.id for e in Query(node, C)] == list(range(12))
    assert len(node.calls) == 2
