"""The StreamOne compilers without HTTP: what each criterion becomes, and that a split query selects
exactly what the whole query selects (hypothesis)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contacthub_like.errors import InvalidValue, UnsupportedQuery
from contacthub_like.query.criteria import EMPTY, Condition, Criterion, SortKey, all_of, any_of, between_, in_
from contacthub_like.query.evaluate import matcher
from contacthub_like.services.streamone.compiler import compile_v1, compile_v3
from contacthub_like.streamone import Customer, Invoice


def v1(
    where: Criterion = EMPTY, sort: tuple[SortKey, ...] = (), client_side: bool = False, **options: object
):
    return compile_v1(Invoice, where, sort, client_side=client_side, options=options)


def test_each_operator_has_its_modifier() -> None:
    compiled = v1(
        all_of(
            Invoice.status == "open",
            Invoice.total > Decimal("10.5"),
            Invoice.tax >= 1,
            Invoice.issueDate < date(2025, 1, 1),
            Invoice.id <= 99,
            Invoice.number.startswith("INV-"),
            between_(Invoice.billingStartDate, date(2024, 1, 1), date(2024, 1, 31)),
        ),
        (Invoice.id.desc(), Invoice.cloudUsed.asc()),
        relations=("lines", "customer"),
    )
    assert compiled.params == {
        "filter[status]": "open",
        "filter[total:gt]": "10.5",
        "filter[tax:gte]": 1,
        "filter[issueDate:lt]": "2025-01-01",
        "filter[id:lte]": 99,
        "filter[number:partial]": "INV-%",
        "filter[billingStartDate:gte]": "2024-01-01",
        "filter[billingStartDate:lte]": "2024-01-31",
        "sort[id]": "desc",
        "sort[cloudUsed]": "asc",
        "relations": "lines,customer",
    }
    assert list(compiled.params)[-3:] == ["sort[id]", "sort[cloudUsed]", "relations"]  # sort order kept
    assert compiled.client_filter is None


def test_negations_become_the_inverse_modifier_where_one_exists() -> None:
    assert v1(~(Invoice.total > 5)).params == {"filter[total:lte]": 5}


@pytest.mark.parametrize(
    "where, named",
    [
        ((Invoice.status == "a") | (Invoice.status == "b"), "status"),
        (Invoice.status != "open", "NOT_EQUALS"),
        (in_(Invoice.status, ["a", "b"]), "IN"),
        (~Invoice.number.like("X%"), "NOT_LIKE"),
        (Invoice.status == None, "IS_NULL"),  # noqa: E711 - the criteria language
    ],
)
def test_what_v1_cannot_express_is_refused_naming_the_part(where: Criterion, named: str) -> None:
    with pytest.raises(UnsupportedQuery, match=named) as refused:
        v1(where & (Invoice.id > 1))
    assert "client_side()" in str(refused.value)
    compiled = v1(where & (Invoice.id > 1), client_side=True)
    assert compiled.params == {"filter[id:gt]": 1} and compiled.client_side is not None


def test_a_second_condition_on_one_parameter_runs_client_side() -> None:
    compiled = v1((Invoice.id > 1) & (Invoice.id > 5), client_side=True)
    assert compiled.params == {"filter[id:gt]": 1}
    assert compiled.client_filter is not None and not compiled.client_filter({"id": 3})
    with pytest.raises(InvalidValue, match="twice"):
        v1(sort=(Invoice.id.asc(), Invoice.id.desc()))


def test_v3_filters_by_equality_on_declared_attributes_only() -> None:
    compiled = compile_v3(Customer, Customer.customerName == "John Doe", (), client_side=False, options={})
    assert compiled.params == {"filter.customerName": "John Doe"}
    with pytest.raises(UnsupportedQuery, match="customerEmail"):
        compile_v3(Customer, Customer.customerName > "J", (), client_side=False, options={})


# ------------------------------------------------------------------------ the split is exact
FIELDS = {
    "id": st.integers(0, 5),
    "status": st.sampled_from(["open", "draft", "Closed"]),
    "number": st.sampled_from(["INV-1", "inv-2", "X"]),
}
PATHS = {"id": Invoice.id, "status": Invoice.status, "number": Invoice.number}


@st.composite
def conditions(draw: st.DrawFn) -> Criterion:
    name = draw(st.sampled_from(sorted(FIELDS)))
    path, value = PATHS[name], draw(FIELDS[name])
    op = draw(
        st.sampled_from(
            ["==", "!=", ">", ">=", "<", "<=", "in", "like"]
            if name != "id"
            else ["==", "!=", ">", ">=", "<", "<=", "in"]
        )
    )
    if op == "like":
        return path.like(draw(st.sampled_from(["INV%", "%1", "x", "%"])))
    if op == "in":
        return in_(path, [value, draw(FIELDS[name])])
    return {
        "==": path == value,
        "!=": path != value,
        ">": path > value,
        ">=": path >= value,
        "<": path < value,
        "<=": path <= value,
    }[op]


criteria = st.recursive(
    conditions(),
    lambda inner: st.one_of(
        st.lists(inner, min_size=2, max_size=3).map(lambda cs: all_of(*cs)),
        st.lists(inner, min_size=2, max_size=3).map(lambda cs: any_of(*cs)),
        inner.map(lambda c: ~c),
    ),
    max_leaves=6,
)
documents = st.fixed_dictionaries({name: strategy for name, strategy in FIELDS.items()})


def _server(params: dict[str, object]) -> Criterion:
    """What the server does with the compiled filters, written back as criteria."""
    ops = {None: "__eq__", "gt": "__gt__", "gte": "__ge__", "lt": "__lt__", "lte": "__le__"}
    parts = []
    for key, value in params.items():
        field, _, modifier = key[len("filter[") : -1].partition(":")
        path = PATHS[field]
        if modifier == "partial":
            parts.append(path.like(str(value)))
        else:
            parts.append(
                Condition(
                    path,
                    {None: "EQUALS", "gt": "GT", "gte": "GTE", "lt": "LT", "lte": "LTE"}[modifier or None],
                    value,
                    encoded=True,
                )
            )
    assert ops  # every modifier the compiler emits is one the server knows
    return all_of(*parts)


@given(criteria, st.lists(documents, max_size=8))
def test_server_part_and_client_part_select_exactly_what_the_query_selects(
    where: Criterion, docs: list[dict[str, object]]
) -> None:
    compiled = v1(where, client_side=True)
    server = matcher(_server(dict(compiled.params)))
    client = compiled.client_filter or (lambda d: True)
    whole = matcher(where)
    assert [d for d in docs if server(d) and client(d)] == [d for d in docs if whole(d)]


def test_the_documented_split_of_a_client_side_query() -> None:
    """docs/streamone.rst, "v1: invoices and customers": the explain() output shown there."""
    from contacthub_like.streamone import StreamOne

    ion = StreamOne(host="https://ion.example", api_key="k", api_secret="s")
    query = ion.query(Invoice).filter(
        ((Invoice.status == "open") | (Invoice.status == "draft")), Invoice.total > 100
    )
    assert query.client_side().explain() == {
        "method": "GET",
        "path": "/api/v1/invoices/myinvoices",
        "params": {"filter[total:gt]": 100, "offset": 0, "limit": 100},
        "client_side": "(<Condition status EQUALS 'open'> | <Condition status EQUALS 'draft'>)",
    }
    ion.close()


def test_the_hub_refuses_text_patterns() -> None:
    """docs/querying.rst: the hub has no text patterns."""
    from contacthub_like import Customer as HubCustomer
    from contacthub_like.services.contacthub.compiler import compile_condition

    with pytest.raises(UnsupportedQuery, match="no text patterns"):
        compile_condition(HubCustomer.base.firstName.like("Br%"))


def test_like_matches_case_insensitively_and_without_percent_anywhere() -> None:
    assert matcher(Invoice.number.like("inv-%"))({"number": "INV-1"})
    assert not matcher(Invoice.number.like("inv-%"))({"number": "X-INV-1"})
    assert matcher(Invoice.number.like("nv"))({"number": "INV-1"})
    assert matcher(~Invoice.number.like("X%"))({})  # absent values are not like anything
    with pytest.raises(InvalidValue, match="without '%'"):
        Invoice.number.startswith("a%")
