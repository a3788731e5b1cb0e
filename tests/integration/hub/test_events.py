"""Events (research §1.3, §3): post (202), bring-back properties, list filters, get, delete (204)."""

from __future__ import annotations

import pytest

from .conftest import assert_envelope


def post_event(api, expect=202, **body):
    body.setdefault("type", "viewedPage")
    body.setdefault("context", "WEB")
    body.setdefault("properties", {})
    r = api.post("/events", json=body)
    assert r.status_code == expect, r.text
    return r.json()


def test_post_is_202_with_id_and_visible_at_once(api, node):
    c = node.create()
    posted = post_event(
        api,
        customerId=c["id"],
        properties={"title": "home"},
        date="2020-01-01T10:00:00+01:00",
        contextInfo={"client": {"ip": "1.2.3.4"}},
        tracking={"ga": {"utm_source": "news"}},
    )
    assert set(posted) == {"id"}
    ev = api.get(f"/events/{posted['id']}").json()
    assert ev["id"] == posted["id"] and ev["customerId"] == c["id"] and ev["bringBackProperties"] is None
    assert ev["type"] == "viewedPage" and ev["context"] == "WEB" and ev["properties"] == {"title": "home"}
    assert ev["date"] == "2020-01-01T09:00:00.000+0000"
    assert ev["contextInfo"] == {"client": {"ip": "1.2.3.4"}}
    assert ev["tracking"]["ga"]["utm_source"] == "news"
    assert {"registeredAt", "updatedAt"} <= set(ev)
    listed = api.get("/events", params={"customerId": c["id"]}).json()
    assert [e["id"] for e in listed["elements"]] == [posted["id"]]
    assert listed["page"]["totalElements"] == 1


def test_external_id_bring_back_uses_or_creates_the_customer(api, node):
    existing = node.create(externalId="ext-1")
    bbp = {"type": "EXTERNAL_ID", "value": "ext-1", "nodeId": node.node}
    ev = api.get(f"/events/{post_event(api, bringBackProperties=bbp)['id']}").json()
    assert ev["customerId"] == existing["id"] and ev["bringBackProperties"] == bbp
    bbp_new = {"type": "EXTERNAL_ID", "value": "ext-new", "nodeId": node.node}
    ev = api.get(f"/events/{post_event(api, bringBackProperties=bbp_new)['id']}").json()
    created = node.query(externalId="ext-new")["elements"]
    assert len(created) == 1 and ev["customerId"] == created[0]["id"]


def test_session_bring_back_parks_until_linked(api, node):
    bbp = {"type": "SESSION_ID", "value": "anon-123", "nodeId": node.node}
    first = post_event(api, bringBackProperties=bbp)["id"]
    assert api.get(f"/events/{first}").json()["customerId"] is None
    parked = api.get("/events", params={"nodeId": node.node}).json()["elements"]
    assert [e["id"] for e in parked] == [first]
    c = node.create()
    api.post(f"/customers/{c['id']}/sessions", json={"value": "anon-123"})
    assert api.get(f"/events/{first}").json()["customerId"] == c["id"]
    second = post_event(api, bringBackProperties=bbp)["id"]  # session already known: attached at once
    assert api.get(f"/events/{second}").json()["customerId"] == c["id"]
    ids = [e["id"] for e in api.get("/events", params={"customerId": c["id"]}).json()["elements"]]
    assert set(ids) == {first, second}


