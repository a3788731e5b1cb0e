"""Customers, tags and items end to end: the client's verbs against the embedded hub."""

from __future__ import annotations

import datetime as dt

import pytest

from contacthub_like import (
    Conflict,
    Customer,
    Education,
    Job,
    Like,
    NotFound,
    OperationNotPermitted,
    Properties,
    Subscription,
    TagNotFound,
)


def _bruce(node, **extra) -> Customer:
    customer = Customer(node=node, externalId=extra.pop("externalId", "bw-1"), **extra)
    customer.base.firstName = "Bruce"
    customer.base.lastName = "Wayne"
    customer.base.dob = dt.date(1972, 2, 19)
    customer.base.contacts = Properties(email="bruce@wayne.example")
    return customer


def test_post_fills_server_fields_and_reads_back_typed_values(node):
    """post() adopts the hub's document: id, timestamps as aware datetimes, dates as date."""
    customer = _bruce(node).post()
    assert customer.id and customer.nodeId == node.node_id
    assert isinstance(customer.registeredAt, dt.datetime) and customer.registeredAt.tzinfo is not None
    assert customer.base.dob == dt.date(1972, 2, 19)
    assert customer.get_mutation_tracker() == {"id": customer.id}
    fetched = node.get_customer(id=customer.id)
    assert fetched.base.contacts.email == "bruce@wayne.example"
    assert fetched.base.contacts.fax is None  # the hub fills the full shape with nulls


def test_patch_sends_only_changes_and_keeps_the_rest(node):
    customer = _bruce(node).post()
    customer.base.contacts.email = "batman@wayne.example"
    customer.tags.manual.append("vip")
    customer.patch()
    fetched = node.get_customer(id=customer.id)
    assert fetched.base.contacts.email == "batman@wayne.example"
    assert fetched.base.firstName == "Bruce"
    assert fetched.tags.manual == ["vip"]


def test_clearing_a_field_with_none_and_del(node):
    customer = _bruce(node).post()
    customer.base.firstName = None
    del customer.base.lastName
    customer.patch()
    fetched = node.get_customer(id=customer.id)
    assert fetched.base.firstName is None and fetched.base.lastName is None


def test_put_replaces_the_customer(node):
    customer = _bruce(node, extra="keep me").post()
    customer.extra = None
    customer.base.firstName = "Brucie"
    customer.put()
    fetched = node.get_customer(id=customer.id)
    assert fetched.extra is None and fetched.base.firstName == "Brucie"


def test_duplicate_external_id_conflicts_and_force_update_patches(node):
    first = _bruce(node).post()
    with pytest.raises(Conflict) as caught:
        _bruce(node).post()
    assert caught.value.existing_id == first.id
    assert "Conflict with exiting customer" in str(caught.value)
    again = _bruce(node, extra="updated").post(force_update=True)
    assert again.id == first.id and again.extra == "updated"
    via_node = node.add_customer(externalId="bw-1", extra="third", forceUpdate=True)
    assert via_node.id == first.id and via_node.extra == "third"


def test_update_customer_patch_and_put_and_delete(node):
    customer = _bruce(node).post()
    patched = node.update_customer(id=customer.id, base={"contacts": {"email": "a@b.example"}})
    assert patched.base.contacts.email == "a@b.example" and patched.base.firstName == "Bruce"
    customer = node.get_customer(id=customer.id)
    customer.base.firstName = "B."
    put = node.update_customer(**customer.to_dict(), full_update=True)
    assert put.base.firstName == "B."
    tracker_customer = node.get_customer(id=customer.id)
    tracker_customer.base.lastName = "W."
    assert node.update_customer(**tracker_customer.get_mutation_tracker()).base.lastName == "W."
    deleted = node.delete_customer(**put.to_dict())
    assert deleted is None or deleted.id == customer.id
    with pytest.raises(NotFound):
        node.get_customer(id=customer.id)


