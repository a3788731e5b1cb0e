"""Educations, jobs, likes and subscriptions: the node verbs and the object verbs on the wire."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from helpers import FakeHub, customer_doc, hub_fixture, node_fixture, workspace_fixture  # noqa: F401

from contacthub_like import Customer, OperationNotPermitted
from contacthub_like.models import Education, Job, Like, Subscription
from contacthub_like.services.contacthub.workspace import Node

ROME = dt.timezone(dt.timedelta(hours=2))


@dataclass
class Kind:
    cls: type
    collection: str
    noun: str  # node.add_<noun>, node.get_<noun>, ...
    given: dict[str, Any]  # what a user passes
    wire: dict[str, Any]  # what the hub must receive (id included)
    post_status: int = 200


KINDS = [
    Kind(
        Education,
        "educations",
        "education",
        dict(
            id="01",
            schoolType=Education.SCHOOL_TYPES.COLLEGE,
            schoolName="schoolName",
            schoolConcentration="schoolConcentration",
            isCurrent=False,
            startYear="1994",
            endYear="2000",
        ),
        {
            "id": "01",
            "schoolType": "COLLEGE",
            "schoolName": "schoolName",
            "schoolConcentration": "schoolConcentration",
            "isCurrent": False,
            "startYear": 1994,
            "endYear": 2000,
        },
    ),
    Kind(
        Job,
        "jobs",
        "job",
        dict(
            id="01",
            jobTitle="jobTitle",
            companyName="companyName",
            companyIndustry="companyIndustry",
            isCurrent=True,
            startDate="1994-10-06",
            endDate=dt.date(1998, 1, 31),
        ),
        {
            "id": "01",
            "jobTitle": "jobTitle",
            "companyName": "companyName",
            "companyIndustry": "companyIndustry",
            "isCurrent": True,
            "startDate": "1994-10-06",
            "endDate": "1998-01-31",
        },
    ),
    Kind(
        Like,
        "likes",
        "like",
        dict(
            id="01",
            name="name",
            category="category",
            createdTime=dt.datetime(2017, 6, 1, 12, 0, 5, tzinfo=ROME),
        ),
        {"id": "01", "name": "name", "category": "category", "createdTime": "2017-06-01T10:00:05Z"},
    ),
    Kind(
        Subscription,
        "subscriptions",
        "subscription",
        dict(
            id="02",
            name="name",
            kind=Subscription.KINDS.SERVICE,
            subscriberId="id",
            subscribed=True,
            preferences=[{"key": "value"}],
        ),
        {
            "id": "02",
            "name": "name",
            "kind": "SERVICE",
            "subscriberId": "id",
            "subscribed": True,
            "preferences": [{"key": "value"}],
        },
        post_status=201,
    ),
]
IDS = [k.noun for k in KINDS]


def without_id(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "id"}


@pytest.fixture
def customer(node: Node) -> Customer:
    return Customer.from_dict(node, customer_doc())


# ------------------------------------------------------------------------------------ node verbs


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_node_add(node: Node, hub: FakeHub, kind: Kind) -> None:
    hub.expect(
        "POST", f"/customers/c-1/{kind.collection}", body=kind.wire, status=kind.post_status, reply=kind.wire
    )
    item = getattr(node, f"add_{kind.noun}")(customer_id="c-1", **kind.given)
    assert isinstance(item, kind.cls)
    assert item.id == kind.wire["id"]
    assert item.to_dict() == kind.wire


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
@pytest.mark.parametrize("prefix", ["get_", "get_customer_"])
def test_node_get(node: Node, hub: FakeHub, kind: Kind, prefix: str) -> None:
    item_id = kind.wire["id"]
    hub.expect("GET", f"/customers/c-1/{kind.collection}/{item_id}", reply=kind.wire)
    item = getattr(node, prefix + kind.noun)("c-1", item_id)
    assert isinstance(item, kind.cls)
    assert item.to_dict() == kind.wire


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_node_update_puts_the_item_without_id_in_the_body(node: Node, hub: FakeHub, kind: Kind) -> None:
    item_id = kind.wire["id"]
    hub.expect(
        "PUT", f"/customers/c-1/{kind.collection}/{item_id}", body=without_id(kind.wire), reply=kind.wire
    )
    item = getattr(node, f"update_{kind.noun}")(customer_id="c-1", **kind.given)
    assert isinstance(item, kind.cls)


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_node_get_modify_update(node: Node, hub: FakeHub, kind: Kind) -> None:
    item_id = kind.wire["id"]
    hub.expect("GET", f"/customers/c-1/{kind.collection}/{item_id}", reply=kind.wire)
    item = getattr(node, f"get_{kind.noun}")(customer_id="c-1", **{f"{kind.noun}_id": item_id})
    field = "schoolConcentration" if kind.cls is Education else "jobTitle" if kind.cls is Job else "name"
    setattr(item, field, "updated")
    expected = {**without_id(kind.wire), field: "updated"}
    hub.expect(
        "PUT",
        f"/customers/c-1/{kind.collection}/{item_id}",
        body=expected,
        reply={**kind.wire, field: "updated"},
    )
    getattr(node, f"update_{kind.noun}")(customer_id="c-1", **item.to_dict())


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_node_remove(node: Node, hub: FakeHub, kind: Kind) -> None:
    item_id = kind.wire["id"]
    hub.expect("DELETE", f"/customers/c-1/{kind.collection}/{item_id}", raw="")
    assert getattr(node, f"remove_{kind.noun}")(customer_id="c-1", **{f"{kind.noun}_id": item_id}) is None


# ------------------------------------------------------------------------------------ object verbs


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_object_post(customer: Customer, hub: FakeHub, kind: Kind) -> None:
    item = kind.cls(customer=customer, **kind.given)
    hub.expect(
        "POST", f"/customers/c-1/{kind.collection}", body=kind.wire, status=kind.post_status, reply=kind.wire
    )
    assert item.post() is item
    assert item.to_dict() == kind.wire


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_object_put(customer: Customer, hub: FakeHub, kind: Kind) -> None:
    item = kind.cls(customer=customer, **kind.given)
    item_id = kind.wire["id"]
    hub.expect(
        "PUT", f"/customers/c-1/{kind.collection}/{item_id}", body=without_id(kind.wire), reply=kind.wire
    )
    item.put()


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_object_delete(customer: Customer, hub: FakeHub, kind: Kind) -> None:
    item = kind.cls(customer=customer, **kind.given)
    hub.expect("DELETE", f"/customers/c-1/{kind.collection}/{kind.wire['id']}", reply=kind.wire)
    item.delete()


def test_item_found_in_the_customer_document_knows_its_owner(customer: Customer, hub: FakeHub) -> None:
    education = customer.base.educations[0]
    assert isinstance(education, Education)
    education.schoolConcentration = "updated"
    hub.expect(
        "PUT",
        "/customers/c-1/educations/ed-1",
        body={
            "schoolType": "COLLEGE",
            "schoolName": "Gotham U",
            "schoolConcentration": "updated",
            "startYear": 1998,
            "endYear": 2002,
            "isCurrent": False,
        },
        reply={"id": "ed-1"},
    )
    education.put()


def test_item_without_customer_cannot_be_posted(hub: FakeHub) -> None:
    with pytest.raises(OperationNotPermitted):
        Education(id="01", schoolName="x").post()
    assert hub.count == 0


def test_item_without_id_cannot_be_put(customer: Customer, hub: FakeHub) -> None:
    with pytest.raises(OperationNotPermitted):
        Job(customer=customer, jobTitle="x").put()
    assert hub.count == 0


def test_start_year_digits_become_an_integer() -> None:
    assert Education(id="e", startYear="1994").to_dict() == {"id": "e", "startYear": 1994}
    with pytest.raises(TypeError):
        Education(id="e", startYear="ninety")