def test_list_filters_type_context_mode_dates_paging(api, node):
    c = node.create()
    specs = [
        ("viewedPage", "WEB", "2020-01-01T00:00:00Z"),
        ("campaignOpened", "DIGITAL_CAMPAIGN", "2020-02-01T00:00:00Z"),
        ("orderShipped", "ECOMMERCE", "2020-03-01T00:00:00Z"),
        ("completedOrder", "ECOMMERCE", "2020-04-01T00:00:00Z"),
    ]
    ids = {t: post_event(api, customerId=c["id"], type=t, context=ctx, date=d)["id"] for t, ctx, d in specs}

    def listed(**params):
        body = api.get("/events", params={"customerId": c["id"], **params}).json()
        return [e["type"] for e in body["elements"]], body["page"]

    types, page = listed()
    assert types == ["completedOrder", "orderShipped", "campaignOpened", "viewedPage"]  # newest first
    assert page["totalElements"] == 4 and page["totalUnfilteredElements"] == 4
    assert listed(type="viewedPage,orderShipped")[0] == ["orderShipped", "viewedPage"]
    assert listed(context="ECOMMERCE")[0] == ["completedOrder", "orderShipped"]
    assert listed(mode="PASSIVE")[0] == ["orderShipped", "campaignOpened"]
    assert listed(mode="ACTIVE")[0] == ["completedOrder", "viewedPage"]
    types, page = listed(dateFrom="2020-02-01T00:00:00.000+0000", dateTo="2020-03-15T00:00:00Z")
    assert types == ["orderShipped", "campaignOpened"]
    assert page["totalElements"] == 2 and page["totalUnfilteredElements"] == 4
    types, page = listed(size=3, page=1)
    assert types == ["viewedPage"] and page == {
        "size": 3,
        "totalElements": 4,
        "totalUnfilteredElements": 4,
        "totalPages": 2,
        "number": 1,
    }
    for bad in (
        {"type": "nope"},
        {"context": "MOON"},
        {"mode": "SLEEPY"},
        {"dateFrom": "tomorrow"},
        {"size": 100},
    ):
        assert_envelope(api.get("/events", params={"customerId": c["id"], **bad}), 400)
    assert_envelope(api.get("/events", params={"nodeId": "missing"}), 404)
    assert ids


def test_delete_event_204_then_404(api, node):
    c = node.create()
    eid = post_event(api, customerId=c["id"])["id"]
    r = api.delete(f"/events/{eid}")
    assert r.status_code == 204 and r.content == b""
    assert_envelope(api.get(f"/events/{eid}"), 404)
    assert_envelope(api.delete(f"/events/{eid}"), 404)


@pytest.mark.parametrize(
    "body, pointer",
    [
        ({"type": "notAType", "context": "WEB", "properties": {}}, "/type"),
        ({"type": "viewedPage", "context": "MARS", "properties": {}}, "/context"),
        ({"type": "viewedPage", "context": "WEB", "properties": []}, "/properties"),
        ({"type": "viewedPage", "context": "WEB", "properties": {}, "date": "last week"}, "/date"),
        ({"context": "WEB", "properties": {}}, "/type"),
        ({"type": "viewedPage", "context": "WEB"}, "/properties"),  # required, {} when there are none
        ({"type": "viewedPage", "context": "WEB", "properties": {}, "mode": "SOMETIMES"}, "/mode"),
        (
            {
                "type": "viewedPage",
                "context": "WEB",
                "bringBackProperties": {"type": "COOKIE", "value": "x", "nodeId": "n"},
            },
            "/bringBackProperties/type",
        ),
        ({"type": "viewedPage", "context": "WEB", "properties": {"x": "y" * (64 * 1024)}}, "/properties"),
    ],
)
def test_invalid_events_are_400_with_pointer(api, node, body, pointer):
    c = node.create()
    if "bringBackProperties" not in body:
        body = {"customerId": c["id"], **body}
    r = api.post("/events", json=body)
    assert pointer in {e["path"] for e in assert_envelope(r, 400)["errors"]}


def test_event_needs_a_known_customer_or_node(api, node):
    assert_envelope(api.post("/events", json={"type": "viewedPage", "context": "WEB", "properties": {}}), 400)
    assert_envelope(
        api.post(
            "/events",
            json={"customerId": "missing", "type": "viewedPage", "context": "WEB", "properties": {}},
        ),
        404,
    )
    bbp = {"type": "EXTERNAL_ID", "value": "x", "nodeId": "missing-node"}
    assert_envelope(
        api.post(
            "/events",
            json={"bringBackProperties": bbp, "type": "viewedPage", "context": "WEB", "properties": {}},
        ),
        404,
        "node not found missing-node",
    )
