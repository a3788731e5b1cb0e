"""Every query operator, combination and paging path, run by the embedded hub (compiled to SQL there)."""

from __future__ import annotations

import datetime as dt

import pytest

from contacthub_like import Customer, OperationNotPermitted, Properties, between_, in_, not_in_

PEOPLE = [
    # externalId, firstName, lastName, dob, tags, extra, points
    ("p0", "Bruce", "Wayne", dt.date(1972, 2, 19), ["vip", "gold"], "0", 0),
    ("p1", "Diana", "Prince", dt.date(1985, 3, 22), ["vip"], "", 10),
    ("p2", "Clark", "Kent", dt.date(1978, 6, 18), [], "x", 20),
    ("p3", "Selina", None, dt.date(1994, 6, 10), ["gold"], None, 30),
    ("p4", "Thomas", "Wayne", dt.date(1950, 1, 1), ["churn"], "y", 40),
]


@pytest.fixture
def people(node):
    by_id = {}
    for ext, first, last, dob, tags, extra, points in PEOPLE:
        customer = Customer(
            node=node,
            externalId=ext,
            extra=extra,
            extended=Properties(points=points),
            base=Properties(firstName=first, lastName=last, dob=dob),
            tags=Properties(auto=[], manual=tags),
        ).post()
        by_id[customer.id] = ext
    return by_id


def _ext(query, people) -> set[str]:
    return {people[c.id] for c in query.all()}


@pytest.mark.parametrize(
    ("criterion", "expected"),
    [
        (Customer.base.firstName == "Bruce", {"p0"}),
        (Customer.base.firstName != "Bruce", {"p1", "p2", "p3", "p4"}),
        (Customer.base.dob > dt.datetime(1980, 1, 1), {"p1", "p3"}),
        (Customer.base.dob >= dt.date(1994, 6, 10), {"p3"}),
        (Customer.base.dob < dt.date(1972, 2, 19), {"p4"}),
        (Customer.base.dob <= dt.datetime(1994, 6, 10), {"p0", "p1", "p2", "p3", "p4"}),
        (in_("vip", Customer.tags.manual), {"p0", "p1"}),
        (not_in_("vip", Customer.tags.manual), {"p2", "p3", "p4"}),
        (in_(Customer.base.firstName, ["Bruce", "Clark"]), {"p0", "p2"}),
        (between_(Customer.base.dob, dt.datetime(1975, 1, 1), dt.datetime(1990, 1, 1)), {"p1", "p2"}),
        (between_(Customer.base.dob, "1950-01-01", "1972-12-31"), {"p0", "p4"}),
        (Customer.base.lastName == None, {"p3"}),  # noqa: E711 - the documented IS_NULL spelling
        (Customer.base.lastName != None, {"p0", "p1", "p2", "p4"}),  # noqa: E711
        (Customer.extra == "", {"p1"}),  # falsy values are sent, not dropped
        (Customer.extended.points == 0, {"p0"}),
        (Customer.extended.points > 15, {"p2", "p3", "p4"}),
        ((Customer.base.lastName == "Wayne") & in_("gold", Customer.tags.manual), {"p0"}),
        ((Customer.base.firstName == "Bruce") | (Customer.base.firstName == "Diana"), {"p0", "p1"}),
        (~((Customer.base.lastName == "Wayne") | (Customer.extended.points >= 30)), {"p1", "p2"}),
        (~between_(Customer.extended.points, 10, 30), {"p0", "p4"}),
    ],
)
def test_operator(node, people, criterion, expected):
    assert _ext(node.query(Customer).filter(criterion), people) == expected


def test_repeated_filter_ands(node, people):
    query = (
        node.query(Customer).filter(Customer.base.lastName == "Wayne").filter(Customer.extended.points > 0)
    )
    assert _ext(query, people) == {"p4"}


def test_combined_queries(node, people):
    waynes = node.query(Customer).filter(Customer.base.lastName == "Wayne")
    vips = node.query(Customer).filter(in_("vip", Customer.tags.manual))
    assert _ext(waynes & vips, people) == {"p0"}
    assert _ext(waynes | vips, people) == {"p0", "p1", "p4"}
    assert _ext(waynes - vips, people) == {"p4"}
    assert (waynes | vips).count() == 3
    with pytest.raises(OperationNotPermitted):
        (waynes & vips).filter(Customer.extra == "x")


def test_order_first_count_and_lazy_pages(node, people):
    query = node.query(Customer).order_by(-Customer.extended.points)
    assert [people[c.id] for c in query.all()] == ["p4", "p3", "p2", "p1", "p0"]
    assert people[node.query(Customer).order_by(Customer.base.dob).first().id] == "p4"
    assert node.query(Customer).count() == 5
    paged = node.query(Customer).order_by(Customer.base.dob).all(size=2)
    assert paged.total_pages == 3 and len(paged) == 5
    assert [people[c.id] for c in paged] == ["p4", "p0", "p2", "p1", "p3"]
    assert [people[c.id] for c in paged[1:3]] == ["p0", "p2"]


def test_documented_second_name_path_is_sent_and_matches_nothing(node, people):
    """The original documentation filters on base.secondName, which the schema lacks: no error, no match."""
    query = node.query(Customer).filter(
        (Customer.base.firstName == "Bruce") & (Customer.base.secondName == "Wayne")
    )
    assert list(query.all()) == []
