"""Customers: create, read, list/paging/sort/fields, replace, merge-patch, delete.

Wire contract: research §1.1, §2, §4, §7.
"""

from __future__ import annotations

import re

import pytest

from .conftest import assert_envelope

HUB_TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$")


def test_post_returns_201_and_the_fully_populated_shape(node):
    c = node.create(base={"contacts": {"email": "a@example.com"}}, extra="x")
    assert set(c) == {
        "id",
        "nodeId",
        "externalId",
        "extra",
        "registeredAt",
        "updatedAt",
        "enabled",
        "base",
        "extended",
        "consents",
        "tags",
    }
    assert c["nodeId"] == node.node and c["enabled"] is True and c["externalId"] is None and c["extra"] == "x"
    assert HUB_TS.match(c["registeredAt"]) and c["registeredAt"] == c["updatedAt"]
    base = c["base"]
    assert base["firstName"] is None and base["dob"] is None and base["address"] is None
    assert base["contacts"] == {
        "email": "a@example.com",
        "fax": None,
        "mobilePhone": None,
        "phone": None,
        "otherContacts": [],
        "mobileDevices": [],
    }
    assert base["educations"] == base["likes"] == base["jobs"] == base["subscriptions"] == []
    assert c["tags"] == {"auto": [], "manual": []} and c["extended"] is None and c["consents"] is None


def test_get_by_id_and_404(api, node):
    c = node.create(base={"firstName": "Ann"})
    r = api.get(f"/customers/{c['id']}")
    assert r.status_code == 200 and r.json() == c
    assert_envelope(api.get("/customers/does-not-exist"), 404)


def test_list_requires_node_and_knows_unknown_nodes(api):
    assert_envelope(api.get("/customers"), 400)
    assert_envelope(api.get("/customers", params={"nodeId": "nope"}), 404, "node not found nope")


def test_list_envelope_paging_and_size_cap(api, node):
    made = [node.create(externalId=f"e{i}")["id"] for i in range(12)]
    r = api.get("/customers", params={"nodeId": node.node})
    body = r.json()
    assert r.status_code == 200
    assert [c["id"] for c in body["elements"]] == made[:10]
    assert body["page"] == {
        "size": 10,
        "totalElements": 12,
        "totalUnfilteredElements": 12,
        "totalPages": 2,
        "number": 0,
    }
    second = api.get("/customers", params={"nodeId": node.node, "page": 1}).json()
    assert [c["id"] for c in second["elements"]] == made[10:] and second["page"]["number"] == 1
    past = api.get("/customers", params={"nodeId": node.node, "page": 5, "size": 5}).json()
    assert past["elements"] == [] and past["page"]["totalElements"] == 12 and past["page"]["totalPages"] == 3
    assert api.get("/customers", params={"nodeId": node.node, "size": 50}).status_code == 200
    assert_envelope(api.get("/customers", params={"nodeId": node.node, "size": 51}), 400)
    assert_envelope(api.get("/customers", params={"nodeId": node.node, "size": "x"}), 400)
    assert_envelope(api.get("/customers", params={"nodeId": node.node, "page": -1}), 400)


def test_external_id_filter_returns_zero_one_or_many(api, node, hub, creds):
    from contacthub_like.sandbox import admin

    admin.set_match_policy(hub.store, creds.workspace_id, "none")
    try:
        a = node.create(externalId="dup")
        b = node.create(externalId="dup")
    finally:
        admin.set_match_policy(hub.store, creds.workspace_id, "externalId")
    body = node.query(externalId="dup")
    assert {c["id"] for c in body["elements"]} == {a["id"], b["id"]}
    assert body["page"]["totalUnfilteredElements"] == 2
    assert node.query(externalId="missing")["elements"] == []


def test_sort_and_fields(node):
    node.create(base={"firstName": "Bob", "lastName": "B"})
    node.create(base={"firstName": "Al", "lastName": "A"})
    node.create(base={"firstName": "Cy", "lastName": "C"})
    names = [c["base"]["firstName"] for c in node.query(sort="base.firstName")["elements"]]
    assert names == ["Al", "Bob", "Cy"]
    names = [c["base"]["firstName"] for c in node.query(sort="base.firstName,desc")["elements"]]
    assert names == ["Cy", "Bob", "Al"]
    node.query(sort="base.firstName,sideways", expect=400)
    projected = node.query(fields="base.firstName", sort="base.firstName")["elements"]
    assert projected[0] == {"id": projected[0]["id"], "base": {"firstName": "Al"}}


