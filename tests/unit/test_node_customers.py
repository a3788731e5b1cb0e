"""Customer verbs on the wire: listing, lookup, create (with force update), PATCH/PUT, delete, tags.

Every request is declared on the strict fake hub with its exact parameters and
JSON body; the tests also count requests to show what is *not* sent.
"""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from helpers import NODE_ID, FakeHub, customer_doc, envelope, hub_fixture, node_fixture, workspace_fixture  # noqa: F401

from contacthub_like import (
    Conflict,
    Customer,
    InvalidValue,
    NotFound,
    OperationNotPermitted,
    PaginatedList,
    Properties,
    Query,
    TagNotFound,
    between_,
    in_,
    not_in_,
)
from contacthub_like.services.contacthub.workspace import Node

READ_ONLY = ("id", "registeredAt", "updatedAt")
CONFLICT = {
    "message": "Conflict with exiting customer c-9",
    "logref": "5c38ce36-3069-4ad6-9dee-04adc6c483c6",
    "data": {"customer": {"id": "c-9", "href": "https://hub.test/hub/v1/workspaces/ws-1/customers/c-9"}},
    "errors": [],
}


def writable(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k not in READ_ONLY}


@pytest.fixture
def bruce(node: Node) -> Customer:
    return Customer.from_dict(node, customer_doc())


# ------------------------------------------------------------------------------------ get_customers


