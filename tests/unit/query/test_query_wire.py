"""Queries and paginated lists over real HTTP requests (``requests`` + ``responses``).

A tiny node issues ``GET /workspaces/ws/customers`` with ``nodeId`` plus the
parameters the query layer hands it, so these tests pin the exact ``query``
string, ``page``, ``size`` and ``sort`` on the wire and count requests to prove
laziness. Any request not registered here fails the test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from query_fakes import ContactHubPages, envelope
from query_fakes import FakeEntity as Customer
from responses import matchers

from contacthub_like.query import PaginatedList, Query, between_, in_

BASE = "https://hub.test/hub/v1"
URL = f"{BASE}/workspaces/ws/customers"
NODE_ID = "node-1"


class WireNode(ContactHubPages):
    """Just enough of a node: ``fetch_page`` over HTTP, and a ``get_customers`` paging like the real one."""

    def __init__(self, session: requests.Session) -> None:
        self.session = session

    def fetch_page(self, entity_cls: Any, params: dict[str, Any]) -> dict[str, Any]:
        url = f"{BASE}/workspaces/ws/{entity_cls._meta.collection}"
        response = self.session.get(url, params={"nodeId": NODE_ID, **params}, timeout=5)
        response.raise_for_status()
        return response.json()

    def query(self, entity: Any) -> Query:
        return Query(self, entity)

    def get_customers(self, page: int | None = None, size: int | None = None) -> PaginatedList[Customer]:
        params: dict[str, Any] = {} if size is None else {"size": size}

        def fetch(number: int) -> dict[str, Any]:
            return self.fetch_page(Customer, {**params, "page": number} if number else params)

        return PaginatedList(fetch, lambda d: Customer.from_dict(self, d), start_page=page or 0, size=size)


@pytest.fixture
def hub() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


@pytest.fixture
def node() -> Iterator[WireNode]:
    with requests.Session() as session:
        yield WireNode(session)


def serve(hub: responses.RequestsMock, params: dict[str, Any], body: dict[str, Any]) -> None:
    """Answer exactly one parameter set (nodeId added); anything else is an unexpected request."""
    hub.get(URL, json=body, match=[matchers.query_param_matcher({"nodeId": NODE_ID, **params})])


def sent(hub: responses.RequestsMock, index: int) -> dict[str, list[str]]:
    call = hub.calls[index]
    assert call.request.method == "GET"
    assert call.request.url is not None
    assert call.request.url.split("?")[0] == URL
    return parse_qs(urlsplit(call.request.url).query, keep_blank_values=True)


BRUCE_WAYNE = (
    '{"name": "query", "query": {"type": "simple", "name": "query", "are": {"condition": '
    '{"type": "composite", "conditions": ['
    '{"type": "atomic", "attribute": "base.firstName", "operator": "EQUALS", "value": "Bruce"}, '
    '{"type": "atomic", "attribute": "base.lastName", "operator": "EQUALS", "value": "Wayne"}], '
    '"conjunction": "and"}}}}'
)


def test_documented_query_is_lazy_and_follow_up_pages_carry_the_query(hub, node) -> None:
    results = (
        node.query(Customer)
        .filter((Customer.base.firstName == "Bruce") & (Customer.base.lastName == "Wayne"))
        .all()
    )
    assert len(hub.calls) == 0
    serve(hub, {"query": BRUCE_WAYNE}, envelope(list(range(10)), number=0, size=10, total=13))
    serve(hub, {"query": BRUCE_WAYNE, "page": 1}, envelope([10, 11, 12], number=1, size=10, total=13))
    assert [c.id for c in results] == list(range(13))
    assert len(hub.calls) == 2
    assert sent(hub, 0) == {"nodeId": [NODE_ID], "query": [BRUCE_WAYNE]}
    assert sent(hub, 1) == {"nodeId": [NODE_ID], "query": [BRUCE_WAYNE], "page": ["1"]}
    assert all(c.node is node for c in results)
    list(results)
    assert len(hub.calls) == 2  # cached


def test_get_customers_really_starts_at_the_page_asked(hub, node) -> None:
    customers = node.get_customers(page=2, size=5)
    assert len(hub.calls) == 0
    assert customers.page_number == 2
    serve(hub, {"size": 5, "page": 2}, envelope(list(range(10, 15)), number=2, size=5, total=23))
    serve(hub, {"size": 5, "page": 3}, envelope(list(range(15, 20)), number=3, size=5, total=23))
    serve(hub, {"size": 5, "page": 4}, envelope(list(range(20, 23)), number=4, size=5, total=23))
    assert [c.id for c in customers] == list(range(10, 23))
    assert [sent(hub, i)["page"] for i in range(3)] == [["2"], ["3"], ["4"]]
    assert customers.total_elements == 23 and customers.total_pages == 5 and customers.size == 5
    assert len(hub.calls) == 3


def test_len_fetches_only_the_start_page_and_slices_only_what_they_need(hub, node) -> None:
    customers = node.get_customers(size=5)
    serve(hub, {"size": 5}, envelope(list(range(5)), number=0, size=5, total=23))
    assert len(customers) == 23
    assert len(hub.calls) == 1
    serve(hub, {"size": 5, "page": 2}, envelope(list(range(10, 15)), number=2, size=5, total=23))
    assert [c.id for c in customers[11:14]] == [11, 12, 13]
    assert len(hub.calls) == 2
    assert customers[-23].id == 0 and customers[12].id == 12
    assert len(hub.calls) == 2
    with pytest.raises(IndexError):
        customers[23]
    assert len(hub.calls) == 2


def test_index_fetches_its_page_only(hub, node) -> None:
    customers = node.get_customers(size=5)
    serve(hub, {"size": 5, "page": 4}, envelope([20, 21, 22], number=4, size=5, total=23))
    assert customers[21].id == 21
    assert len(hub.calls) == 1


def test_sort_size_and_query_are_repeated_on_every_page(hub, node) -> None:
    query = (
        node.query(Customer)
        .filter(Customer.extra == 0)
        .order_by(Customer.base.lastName, -Customer.base.firstName)
    )
    expected_query = (
        '{"name": "query", "query": {"type": "simple", "name": "query", "are": {"condition": '
        '{"type": "atomic", "attribute": "extra", "operator": "EQUALS", "value": 0}}}}'
    )
    sort = ["base.lastName,asc", "base.firstName,desc"]
    results = query.all(size=2)
    serve(
        hub, {"query": expected_query, "sort": sort, "size": 2}, envelope([0, 1], number=0, size=2, total=3)
    )
    serve(
        hub,
        {"query": expected_query, "sort": sort, "size": 2, "page": 1},
        envelope([2], number=1, size=2, total=3),
    )
    assert [c.id for c in results] == [0, 1, 2]
    for index in range(2):
        params = sent(hub, index)
        assert params["sort"] == sort  # one field per repeated ``sort`` parameter
        assert params["query"] == [expected_query] and params["size"] == ["2"]


def test_count_is_one_request_of_size_one(hub, node) -> None:
    query = node.query(Customer).filter(in_("vip", Customer.tags.manual)).order_by("-base.lastName")
    expected_query = (
        '{"name": "query", "query": {"type": "simple", "name": "query", "are": {"condition": '
        '{"type": "atomic", "attribute": "tags.manual", "operator": "IN", "value": "vip"}}}}'
    )
    serve(hub, {"query": expected_query, "size": 1}, envelope([0], number=0, size=1, total=57))
    assert query.count() == 57
    assert len(hub.calls) == 1


def test_first_is_one_request_of_size_one(hub, node) -> None:
    query = node.query(Customer).order_by("-base.lastName")
    serve(hub, {"sort": "base.lastName,desc", "size": 1}, envelope([7], number=0, size=1, total=57))
    first = query.first()
    assert first is not None and first.id == 7
    assert len(hub.calls) == 1


def test_combined_query_and_between_on_the_wire(hub, node) -> None:
    q1 = node.query(Customer).filter(between_(Customer.registeredAt, dt.datetime(2011, 12, 11), "2015-12-11"))
    q2 = node.query(Customer).filter(Customer.base.firstName != None)  # noqa: E711
    expected = (
        '{"name": "query", "query": {"type": "combined", "name": "query", "conjunction": "UNION", '
        '"queries": ['
        '{"type": "simple", "name": "query", "are": {"condition": {"type": "atomic", "attribute": '
        '"registeredAt", "operator": "BETWEEN", "value": ["2011-12-11T00:00:00Z", "2015-12-11"]}}}, '
        '{"type": "simple", "name": "query", "are": {"condition": {"type": "atomic", "attribute": '
        '"base.firstName", "operator": "IS_NOT_NULL"}}}]}}'
    )
    serve(hub, {"query": expected}, envelope([], number=0, size=10, total=0))
    results = (q1 | q2).all()
    assert list(results) == [] and len(results) == 0
    assert len(hub.calls) == 1


def test_navigation_requests(hub, node) -> None:
    customers = node.get_customers(size=5)
    serve(hub, {"size": 5}, envelope(list(range(5)), number=0, size=5, total=12))
    serve(hub, {"size": 5, "page": 1}, envelope(list(range(5, 10)), number=1, size=5, total=12))
    second = customers.next_page()
    assert [c.id for c in second.elements] == [5, 6, 7, 8, 9]
    assert [c.id for c in second.previous_page().elements] == [0, 1, 2, 3, 4]
    assert len(hub.calls) == 2
