"""Sub-resources (educations, jobs, likes, subscriptions) and sessions (research §1.2)."""

from __future__ import annotations

import pytest

from .conftest import assert_envelope

ITEMS = {
    "educations": (
        {"id": "e1", "schoolType": "COLLEGE", "schoolName": "Poli", "startYear": 2000},
        {"schoolName": "Bocconi", "isCurrent": True},
        {"schoolType": "KINDERGARTEN"},
        200,
    ),
    "jobs": (
        {"id": "j1", "companyName": "ACME", "startDate": "2015-01-01"},
        {"companyName": "Initech", "jobTitle": "dev"},
        {"startDate": "01/01/2015"},
        200,
    ),
    "likes": (
        {"id": "l1", "name": "jazz", "category": "music", "createdTime": "2020-01-01T10:00:00Z"},
        {"name": "rock"},
        {"createdTime": "yesterday"},
        200,
    ),
    "subscriptions": (
        {
            "id": "s1",
            "name": "news",
            "kind": "DIGITAL_MESSAGE",
            "subscribed": True,
            "preferences": [{"key": "freq", "value": "daily"}],
        },
        {"name": "promo", "kind": "SERVICE", "subscribed": False},
        {"kind": "PAPER"},
        201,
    ),
}


@pytest.mark.parametrize("kind", list(ITEMS))
def test_subresource_crud_kept_in_sync_with_base(api, node, kind):
    item, replacement, invalid, post_status = ITEMS[kind]
    c = node.create()
    r = api.post(f"/customers/{c['id']}/{kind}", json=item)
    assert r.status_code == post_status, r.text
    created = r.json()
    assert created["id"] == item["id"]
    for key, value in item.items():
        if key != "createdTime":
            assert created[key] == value
    if kind == "likes":
        assert created["createdTime"] == "2020-01-01T10:00:00.000+0000"
    customer = api.get(f"/customers/{c['id']}").json()
    assert customer["base"][kind] == [created]

    r = api.get(f"/customers/{c['id']}/{kind}/{item['id']}")
    assert r.status_code == 200 and r.json() == created

    r = api.put(f"/customers/{c['id']}/{kind}/{item['id']}", json=replacement)
    assert r.status_code == 200, r.text
    updated = r.json()
    assert updated["id"] == item["id"]
    for key, value in replacement.items():
        assert updated[key] == value
    assert api.get(f"/customers/{c['id']}").json()["base"][kind] == [updated]

    assert_envelope(api.post(f"/customers/{c['id']}/{kind}", json=item), 409)
    body = assert_envelope(api.post(f"/customers/{c['id']}/{kind}", json={"id": "x", **invalid}), 400)
    assert body["errors"][0]["path"].startswith("/")
    assert_envelope(api.put(f"/customers/{c['id']}/{kind}/missing", json=replacement), 404)
    assert_envelope(api.get(f"/customers/{c['id']}/{kind}/missing"), 404)
    assert_envelope(api.post(f"/customers/missing/{kind}", json=item), 404)

    r = api.delete(f"/customers/{c['id']}/{kind}/{item['id']}")
    assert r.status_code == 200 and r.json()["id"] == item["id"]
    assert api.get(f"/customers/{c['id']}").json()["base"][kind] == []
    assert_envelope(api.delete(f"/customers/{c['id']}/{kind}/{item['id']}"), 404)


def test_subresource_without_id_gets_one(api, node):
    c = node.create()
    r = api.post(f"/customers/{c['id']}/likes", json={"name": "no id"})
    assert r.status_code == 200 and r.json()["id"]


def test_sessions_list_get_post_delete(api, node):
    c = node.create()
    assert api.get(f"/customers/{c['id']}/sessions").json() == {"elements": []}
    r = api.post(f"/customers/{c['id']}/sessions", json={"value": "sess-1"})
    assert r.status_code == 201
    record = r.json()
    assert set(record) == {"id", "value"} and record["value"] == "sess-1"
    # linking the same value again is idempotent for the same customer ...
    assert api.post(f"/customers/{c['id']}/sessions", json={"value": "sess-1"}).json() == record
    # ... and a conflict for another customer in the node
    other = node.create()
    assert_envelope(api.post(f"/customers/{other['id']}/sessions", json={"value": "sess-1"}), 409)
    assert api.get(f"/customers/{c['id']}/sessions").json() == {"elements": [record]}
    assert api.get(f"/customers/{c['id']}/sessions/{record['id']}").json() == record
    assert_envelope(api.post(f"/customers/{c['id']}/sessions", json={"value": ""}), 400)
    assert_envelope(api.post(f"/customers/{c['id']}/sessions", json={"value": 3}), 400)
    r = api.delete(f"/customers/{c['id']}/sessions/{record['id']}")
    assert r.status_code == 200 and r.json() == record
    assert_envelope(api.get(f"/customers/{c['id']}/sessions/{record['id']}"), 404)
    assert_envelope(api.get("/customers/missing/sessions"), 404)