def test_get_customers_sends_only_node_id_by_default(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/customers", params={"nodeId": NODE_ID}, reply=envelope([customer_doc()]))
    customers = node.get_customers()
    assert hub.count == 0  # lazy
    assert isinstance(customers, PaginatedList)
    names = [c.base.firstName for c in customers]
    assert names == ["Bruce"]
    assert isinstance(customers[0], Customer)
    assert customers[0].node is node
    assert hub.count == 1


def test_get_customers_page_and_size_are_sent(node: Node, hub: FakeHub) -> None:
    docs = [customer_doc(id=f"c-{i}") for i in range(10, 15)]
    hub.expect(
        "GET",
        "/customers",
        params={"nodeId": NODE_ID, "page": 2, "size": 5},
        reply=envelope(docs, number=2, size=5, total=50),
    )
    customers = node.get_customers(size=5, page=2)
    assert customers.page_number == 2
    assert [c.id for c in customers.elements] == [f"c-{i}" for i in range(10, 15)]
    assert customers.size == 5
    assert customers.total_elements == 50
    assert customers.total_pages == 10


def test_get_customers_fields_are_comma_joined(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "GET",
        "/customers",
        params={"nodeId": NODE_ID, "fields": "base.firstName,base.lastName"},
        reply=envelope([{"id": "c-1", "base": {"firstName": "Bruce", "lastName": "Wayne"}}]),
    )
    (only,) = list(node.get_customers(fields=["base.firstName", "base.lastName"]))
    assert (only.base.firstName, only.base.lastName) == ("Bruce", "Wayne")


def test_get_customers_sort(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "GET", "/customers", params={"nodeId": NODE_ID, "sort": "base.lastName,desc"}, reply=envelope([])
    )
    assert list(node.get_customers(sort="base.lastName,desc")) == []


def test_get_customers_several_sort_keys_repeat_the_parameter(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "GET",
        "/customers",
        params={"nodeId": NODE_ID, "sort": ["base.lastName,asc", "base.firstName,desc"]},
        reply=envelope([]),
    )
    assert list(node.get_customers(sort=["base.lastName,asc", "base.firstName,desc"])) == []


def test_get_customers_by_external_id_one_match_is_a_customer(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "GET", "/customers", params={"nodeId": NODE_ID, "externalId": "01"}, reply=envelope([customer_doc()])
    )
    customer = node.get_customers(external_id="01")
    assert isinstance(customer, Customer)
    assert customer.id == "c-1"


def test_get_customers_by_external_id_several_matches_is_a_list(node: Node, hub: FakeHub) -> None:
    docs = [customer_doc(id="c-1"), customer_doc(id="c-2")]
    hub.expect("GET", "/customers", params={"nodeId": NODE_ID, "externalId": "01"}, reply=envelope(docs))
    customers = node.get_customers(external_id="01")
    assert isinstance(customers, PaginatedList)
    assert [c.id for c in customers] == ["c-1", "c-2"]
    assert hub.count == 1


# ------------------------------------------------------------------------------------ get_customer


def test_get_customer_by_id(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/customers/c-1", reply=customer_doc())
    customer = node.get_customer(id="c-1")
    assert customer.id == "c-1"
    assert customer.base.contacts.email == "bruce@wayne.test"
    assert customer.base.dob == dt.date(1980, 4, 17)
    assert customer.registeredAt == dt.datetime(2017, 3, 9, 11, 31, 31, 842000, tzinfo=dt.timezone.utc)


def test_get_customer_unknown_id_is_not_found(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "GET",
        "/customers/nope",
        status=404,
        reply={"message": "customer not found", "logref": "l", "data": None, "errors": []},
    )
    with pytest.raises(NotFound):
        node.get_customer(id="nope")


def test_get_customer_by_external_id(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "GET",
        "/customers",
        params={"nodeId": NODE_ID, "externalId": "02", "size": 2},
        reply=envelope([customer_doc(externalId="02")], size=2),
    )
    assert node.get_customer(external_id="02").externalId == "02"


def test_get_customer_by_external_id_without_match(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "GET",
        "/customers",
        params={"nodeId": NODE_ID, "externalId": "02", "size": 2},
        reply=envelope([], size=2),
    )
    with pytest.raises(NotFound):
        node.get_customer(external_id="02")


def test_get_customer_by_external_id_with_two_matches(node: Node, hub: FakeHub) -> None:
    docs = [customer_doc(id="c-1"), customer_doc(id="c-2")]
    hub.expect(
        "GET",
        "/customers",
        params={"nodeId": NODE_ID, "externalId": "02", "size": 2},
        reply=envelope(docs, size=2, total=3),
    )
    with pytest.raises(InvalidValue) as info:
        node.get_customer(external_id="02")
    assert "get_customers(external_id" in str(info.value)


def test_get_customer_needs_exactly_one_key(node: Node, hub: FakeHub) -> None:
    with pytest.raises(ValueError):  # as in the original SDK
        node.get_customer()
    with pytest.raises(ValueError):
        node.get_customer(id="c-1", external_id="e")
    assert hub.count == 0


# ------------------------------------------------------------------------------------ add_customer


STRUCT = {
    "externalId": "01",
    "extra": "extra",
    "base": {
        "timezone": "Europe/Rome",
        "firstName": "Bruce",
        "lastName": "Wayne",
        "contacts": {"email": "email@email.com"},
    },
}


def test_add_customer_sends_attributes_plus_node_id(node: Node, hub: FakeHub) -> None:
    created = customer_doc(id="c-new")
    hub.expect("POST", "/customers", body={**STRUCT, "nodeId": NODE_ID}, status=201, reply=created)
    customer = node.add_customer(**STRUCT)
    assert isinstance(customer, Customer)
    assert customer.id == "c-new"
    assert customer.node is node


def test_add_customer_drops_read_only_keys(node: Node, hub: FakeHub) -> None:
    hub.expect("POST", "/customers", body={**STRUCT, "nodeId": NODE_ID}, reply=customer_doc())
    node.add_customer(**STRUCT, id="x", registeredAt="2017-03-09T11:31:31.842+0000", updatedAt=None)


def test_add_customer_conflict_without_force_update_raises(node: Node, hub: FakeHub) -> None:
    hub.expect("POST", "/customers", body={**STRUCT, "nodeId": NODE_ID}, status=409, reply=CONFLICT)
    with pytest.raises(Conflict) as info:
        node.add_customer(**STRUCT)
    assert info.value.existing_id == "c-9"
    assert hub.count == 1


@pytest.mark.parametrize("flag", ["force_update", "forceUpdate"])
def test_add_customer_force_update_patches_the_existing_customer(node: Node, hub: FakeHub, flag: str) -> None:
    hub.expect("POST", "/customers", body={**STRUCT, "nodeId": NODE_ID}, status=409, reply=CONFLICT)
    hub.expect("PATCH", "/customers/c-9", body=STRUCT, reply=customer_doc(id="c-9"))
    customer = node.add_customer(**STRUCT, **{flag: True})
    assert customer.id == "c-9"


# ------------------------------------------------------------------------------------ update / delete


def test_update_customer_patches_exactly_the_given_attributes(node: Node, hub: FakeHub) -> None:
    mutations = {"base": {"contacts": {"email": "another@example.com"}}}
    hub.expect("PATCH", "/customers/c-1", body=mutations, reply=customer_doc())
    updated = node.update_customer(id="c-1", **mutations)
    assert isinstance(updated, Customer)


def test_update_customer_patch_keeps_none_as_null(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "PATCH", "/customers/c-1", body={"extra": None, "base": {"pictureUrl": None}}, reply=customer_doc()
    )
    node.update_customer(id="c-1", extra=None, base={"pictureUrl": None})


def test_update_customer_with_mutation_tracker(node: Node, hub: FakeHub, bruce: Customer) -> None:
    bruce.base.contacts.email = "another@example.com"
    hub.expect(
        "PATCH",
        "/customers/c-1",
        body={"base": {"contacts": {"email": "another@example.com"}}},
        reply=customer_doc(),
    )
    node.update_customer(**bruce.get_mutation_tracker())


def test_update_customer_full_update_puts_the_whole_customer(
    node: Node, hub: FakeHub, bruce: Customer
) -> None:
    bruce.base.contacts.email = "another@example.com"
    expected = {"id": "c-1", **writable(customer_doc())}  # PUT names the customer it replaces
    expected["base"]["contacts"]["email"] = "another@example.com"
    hub.expect("PUT", "/customers/c-1", body=expected, reply=customer_doc())
    node.update_customer(**bruce.to_dict(), full_update=True)


def test_update_customer_needs_an_id(node: Node, hub: FakeHub) -> None:
    with pytest.raises(TypeError):
        node.update_customer(extra="x")
    assert hub.count == 0


def test_delete_customer_returns_the_deleted_customer(node: Node, hub: FakeHub) -> None:
    hub.expect("DELETE", "/customers/c-1", reply=customer_doc())
    deleted = node.delete_customer(id="c-1")
    assert isinstance(deleted, Customer) and deleted.id == "c-1"


def test_delete_customer_accepts_an_empty_answer(node: Node, hub: FakeHub, bruce: Customer) -> None:
    hub.expect("DELETE", "/customers/c-1", raw="")
    assert node.delete_customer(**bruce.to_dict()) is None


# ------------------------------------------------------------------------------------ active record


def test_customer_post_sends_the_template_and_the_changes(node: Node, hub: FakeHub) -> None:
    customer = Customer(node=node)
    customer.base.contacts.email = "myemail@email.com"
    customer.extra = "extra"
    customer.extended.my_string = "my new extended property string"
    expected = {
        "nodeId": NODE_ID,
        "base": {"contacts": {"email": "myemail@email.com"}},
        "extra": "extra",
        "extended": {"my_string": "my new extended property string"},
        "consents": {},
        "tags": {"auto": [], "manual": []},
    }
    hub.expect("POST", "/customers", body=expected, status=201, reply=customer_doc(id="c-new"))
    assert customer.post() is customer
    assert customer.id == "c-new"
    assert customer.get_mutation_tracker() == {"id": "c-new"}  # the answer is the new baseline


def test_customer_post_force_update(node: Node, hub: FakeHub) -> None:
    customer = Customer(node=node, default_attributes={}, **STRUCT)
    hub.expect("POST", "/customers", body={**STRUCT, "nodeId": NODE_ID}, status=409, reply=CONFLICT)
    hub.expect("PATCH", "/customers/c-9", body=STRUCT, reply=customer_doc(id="c-9"))
    customer.post(forceUpdate=True)
    assert customer.id == "c-9"


def test_customer_put(hub: FakeHub, bruce: Customer) -> None:
    bruce.base.firstName = "Batman"
    expected = {"id": "c-1", **writable(customer_doc())}
    expected["base"]["firstName"] = "Batman"
    hub.expect("PUT", "/customers/c-1", body=expected, reply=customer_doc())
    bruce.put()


def test_customer_delete(hub: FakeHub, bruce: Customer) -> None:
    hub.expect("DELETE", "/customers/c-1", reply=customer_doc())
    bruce.delete()


def test_customer_refresh_drops_local_changes(hub: FakeHub, bruce: Customer) -> None:
    bruce.extra = "local"
    hub.expect("GET", "/customers/c-1", reply=customer_doc(extra="remote"))
    bruce.refresh()
    assert bruce.extra == "remote"
    assert bruce.get_mutation_tracker() == {"id": "c-1"}


def test_patch_without_changes_sends_nothing(hub: FakeHub, bruce: Customer) -> None:
    _ = bruce.base.firstName, bruce.base.contacts.otherContacts  # reading is not changing
    bruce.extra = "extra"  # same value as the hub's
    assert bruce.patch() is bruce
    assert hub.count == 0


def test_patch_then_patch_again_sends_nothing(hub: FakeHub, bruce: Customer) -> None:
    bruce.extra = "new"
    hub.expect("PATCH", "/customers/c-1", body={"extra": "new"}, reply=customer_doc(extra="new"))
    bruce.patch()
    bruce.patch()
    assert hub.count == 1


def test_patch_catches_in_place_append_on_tags(hub: FakeHub, bruce: Customer) -> None:
    bruce.tags.manual.append("new")
    hub.expect("PATCH", "/customers/c-1", body={"tags": {"manual": ["vip", "new"]}}, reply=customer_doc())
    bruce.patch()


def test_patch_nested_edit_sends_a_nested_minimal_body(hub: FakeHub, bruce: Customer) -> None:
    bruce.base.contacts.email = "new@wayne.test"
    bruce.extended.loyalty.points = 11
    hub.expect(
        "PATCH",
        "/customers/c-1",
        body={"base": {"contacts": {"email": "new@wayne.test"}}, "extended": {"loyalty": {"points": 11}}},
        reply=customer_doc(),
    )
    bruce.patch()


def test_patch_assigning_none_sends_null(hub: FakeHub, bruce: Customer) -> None:
    bruce.base.lastName = None
    bruce.extra = None
    hub.expect(
        "PATCH", "/customers/c-1", body={"base": {"lastName": None}, "extra": None}, reply=customer_doc()
    )
    bruce.patch()


def test_patch_replacing_a_sub_object_nulls_the_removed_keys(hub: FakeHub, bruce: Customer) -> None:
    bruce.base.address = Properties(city="Milan", country="IT")
    hub.expect(
        "PATCH",
        "/customers/c-1",
        body={
            "base": {"address": {"street": None, "city": "Milan", "country": "IT", "zip": None, "geo": None}}
        },
        reply=customer_doc(),
    )
    bruce.patch()


def test_patch_list_edit_resends_the_whole_list(hub: FakeHub, bruce: Customer) -> None:
    bruce.base.contacts.otherContacts[0].type = "MOBILE"
    hub.expect(
        "PATCH",
        "/customers/c-1",
        body={
            "base": {"contacts": {"otherContacts": [{"name": "office", "type": "MOBILE", "value": "123"}]}}
        },
        reply=customer_doc(),
    )
    bruce.patch()


def test_patch_list_plus_equals_resends_the_whole_list(hub: FakeHub, bruce: Customer) -> None:
    bruce.base.likes += [Properties(id="l-1", name="bats", category="animals")]
    hub.expect(
        "PATCH",
        "/customers/c-1",
        body={"base": {"likes": [{"id": "l-1", "name": "bats", "category": "animals"}]}},
        reply=customer_doc(),
    )
    bruce.patch()


def test_read_only_fields_cannot_be_assigned_and_are_never_sent(
    node: Node, hub: FakeHub, bruce: Customer
) -> None:
    with pytest.raises(InvalidValue):
        bruce.registeredAt = dt.datetime(2020, 1, 1)
    with pytest.raises(InvalidValue):
        bruce.id = "other"
    assert bruce.patch() is bruce
    assert hub.count == 0
    tracker = bruce.get_mutation_tracker()
    assert set(tracker) == {"id"}


def test_dates_and_datetimes_on_the_wire(hub: FakeHub, bruce: Customer) -> None:
    bruce.base.dob = dt.date(1994, 6, 10)
    rome = dt.timezone(dt.timedelta(hours=2))
    bruce.consents.disclaimer = Properties(date=dt.datetime(2020, 5, 1, 12, 30, tzinfo=rome), version="v1")
    hub.expect(
        "PATCH",
        "/customers/c-1",
        body={
            "base": {"dob": "1994-06-10"},
            "consents": {"disclaimer": {"date": "2020-05-01T10:30:00Z", "version": "v1"}},
        },
        reply=customer_doc(),
    )
    bruce.patch()


def test_datetime_given_for_a_date_field_is_sent_as_a_date(hub: FakeHub, bruce: Customer) -> None:
    bruce.base.dob = dt.datetime(1994, 6, 10, 23, 0)
    hub.expect("PATCH", "/customers/c-1", body={"base": {"dob": "1994-06-10"}}, reply=customer_doc())
    bruce.patch()


# ------------------------------------------------------------------------------------ tags


def test_add_tag(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/customers/c-1", reply=customer_doc())
    hub.expect("PATCH", "/customers/c-1", body={"tags": {"manual": ["vip", "new"]}}, reply=customer_doc())
    node.add_tag("c-1", "new")


def test_add_tag_already_present_sends_no_write(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/customers/c-1", reply=customer_doc())
    node.add_tag("c-1", "vip")
    assert hub.count == 1


def test_add_tag_to_a_customer_without_tags(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/customers/c-1", reply=customer_doc(tags=None))
    hub.expect(
        "PATCH", "/customers/c-1", body={"tags": {"auto": [], "manual": ["new"]}}, reply=customer_doc()
    )
    node.add_tag("c-1", "new")


def test_remove_tag(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/customers/c-1", reply=customer_doc(tags={"auto": [], "manual": ["vip", "old"]}))
    hub.expect("PATCH", "/customers/c-1", body={"tags": {"manual": ["vip"]}}, reply=customer_doc())
    node.remove_tag("c-1", "old")


def test_remove_missing_tag_raises_tag_not_found(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/customers/c-1", reply=customer_doc())
    with pytest.raises(TagNotFound) as info:
        node.remove_tag("c-1", "missing")
    assert isinstance(info.value, ValueError)
    assert hub.count == 1


# ------------------------------------------------------------------------------------ queries
# The ``query`` parameter is compared as the exact string the original SDK sent (key order of
# research §5, json.dumps default separators), so both content and shape are pinned.


def simple(condition: dict) -> dict:
    return {"type": "simple", "name": "query", "are": {"condition": condition}}


def atomic(attribute: str, operator: str, *value: object) -> dict:
    out: dict = {"type": "atomic", "attribute": attribute, "operator": operator}
    if value:
        out["value"] = value[0]
    return out


def composite(conjunction: str, *conditions: dict) -> dict:
    return {"type": "composite", "conditions": list(conditions), "conjunction": conjunction}


def query_param(inner: dict) -> str:
    return json.dumps({"name": "query", "query": inner})


def run_query(node: Node, hub: FakeHub, query: Query, inner: dict) -> list:
    hub.expect(
        "GET",
        "/customers",
        params={"nodeId": NODE_ID, "query": query_param(inner)},
        reply=envelope([customer_doc()]),
    )
    return list(query.all())


BRUCE = atomic("base.firstName", "EQUALS", "Bruce")
WAYNE = atomic("base.lastName", "EQUALS", "Wayne")


QUERY_CASES = [
    ("equals", lambda: Customer.base.firstName == "Bruce", BRUCE),
    (
        "not-equals",
        lambda: Customer.base.firstName != "Bruce",
        atomic("base.firstName", "NOT_EQUALS", "Bruce"),
    ),
    (
        "gt",
        lambda: Customer.base.dob > dt.datetime(1994, 6, 10),
        atomic("base.dob", "GT", "1994-06-10T00:00:00Z"),
    ),
    (
        "gte",
        lambda: Customer.base.dob >= dt.datetime(1994, 6, 10),
        atomic("base.dob", "GTE", "1994-06-10T00:00:00Z"),
    ),
    (
        "lt",
        lambda: Customer.registeredAt < dt.datetime(2010, 6, 10),
        atomic("registeredAt", "LT", "2010-06-10T00:00:00Z"),
    ),
    (
        "lte",
        lambda: Customer.registeredAt <= dt.datetime(2010, 6, 10),
        atomic("registeredAt", "LTE", "2010-06-10T00:00:00Z"),
    ),
    (
        "aware-datetime-in-utc",
        lambda: (
            Customer.registeredAt >= dt.datetime(2010, 6, 10, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
        ),
        atomic("registeredAt", "GTE", "2010-06-10T00:00:00Z"),
    ),
    ("date", lambda: Customer.base.dob == dt.date(1994, 6, 10), atomic("base.dob", "EQUALS", "1994-06-10")),
    ("in", lambda: in_("manual_tag", Customer.tags.manual), atomic("tags.manual", "IN", "manual_tag")),
    (
        "not-in",
        lambda: not_in_("manual_tag", Customer.tags.manual),
        atomic("tags.manual", "NOT_IN", "manual_tag"),
    ),
    (
        "between",
        lambda: between_(Customer.base.dob, dt.datetime(1950, 1, 1), dt.datetime(1994, 1, 1)),
        atomic("base.dob", "BETWEEN", ["1950-01-01T00:00:00Z", "1994-01-01T00:00:00Z"]),
    ),
    (
        "between-strings",
        lambda: between_(Customer.base.dob, "2011-12-11", "2015-12-11"),
        atomic("base.dob", "BETWEEN", ["2011-12-11", "2015-12-11"]),
    ),
    ("is-null", lambda: Customer.base.firstName == None, atomic("base.firstName", "IS_NULL")),  # noqa: E711
    ("is-not-null", lambda: Customer.base.firstName != None, atomic("base.firstName", "IS_NOT_NULL")),  # noqa: E711
    (
        "and",
        lambda: (Customer.base.firstName == "Bruce") & (Customer.base.lastName == "Wayne"),
        composite("and", BRUCE, WAYNE),
    ),
    (
        "or",
        lambda: (Customer.base.firstName == "Bruce") | (Customer.base.firstName == "Batman"),
        composite("or", BRUCE, atomic("base.firstName", "EQUALS", "Batman")),
    ),
    (
        "and-inside-or",
        lambda: (
            ((Customer.base.firstName == "Bruce") & (Customer.base.lastName == "Wayne"))
            | (Customer.extra == "x")
        ),
        composite("or", composite("and", BRUCE, WAYNE), atomic("extra", "EQUALS", "x")),
    ),
    (
        "free-form-path",
        lambda: Customer.extended.loyalty.level == "gold",
        atomic("extended.loyalty.level", "EQUALS", "gold"),
    ),
    ("empty-string-kept", lambda: Customer.extra == "", atomic("extra", "EQUALS", "")),
    ("zero-kept", lambda: Customer.extended.score == 0, atomic("extended.score", "EQUALS", 0)),
    ("false-kept", lambda: Customer.enabled == False, atomic("enabled", "EQUALS", False)),  # noqa: E712
]


@pytest.mark.parametrize(
    ("criterion", "condition"), [c[1:] for c in QUERY_CASES], ids=[c[0] for c in QUERY_CASES]
)
def test_query_filter_on_the_wire(node: Node, hub: FakeHub, criterion, condition: dict) -> None:
    (found,) = run_query(node, hub, node.query(Customer).filter(criterion()), simple(condition))
    assert isinstance(found, Customer) and found.node is node


def test_repeated_filter_ands(node: Node, hub: FakeHub) -> None:
    query = (
        node.query(Customer)
        .filter((Customer.base.firstName == "Bruce") & (Customer.base.lastName == "Wayne"))
        .filter(Customer.base.dob <= dt.datetime(1994, 6, 10))
    )
    inner = simple(composite("and", BRUCE, WAYNE, atomic("base.dob", "LTE", "1994-06-10T00:00:00Z")))
    run_query(node, hub, query, inner)


def test_combined_queries(node: Node, hub: FakeHub) -> None:
    q1 = node.query(Customer).filter(Customer.base.firstName == "Bruce")
    q2 = node.query(Customer).filter(Customer.base.lastName == "Wayne")
    for query, conjunction in ((q1 & q2, "INTERSECT"), (q1 | q2, "UNION"), (q1 - q2, "EXCEPT")):
        inner = {
            "type": "combined",
            "name": "query",
            "conjunction": conjunction,
            "queries": [simple(BRUCE), simple(WAYNE)],
        }
        run_query(node, hub, query, inner)


def test_filter_on_a_combined_query_is_refused(node: Node, hub: FakeHub) -> None:
    q1 = node.query(Customer).filter(Customer.base.firstName == "Bruce")
    with pytest.raises(OperationNotPermitted):
        (q1 & q1).filter(Customer.extra == "x")
    assert hub.count == 0


def test_query_all_pages_lazily_with_the_same_filter(node: Node, hub: FakeHub) -> None:
    query = node.query(Customer).filter(Customer.base.firstName == "Bruce").limit_page_size(2)
    base = {"nodeId": NODE_ID, "query": query_param(simple(BRUCE)), "size": 2}
    pages = [[customer_doc(id=f"c-{2 * n + i}") for i in range(2)] for n in range(2)] + [
        [customer_doc(id="c-4")]
    ]
    for number, docs in enumerate(pages):
        params = {**base, "page": number} if number else base
        hub.expect("GET", "/customers", params=params, reply=envelope(docs, number=number, size=2, total=5))
    result = query.all()
    assert hub.count == 0
    seen = []
    for customer in result:
        seen.append(customer.id)
        assert hub.count == len(seen) // 2 + (len(seen) % 2 > 0)  # a page is fetched only when reached
    assert seen == [f"c-{i}" for i in range(5)]
    assert hub.count == 3
    assert [c.id for c in result] == seen  # cached: no new request
    assert hub.count == 3


def test_query_all_with_prefetch_sends_the_same_requests_ahead(node: Node, hub: FakeHub) -> None:
    query = node.query(Customer).filter(Customer.base.firstName == "Bruce").limit_page_size(2)
    base = {"nodeId": NODE_ID, "query": query_param(simple(BRUCE)), "size": 2}
    pages = [[customer_doc(id=f"c-{2 * n + i}") for i in range(2)] for n in range(3)] + [
        [customer_doc(id="c-6")]
    ]
    for number, docs in enumerate(pages):
        params = {**base, "page": number} if number else base
        hub.expect("GET", "/customers", params=params, reply=envelope(docs, number=number, size=2, total=7))
    result = query.all(prefetch=2)
    assert hub.count == 0  # still lazy
    walk = iter(result)
    assert next(walk).id == "c-0"
    deadline = 100
    while hub.count < 3 and deadline:  # pages 1 and 2 are fetched in the background
        deadline -= 1
        threading.Event().wait(0.01)
    assert hub.count == 3
    assert [c.id for c in walk] == [f"c-{i}" for i in range(1, 7)]
    assert hub.count == 4
    assert all(isinstance(c, Customer) and c.node is node for c in result)
    assert hub.count == 4  # cached
    sent = sorted(int(c.request.params.get("page", 0)) for c in hub.mock.calls)
    assert sent == [0, 1, 2, 3]


def test_query_all_refuses_a_bad_prefetch(node: Node, hub: FakeHub) -> None:
    with pytest.raises(InvalidValue, match="prefetch must be an int"):
        node.query(Customer).all(prefetch=-2)
    assert hub.count == 0


def test_query_all_from_a_page(node: Node, hub: FakeHub) -> None:
    query = node.query(Customer).filter(Customer.base.firstName == "Bruce")
    hub.expect(
        "GET",
        "/customers",
        params={"nodeId": NODE_ID, "query": query_param(simple(BRUCE)), "page": 3, "size": 5},
        reply=envelope([], number=3, size=5, total=10),
    )
    assert list(query.all(page=3, size=5)) == []


def test_query_order_by_first_and_count(node: Node, hub: FakeHub) -> None:
    query = node.query(Customer).filter(Customer.base.firstName == "Bruce").order_by(-Customer.base.lastName)
    q = query_param(simple(BRUCE))
    hub.expect(
        "GET",
        "/customers",
        params={"nodeId": NODE_ID, "query": q, "sort": "base.lastName,desc", "size": 1},
        reply=envelope([customer_doc()], size=1, total=7),
    )
    hub.expect(
        "GET",
        "/customers",
        params={"nodeId": NODE_ID, "query": q, "size": 1},
        reply=envelope([customer_doc()], size=1, total=7),
    )
    assert query.first().id == "c-1"
    assert query.count() == 7


def test_unfiltered_query_sends_no_query_parameter(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/customers", params={"nodeId": NODE_ID}, reply=envelope([customer_doc()]))
    assert [c.id for c in node.query(Customer).all()] == ["c-1"]
