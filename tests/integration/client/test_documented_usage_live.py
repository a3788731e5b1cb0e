"""The original SDK's documented usage, snippet by snippet, run for real against the embedded hub.

The unit module ``tests/unit/test_documented_usage.py`` pins the exact requests
each snippet sends; this one checks that the hub answers them as the real API
would and that what the snippet reads back is right. Snippets keep the
documentation's wording (only imports adapted); placeholders such as
``'customer_id'`` are replaced by the ids the hub gave.
"""

# documented snippets are kept as the documentation prints them, long lines included
# ruff: noqa: E501

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from contacthub_like.models.query import between_, in_, not_in_

from contacthub_like import APIError, Conflict, InvalidValue, NotFound, OperationNotPermitted, Workspace
from contacthub_like.models import Customer, Education, Event, Job, Like, Properties, Subscription
from contacthub_like.sandbox import admin
from contacthub_like.sandbox.server import LocalHub
from contacthub_like.services.contacthub.workspace import Node


def _post(node: Node, first: str, last: str, **extra: object) -> Customer:
    customer = Customer(node=node, **extra)
    customer.base.firstName = first
    customer.base.lastName = last
    customer.base.contacts = Properties(
        email=f"{first.lower()}.{last.lower()}.{uuid.uuid4().hex[:6]}@example.com"
    )
    return customer.post()


@pytest.fixture
def wayne(node: Node) -> Customer:
    return _post(
        node, "Bruce", "Wayne", base={"dob": "1972-02-19"}, tags={"manual": ["manual_tag"], "auto": []}
    )


# ====================================================================== Getting started


def test_getting_customers_data(node: Node, wayne: Customer, capsys: pytest.CaptureFixture[str]) -> None:
    _post(node, "Dick", "Grayson")

    customers = node.get_customers()

    for customer in customers:
        print(customer.base.firstName)

    assert sorted(capsys.readouterr().out.split()) == ["Bruce", "Dick"]

    my_customer = node.get_customer(id=wayne.id)

    print("Welcome back %s" % my_customer.base.firstName)  # noqa: UP031
    assert capsys.readouterr().out == "Welcome back Bruce\n"


def test_add_a_new_customer_from_a_struct_and_from_an_object(node: Node) -> None:
    customer_struct = {
        "base": {"contacts": {"email": "myemail@email.com"}},
        "extra": "extra",
        "extended": {"my_string": "my new extended property string"},
    }
    my_customer = node.add_customer(**customer_struct)
    assert my_customer.id and my_customer.base.contacts.email == "myemail@email.com"
    assert my_customer.extended.my_string == "my new extended property string"

    my_customer = Customer(node=node)
    my_customer.base.contacts.email = "myemail2@email.com"
    my_customer.extra = "extra"
    my_customer.extended.my_string = "my new extended property string"
    posted = node.add_customer(**my_customer.to_dict())
    assert posted.id and posted.extra == "extra"

    my_customer = Customer(node=node)
    my_customer.base.contacts.email = "myemail3@email.com"
    my_customer.post()
    assert my_customer.id and node.get_customer(id=my_customer.id).base.contacts.email == "myemail3@email.com"


def test_relationship_between_customers_and_events(node: Node, wayne: Customer) -> None:
    node.add_event(
        customerId=wayne.id, type=Event.TYPES.VIEWED_PAGE, context=Event.CONTEXTS.WEB, properties={}
    )

    my_customer = node.get_customer(id=wayne.id)
    events = my_customer.get_events()

    assert [e.type for e in events] == ["viewedPage"]
    with pytest.raises(OperationNotPermitted):
        events.append(Event(node=node))


# ====================================================================== Authentication


def test_workspace_keywords_and_ini_file(workspace: Workspace, client_hub: LocalHub, tmp_path: Path) -> None:
    token = admin.ensure_default_credentials(client_hub.db_path).token
    my_workspace = Workspace(workspace_id=workspace.workspace_id, token=token, base_url=workspace.base_url)
    node = my_workspace.get_node(node_id=workspace.default_node_id)
    assert isinstance(list(node.get_customers()), list)
    my_workspace.close()

    ini = tmp_path / "file.INI"
    ini.write_text(
        f"workspace_id = {workspace.workspace_id}\ntoken = {token}\n"
        f"base_url = {workspace.base_url}/workspaces\n"
    )
    my_workspace = Workspace.from_INI_file(str(ini))
    assert my_workspace.base_url == workspace.base_url
    assert isinstance(list(my_workspace.get_node(node_id=workspace.default_node_id).get_customers()), list)
    my_workspace.close()


