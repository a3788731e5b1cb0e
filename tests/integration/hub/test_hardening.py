"""What fuzzing and oversized requests found: never a 500, never a plain-text refusal, years as strings."""

from __future__ import annotations

import pytest

from .conftest import assert_envelope


@pytest.mark.parametrize("when", ["0001-01-01T01:20:04+07:00", "9999-12-31T23:30:00-05:00"])
def test_date_times_outside_the_utc_range_are_a_400(api, node, when):
    assert_envelope(api.get("/events", params={"dateTo": when}), 400)
    c = node.create()
    r = api.post(f"/customers/{c['id']}/likes", json={"id": "l1", "name": "jazz", "createdTime": when})
    assert_envelope(r, 400)
    r = api.post(
        "/customers", json={"nodeId": node.node, "base": {"likes": [{"id": "l", "createdTime": when}]}}
    )
    assert_envelope(r, 400)


def test_unknown_fields_are_refused_and_known_ones_project(api, node):
    node.create(externalId="x1", base={"firstName": "Al"}, extended={"tier": "gold"})
    r = api.get("/customers", params={"nodeId": node.node, "fields": "nosuchfield"})
    body = assert_envelope(r, 400)
    assert "'nosuchfield' is not a path of a customer" in body["errors"][0]["message"]
    assert_envelope(api.get("/customers", params={"nodeId": node.node, "fields": "base.nosuch"}), 400)
    assert_envelope(api.get("/customers", params={"nodeId": node.node, "fields": "externalId.x"}), 400)
    fields = "externalId,base.firstName,extended.tier,tags.manual"
    (doc,) = api.get("/customers", params={"nodeId": node.node, "fields": fields}).json()["elements"]
    assert doc == {
        "id": doc["id"],
        "externalId": "x1",
        "base": {"firstName": "Al"},
        "extended": {"tier": "gold"},
        "tags": {"manual": []},
    }


def test_the_document_describes_projected_listings():
    from contacthub_like.sandbox.openapi import build_document

    schemas = build_document()["components"]["schemas"]
    items = schemas["CustomerPage"]["properties"]["elements"]["items"]
    assert {"$ref": "#/components/schemas/ProjectedCustomer"} in items["anyOf"]
    projected = schemas["ProjectedCustomer"]
    assert projected["required"] == ["id"] and "required" not in projected["properties"]["base"]


@pytest.mark.parametrize(
    "headers, params, status, what",
    [
        ({}, {"q": "a" * 1_000_000}, 414, "the URL (path and query string) is"),
        ({"X-Big": "a" * 1_000_000}, {}, 431, "the request headers are"),
    ],
)
def test_oversized_requests_get_414_or_431_in_the_envelope(api, headers, params, status, what):
    r = api.get("/customers", params=params, headers=headers)
    assert r.headers["content-type"].startswith("application/json")
    assert what in assert_envelope(r, status)["message"]


def test_education_years_may_be_whole_number_strings(api, node):
    c = node.create()
    education = {"id": "e1", "schoolName": "Poli", "startYear": "1994", "endYear": "2000"}
    r = api.post(f"/customers/{c['id']}/educations", json=education)
    assert r.status_code == 200, r.text
    assert (r.json()["startYear"], r.json()["endYear"]) == (1994, 2000)
    for bad in ("19.5", "nineteen", "", "1994 "):
        r = api.post(f"/customers/{c['id']}/educations", json={"id": "e2", "startYear": bad})
        assert_envelope(r, 400)


def test_etags_and_if_match_refuse_a_write_based_on_a_stale_read(api, node):
    created = api.post("/customers", json={"nodeId": node.node, "externalId": "etag-1"})
    cid, first = created.json()["id"], created.headers["ETag"]
    assert api.get(f"/customers/{cid}").headers["ETag"] == first
    one = api.patch(f"/customers/{cid}", json={"extra": "a"}, headers={"If-Match": first})
    assert one.status_code == 200 and one.headers["ETag"] != first
    stale = api.patch(f"/customers/{cid}", json={"extra": "b"}, headers={"If-Match": first})
    body = assert_envelope(stale, 412)
    assert body["data"]["customer"]["extra"] == "a" and stale.headers["ETag"] == one.headers["ETag"]
    assert_envelope(api.put(f"/customers/{cid}", json={"extra": "c"}, headers={"If-Match": first}), 412)
    assert_envelope(api.delete(f"/customers/{cid}", headers={"If-Match": first}), 412)
    assert api.get(f"/customers/{cid}").json()["extra"] == "a"  # nothing stale was applied
    both = f"{first}, W/{one.headers['ETag']}"
    assert api.put(f"/customers/{cid}", json={"extra": "d"}, headers={"If-Match": both}).status_code == 200
    assert api.patch(f"/customers/{cid}", json={"extra": "e"}).status_code == 200  # no If-Match: as before
    assert api.delete(f"/customers/{cid}", headers={"If-Match": "*"}).status_code == 200
