"""The documentation's claims, checked against the code with strict HTTP mocks.

Each test mirrors a snippet or a sentence of ``docs/``; if one fails, the page
that makes the claim must change with the code.
"""

from __future__ import annotations

import datetime as dt

import pytest
import responses
from responses import matchers

from contacthub_like import Customer, OperationNotPermitted, Workspace, between_, in_

ROOT = "https://hub.example/hub/v1/workspaces/ws1"


@pytest.fixture
def node():
    with Workspace("ws1", "tok", base_url="https://hub.example/hub/v1/workspaces") as workspace:
        yield workspace.get_node("n1")


def _page(number: int, size: int, total: int) -> dict:
    start = number * size
    elements = [{"id": f"c{i}"} for i in range(start, min(total, start + size))]
    pages = -(-total // size)
    return {
        "elements": elements,
        "page": {
            "size": size,
            "totalElements": total,
            "totalUnfilteredElements": total,
            "totalPages": pages,
            "number": number,
        },
    }


def test_querying_falsy_values_and_utc(node):
    # querying.rst: falsy values are kept; aware datetimes go out in UTC
    assert node.query(Customer).filter(Customer.extra == 0).to_dict() == {
        "name": "query",
        "query": {
            "type": "simple",
            "name": "query",
            "are": {"condition": {"type": "atomic", "attribute": "extra", "operator": "EQUALS", "value": 0}},
        },
    }
    when = dt.datetime(2020, 1, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    condition = (
        node.query(Customer).filter(Customer.registeredAt > when).to_dict()["query"]["are"]["condition"]
    )
    assert condition["value"] == "2020-01-01T08:00:00Z"


def test_querying_not_between_is_lt_or_gt(node):
    crit = ~between_(Customer.base.dob, dt.date(1980, 1, 1), "1990-01-01")
    condition = node.query(Customer).filter(crit).to_dict()["query"]["are"]["condition"]
    assert condition["conjunction"] == "or"
    assert [(c["operator"], c["value"]) for c in condition["conditions"]] == [
        ("LT", "1980-01-01"),
        ("GT", "1990-01-01"),
    ]


def test_criteria_refuse_truth_value():
    with pytest.raises(TypeError):
        bool(Customer.base.firstName == "Bruce")
    assert in_("vip", Customer.tags.manual).value == "vip"


def test_usage_page_is_honoured_and_lazy(node):
    # usage.rst / querying.rst: get_customers(page=2, size=5) starts at page 2; len(), count(), elements
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        rsps.get(
            f"{ROOT}/customers",
            json=_page(2, 5, 22),
            match=[matchers.query_param_matcher({"nodeId": "n1", "size": "5", "page": "2"})],
        )
        customers = node.get_customers(page=2, size=5)
        assert len(rsps.calls) == 0
        assert customers.page_number == 2
        assert len(customers) == 12 and customers.count() == 22
        assert [c.id for c in customers.elements] == ["c10", "c11", "c12", "c13", "c14"]
        assert len(rsps.calls) == 1
        with pytest.raises(OperationNotPermitted):
            customers.append(None)


def test_tracking_bodies():
    # tracking.rst: the table of edits and PATCH bodies
    doc = {
        "id": "c1",
        "extra": "x",
        "base": {
            "firstName": "Bruce",
            "dob": "1980-02-19",
            "contacts": {"email": "b@w.example", "phone": "123", "otherContacts": [], "mobileDevices": []},
        },
        "extended": {"a": {"b": 1}},
        "tags": {"auto": [], "manual": ["a"]},
    }
    customer = Customer.from_dict(None, doc)
    customer.base.firstName = "Bruce"
    customer.base.dob = "1980-02-19"
    assert customer.get_mutation_tracker() == {"id": "c1"}
    customer.tags.manual.append("vip")
    customer.base.contacts.email = "bruce@wayne.example"
    del customer.extra
    assert customer.get_mutation_tracker() == {
        "id": "c1",
        "tags": {"manual": ["a", "vip"]},
        "base": {"contacts": {"email": "bruce@wayne.example"}},
        "extra": None,
    }
    assert doc["tags"]["manual"] == ["a"]  # the hub's document is never modified