def test_proxy_variables_do_not_hide_the_local_hub(
    workspace: Workspace, client_hub: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the documented way to use a proxy; a hub on this machine must still be reached directly
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    token = admin.ensure_default_credentials(client_hub.db_path).token
    with Workspace(workspace_id=workspace.workspace_id, token=token, base_url=workspace.base_url) as ws:
        assert ws.get_node(node_id=workspace.default_node_id).get_customers().count() >= 0


def test_a_wrong_token_is_an_api_error(workspace: Workspace) -> None:
    with Workspace(workspace_id=workspace.workspace_id, token="wrong", base_url=workspace.base_url) as bad:
        with pytest.raises(APIError) as caught:
            bad.get_node(node_id=workspace.default_node_id).get_customers().count()
    assert caught.value.status_code == 401
    assert "wrong" not in str(caught.value)


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


def test_add_customer_via_node_and_force_update(node: Node) -> None:
    customer_structure = {**CUSTOMER_STRUCTURE}
    my_customer = node.add_customer(**customer_structure)
    assert my_customer.base.timezone == "Europe/Rome" and my_customer.externalId == "01"

    with pytest.raises(Conflict) as caught:
        node.add_customer(**customer_structure)
    assert caught.value.status_code == 409
    assert caught.value.existing_id == my_customer.id
    assert str(caught.value).startswith(
        f"Status code: 409. Message: Conflict with exiting customer {my_customer.id}."
    )

    customer_structure["extra"] = "forced"
    forced = node.add_customer(**customer_structure, forceUpdate=True)
    assert forced.id == my_customer.id and forced.extra == "forced"

    again = Customer(node=node, default_attributes={}, **{**CUSTOMER_STRUCTURE, "extra": "by object"})
    again.post(forceUpdate=True)
    assert again.id == my_customer.id and node.get_customer(id=my_customer.id).extra == "by object"
    assert node.add_customer(force_update=True, **CUSTOMER_STRUCTURE).id == my_customer.id


def test_force_update_from_the_default_template_keeps_what_it_does_not_set(node: Node) -> None:
    existing = node.add_customer(**CUSTOMER_STRUCTURE, tags={"manual": ["vip"], "auto": []})
    again = Customer(node=node)  # the template's empty extended, consents and tags lists
    again.externalId = "01"
    again.extra = "forced"
    again.post(force_update=True)
    fetched = node.get_customer(id=existing.id)
    assert fetched.extra == "forced" and fetched.tags.manual == ["vip"] and fetched.base.firstName == "Bruce"


def test_add_customer_from_object_with_consents(node: Node) -> None:
    post_customer = Customer(node=node)
    post_customer.base.firstName = "Bruce"
    post_customer.base.lastName = "Wayne"
    post_customer.base.contacts.email = "email@example.com"
    post_customer.extra = "extra"
    post_customer.extended.my_string = "my new extended property string"
    post_customer.consents = {
        "marketing": {
            "automatic": {
                "email": {"status": True, "limitation": False, "objection": False}
            }
        }
    }  # fmt: skip

    new_customer = node.add_customer(**post_customer.to_dict())

    fetched = node.get_customer(id=new_customer.id)
    assert fetched.consents.marketing.automatic.email.status is True
    assert (
        fetched.base.firstName == "Bruce" and fetched.extended.my_string == "my new extended property string"
    )


def test_default_template_and_default_attributes(node: Node) -> None:
    assert Customer(node=node).to_dict() == {
        "base": {"contacts": {}},
        "extended": {},
        "consents": {},
        "tags": {"manual": [], "auto": []},
    }
    c = Customer(node=node, default_attributes={"base": {}})
    c.base.firstName = "Bruce"
    c.base.contacts = Properties(email="default.attributes@example.com")
    c.post()
    assert node.get_customer(id=c.id).base.firstName == "Bruce"

    # sections given to the constructor are completed with the template's empty parts
    d = Customer(node=node, base=Properties(firstName="Dick"), extended=None, tags=None)
    d.base.contacts.email = "completed.template@example.com"
    d.extended.hero = "Robin"
    d.tags.manual += ["sidekick"]
    d.post()
    fetched = node.get_customer(id=d.id)
    assert (
        fetched.base.contacts.email == "completed.template@example.com" and fetched.base.firstName == "Dick"
    )
    assert fetched.extended.hero == "Robin" and fetched.tags.manual == ["sidekick"]


def test_properties_class_and_extended_properties(node: Node) -> None:
    my_customer = Customer(node=node)
    my_customer.base.contacts = Properties(
        email="bruce.wayne@darkknight.it",
        fax="fax",
        otherContacts=[Properties(value="123", name="phone", type="MOBILE")],
    )
    my_customer.base.address = Properties(city="city", province="province", geo=Properties(lat=40, lon=100))
    my_customer.extended.my_extended_int = 1
    my_customer.extended.my_extended_string = "string"
    my_customer.extended.my_extended_object = Properties(key="value", k="v")

    my_customer.post()

    fetched = node.get_customer(id=my_customer.id)
    assert fetched.base.contacts.otherContacts[0].type == "MOBILE"
    assert fetched.base.contacts.otherContacts[0].value == "123"
    assert fetched.base.address.geo.lat == 40 and fetched.base.address.city == "city"
    assert fetched.extended.my_extended_int == 1
    assert fetched.extended.my_extended_object.k == "v"


def test_get_all_customers_and_read_attributes(
    node: Node, wayne: Customer, capsys: pytest.CaptureFixture[str]
) -> None:
    customers = node.get_customers()
    my_customer = customers[0]

    print(my_customer.base.contacts.email)
    for tag in my_customer.tags.manual:
        print(tag)

    assert capsys.readouterr().out == f"{wayne.base.contacts.email}\nmanual_tag\n"
    assert isinstance(my_customer.base, Properties)
    assert isinstance(my_customer.base.contacts, Properties) and isinstance(my_customer.tags, Properties)


def test_paging_the_customers(node: Node) -> None:
    for i in range(12):
        _post(node, f"P{i:02d}", "Paged")

    customers = node.get_customers(size=5, page=1)
    assert customers.size == 5
    assert customers.total_elements == 12
    assert customers.total_pages == 3
    assert customers.page_number == 1
    assert len(customers.elements) == 5

    page_one = [c.id for c in customers.elements]
    customers.next_page()  # as documented: the list itself moves on
    assert customers.page_number == 2 and len(customers.elements) == 2
    with pytest.raises(OperationNotPermitted, match="Last page reached."):
        customers.next_page()
    customers.previous_page()
    assert [c.id for c in customers.elements] == page_one
    customers.previous_page()
    assert customers.page_number == 0
    with pytest.raises(OperationNotPermitted, match="First page reached."):
        customers.previous_page()
    customers = node.get_customers(size=5, page=1)

    # as docs/compatibility.rst says: iteration and len() run from the start page to the last one
    assert len(customers) == 7 and len(list(customers)) == 7

    default = node.get_customers()
    assert default.size == 10 and default.page_number == 0 and len(default.elements) == 10
    with pytest.raises(OperationNotPermitted):
        default.append(default[0])
    past_the_end = node.get_customers(size=5, page=7)
    assert list(past_the_end.elements) == [] and past_the_end.total_elements == 12


@pytest.fixture
def shared_ids_node(client_hub: LocalHub) -> Iterator[Node]:
    """A node of a workspace whose matching policy lets customers share an externalId (as the API allows)."""
    ws = admin.create_workspace(client_hub.store, "shared external ids", match_policy="none")
    node_id = admin.create_node(client_hub.store, ws, "n")
    with Workspace(ws, admin.issue_token(client_hub.store, ws), client_hub.base_url) as workspace:
        yield workspace.get_node(node_id)


def test_get_customers_by_external_id_and_fields(shared_ids_node: Node) -> None:
    node = shared_ids_node
    _post(node, "Bruce", "Wayne", externalId="01")
    customers = node.get_customers(external_id="01")
    assert isinstance(customers, Customer) and customers.externalId == "01"

    _post(node, "Thomas", "Wayne", externalId="02")
    _post(node, "Martha", "Wayne", externalId="02")
    customers = node.get_customers(external_id="02")
    assert sorted(c.base.firstName for c in customers) == ["Martha", "Thomas"]
    assert list(node.get_customers(external_id="none")) == []

    only = node.get_customers(fields=["base.firstName", "base.lastName"], external_id="01")
    assert only.base.firstName == "Bruce" and only.base.lastName == "Wayne"
    assert only.base.contacts is None
    listed = node.get_customers(fields=["base.firstName", "base.lastName"])
    assert {c.base.firstName for c in listed} == {"Bruce", "Thomas", "Martha"}
    assert all(c.extra is None for c in listed)


def test_get_a_single_customer(node: Node) -> None:
    bruce = _post(node, "Bruce", "Wayne", externalId="02")

    my_customer = node.get_customer(id=bruce.id)
    assert my_customer.base.firstName == "Bruce"
    my_customer = node.get_customer(external_id="02")
    assert my_customer.id == bruce.id

    with pytest.raises(ValueError):
        node.get_customer(id=bruce.id, external_id="02")
    with pytest.raises(NotFound) as caught:
        node.get_customer(id=str(uuid.uuid4()))
    assert caught.value.status_code == 404


# ====================================================================== Query


@pytest.fixture
def family(node: Node) -> dict[str, Customer]:
    people = {
        "bruce": _post(
            node, "Bruce", "Wayne", base={"dob": "1972-02-19"}, tags={"manual": ["manual_tag"], "auto": []}
        ),
        "thomas": _post(node, "Thomas", "Wayne", base={"dob": "1940-05-01"}),
        "batman": _post(
            node, "Batman", "Unknown", base={"dob": "1995-01-01"}, tags={"manual": ["other"], "auto": []}
        ),
        "alfred": _post(node, "Alfred", "Pennyworth"),
    }
    nameless = Customer(
        node=node, base={"lastName": "Nameless", "contacts": {"email": "nameless@example.com"}}
    )
    people["nameless"] = nameless.post()
    return people


def _names(customers: object) -> list[str]:
    return sorted(c.base.lastName if c.base.firstName is None else c.base.firstName for c in customers)  # type: ignore[attr-defined]


def test_simple_queries(node: Node, family: dict[str, Customer]) -> None:
    new_query = node.query(Customer)
    new_query = new_query.filter((Customer.base.firstName == "Bruce") & (Customer.base.lastName == "Wayne"))
    new_query = new_query.filter(Customer.base.dob <= datetime(1994, 6, 10))

    filtered_customers = new_query.all()

    assert _names(filtered_customers) == ["Bruce"]
    assert node.query(Customer).filter(Customer.base.firstName == "Bruce").first().id == family["bruce"].id


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda: Customer.base.firstName == "Bruce", ["Bruce"]),
        # as on the real API, "not equal" also holds where the attribute is null
        (lambda: Customer.base.firstName != "Bruce", ["Alfred", "Batman", "Nameless", "Thomas"]),
        (lambda: Customer.base.dob > datetime(1994, 6, 10), ["Batman"]),
        (lambda: Customer.base.dob >= datetime(1995, 1, 1), ["Batman"]),
        (lambda: Customer.base.dob < datetime(1972, 2, 19), ["Thomas"]),
        (lambda: Customer.base.dob <= datetime(1972, 2, 19), ["Bruce", "Thomas"]),
        (lambda: Customer.registeredAt < datetime(2010, 6, 10), []),
        (
            lambda: Customer.registeredAt <= datetime(2100, 6, 10),
            ["Alfred", "Batman", "Bruce", "Nameless", "Thomas"],
        ),
        (lambda: in_("manual_tag", Customer.tags.manual), ["Bruce"]),
        (lambda: not_in_("manual_tag", Customer.tags.manual), ["Alfred", "Batman", "Nameless", "Thomas"]),
        (lambda: between_(Customer.base.dob, datetime(1950, 1, 1), datetime(1994, 1, 1)), ["Bruce"]),
        (lambda: between_(Customer.base.dob, "1950-01-01", "1996-01-01"), ["Batman", "Bruce"]),
        (lambda: Customer.base.firstName == None, ["Nameless"]),  # noqa: E711
        (lambda: Customer.base.firstName != None, ["Alfred", "Batman", "Bruce", "Thomas"]),  # noqa: E711
        (lambda: (Customer.base.firstName == "Bruce") & (Customer.base.lastName == "Wayne"), ["Bruce"]),
        (
            lambda: (Customer.base.firstName == "Bruce") | (Customer.base.firstName == "Batman"),
            ["Batman", "Bruce"],
        ),
    ],
)
def test_available_operations(node: Node, family: dict[str, Customer], build, expected: list[str]) -> None:
    assert _names(node.query(Customer).filter(build()).all()) == expected


