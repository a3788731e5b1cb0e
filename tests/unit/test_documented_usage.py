"""The original SDK's documentation, top to bottom, with ``contacthub`` replaced by ``contacthub_like``.

Each test runs one documented snippet as written (only the import paths adapted)
against the strict fake hub, which answers with realistic documents and checks
method, URL, query parameters and JSON body of every request. Where the
documentation itself cannot run (an undefined name, a syntax slip), the test
says so and runs the evident intent; the original SDK bugs the project fixes
(``page`` ignored, falsy query values dropped, misspelt enums) are tested fixed.
"""

# documented snippets are kept as the documentation prints them, long lines included
# ruff: noqa: E501

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import responses
from helpers import FakeHub, customer_doc, envelope, event_doc

from contacthub_like import OperationNotPermitted, Workspace, wire
from contacthub_like.models import Customer, Event, Job, Like, Properties, Subscription
from contacthub_like.services.contacthub.workspace import Node

API = "https://api.contactlab.it/hub/v1"
ROOT = f"{API}/workspaces/workspace_id"
NODE = "node_id"


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        fake = FakeHub(mock, root=ROOT, token="token")
        yield fake
        fake.verify()


@pytest.fixture
def workspace() -> Iterator[Workspace]:
    workspace = Workspace(workspace_id="workspace_id", token="token")
    yield workspace
    workspace.close()


@pytest.fixture
def node(workspace: Workspace) -> Node:
    node = workspace.get_node(node_id="node_id")
    return node


def doc(id: str = "id", **overrides: object) -> dict:
    return customer_doc(id=id, nodeId=NODE, **overrides)


def writable(document: dict) -> dict:
    return {k: v for k, v in document.items() if k not in ("id", "registeredAt", "updatedAt")}


def q(inner_condition: dict) -> str:
    return json.dumps(
        {"name": "query", "query": {"type": "simple", "name": "query", "are": {"condition": inner_condition}}}
    )


def atomic(attribute: str, operator: str, *value: object) -> dict:
    out: dict = {"type": "atomic", "attribute": attribute, "operator": operator}
    if value:
        out["value"] = value[0]
    return out


# ====================================================================== Getting started