def test_put_replaces_the_document(api, node):
    c = node.create(externalId="p1", base={"firstName": "F", "lastName": "L"}, extended={"a": 1})
    r = api.put(
        f"/customers/{c['id']}",
        json={"id": c["id"], "nodeId": node.node, "externalId": "p1", "base": {"firstName": "G"}},
    )
    assert r.status_code == 200
    out = r.json()
    assert out["base"]["firstName"] == "G" and out["base"]["lastName"] is None and out["extended"] is None
    assert out["registeredAt"] == c["registeredAt"] and out["id"] == c["id"]
    assert api.get(f"/customers/{c['id']}").json() == out
    assert_envelope(api.put(f"/customers/{c['id']}", json={"id": "other", "base": {}}), 400)
    assert_envelope(api.put("/customers/missing", json={"base": {}}), 404)


def test_patch_deep_merges_nulls_remove_arrays_replace(api, node):
    c = node.create(
        base={
            "firstName": "F",
            "lastName": "L",
            "contacts": {"email": "e@x.it", "phone": "1"},
            "address": {"city": "Rome", "zip": "00100"},
        },
        extended={"prova": {"b": 1, "oggetto": {"x": 1}, "list": [1, 2]}, "keep": True},
        tags={"auto": ["a"], "manual": ["m1", "m2"]},
    )
    patch = {
        "base": {
            "firstName": "G",
            "lastName": None,
            "contacts": {"phone": None},
            "address": {"city": "Milan"},
        },
        "extended": {"prova": {"b": 2, "oggetto": None, "list": []}, "a": 1},
        "tags": {"manual": ["m3"]},
    }
    r = api.patch(f"/customers/{c['id']}", json=patch)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["base"]["firstName"] == "G" and out["base"]["lastName"] is None
    assert out["base"]["contacts"]["email"] == "e@x.it" and out["base"]["contacts"]["phone"] is None
    assert out["base"]["address"]["city"] == "Milan" and out["base"]["address"]["zip"] == "00100"
    assert out["extended"] == {"prova": {"b": 2, "list": []}, "keep": True, "a": 1}
    assert out["tags"] == {"auto": ["a"], "manual": ["m3"]}
    assert out["updatedAt"] >= c["updatedAt"]
    assert api.get(f"/customers/{c['id']}").json() == out
    assert_envelope(api.patch(f"/customers/{c['id']}", json={"base": {"dob": "yesterday"}}), 400)
    assert_envelope(api.patch(f"/customers/{c['id']}", json={"nodeId": "elsewhere"}), 400)


def test_delete_returns_the_customer_and_removes_its_events(api, node):
    c = node.create(externalId="del")
    ev = api.post(
        "/events", json={"customerId": c["id"], "type": "viewedPage", "context": "WEB", "properties": {}}
    ).json()
    r = api.delete(f"/customers/{c['id']}")
    assert r.status_code == 200 and r.json()["id"] == c["id"]
    assert_envelope(api.get(f"/customers/{c['id']}"), 404)
    assert_envelope(api.get(f"/events/{ev['id']}"), 404)
    assert_envelope(api.delete(f"/customers/{c['id']}"), 404)


def test_conflict_on_external_id_and_email_policy(api, node, hub, creds):
    from contacthub_like.sandbox import admin

    first = node.create(externalId="same")
    r = api.post("/customers", json={"nodeId": node.node, "externalId": "same"})
    body = assert_envelope(r, 409, f"Conflict with exiting customer {first['id']}")
    assert body["data"]["customer"]["id"] == first["id"]
    assert body["data"]["customer"]["href"].endswith(
        f"/workspaces/{creds.workspace_id}/customers/{first['id']}"
    )
    other = node.create(externalId="other")
    assert_envelope(api.patch(f"/customers/{other['id']}", json={"externalId": "same"}), 409)
    admin.set_match_policy(hub.store, creds.workspace_id, "email")
    try:
        e = node.create(base={"contacts": {"email": "m@x.it"}})
        r = api.post("/customers", json={"nodeId": node.node, "base": {"contacts": {"email": "m@x.it"}}})
        assert assert_envelope(r, 409)["data"]["customer"]["id"] == e["id"]
        node.create(externalId="same")  # externalId no longer matters
    finally:
        admin.set_match_policy(hub.store, creds.workspace_id, "externalId")