def test_combined_queries(node: Node, family: dict[str, Customer]) -> None:
    q1 = node.query(Customer).filter(Customer.base.firstName == "Bruce")
    q2 = node.query(Customer).filter(Customer.base.lastName == "Wayne")

    and_query = q1 & q2
    or_query = q1 | q2

    assert _names(and_query.all()) == ["Bruce"]
    assert _names(or_query.all()) == ["Bruce", "Thomas"]
    with pytest.raises(OperationNotPermitted, match="Cannot apply a filter on a combined query."):
        and_query.filter(Customer.base.firstName == "x")


def test_query_order_by_and_paging(node: Node, family: dict[str, Customer]) -> None:
    named = Customer.base.firstName != None  # noqa: E711
    ordered = node.query(Customer).filter(named).order_by(Customer.base.firstName).all()
    assert [c.base.firstName for c in ordered] == ["Alfred", "Batman", "Bruce", "Thomas"]
    assert ordered.total_elements == 4


# ====================================================================== Update a customer


def test_full_update(node: Node, wayne: Customer) -> None:
    my_customer = node.get_customer(id=wayne.id)
    my_customer.base.contacts.email = "anotheremail@example.com"

    updated_customer = node.update_customer(**my_customer.to_dict(), full_update=True)
    assert updated_customer.base.contacts.email == "anotheremail@example.com"
    assert updated_customer.base.firstName == "Bruce"

    my_customer = node.get_customer(id=wayne.id)
    my_customer.base.contacts.email = "yetanotheremail@example.com"
    my_customer.put()
    fetched = node.get_customer(id=wayne.id)
    assert fetched.base.contacts.email == "yetanotheremail@example.com"
    assert fetched.base.dob == date(1972, 2, 19) and fetched.tags.manual == ["manual_tag"]