def test_getting_customers_data(node: Node, hub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    hub.expect(
        "GET",
        "/customers",
        params={"nodeId": NODE},
        reply=envelope([doc("a"), doc("b", base={"firstName": "Dick"})]),
    )
    customers = node.get_customers()

    for customer in customers:
        print(customer.base.firstName)

    assert capsys.readouterr().out == "Bruce\nDick\n"


def test_getting_a_single_customer(node: Node, hub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    hub.expect("GET", "/customers/id", reply=doc())
    my_customer = node.get_customer(id="id")

    print("Welcome back %s" % my_customer.base.firstName)  # noqa: UP031

    assert capsys.readouterr().out == "Welcome back Bruce\n"


def test_querying_customers_by_attributes(node: Node, hub: FakeHub) -> None:
    condition = {
        "type": "composite",
        "conditions": [
            atomic("base.firstName", "EQUALS", "Bruce"),
            atomic("base.secondName", "EQUALS", "Wayne"),
        ],
        "conjunction": "and",
    }
    hub.expect("GET", "/customers", params={"nodeId": NODE, "query": q(condition)}, reply=envelope([doc()]))

    fetched_customers = (
        node.query(Customer)
        .filter((Customer.base.firstName == "Bruce") & (Customer.base.secondName == "Wayne"))
        .all()
    )

    assert [c.id for c in fetched_customers] == ["id"]


CUSTOMER_STRUCT = {
    "base": {"contacts": {"email": "myemail@email.com"}},
    "extra": "extra",
    "extended": {"my_string": "my new extended property string"},
}


def test_add_a_new_customer(node: Node, hub: FakeHub) -> None:
    hub.expect("POST", "/customers", body={**CUSTOMER_STRUCT, "nodeId": NODE}, reply=doc("new"))
    customer_struct = {
        "base": {"contacts": {"email": "myemail@email.com"}},
        "extra": "extra",
        "extended": {"my_string": "my new extended property string"},
    }
    # the documentation writes ``c.add_customer(...)``; ``c`` is never defined there: it means the node
    my_customer = node.add_customer(**customer_struct)
    assert my_customer.id == "new"


TEMPLATE_BODY = {
    "nodeId": NODE,
    "base": {"contacts": {"email": "myemail@email.com"}},
    "extra": "extra",
    "extended": {"my_string": "my new extended property string"},
    "consents": {},
    "tags": {"auto": [], "manual": []},
}


def test_customer_object_to_dict_then_add_customer(node: Node, hub: FakeHub) -> None:
    hub.expect("POST", "/customers", body=TEMPLATE_BODY, reply=doc("new"))

    my_customer = Customer(node=node)
    my_customer.base.contacts.email = "myemail@email.com"
    my_customer.extra = "extra"
    my_customer.extended.my_string = "my new extended property string"
    my_customer = node.add_customer(**my_customer.to_dict())

    assert my_customer.id == "new"


def test_customer_object_post(node: Node, hub: FakeHub) -> None:
    hub.expect("POST", "/customers", body=TEMPLATE_BODY, reply=doc("new"))

    my_customer = Customer(node=node)
    my_customer.base.contacts.email = "myemail@email.com"
    my_customer.extra = "extra"
    my_customer.extended.my_string = "my new extended property string"
    my_customer.post()

    assert my_customer.id == "new"


def test_relationship_between_customers_and_events(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/customers/id", reply=doc())
    hub.expect("GET", "/events", params={"customerId": "id"}, reply=envelope([event_doc(customerId="id")]))

    my_customer = node.get_customer(id="id")
    events = my_customer.get_events()

    assert [e.customerId for e in events] == ["id"]
    with pytest.raises(OperationNotPermitted):  # relations are immutable
        events.append(Event(node=node))


# ====================================================================== Authentication


def test_authentication(hub: FakeHub) -> None:
    my_workspace = Workspace(workspace_id="workspace_id", token="token")
    assert my_workspace.base_url == API
    node = my_workspace.get_node(node_id="node_id")
    hub.expect("GET", "/customers", params={"nodeId": NODE}, reply=envelope([]))
    assert list(node.get_customers()) == []
    my_workspace.close()


def test_authentication_with_base_url(hub: FakeHub) -> None:
    # the documentation's placeholder 'base_url' is not a URL; any API root (with or without
    # the original SDK's trailing /workspaces) is accepted
    for base_url in ("https://hub.example.test/hub/v1", "https://hub.example.test/hub/v1/workspaces"):
        my_workspace = Workspace(workspace_id="workspace_id", token="token", base_url=base_url)
        hub.expect(
            "GET",
            "https://hub.example.test/hub/v1/workspaces/workspace_id/customers",
            params={"nodeId": NODE},
            reply=envelope([]),
        )
        assert list(my_workspace.get_node(node_id="node_id").get_customers()) == []
        my_workspace.close()


def test_authenticating_via_configuration_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hub: FakeHub
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("file.INI").write_text(
        "workspace_id = workspace_id\ntoken = token\nbase_url = https://api.contactlab.it/hub/v1\n"
    )

    my_workspace = Workspace.from_INI_file("file.INI")

    hub.expect("GET", "/customers", params={"nodeId": NODE}, reply=envelope([]))
    assert list(my_workspace.get_node(node_id="node_id").get_customers()) == []
    my_workspace.close()


# ====================================================================== Operations on customers

CUSTOMER_STRUCTURE = {
    "externalId": "01",
    "extra": "extra",
    "base": {
        "timezone": "Europe/Rome",
        "firstName": "Bruce",
        "lastName": "Wayne",
        "contacts": {"email": "email@email.com"},
    },
}
CONFLICT = {
    "message": "Conflict with exiting customer existing-id",
    "logref": "logref_n",
    "data": {"customer": {"id": "existing-id", "href": f"{ROOT}/customers/existing-id"}},
    "errors": [],
}


def test_add_customer_via_node(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "POST", "/customers", body={**CUSTOMER_STRUCTURE, "nodeId": NODE}, status=201, reply=doc("new")
    )
    customer_structure = json.loads(json.dumps(CUSTOMER_STRUCTURE))

    my_customer = node.add_customer(**customer_structure)

    assert isinstance(my_customer, Customer) and my_customer.id == "new"


def test_add_customer_from_a_customer_object_with_consents(node: Node, hub: FakeHub) -> None:
    consents = {
        "marketing": {"automatic": {"email": {"status": True, "limitation": False, "objection": False}}}
    }
    body = {
        "nodeId": NODE,
        "base": {"firstName": "Bruce", "lastName": "Wayne", "contacts": {"email": "email@example.com"}},
        "extra": "extra",
        "extended": {"my_string": "my new extended property string"},
        "consents": consents,
        "tags": {"auto": [], "manual": []},
    }
    hub.expect("POST", "/customers", body=body, status=201, reply=doc("new"))

    post_customer = Customer(node=node)
    post_customer.base.firstName = "Bruce"
    post_customer.base.lastName = "Wayne"
    post_customer.base.contacts.email = "email@example.com"
    post_customer.extra = "extra"
    post_customer.extended.my_string = "my new extended property string"
    post_customer.consents = {
        "marketing": {"automatic": {"email": {"status": True, "limitation": False, "objection": False}}}
    }

    new_customer = node.add_customer(**post_customer.to_dict())
    assert new_customer.id == "new"


def test_default_internal_structure_and_default_attributes(node: Node) -> None:
    assert Customer(node=node).to_dict() == {
        "base": {"contacts": {}},
        "extended": {},
        "consents": {},
        "tags": {"manual": [], "auto": []},
    }

    c = Customer(node=node, default_attributes={"base": {}})

    c.base.firstName = "Bruce"
    assert c.to_dict() == {"base": {"firstName": "Bruce"}}


def test_properties_class(node: Node, hub: FakeHub) -> None:
    body = {
        "nodeId": NODE,
        "base": {
            "contacts": {
                "email": "bruce.wayne@darkknight.it",
                "fax": "fax",
                "otherContacts": [{"value": "123", "name": "phone", "type": "MOBILE"}],
            },
            "address": {"city": "city", "province": "province", "geo": {"lat": 40, "lon": 100}},
        },
        "extended": {
            "my_extended_int": 1,
            "my_extended_string": "string",
            "my_extended_object": {"key": "value", "k": "v"},
        },
        "consents": {},
        "tags": {"auto": [], "manual": []},
    }
    hub.expect("POST", "/customers", body=body, status=201, reply=doc("new"))

    my_customer = Customer(node=node)
    my_customer.base.contacts = Properties(
        email="bruce.wayne@darkknight.it",
        fax="fax",
        otherContacts=[Properties(value="123", name="phone", type="MOBILE")],
    )
    my_customer.base.address = Properties(city="city", province="province", geo=Properties(lat=40, lon=100))
    # extended properties
    my_customer.extended.my_extended_int = 1
    my_customer.extended.my_extended_string = "string"
    my_customer.extended.my_extended_object = Properties(key="value", k="v")

    my_customer.post()
    assert my_customer.id == "new"


def test_force_update_via_node(node: Node, hub: FakeHub) -> None:
    customer_structure = json.loads(json.dumps(CUSTOMER_STRUCTURE))
    hub.expect("POST", "/customers", body={**CUSTOMER_STRUCTURE, "nodeId": NODE}, status=409, reply=CONFLICT)
    hub.expect("PATCH", "/customers/existing-id", body=CUSTOMER_STRUCTURE, reply=doc("existing-id"))

    my_customer = node.add_customer(**customer_structure, forceUpdate=True)

    assert my_customer.id == "existing-id"


def test_force_update_via_object(node: Node, hub: FakeHub) -> None:
    my_customer = Customer(node=node, default_attributes={}, **CUSTOMER_STRUCTURE)
    hub.expect("POST", "/customers", body={**CUSTOMER_STRUCTURE, "nodeId": NODE}, status=409, reply=CONFLICT)
    hub.expect("PATCH", "/customers/existing-id", body=CUSTOMER_STRUCTURE, reply=doc("existing-id"))

    my_customer.post(forceUpdate=True)

    assert my_customer.id == "existing-id"


def test_get_all_customers_and_read_attributes(
    node: Node, hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    hub.expect("GET", "/customers", params={"nodeId": NODE}, reply=envelope([doc()]))
    customers = node.get_customers()
    my_customer = customers[0]

    print(my_customer.base.contacts.email)
    for tag in my_customer.tags.manual:
        print(tag)

    assert capsys.readouterr().out == "bruce@wayne.test\nvip\n"
    assert isinstance(my_customer.base, Properties) or hasattr(my_customer.base, "to_dict")


def test_paging_the_customers(node: Node, hub: FakeHub) -> None:
    def page(number: int) -> dict:
        docs = [doc(f"c{number * 5 + i}") for i in range(5)]
        return envelope(docs, number=number, size=5, total=50)

    hub.expect("GET", "/customers", params={"nodeId": NODE, "page": 2, "size": 5}, reply=page(2))
    hub.expect("GET", "/customers", params={"nodeId": NODE, "page": 3, "size": 5}, reply=page(3))

    customers = node.get_customers(size=5, page=2)

    assert [c.id for c in customers.elements] == ["c10", "c11", "c12", "c13", "c14"]
    following = customers.next_page()
    assert [c.id for c in following.elements] == ["c15", "c16", "c17", "c18", "c19"]
    back = following.previous_page()  # the documentation writes ``customer.previous_page()``
    assert back.page_number == 2
    assert [c.id for c in back.elements] == ["c10", "c11", "c12", "c13", "c14"]  # cached, no request
    assert customers.size == 5
    assert customers.total_elements == 50
    assert customers.total_pages == 10
    assert customers.total_unfiltered_elements == 50
    assert customers.page_number == 2
    with pytest.raises(OperationNotPermitted):  # immutable
        customers.append(doc())
    assert hub.count == 2


def test_paging_ends(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/customers", params={"nodeId": NODE}, reply=envelope([doc()], size=10, total=1))
    customers = node.get_customers()
    with pytest.raises(OperationNotPermitted, match="Last page reached."):
        customers.next_page()
    with pytest.raises(OperationNotPermitted, match="First page reached."):
        customers.previous_page()


def test_get_customers_by_external_id(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "GET",
        "/customers",
        params={"nodeId": NODE, "externalId": "01"},
        reply=envelope([doc(externalId="01")]),
    )
    customers = node.get_customers(external_id="01")
    assert isinstance(customers, Customer)  # only one: a single Customer object


def test_get_specific_fields(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "GET",
        "/customers",
        params={"nodeId": NODE, "fields": "base.firstName,base.lastName"},
        reply=envelope([{"id": "id", "base": {"firstName": "Bruce", "lastName": "Wayne"}}]),
    )
    result = node.get_customers(fields=["base.firstName", "base.lastName"])
    assert result[0].base.lastName == "Wayne"


def test_get_a_single_customer_by_id_or_external_id(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/customers/01", reply=doc("01"))
    hub.expect(
        "GET",
        "/customers",
        params={"nodeId": NODE, "externalId": "02", "size": 2},
        reply=envelope([doc(externalId="02")]),
    )

    my_customer = node.get_customer(id="01")
    assert my_customer.id == "01"
    my_customer = node.get_customer(external_id="02")
    assert my_customer.externalId == "02"


# ====================================================================== Query


def test_simple_queries_filter_and_all(node: Node, hub: FakeHub) -> None:
    condition = {
        "type": "composite",
        "conditions": [
            atomic("base.firstName", "EQUALS", "Bruce"),
            atomic("base.lastName", "EQUALS", "Wayne"),
            atomic("base.dob", "LTE", "1994-06-10T00:00:00Z"),
        ],
        "conjunction": "and",
    }
    hub.expect("GET", "/customers", params={"nodeId": NODE, "query": q(condition)}, reply=envelope([doc()]))

    new_query = node.query(Customer)
    new_query = new_query.filter((Customer.base.firstName == "Bruce") & (Customer.base.lastName == "Wayne"))
    # the documentation has an unbalanced parenthesis here: ``new_query.filter((Customer.base.dob <= ...)``
    new_query = new_query.filter(Customer.base.dob <= datetime(1994, 6, 10))
    filtered_customers = new_query.all()

    assert [c.id for c in filtered_customers] == ["id"]


OPERATOR_SNIPPETS = [
    (
        "equality",
        "node.query(Customer).filter(Customer.base.firstName == 'Bruce')",
        atomic("base.firstName", "EQUALS", "Bruce"),
    ),
    (
        "not-equals",
        "node.query(Customer).filter(Customer.base.firstName != 'Bruce')",
        atomic("base.firstName", "NOT_EQUALS", "Bruce"),
    ),
    (
        "gt",
        "node.query(Customer).filter(Customer.base.dob > datetime(1994,6,10))",
        atomic("base.dob", "GT", "1994-06-10T00:00:00Z"),
    ),
    (
        "gte",
        "node.query(Customer).filter(Customer.base.dob >= datetime(1994,6,10))",
        atomic("base.dob", "GTE", "1994-06-10T00:00:00Z"),
    ),
    (
        "lt",
        "node.query(Customer).filter(Customer.registeredAt < datetime(2010,6,10))",
        atomic("registeredAt", "LT", "2010-06-10T00:00:00Z"),
    ),
    (
        "lte",
        "node.query(Customer).filter(Customer.registeredAt <= datetime(2010,6,10))",
        atomic("registeredAt", "LTE", "2010-06-10T00:00:00Z"),
    ),
    (
        "in",
        "node.query(Customer).filter(in_('manual_tag', Customer.tags.manual))",
        atomic("tags.manual", "IN", "manual_tag"),
    ),
    (
        "not-in",
        "node.query(Customer).filter(not_in_('manual_tag', Customer.tags.manual))",
        atomic("tags.manual", "NOT_IN", "manual_tag"),
    ),
    (
        "between",
        "node.query(Customer).filter(between_(Customer.base.dob, datetime(1950,1,1), datetime(1994,1,1)))",
        atomic("base.dob", "BETWEEN", ["1950-01-01T00:00:00Z", "1994-01-01T00:00:00Z"]),
    ),
    (
        "is-null",
        "node.query(Customer).filter(Customer.base.firstName == None)",
        atomic("base.firstName", "IS_NULL"),
    ),
    (
        "is-not-null",
        "node.query(Customer).filter(Customer.base.firstName != None)",
        atomic("base.firstName", "IS_NOT_NULL"),
    ),
    (
        "and",
        "node.query(Customer).filter((Customer.base.firstName == 'Bruce') & (Customer.base.lastName == 'Wayne'))",
        {
            "type": "composite",
            "conditions": [
                atomic("base.firstName", "EQUALS", "Bruce"),
                atomic("base.lastName", "EQUALS", "Wayne"),
            ],
            "conjunction": "and",
        },
    ),
    (
        "or",
        "node.query(Customer).filter(((Customer.base.firstName == 'Bruce')) | ((Customer.base.firstName == 'Batman')))",
        {
            "type": "composite",
            "conditions": [
                atomic("base.firstName", "EQUALS", "Bruce"),
                atomic("base.firstName", "EQUALS", "Batman"),
            ],
            "conjunction": "or",
        },
    ),
]


@pytest.mark.parametrize(
    ("snippet", "condition"), [s[1:] for s in OPERATOR_SNIPPETS], ids=[s[0] for s in OPERATOR_SNIPPETS]
)
def test_available_operations_for_filters(node: Node, hub: FakeHub, snippet: str, condition: dict) -> None:
    from contacthub_like.models.query import between_, in_, not_in_

    hub.expect("GET", "/customers", params={"nodeId": NODE, "query": q(condition)}, reply=envelope([doc()]))
    scope = {
        "node": node,
        "Customer": Customer,
        "datetime": datetime,
        "in_": in_,
        "not_in_": not_in_,
        "between_": between_,
    }
    new_query = eval(snippet, scope)
    customers = new_query.all()
    assert [c.id for c in customers] == ["id"]


def test_combined_query(node: Node, hub: FakeHub) -> None:
    bruce = {
        "type": "simple",
        "name": "query",
        "are": {"condition": atomic("base.firstName", "EQUALS", "Bruce")},
    }
    wayne = {
        "type": "simple",
        "name": "query",
        "are": {"condition": atomic("base.lastName", "EQUALS", "Wayne")},
    }
    for conjunction in ("INTERSECT", "UNION"):
        combined = {
            "type": "combined",
            "name": "query",
            "conjunction": conjunction,
            "queries": [bruce, wayne],
        }
        hub.expect(
            "GET",
            "/customers",
            params={"nodeId": NODE, "query": json.dumps({"name": "query", "query": combined})},
            reply=envelope([doc()]),
        )

    q1 = node.query(Customer).filter(Customer.base.firstName == "Bruce")
    q2 = node.query(Customer).filter(Customer.base.lastName == "Wayne")

    and_query = q1 & q2

    or_query = q1 | q2

    filtered_customers = and_query.all()
    assert len(list(filtered_customers)) == 1
    assert len(list(or_query.all())) == 1


# ====================================================================== Update a customer


def test_full_update_via_node(node: Node, hub: FakeHub) -> None:
    expected = {"id": "id", **writable(doc())}  # PUT names the customer it replaces, as the original did
    expected["base"]["contacts"]["email"] = "anotheremail@example.com"
    hub.expect("GET", "/customers/id", reply=doc())
    hub.expect("PUT", "/customers/id", body=expected, reply=doc())

    my_customer = node.get_customer(id="id")
    my_customer.base.contacts.email = "anotheremail@example.com"

    updated_customer = node.update_customer(**my_customer.to_dict(), full_update=True)
    assert isinstance(updated_customer, Customer)


def test_full_update_via_object(node: Node, hub: FakeHub) -> None:
    expected = {"id": "customer_id", **writable(doc("customer_id"))}
    expected["base"]["contacts"]["email"] = "anotheremail@example.com"
    hub.expect("GET", "/customers/customer_id", reply=doc("customer_id"))
    hub.expect("PUT", "/customers/customer_id", body=expected, reply=doc("customer_id"))

    my_customer = node.get_customer(id="customer_id")
    my_customer.base.contacts.email = "anotheremail@example.com"

    my_customer.put()


def test_partial_update_list_plus_equals(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/customers/customer_id", reply=doc("customer_id"))
    hub.expect(
        "PATCH",
        "/customers/customer_id",
        body={"base": {"subscriptions": [{"id": "id", "name": "name", "type": "type", "kind": "SERVICE"}]}},
        reply=doc("customer_id"),
    )
    customer = node.get_customer(id="customer_id")

    # the documentation writes ``Cutomer.SUBSCRPTION_KINDS``: a misspelt class name (NameError as written)
    customer.base.subscriptions += [
        Properties(id="id", name="name", type="type", kind=Customer.SUBSCRPTION_KINDS.SERVICE)
    ]

    customer.patch()


def test_partial_update_with_mutation_tracker(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/customers/customer_id", reply=doc("customer_id"))
    hub.expect(
        "PATCH",
        "/customers/customer_id",
        body={"base": {"contacts": {"email": "anotheremail@example.com"}}},
        reply=doc("customer_id"),
    )

    my_customer = node.get_customer(id="customer_id")
    my_customer.base.contacts.email = "anotheremail@example.com"

    updated_customer = node.update_customer(**my_customer.get_mutation_tracker())
    assert updated_customer.id == "customer_id"


def test_partial_update_with_a_mutations_dict(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "PATCH",
        "/customers/customer_id",
        body={"base": {"contacts": {"email": "anotheremail@example.com"}}},
        reply=doc("customer_id"),
    )

    mutations = {"base": {"contacts": {"email": "anotheremail@example.com"}}}

    updated_customer = node.update_customer(id="customer_id", **mutations)
    assert updated_customer.id == "customer_id"


def test_partial_update_via_object(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/customers/customer_id", reply=doc("customer_id"))
    hub.expect(
        "PATCH",
        "/customers/customer_id",
        body={"base": {"contacts": {"email": "anotheremail@example.com"}}},
        reply=doc("customer_id"),
    )
    my_customer = node.get_customer(id="customer_id")

    my_customer.base.contacts.email = "anotheremail@example.com"

    my_customer.patch()


# ====================================================================== Delete a customer


def test_delete_a_customer(node: Node, hub: FakeHub) -> None:
    hub.expect("DELETE", "/customers/customer_id", reply=doc("customer_id"))
    hub.expect("GET", "/customers/id", reply=doc())
    hub.expect("DELETE", "/customers/id", reply=doc())
    hub.expect("DELETE", "/customers/id", raw="")

    node.delete_customer(id="customer_id")

    my_customer = node.get_customer(id="id")
    node.delete_customer(**my_customer.to_dict())

    my_customer.delete()


# ====================================================================== Tags


def test_tags(node: Node, hub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    hub.expect("GET", "/customers/id", reply=doc())
    my_customer = node.get_customer(id="id")

    for auto in my_customer.tags.auto:
        print(auto)

    for manual in my_customer.tags.manual:
        print(manual)

    assert capsys.readouterr().out == "auto-1\nvip\n"

    with_tag = doc(tags={"auto": ["auto-1"], "manual": ["vip", "manual_tag"]})
    hub.expect("GET", "/customers/id", reply=doc())
    hub.expect("PATCH", "/customers/id", body={"tags": {"manual": ["vip", "manual_tag"]}}, reply=with_tag)
    hub.expect("GET", "/customers/id", reply=with_tag)
    hub.expect("PATCH", "/customers/id", body={"tags": {"manual": ["vip"]}}, reply=doc())
    hub.expect("GET", "/customers/id", reply=doc())
    # the documentation writes ``node.add_tag('manual_tag')`` and ``node.remove_tag('manual_tag')``,
    # without the customer; its own API reference says add_tag(customer_id, tag)
    node.add_tag("id", "manual_tag")
    node.remove_tag("id", "manual_tag")

    try:
        node.remove_tag("id", "manual_tag")
    except ValueError:
        missing = True
    else:
        missing = False
    assert missing


# ====================================================================== Additional entities

EDUCATION = {
    "id": "01",
    "schoolType": "COLLEGE",
    "schoolName": "schoolName",
    "schoolConcentration": "schoolConcentration",
    "isCurrent": False,
    "startYear": 1994,
    "endYear": 2000,
}


def test_education(node: Node, hub: FakeHub) -> None:
    from contacthub_like.model import Education  # the documentation imports from ``contacthub.model``

    hub.expect("GET", "/customers/c_id/educations/education_id", reply={**EDUCATION, "id": "education_id"})
    customer_education = node.get_education(customer_id="c_id", education_id="education_id")
    assert isinstance(customer_education, Education)

    hub.expect("POST", "/customers/123/educations", body=EDUCATION, reply=EDUCATION)
    new_educ = node.add_education(
        customer_id="123", id="01", schoolType=Education.SCHOOL_TYPES.COLLEGE,
        schoolName="schoolName", schoolConcentration="schoolConcentration", isCurrent=False, startYear="1994", endYear="2000",
    )  # fmt: skip
    assert new_educ.startYear == 1994

    hub.expect("GET", "/customers/id", reply=doc())
    my_customer = node.get_customer(id="id")
    hub.expect("POST", "/customers/id/educations", body=EDUCATION, reply=EDUCATION)
    new_educ = Education(customer=my_customer, id="01", schoolType=Education.SCHOOL_TYPES.COLLEGE, schoolName="schoolName",
        schoolConcentration="schoolConcentration", isCurrent=False, startYear="1994", endYear="2000")  # fmt: skip
    new_educ.post()

    hub.expect("DELETE", "/customers/c_id/educations/education_id", raw="")
    node.remove_education(customer_id="c_id", education_id="education_id")

    education = new_educ
    hub.expect("DELETE", "/customers/id/educations/01", raw="")
    education.delete()

    hub.expect("GET", "/customers/c_id/educations/education_id", reply={**EDUCATION, "id": "education_id"})
    my_education = node.get_education(customer_id="c_id", education_id="education_id")
    my_education.schoolConcentration = "updated"
    put_body = {k: v for k, v in EDUCATION.items() if k != "id"} | {"schoolConcentration": "updated"}
    hub.expect(
        "PUT",
        "/customers/c_id/educations/education_id",
        body=put_body,
        reply={**put_body, "id": "education_id"},
    )
    node.update_education(customer_id="c_id", **my_education.to_dict())
    hub.expect(
        "PUT",
        "/customers/c_id/educations/education_id",
        body=put_body,
        reply={**put_body, "id": "education_id"},
    )
    my_education.put()


JOB = {
    "id": "01",
    "jobTitle": "jobTitle",
    "companyName": "companyName",
    "companyIndustry": "companyIndustry",
    "isCurrent": True,
    "startDate": "1994-10-06",
    "endDate": "1994-10-06",
}


def test_job(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/customers/c_id/jobs/job_id", reply={**JOB, "id": "job_id"})
    customer_job = node.get_job(customer_id="c_id", job_id="job_id")
    assert isinstance(customer_job, Job)

    hub.expect("POST", "/customers/123/jobs", body=JOB, reply=JOB)
    new_job = node.add_job(customer_id="123", id="01", jobTitle="jobTitle", companyName="companyName",
        companyIndustry="companyIndustry", isCurrent=True, startDate="1994-10-06", endDate="1994-10-06")  # fmt: skip
    assert isinstance(new_job, Job)

    hub.expect("GET", "/customers/id", reply=doc())
    my_customer = node.get_customer(id="id")
    hub.expect("POST", "/customers/id/jobs", body=JOB, reply=JOB)
    new_job = Job(customer=my_customer, id="01", jobTitle="jobTitle", companyName="companyName", companyIndustry="companyIndustry",
        isCurrent=True, startDate="1994-10-06", endDate="1994-10-06")  # fmt: skip
    new_job.post()

    hub.expect("DELETE", "/customers/c_id/jobs/job_id", raw="")
    node.remove_job(customer_id="c_id", job_id="job_id")
    job = new_job
    hub.expect("DELETE", "/customers/id/jobs/01", raw="")
    job.delete()

    hub.expect("GET", "/customers/c_id/jobs/job_id", reply={**JOB, "id": "job_id"})
    my_job = node.get_job(customer_id="c_id", job_id="job_id")
    my_job.jobTitle = "updated"
    put_body = {k: v for k, v in JOB.items() if k != "id"} | {"jobTitle": "updated"}
    hub.expect("PUT", "/customers/c_id/jobs/job_id", body=put_body, reply={**put_body, "id": "job_id"})
    node.update_job(customer_id="c_id", **my_job.to_dict())
    hub.expect("PUT", "/customers/c_id/jobs/job_id", body=put_body, reply={**put_body, "id": "job_id"})
    my_job.put()


def test_like(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "GET",
        "/customers/c_id/likes/like_id",
        reply={"id": "like_id", "name": "name", "category": "category"},
    )
    my_like = node.get_like(customer_id="c_id", like_id="like_id")
    assert isinstance(my_like, Like)

    now = datetime.now()  # the documentation passes datetime.now() inline
    like = {"id": "01", "name": "name", "category": "category", "createdTime": wire.encode_value(now)}
    assert like["createdTime"].endswith("Z")
    hub.expect("POST", "/customers/123/likes", body=like, reply=like)
    new_like = node.add_like(customer_id="123", id="01", name="name", category="category", createdTime=now)

    hub.expect("GET", "/customers/id", reply=doc())
    my_customer = node.get_customer(id="id")
    hub.expect("POST", "/customers/id/likes", body=like, reply=like)
    new_like = Like(customer=my_customer, id="01", name="name", category="category", createdTime=now)
    new_like.post()

    hub.expect("DELETE", "/customers/c_id/likes/like_id", raw="")
    node.remove_like(customer_id="c_id", like_id="like_id")
    hub.expect("DELETE", "/customers/id/likes/01", raw="")
    new_like.delete()

    my_like.name = "updated"
    put_body = {"name": "updated", "category": "category"}
    hub.expect("PUT", "/customers/c_id/likes/like_id", body=put_body, reply={**put_body, "id": "like_id"})
    node.update_like(customer_id="c_id", **my_like.to_dict())
    hub.expect("PUT", "/customers/c_id/likes/like_id", body=put_body, reply={**put_body, "id": "like_id"})
    my_like.put()


SUBSCRIPTION = {
    "id": "02",
    "name": "name",
    "kind": "SERVICE",
    "subscriberId": "id",
    "subscribed": True,
    "preferences": [{"key": "value"}],
}


def test_subscription(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "GET",
        "/customers/c_id/subscriptions/subscription_id",
        reply={**SUBSCRIPTION, "id": "subscription_id"},
    )
    customer_sub = node.get_subscription(customer_id="c_id", subscription_id="subscription_id")
    assert isinstance(customer_sub, Subscription)

    hub.expect("POST", "/customers/01/subscriptions", body=SUBSCRIPTION, status=201, reply=SUBSCRIPTION)
    new_sub = node.add_subscription(customer_id="01", id="02", name="name", kind=Subscription.KINDS.SERVICE,
        subscriberId="id", subscribed=True, preferences=[{"key": "value"}])  # fmt: skip

    hub.expect("GET", "/customers/id", reply=doc())
    my_customer = node.get_customer(id="id")
    hub.expect("POST", "/customers/id/subscriptions", body=SUBSCRIPTION, status=201, reply=SUBSCRIPTION)
    new_sub = Subscription(customer=my_customer, id="02", name="name", kind=Subscription.KINDS.SERVICE,
        subscriberId="id", subscribed=True, preferences=[{"key": "value"}])  # fmt: skip
    new_sub.post()

    hub.expect("DELETE", "/customers/c_id/subscriptions/subscription_id", raw="")
    node.remove_subscription(customer_id="c_id", subscription_id="subscription_id")
    subscription = new_sub
    hub.expect("DELETE", "/customers/id/subscriptions/02", raw="")
    subscription.delete()

    my_sub = customer_sub
    my_sub.name = "updated"
    put_body = {k: v for k, v in SUBSCRIPTION.items() if k != "id"} | {"name": "updated"}
    hub.expect(
        "PUT",
        "/customers/c_id/subscriptions/subscription_id",
        body=put_body,
        reply={**put_body, "id": "subscription_id"},
    )
    node.update_subscription(customer_id="c_id", **my_sub.to_dict())
    hub.expect(
        "PUT",
        "/customers/c_id/subscriptions/subscription_id",
        body=put_body,
        reply={**put_body, "id": "subscription_id"},
    )
    my_sub.put()


# ====================================================================== Events


def event_body(now: datetime, **who: object) -> dict:
    return {
        **who,
        "type": "serviceSubscribed",
        "context": "WEB",
        "properties": {
            "subscriberId": "s_id",
            "serviceId": "service_id",
            "serviceName": "serviceName",
            "startDate": wire.encode_value(now),
            "extraProperties": {"extra": "extra"},
        },
    }


def test_add_a_new_event(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/customers/id", reply=doc())
    my_customer = node.get_customer(id="id")
    now = datetime.now()  # the documentation passes datetime.now() inline

    event = Event(
        node=node,
        customerId=my_customer.id,
        type=Event.TYPES.SERVICE_SUBSCRIBED,
        context=Event.CONTEXTS.WEB,
        contextInfo=Properties(
            client=Properties(
                ip="127.0.0.1"
            )
        ),
        properties=Properties(
            subscriberId='s_id', serviceId='service_id', serviceName='serviceName', startDate=now,
            extraProperties=Properties(extra='extra')
        )
    )  # fmt: skip

    body = event_body(now, customerId="id") | {"contextInfo": {"client": {"ip": "127.0.0.1"}}}
    hub.expect("POST", "/events", body=body, status=202, reply={"id": "ev-1"})
    hub.expect("POST", "/events", body=body, status=202, reply={"id": "ev-2"})

    posted = node.add_event(**event.to_dict())
    assert posted.id == "ev-1"

    event.post()
    assert event.id == "ev-2"


def test_sessions(node: Node, hub: FakeHub) -> None:
    now = datetime.now()
    session_id = node.create_session_id()

    event = Event(node=node, bringBackProperties=Properties(type='SESSION_ID', value=session_id),
    type=Event.TYPES.SERVICE_SUBSCRIBED, context=Event.CONTEXTS.WEB,
    properties=Properties(subscriberId = 's_id', serviceId='service_id', serviceName='serviceName', startDate=now,
    extraProperties=Properties(extra='extra')))  # fmt: skip

    bring_back = {"type": "SESSION_ID", "value": session_id, "nodeId": NODE}
    hub.expect(
        "POST",
        "/events",
        body=event_body(now, bringBackProperties=bring_back),
        status=202,
        reply={"id": "ev"},
    )
    event.post()

    hub.expect(
        "POST",
        "/customers/c_id/sessions",
        body={"value": session_id},
        status=201,
        reply={"id": "s1", "value": session_id},
    )
    node.add_customer_session(customer_id="c_id", session_id=session_id)


def test_external_id(node: Node, hub: FakeHub) -> None:
    now = datetime.now()

    event = Event(node=node, bringBackProperties=Properties(type='externalId', value='e_id'),
    type=Event.TYPES.SERVICE_SUBSCRIBED, context=Event.CONTEXTS.WEB,
    properties=Properties(subscriberId = 's_id', serviceId='service_id', serviceName='serviceName', startDate=now,
    extraProperties=Properties(extra='extra')))  # fmt: skip

    bring_back = {"type": "EXTERNAL_ID", "value": "e_id", "nodeId": NODE}
    hub.expect(
        "POST",
        "/events",
        body=event_body(now, bringBackProperties=bring_back),
        status=202,
        reply={"id": "ev"},
    )
    event.post()


def test_get_all_events(node: Node, hub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    hub.expect(
        "GET", "/events", params={"customerId": "c_id"}, reply=envelope([event_doc(customerId="c_id")])
    )
    hub.expect(
        "GET",
        "/events",
        params={"customerId": "c_id", "type": "serviceSubscribed", "context": "WEB"},
        reply=envelope([event_doc(customerId="c_id", type="serviceSubscribed", context="WEB")]),
    )

    events = node.get_events(customer_id="c_id")
    assert len(events) == 1

    events = node.get_events(
        customer_id="c_id", event_type=Event.TYPES.SERVICE_SUBSCRIBED, context=Event.CONTEXTS.WEB
    )
    assert [e.type for e in events] == ["serviceSubscribed"]

    hub.expect("GET", "/customers/id", reply=doc())
    hub.expect("GET", "/events", params={"customerId": "id"}, reply=envelope([event_doc(type="viewedPage")]))
    my_customer = node.get_customer(id="id")
    for event in my_customer.get_events():
        print (event.type)  # fmt: skip
    assert capsys.readouterr().out == "viewedPage\n"


def test_get_a_single_event(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/events/event_id", reply=event_doc(id="event_id"))
    event = Event(node=node)

    customer_event = event.get_event(id="event_id")

    assert customer_event.id == "event_id"


# ====================================================================== Exception handling


def test_exception_handling(node: Node, hub: FakeHub) -> None:
    from contacthub_like.errors import APIError

    conflict = {
        "message": "Conflict with exiting customer 8b321dce-53c4-4029-8388-1938efa2090c",
        "logref": "logref_n",
        "data": "data}",
        "errors": [],
    }
    hub.expect("POST", "/customers", body={**CUSTOMER_STRUCTURE, "nodeId": NODE}, status=409, reply=conflict)
    with pytest.raises(APIError) as info:
        node.add_customer(**CUSTOMER_STRUCTURE)
    assert str(info.value) == (
        "Status code: 409. Message: Conflict with exiting customer 8b321dce-53c4-4029-8388-1938efa2090c. "
        "Errors: []. Data: data}. Logref: logref_n"
    )


# ====================================================================== API reference signatures


def test_api_reference_constructors(workspace: Workspace, node: Node) -> None:
    assert Node(workspace, "node_id").node_id == "node_id"
    customer = Customer.from_dict(node, doc())
    assert Customer(node, None, extra="x").extra == "x"
    like = Like.from_dict(customer, {"id": "l", "name": "n"}, None, None)
    assert like.customer is customer and like.to_dict() == {"id": "l", "name": "n"}
    assert Like(customer, None, None, id="l").customer is customer
    props = Properties.from_dict(None, None, {"a": 1})
    assert props.a == 1 and Properties(None, None, b=2).b == 2
    event = Event.from_dict(node, event_doc())
    assert Event(node, type="viewedPage").type == "viewedPage" and event.node is node
    assert Node.create_session_id() != Node.create_session_id()


def test_event_mode_is_sent_when_given(node: Node, hub: FakeHub) -> None:
    # "For some events, you have to specify the mode attribute"
    body = {
        "customerId": "id",
        "type": "genericActiveEvent",
        "context": "OTHER",
        "mode": "ACTIVE",
        "properties": {},
    }
    hub.expect("POST", "/events", body=body, status=202, reply={"id": "ev"})
    event = Event(
        node=node,
        customerId="id",
        type=Event.TYPES.GENERIC_ACTIVE_EVENT,
        context=Event.CONTEXTS.OTHER,
        mode=Event.MODES.ACTIVE,
        properties=Properties(),
    )
    event.post()
    assert event.id == "ev"


def test_session_returned_by_add_customer_session_is_the_session_id(node: Node, hub: FakeHub) -> None:
    session_id = node.create_session_id()
    hub.expect(
        "POST",
        "/customers/c_id/sessions",
        body={"value": session_id},
        status=201,
        reply={"id": "01", "value": session_id},
    )
    assert node.add_customer_session(customer_id="c_id", session_id=session_id) == session_id