def test_validation_errors_have_json_pointers(api, node):
    r = api.post(
        "/customers",
        json={
            "nodeId": node.node,
            "base": {
                "firstName": 3,
                "dob": "10/06/1994",
                "timezone": "Mars/Base",
                "locale": "italian",
                "educations": [{"id": "e1", "schoolType": "KINDERGARTEN"}],
                "subscriptions": [{"id": "s1", "kind": "PAPER"}],
                "contacts": {"mobileDevices": [{"type": "NOKIA"}]},
                "unknownKey": 1,
            },
            "enabled": "yes",
        },
    )
    body = assert_envelope(r, 400, "source customer is not valid")
    paths = {e["path"] for e in body["errors"]}
    assert {
        "/base/firstName",
        "/base/dob",
        "/base/timezone",
        "/base/locale",
        "/base/educations/0/schoolType",
        "/base/subscriptions/0/kind",
        "/base/contacts/mobileDevices/0/type",
        "/base/unknownKey",
        "/enabled",
    } <= paths
    for e in body["errors"]:
        assert set(e) == {"message", "path", "data", "code"}


@pytest.mark.parametrize(("zone", "status"), [("Europe/Rome", 201), ("US/Eastern", 400), ("UTC", 400)])
def test_timezone_is_the_api_enumeration_not_the_host_tz_database(api, node, zone, status):
    r = api.post("/customers", json={"nodeId": node.node, "base": {"timezone": zone}})
    assert r.status_code == status, r.text
    if status == 400:
        assert [e["path"] for e in r.json()["errors"]] == ["/base/timezone"]


@pytest.mark.parametrize("email", ["email", "two@@example.com", "a b@example.com", "@example.com"])
def test_email_must_look_like_an_address(api, node, email):
    r = api.post("/customers", json={"nodeId": node.node, "base": {"contacts": {"email": email}}})
    assert [e["path"] for e in assert_envelope(r, 400)["errors"]] == ["/base/contacts/email"]


def test_bad_bodies_are_400_never_500(api, node):
    url = api.url("/customers")
    s = api.session
    assert_envelope(s.post(url, data=b"{not json", headers={"Content-Type": "application/json"}), 400)
    assert_envelope(s.post(url, data=b"", headers={"Content-Type": "application/json"}), 400)
    assert_envelope(api.post("/customers", json=[1, 2]), 400)
    assert_envelope(api.post("/customers", json={"base": {}}), 400)  # nodeId missing
    assert_envelope(api.post("/customers", json={"nodeId": 5}), 400)
    assert_envelope(
        api.post("/customers", json={"nodeId": "unknown-node"}), 404, "node not found unknown-node"
    )
    for poison in (
        b'{"nodeId": "%s", "extended": {"a": NaN}}',
        b'{"nodeId": "%s", "extended": {"a": 1e999}}',
        b'{"nodeId": "%s", "extra": "\\ud800"}',
        b'{"nodeId": "%s", "extra": "\xed\xa0\x80"}',
        b'{"nodeId": "%s", "extra": "\xff"}',
    ):
        r = s.post(url, data=poison % node.node.encode(), headers={"Content-Type": "application/json"})
        assert_envelope(r, 400)
    # the node stays queryable
    node.query({"type": "atomic", "attribute": "extended.a", "operator": "GT", "value": 10**30})
    big = "x" * (64 * 1024 + 1)
    for section, value in (("extra", big), ("extended", {"k": big}), ("base", {"firstName": big})):
        body = assert_envelope(api.post("/customers", json={"nodeId": node.node, section: value}), 400)
        assert body["errors"][0]["path"] == f"/{section}"
    assert_envelope(
        s.post(url, data=("[" * 100000).encode(), headers={"Content-Type": "application/json"}), 400
    )


def test_session_id_param_links_on_create(api, node):
    c = api.post("/customers", params={"sessionId": "sess-on-create"}, json={"nodeId": node.node}).json()
    sessions = api.get(f"/customers/{c['id']}/sessions").json()["elements"]
    assert [s["value"] for s in sessions] == ["sess-on-create"]