def test_partial_updates(node: Node, wayne: Customer) -> None:
    customer = node.get_customer(id=wayne.id)
    customer.base.subscriptions += [
        Properties(id="id", name="name", type="type", kind=Customer.SUBSCRPTION_KINDS.SERVICE)
    ]
    customer.patch()
    assert node.get_customer(id=wayne.id).base.subscriptions[0].kind == "SERVICE"

    my_customer = node.get_customer(id=wayne.id)
    my_customer.base.contacts.email = "anotheremail@example.com"
    updated_customer = node.update_customer(**my_customer.get_mutation_tracker())
    assert updated_customer.base.contacts.email == "anotheremail@example.com"
    assert updated_customer.base.firstName == "Bruce"

    mutations = {"base": {"contacts": {"email": "mutated@example.com"}}}
    updated_customer = node.update_customer(id=wayne.id, **mutations)
    assert updated_customer.base.contacts.email == "mutated@example.com"
    assert updated_customer.base.subscriptions[0].id == "id"

    my_customer = node.get_customer(id=wayne.id)
    my_customer.base.contacts.email = "patched@example.com"
    my_customer.patch()
    fetched = node.get_customer(id=wayne.id)
    assert fetched.base.contacts.email == "patched@example.com" and fetched.base.lastName == "Wayne"


