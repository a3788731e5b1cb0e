"""Events and sessions end to end against the embedded hub."""

from __future__ import annotations

import datetime as dt

import pytest

from contacthub_like import Customer, Event, NotFound, Properties


def _customer(node, external_id="ext-1") -> Customer:
    return Customer(node=node, externalId=external_id, base=Properties(firstName="Bruce")).post()


def _event(node, **attributes) -> Event:
    return Event(
        node=node,
        type=attributes.pop("type", Event.TYPES.SERVICE_SUBSCRIBED),
        context=attributes.pop("context", Event.CONTEXTS.WEB),
        contextInfo=Properties(client=Properties(ip="127.0.0.1")),
        properties=Properties(
            subscriberId="s_id",
            serviceId="service_id",
            serviceName="serviceName",
            startDate=dt.datetime(2024, 5, 1, 10, 0),
            extraProperties=Properties(extra="extra"),
        ),
        **attributes,
    )


def test_event_with_customer_id_is_listed_and_fetched(node):
    customer = _customer(node)
    event = _event(node, customerId=customer.id).post()
    assert event.id
    listed = node.get_events(customer_id=customer.id)
    assert [e.id for e in listed] == [event.id]
    fetched = node.get_event(event.id)
    assert fetched.type == "serviceSubscribed" and fetched.properties.serviceName == "serviceName"
    assert fetched.get_event(id=event.id).id == event.id
    assert [e.type for e in customer.get_events()] == ["serviceSubscribed"]


def test_event_filters(node):
    customer = _customer(node)
    _event(node, customerId=customer.id, date=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)).post()
    _event(
        node,
        customerId=customer.id,
        type=Event.TYPES.VIEWED_PAGE,
        context=Event.CONTEXTS.MOBILE,
        date=dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc),
    ).post()
    by_type = node.get_events(customer_id=customer.id, event_type=Event.TYPES.VIEWED_PAGE)
    assert [e.type for e in by_type] == ["viewedPage"]
    by_context = node.get_events(customer_id=customer.id, context=Event.CONTEXTS.WEB)
    assert [e.context for e in by_context] == ["WEB"]
    recent = node.get_events(
        customer_id=customer.id, date_from=dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
    )
    assert [e.type for e in recent] == ["viewedPage"]
    active = node.get_events(customer_id=customer.id, event_mode=Event.MODES.ACTIVE)
    assert {e.type for e in active} == {"serviceSubscribed", "viewedPage"}


def test_external_id_bring_back_attaches_the_event(node):
    customer = _customer(node, "e_id")
    event = _event(node, bringBackProperties=Properties(type="externalId", value="e_id")).post()
    assert event.bringBackProperties.nodeId == node.node_id
    assert [e.id for e in node.get_events(customer_id=customer.id)] == [event.id]


def test_session_events_are_reconciled_when_the_session_is_linked(node):
    session_id = node.create_session_id()
    event = node.add_event(
        **_event(node, bringBackProperties=Properties(type="SESSION_ID", value=session_id)).to_dict()
    )
    customer = _customer(node)
    assert list(node.get_events(customer_id=customer.id)) == []
    session = node.add_customer_session(customer_id=customer.id, session_id=session_id)
    assert session.value == session_id
    assert [e.id for e in node.get_events(customer_id=customer.id)] == [event.id]
    assert node.get_customer_sessions(customer.id) == [session]
    assert node.get_customer_session(customer.id, session.id) == session
    node.delete_customer_session(customer.id, session.id)
    assert node.get_customer_sessions(customer.id) == []


def test_delete_event(node):
    customer = _customer(node)
    event = _event(node, customerId=customer.id).post()
    node.delete_event(event.id)
    with pytest.raises(NotFound):
        node.get_event(event.id)