def test_get_customers_pages_and_external_id_lookup(node):
    for i in range(12):
        Customer(node=node, externalId=f"e{i:02d}", base=Properties(firstName=f"n{i:02d}")).post()
    everyone = node.get_customers()
    assert len(everyone) == 12 and everyone.total_elements == 12 and everyone.total_pages == 2
    assert sorted(c.externalId for c in everyone) == [f"e{i:02d}" for i in range(12)]
    second = node.get_customers(size=5, page=2)
    assert second.page_number == 2 and len(second.elements) == 2 and len(list(second)) == 2
    with pytest.raises(OperationNotPermitted):
        second.next_page()
    assert second.previous_page().page_number == 1
    single = node.get_customers(external_id="e03")
    assert isinstance(single, Customer) and single.base.firstName == "n03"
    assert node.get_customer(external_id="e04").base.firstName == "n04"
    with pytest.raises(NotFound):
        node.get_customer(external_id="nobody")
    sorted_desc = node.get_customers(sort="base.firstName,desc", size=3)
    assert [c.base.firstName for c in sorted_desc.elements] == ["n11", "n10", "n09"]
    only_names = node.get_customers(fields=["base.firstName"], size=1).elements[0]
    assert only_names.base.firstName is not None


def test_tags_through_the_node(node):
    customer = _bruce(node).post()
    node.add_tag(customer.id, "vip")
    node.add_tag(customer.id, "vip")  # already there: no duplicate
    node.add_tag(customer.id, "gold")
    assert node.get_customer(id=customer.id).tags.manual == ["vip", "gold"]
    node.remove_tag(customer.id, "vip")
    assert node.get_customer(id=customer.id).tags.manual == ["gold"]
    with pytest.raises(TagNotFound) as caught:
        node.remove_tag(customer.id, "vip")
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("cls", "attributes", "edit"),
    [
        (
            Education,
            dict(
                id="01",
                schoolType=Education.SCHOOL_TYPES.COLLEGE,
                schoolName="MIT",
                startYear="1994",
                endYear=2000,
                isCurrent=False,
            ),
            ("schoolConcentration", "updated"),
        ),
        (
            Job,
            dict(
                id="01",
                jobTitle="CEO",
                companyName="Wayne Enterprises",
                isCurrent=True,
                startDate="1994-10-06",
                endDate="1994-10-06",
            ),
            ("jobTitle", "Chairman"),
        ),
        (
            Like,
            dict(id="01", name="bats", category="animals", createdTime=dt.datetime(2020, 1, 2, 3, 4, 5)),
            ("name", "caves"),
        ),
        (
            Subscription,
            dict(
                id="02",
                name="news",
                kind=Subscription.KINDS.SERVICE,
                subscriberId="s1",
                subscribed=True,
                preferences=[{"key": "value"}],
            ),
            ("name", "updated"),
        ),
    ],
)
def test_customer_items_via_node_and_objects(node, cls, attributes, edit):
    customer = _bruce(node).post()
    singular = cls.__name__.lower()
    added = getattr(node, f"add_{singular}")(customer_id=customer.id, **attributes)
    assert added.id == attributes["id"]
    fetched = getattr(node, f"get_{singular}")(customer.id, attributes["id"])
    setattr(fetched, *edit)
    updated = getattr(node, f"update_{singular}")(customer_id=customer.id, **fetched.to_dict())
    assert getattr(updated, edit[0]) == edit[1]
    assert [item.id for item in getattr(customer.refresh().base, f"{singular}s")] == [attributes["id"]]
    getattr(node, f"remove_{singular}")(customer.id, attributes["id"])
    assert getattr(customer.refresh().base, f"{singular}s") == []
    # the same through the object, bound to its customer
    item = cls(customer=customer, **{**attributes, "id": "obj"})
    item.post()
    setattr(item, *edit)
    item.put()
    assert getattr(getattr(node, f"get_{singular}")(customer.id, "obj"), edit[0]) == edit[1]
    item.delete()
    with pytest.raises(NotFound):
        getattr(node, f"get_{singular}")(customer.id, "obj")


def test_appending_to_a_base_list_and_patching(node):
    customer = _bruce(node).post()
    customer.base.subscriptions += [
        Properties(id="s1", name="name", type="type", kind=Customer.SUBSCRPTION_KINDS.SERVICE)
    ]
    customer.patch()
    assert [s.id for s in node.get_customer(id=customer.id).base.subscriptions] == ["s1"]


def test_force_update_does_not_clear_what_the_new_customer_left_empty(node):
    """The default template's empty sections (tags, consents, extended) must not wipe the existing customer."""
    first = _bruce(node, tags=Properties(auto=[], manual=["vip"]), extended=Properties(points=3)).post()
    again = Customer(node=node, externalId="bw-1", extra="merged").post(force_update=True)
    assert again.id == first.id
    assert again.tags.manual == ["vip"] and again.extended.points == 3 and again.extra == "merged"