def test_delete_a_customer(node: Node) -> None:
    first = _post(node, "One", "Deleted")
    node.delete_customer(id=first.id)

    second = _post(node, "Two", "Deleted")
    my_customer = node.get_customer(id=second.id)
    deleted = node.delete_customer(**my_customer.to_dict())
    assert deleted is not None and deleted.id == second.id

    third = _post(node, "Three", "Deleted")
    third.delete()

    for gone in (first, second, third):
        with pytest.raises(NotFound):
            node.get_customer(id=gone.id)


# ====================================================================== Tags


def test_tags(node: Node, wayne: Customer, capsys: pytest.CaptureFixture[str]) -> None:
    my_customer = node.get_customer(id=wayne.id)
    for auto in my_customer.tags.auto:
        print(auto)
    for manual in my_customer.tags.manual:
        print(manual)
    assert capsys.readouterr().out == "manual_tag\n"

    node.add_tag(wayne.id, "new_tag")
    assert node.get_customer(id=wayne.id).tags.manual == ["manual_tag", "new_tag"]
    node.remove_tag(customer_id=wayne.id, tag="manual_tag")
    assert node.get_customer(id=wayne.id).tags.manual == ["new_tag"]

    try:
        node.remove_tag(wayne.id, "manual_tag")
    except ValueError as e:
        assert "manual_tag" in str(e)
    else:
        pytest.fail("removing a missing tag must raise ValueError")


# ====================================================================== Additional entities


def test_education(node: Node, wayne: Customer) -> None:
    from contacthub_like.model import Education as ModelEducation

    assert ModelEducation is Education
    new_educ = node.add_education(customer_id=wayne.id, id='01', schoolType=Education.SCHOOL_TYPES.COLLEGE,
        schoolName='schoolName', schoolConcentration='schoolConcentration', isCurrent=False, startYear='1994', endYear='2000')  # fmt: skip
    assert new_educ.id == "01" and new_educ.startYear == 1994

    customer_education = node.get_education(customer_id=wayne.id, education_id="01")
    assert customer_education.schoolName == "schoolName"
    assert node.get_customer(id=wayne.id).base.educations[0].id == "01"

    my_customer = node.get_customer(id=wayne.id)
    new_educ = Education(customer=my_customer, id='02', schoolType=Education.SCHOOL_TYPES.COLLEGE, schoolName='schoolName',
        schoolConcentration='schoolConcentration', isCurrent=False, startYear='1994', endYear='2000')  # fmt: skip
    new_educ.post()

    my_education = node.get_education(customer_id=wayne.id, education_id="01")
    my_education.schoolConcentration = "updated"
    node.update_education(customer_id=wayne.id, **my_education.to_dict())
    assert node.get_education(customer_id=wayne.id, education_id="01").schoolConcentration == "updated"
    my_education.schoolConcentration = "updated again"
    my_education.put()
    assert node.get_customer_education(wayne.id, "01").schoolConcentration == "updated again"

    node.remove_education(customer_id=wayne.id, education_id="01")
    education = new_educ
    education.delete()
    assert node.get_customer(id=wayne.id).base.educations == []
    with pytest.raises(NotFound):
        node.get_education(customer_id=wayne.id, education_id="01")


