"""Sessions and events on the wire: session ids, customer sessions, posting, listing, reading, deleting."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from helpers import (  # noqa: F401
    NODE_ID,
    FakeHub,
    customer_doc,
    envelope,
    event_doc,
    hub_fixture,
    node_fixture,
    workspace_fixture,
)

from contacthub_like import (
    Customer,
    CustomerSession,
    Event,
    InvalidValue,
    NotFound,
    OperationNotPermitted,
    PaginatedList,
    Properties,
)
from contacthub_like.services.contacthub.workspace import Node

ROME = dt.timezone(dt.timedelta(hours=2))
START = dt.datetime(2017, 4, 3, 15, 47, 23, tzinfo=ROME)
START_WIRE = "2017-04-03T13:47:23Z"


# ------------------------------------------------------------------------------------ sessions


def test_create_session_id_is_a_uuid4_string(node: Node) -> None:
    first, second = node.create_session_id(), Node.create_session_id()
    assert isinstance(first, str)
    assert uuid.UUID(first).version == 4 and str(uuid.UUID(first)) == first
    assert first != second


def test_add_customer_session(node: Node, hub: FakeHub) -> None:
    session_id = node.create_session_id()
    hub.expect(
        "POST",
        "/customers/c-1/sessions",
        body={"value": session_id},
        status=201,
        reply={"id": "01", "value": session_id},
    )
    session = node.add_customer_session(customer_id="c-1", session_id=session_id)
    assert session == CustomerSession(id="01", value=session_id)
    # the original SDK returned the session id itself; the record id rides along
    assert session == session_id and isinstance(session, str) and str(session) == session_id
    assert (session.id, session.value) == ("01", session_id)
    assert session != CustomerSession(id="02", value=session_id)
    assert repr(session) == f"CustomerSession(id='01', value='{session_id}')"
    with pytest.raises(AttributeError):
        session.id = "03"  # type: ignore[misc]


def test_list_get_and_delete_customer_sessions(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "GET",
        "/customers/c-1/sessions",
        reply={"elements": [{"id": "01", "value": "v1"}, {"id": "02", "value": "v2"}]},
    )
    hub.expect("GET", "/customers/c-1/sessions/01", reply={"id": "01", "value": "v1"})
    hub.expect("DELETE", "/customers/c-1/sessions/01", raw="")
    assert node.get_customer_sessions("c-1") == [CustomerSession("01", "v1"), CustomerSession("02", "v2")]
    assert node.get_customer_session("c-1", "01") == CustomerSession("01", "v1")
    assert node.delete_customer_session("c-1", "01") is None


# ------------------------------------------------------------------------------------ posting events


def service_subscribed(node: Node, **who: object) -> Event:
    return Event(
        node=node,
        type=Event.TYPES.SERVICE_SUBSCRIBED,
        context=Event.CONTEXTS.WEB,
        contextInfo=Properties(client=Properties(ip="127.0.0.1")),
        properties=Properties(
            subscriberId="s_id",
            serviceId="service_id",
            serviceName="serviceName",
            startDate=START,
            extraProperties=Properties(extra="extra"),
        ),
        **who,
    )


def wire_event(**who: object) -> dict:
    return {
        **who,
        "type": "serviceSubscribed",
        "context": "WEB",
        "contextInfo": {"client": {"ip": "127.0.0.1"}},
        "properties": {
            "subscriberId": "s_id",
            "serviceId": "service_id",
            "serviceName": "serviceName",
            "startDate": START_WIRE,
            "extraProperties": {"extra": "extra"},
        },
    }


def test_event_post_with_customer_id(node: Node, hub: FakeHub) -> None:
    event = service_subscribed(node, customerId="c-1")
    hub.expect("POST", "/events", body=wire_event(customerId="c-1"), status=202, reply={"id": "ev-9"})
    assert event.post() is event
    assert event.id == "ev-9"


def test_event_post_with_session_id_fills_the_node(node: Node, hub: FakeHub) -> None:
    session_id = node.create_session_id()
    event = service_subscribed(node, bringBackProperties=Properties(type="SESSION_ID", value=session_id))
    body = wire_event(bringBackProperties={"type": "SESSION_ID", "value": session_id, "nodeId": NODE_ID})
    hub.expect("POST", "/events", body=body, status=202, reply={"id": "ev-9"})
    event.post()
    assert event.bringBackProperties.nodeId == NODE_ID


def test_event_post_keeps_a_given_node(node: Node, hub: FakeHub) -> None:
    event = service_subscribed(
        node, bringBackProperties={"type": "EXTERNAL_ID", "value": "e", "nodeId": "other"}
    )
    body = wire_event(bringBackProperties={"type": "EXTERNAL_ID", "value": "e", "nodeId": "other"})
    hub.expect("POST", "/events", body=body, status=202, reply={"id": "ev-9"})
    event.post()


def test_bring_back_type_external_id_spelling_is_sent_as_the_api_value(node: Node, hub: FakeHub) -> None:
    event = service_subscribed(node, bringBackProperties=Properties(type="externalId", value="e_id"))
    body = wire_event(bringBackProperties={"type": "EXTERNAL_ID", "value": "e_id", "nodeId": NODE_ID})
    hub.expect("POST", "/events", body=body, status=202, reply={"id": "ev-9"})
    event.post()


def test_event_post_with_an_empty_202(node: Node, hub: FakeHub) -> None:
    event = service_subscribed(node, customerId="c-1")
    hub.expect("POST", "/events", body=wire_event(customerId="c-1"), status=202, raw="")
    event.post()
    assert event.id is None


def test_event_without_owner_is_refused_before_any_request(node: Node, hub: FakeHub) -> None:
    with pytest.raises(InvalidValue):
        service_subscribed(node).post()
    assert hub.count == 0


def test_add_event(node: Node, hub: FakeHub) -> None:
    event = service_subscribed(node, customerId="c-1")
    hub.expect("POST", "/events", body=wire_event(customerId="c-1"), status=202, reply={"id": "ev-9"})
    posted = node.add_event(**event.to_dict())
    assert isinstance(posted, Event)
    assert posted.id == "ev-9"
    assert posted.type == "serviceSubscribed"


def test_add_event_with_a_date(node: Node, hub: FakeHub) -> None:
    body = {"customerId": "c-1", "type": "loggedIn", "context": "WEB", "properties": {}, "date": START_WIRE}
    hub.expect("POST", "/events", body=body, status=202, reply={"id": "ev-9"})
    node.add_event(customerId="c-1", type=Event.TYPES.LOGGED_IN, context="WEB", properties={}, date=START)


# ------------------------------------------------------------------------------------ reading events


def test_get_events_for_a_customer(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/events", params={"customerId": "c-1"}, reply=envelope([event_doc()]))
    events = node.get_events(customer_id="c-1")
    assert isinstance(events, PaginatedList)
    (event,) = list(events)
    assert isinstance(event, Event)
    assert (event.id, event.type, event.context) == ("ev-1", "viewedProductCategory", "IOT")
    assert event.date == dt.datetime(2017, 4, 3, 13, 47, 23, 93000, tzinfo=dt.timezone.utc)
    assert event.properties.extraProperties.a == "b"


def test_get_events_with_every_filter(node: Node, hub: FakeHub) -> None:
    params = {
        "customerId": "c-1",
        "type": "serviceSubscribed",
        "context": "WEB",
        "mode": "ACTIVE",
        "dateFrom": "2017-04-03T13:47:23Z",
        "dateTo": "2017-05-01T00:00:00Z",
        "page": 1,
        "size": 5,
    }
    hub.expect("GET", "/events", params=params, reply=envelope([event_doc()], number=1, size=5, total=6))
    events = node.get_events(
        customer_id="c-1",
        event_type=Event.TYPES.SERVICE_SUBSCRIBED,
        context=Event.CONTEXTS.WEB,
        event_mode=Event.MODES.ACTIVE,
        date_from=START,
        date_to=dt.datetime(2017, 5, 1),
        page=1,
        size=5,
    )
    assert events.page_number == 1
    assert [e.id for e in events] == ["ev-1"]


def test_get_events_several_types_and_contexts(node: Node, hub: FakeHub) -> None:
    params = {"customerId": "c-1", "type": "loggedIn,loggedOut", "context": "WEB,MOBILE"}
    hub.expect("GET", "/events", params=params, reply=envelope([]))
    events = node.get_events(
        customer_id="c-1",
        event_type=[Event.TYPES.LOGGED_IN, Event.TYPES.LOGGED_OUT],
        context=[Event.CONTEXTS.WEB, Event.CONTEXTS.MOBILE],
    )
    assert list(events) == []


def test_get_events_of_the_node(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/events", params={"nodeId": NODE_ID}, reply=envelope([]))
    assert list(node.get_events()) == []


def test_get_events_pages_lazily_with_the_same_filters(node: Node, hub: FakeHub) -> None:
    base = {"customerId": "c-1", "type": "loggedIn", "size": 1}
    hub.expect("GET", "/events", params=base, reply=envelope([event_doc(id="e0")], size=1, total=2))
    hub.expect(
        "GET",
        "/events",
        params={**base, "page": 1},
        reply=envelope([event_doc(id="e1")], number=1, size=1, total=2),
    )
    events = node.get_events(customer_id="c-1", event_type="loggedIn", size=1)
    iterator = iter(events)
    assert next(iterator).id == "e0"
    assert hub.count == 1
    assert next(iterator).id == "e1"
    assert hub.count == 2
    assert list(iterator) == []


def test_get_event(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/events/ev-1", reply=event_doc())
    event = node.get_event(id="ev-1")
    assert event.id == "ev-1" and event.node is node


def test_event_get_event(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/events/event_id", reply=event_doc(id="event_id"))
    event = Event(node=node)
    assert event.get_event(id="event_id").id == "event_id"


def test_get_event_not_found(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "GET",
        "/events/nope",
        status=404,
        reply={"message": "not found", "logref": "l", "data": None, "errors": []},
    )
    with pytest.raises(NotFound):
        node.get_event("nope")


def test_delete_event(node: Node, hub: FakeHub) -> None:
    hub.expect("DELETE", "/events/ev-1", status=204, raw="")
    assert node.delete_event("ev-1") is None


def test_event_object_delete(node: Node, hub: FakeHub) -> None:
    hub.expect("GET", "/events/ev-1", reply=event_doc())
    hub.expect("DELETE", "/events/ev-1", status=204, raw="")
    node.get_event("ev-1").delete()


def test_customer_get_events_is_read_only(node: Node, hub: FakeHub) -> None:
    customer = Customer.from_dict(node, customer_doc())
    hub.expect(
        "GET", "/events", params={"customerId": "c-1"}, reply=envelope([event_doc(), event_doc(id="ev-2")])
    )
    events = customer.get_events()
    assert [e.type for e in events] == ["viewedProductCategory"] * 2
    with pytest.raises(OperationNotPermitted):
        events.append(Event(node=node))
    assert hub.count == 1