def test_job(node: Node, wayne: Customer) -> None:
    new_job = node.add_job(customer_id=wayne.id, id='01', jobTitle='jobTitle', companyName='companyName',
        companyIndustry='companyIndustry', isCurrent=True, startDate='1994-10-06', endDate='1994-10-06')  # fmt: skip
    assert new_job.startDate == date(1994, 10, 6)

    my_customer = node.get_customer(id=wayne.id)
    new_job = Job(customer=my_customer, id='02', jobTitle='jobTitle', companyName='companyName', companyIndustry='companyIndustry',
        isCurrent=True, startDate='1994-10-06', endDate='1994-10-06')  # fmt: skip
    new_job.post()

    my_job = node.get_job(customer_id=wayne.id, job_id="01")
    my_job.jobTitle = "updated"
    node.update_job(customer_id=wayne.id, **my_job.to_dict())
    assert node.get_customer_job(wayne.id, "01").jobTitle == "updated"
    my_job.jobTitle = "updated again"
    my_job.put()
    assert node.get_job(customer_id=wayne.id, job_id="01").jobTitle == "updated again"

    node.remove_job(customer_id=wayne.id, job_id="01")
    job = new_job
    job.delete()
    assert node.get_customer(id=wayne.id).base.jobs == []


def test_like(node: Node, wayne: Customer) -> None:
    new_like = node.add_like(customer_id=wayne.id, id='01', name='name', category='category',
    createdTime=datetime.now())  # fmt: skip
    assert isinstance(new_like.createdTime, datetime)

    my_customer = node.get_customer(id=wayne.id)
    new_like = Like(
        customer=my_customer, id="02", name="name", category="category", createdTime=datetime.now()
    )
    new_like.post()

    my_like = node.get_like(customer_id=wayne.id, like_id="01")
    my_like.name = "updated"
    node.update_like(customer_id=wayne.id, **my_like.to_dict())
    assert node.get_customer_like(wayne.id, "01").name == "updated"
    my_like.name = "updated again"
    my_like.put()
    assert node.get_like(customer_id=wayne.id, like_id="01").name == "updated again"

    node.remove_like(customer_id=wayne.id, like_id="01")
    like = new_like
    like.delete()
    assert node.get_customer(id=wayne.id).base.likes == []


def test_subscription(node: Node, wayne: Customer) -> None:
    new_sub = node.add_subscription(customer_id=wayne.id, id='02', name='name', kind=Subscription.KINDS.SERVICE,
    subscriberId='id', subscribed=True, preferences=[{'key': 'value'}])  # fmt: skip
    assert new_sub.subscribed is True and new_sub.kind == "SERVICE"
    assert new_sub.preferences[0].key == "value"  # the hub fills the preference's missing value with null

    my_customer = node.get_customer(id=wayne.id)
    new_sub = Subscription(customer=my_customer, id='03', name='name', kind=Subscription.KINDS.SERVICE,
    subscriberId='id', subscribed=True, preferences=[{'key': 'value'}])  # fmt: skip
    new_sub.post()

    my_sub = node.get_subscription(customer_id=wayne.id, subscription_id="02")
    my_sub.name = "updated"
    node.update_subscription(customer_id=wayne.id, **my_sub.to_dict())
    assert node.get_customer_subscription(wayne.id, "02").name == "updated"
    my_sub.name = "updated again"
    my_sub.put()
    assert node.get_subscription(customer_id=wayne.id, subscription_id="02").name == "updated again"

    node.remove_subscription(customer_id=wayne.id, subscription_id="02")
    subscription = new_sub
    subscription.delete()
    assert node.get_customer(id=wayne.id).base.subscriptions == []


# ====================================================================== Events


def _service_properties() -> Properties:
    return Properties(
        subscriberId='s_id', serviceId='service_id', serviceName='serviceName', startDate=datetime.now(),
        extraProperties=Properties(extra='extra')
    )  # fmt: skip


def test_add_a_new_event(node: Node, wayne: Customer) -> None:
    my_customer = wayne
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
        properties=_service_properties(),
    )  # fmt: skip

    posted = node.add_event(**event.to_dict())
    assert posted.id

    event.post()
    assert event.id and event.id != posted.id

    events = node.get_events(customer_id=wayne.id)
    assert len(list(events)) == 2
    fetched = node.get_event(id=posted.id)
    assert fetched.type == "serviceSubscribed" and fetched.context == "WEB"
    assert fetched.contextInfo.client.ip == "127.0.0.1"
    assert fetched.properties.extraProperties.extra == "extra"
    assert isinstance(fetched.date, datetime) and fetched.date.tzinfo is not None

    customer_event = event.get_event(id=event.id)
    assert customer_event.id == event.id


def test_event_mode(node: Node, wayne: Customer) -> None:
    # "For some events, you have to specify the mode attribute"
    event = Event(
        node=node,
        customerId=wayne.id,
        type=Event.TYPES.GENERIC_PASSIVE_EVENT,
        context=Event.CONTEXTS.OTHER,
        mode=Event.MODES.PASSIVE,
        properties=Properties(),
    )
    event.post()
    assert event.id and event.mode == "PASSIVE"
    assert [e.id for e in node.get_events(customer_id=wayne.id, event_mode="PASSIVE")] == [event.id]
    posted = node.add_event(
        customerId=wayne.id, type="genericActiveEvent", context="OTHER", mode="ACTIVE", properties={}
    )
    assert [e.id for e in node.get_events(customer_id=wayne.id, event_mode="ACTIVE")] == [posted.id]
    with pytest.raises(InvalidValue, match="ACTIVE, PASSIVE"):
        Event(node=node, mode="SOMETIMES")


def test_sessions(node: Node, wayne: Customer) -> None:
    session_id = node.create_session_id()
    assert uuid.UUID(session_id).version == 4

    event = Event(node=node, bringBackProperties=Properties(type='SESSION_ID', value=session_id),
    type=Event.TYPES.SERVICE_SUBSCRIBED, context=Event.CONTEXTS.WEB,
    properties=Properties(subscriberId = 's_id', serviceId='service_id', serviceName='serviceName', startDate=datetime.now(),
    extraProperties=Properties(extra='extra')))  # fmt: skip
    event.post()
    assert list(node.get_events(customer_id=wayne.id)) == []

    added = node.add_customer_session(customer_id=wayne.id, session_id=session_id)
    assert added == session_id  # "the session id of the new session inserted"
    assert node.get_customer_session(wayne.id, added.id) == added

    events = list(node.get_events(customer_id=wayne.id))
    assert [e.id for e in events] == [event.id]


def test_external_id(node: Node) -> None:
    known = _post(node, "Known", "External", externalId="e_id")
    event = Event(node=node, bringBackProperties=Properties(type='externalId', value='e_id'),
    type=Event.TYPES.SERVICE_SUBSCRIBED, context=Event.CONTEXTS.WEB,
    properties=Properties(subscriberId = 's_id', serviceId='service_id', serviceName='serviceName', startDate=datetime.now(),
    extraProperties=Properties(extra='extra')))  # fmt: skip
    event.post()

    assert [e.id for e in node.get_events(customer_id=known.id)] == [event.id]
    assert node.get_event(id=event.id).bringBackProperties.type == "EXTERNAL_ID"


def test_get_all_events_with_filters(node: Node, wayne: Customer, capsys: pytest.CaptureFixture[str]) -> None:
    node.add_event(
        customerId=wayne.id, type=Event.TYPES.SERVICE_SUBSCRIBED, context=Event.CONTEXTS.WEB, properties={}
    )
    node.add_event(
        customerId=wayne.id, type=Event.TYPES.VIEWED_PAGE, context=Event.CONTEXTS.WEB, properties={}
    )
    node.add_event(
        customerId=wayne.id, type=Event.TYPES.CAMPAIGN_SENT, context=Event.CONTEXTS.MOBILE, properties={}
    )
    old = node.add_event(
        customerId=wayne.id,
        type=Event.TYPES.VIEWED_PAGE,
        context=Event.CONTEXTS.WEB,
        properties={},
        date=datetime(2001, 1, 1, tzinfo=timezone.utc),
    )

    events = node.get_events(customer_id=wayne.id)
    assert events.total_elements == 4

    events = node.get_events(
        customer_id=wayne.id, event_type=Event.TYPES.SERVICE_SUBSCRIBED, context=Event.CONTEXTS.WEB
    )
    assert [(e.type, e.context) for e in events] == [("serviceSubscribed", "WEB")]

    assert [e.id for e in node.get_events(customer_id=wayne.id, date_to=datetime(2002, 1, 1))] == [old.id]
    assert len(list(node.get_events(customer_id=wayne.id, date_from="2002-01-01T00:00:00Z"))) == 3
    assert [e.type for e in node.get_events(customer_id=wayne.id, event_mode="PASSIVE")] == ["campaignSent"]
    assert len(list(node.get_events(customer_id=wayne.id, event_mode=Event.MODES.ACTIVE))) == 3
    paged = node.get_events(customer_id=wayne.id, size=3, page=1)
    assert len(paged.elements) == 1 and paged.total_pages == 2

    for event in node.get_customer(id=wayne.id).get_events():
        print (event.type)  # fmt: skip
    assert sorted(capsys.readouterr().out.split()) == [
        "campaignSent",
        "serviceSubscribed",
        "viewedPage",
        "viewedPage",
    ]


# ====================================================================== Exception handling


def test_exception_handling(node: Node) -> None:
    first = node.add_customer(**CUSTOMER_STRUCTURE)
    with pytest.raises(APIError) as caught:
        node.add_customer(**CUSTOMER_STRUCTURE)
    error = caught.value
    assert error.status_code == 409
    assert str(error).startswith(
        f"Status code: 409. Message: Conflict with exiting customer {first.id}. Errors: []. Data: "
    )
    assert error.logref and f"Logref: {error.logref}" in str(error)
    assert error.data["customer"]["id"] == first.id
    assert error.data["customer"]["href"].endswith(f"/customers/{first.id}")


# ====================================================================== API reference enumerations


def test_every_event_type_and_context_name_is_accepted_by_the_hub(node: Node, wayne: Customer) -> None:
    # every member name, the original SDK's misspelt ones (ADDED_WISH_LIST, REMOVED_WISHLIST,
    # EVENT_PARTECIPATED) included, gives a value the hub accepts
    names = list(Event.TYPES.__members__)
    assert {"ADDED_WISH_LIST", "REMOVED_WISHLIST", "EVENT_PARTECIPATED", "ABANDONED_SESSION"} <= set(names)
    contexts = list(Event.CONTEXTS.__members__)
    for i, name in enumerate(names):
        node.add_event(
            customerId=wayne.id,
            type=getattr(Event.TYPES, name),
            context=getattr(Event.CONTEXTS, contexts[i % len(contexts)]),
            properties={},
        )
    assert node.get_events(customer_id=wayne.id).total_elements == len(names)


def test_customer_enumerations_are_accepted_by_the_hub(node: Node) -> None:
    customer = Customer(node=node)
    customer.base.timezone = Customer.TIMEZONES.EUROPE_ROME
    customer.base.contacts.email = "enums@example.com"
    customer.base.contacts.otherContacts = [
        Properties(name=name, type=getattr(Customer.OTHER_CONTACT_TYPES, name), value="x")
        for name in Customer.OTHER_CONTACT_TYPES.__members__
    ]
    customer.base.contacts.mobileDevices = [
        Properties(
            identifier=f"d{i}",
            type=getattr(Customer.MOBILE_DEVICE_TYPES, device),
            notificationService=service,
        )
        for i, (device, service) in enumerate(
            zip(
                ["APN", "GCM", "WP", "IOS", "ANDROID"],
                Customer.NOTIFICATION_SERVICES.__members__.values(),
                strict=True,
            )
        )
    ]
    customer.post()
    for name in Education.SCHOOL_TYPES.__members__:
        node.add_education(customer_id=customer.id, id=name, schoolType=getattr(Education.SCHOOL_TYPES, name))
    for name in Subscription.KINDS.__members__:
        node.add_subscription(customer_id=customer.id, id=name, kind=getattr(Subscription.KINDS, name))
    fetched = node.get_customer(id=customer.id)
    assert [d.type for d in fetched.base.contacts.mobileDevices] == [
        "IOS",
        "ANDROID",
        "WINDOWS_PHONE",
        "IOS",
        "ANDROID",
    ]
    assert [d.notificationService for d in fetched.base.contacts.mobileDevices] == [
        "APN",
        "GCM",
        "WNS",
        "ADM",
        "SNS",
    ]
    assert len(fetched.base.educations) == 5 and len(fetched.base.subscriptions) == 3
    assert fetched.base.timezone == "Europe/Rome"
