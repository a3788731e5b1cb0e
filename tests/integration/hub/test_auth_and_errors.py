"""Auth (401/403), workspace isolation, framework-level errors in the hub envelope (research §6, §8)."""

from __future__ import annotations

import pytest
import requests

from contacthub_like.sandbox import admin

from .conftest import Api, assert_envelope

UNAUTHORIZED = "The client is not authorized to access the API"
ROUTES = [
    ("GET", "/customers"),
    ("POST", "/customers"),
    ("GET", "/customers/x"),
    ("PATCH", "/customers/x"),
    ("PUT", "/customers/x"),
    ("DELETE", "/customers/x"),
    ("POST", "/customers/x/likes"),
    ("GET", "/customers/x/sessions"),
    ("GET", "/events"),
    ("POST", "/events"),
    ("DELETE", "/events/x"),
]


@pytest.mark.parametrize("method, path", ROUTES)
def test_missing_or_wrong_token_is_401(hub, creds, method, path):
    for token in (None, "wrong-token"):
        client = Api(hub, creds.workspace_id, token)
        try:
            assert_envelope(client.request(method, path, json={}), 401, UNAUTHORIZED)
        finally:
            client.close()
    r = requests.get(
        f"{hub.base_url}/workspaces/{creds.workspace_id}/customers",
        headers={"Authorization": f"Basic {creds.token}"},
        timeout=10,
    )
    assert_envelope(r, 401, UNAUTHORIZED)


def test_other_or_unknown_workspace_is_403_and_never_data(hub, creds, node):
    c = node.create(externalId="secret")
    other_ws = admin.create_workspace(hub.store, "other")
    other_node = admin.create_node(hub.store, other_ws)
    other_token = admin.issue_token(hub.store, other_ws)
    intruder = Api(hub, creds.workspace_id, other_token)
    try:
        assert_envelope(
            intruder.get(f"/customers/{c['id']}"), 403, f"workspace not found: {creds.workspace_id}"
        )
        assert_envelope(intruder.get("/customers", params={"nodeId": node.node}), 403)
        intruder.ws = other_ws
        # inside its own workspace the other token sees nothing of ours
        assert_envelope(intruder.get(f"/customers/{c['id']}"), 404)
        assert_envelope(intruder.get("/customers", params={"nodeId": node.node}), 404)
        assert_envelope(intruder.delete(f"/customers/{c['id']}"), 404)
        assert intruder.get("/customers", params={"nodeId": other_node}).json()["elements"] == []
        assert intruder.get("/events", params={"customerId": c["id"]}).json()["elements"] == []
    finally:
        intruder.close()
    mine = Api(hub, "no-such-workspace", creds.token)
    try:
        assert_envelope(
            mine.get("/customers", params={"nodeId": node.node}),
            403,
            "workspace not found: no-such-workspace",
        )
    finally:
        mine.close()


def test_wrong_method_is_405_envelope(api):
    body = assert_envelope(api.delete("/customers"), 405, "Request method 'DELETE' not supported")
    assert body["data"] is None
    assert_envelope(api.put("/events"), 405)
    assert_envelope(api.patch("/events/x"), 405)


def test_unknown_route_is_404_envelope(hub):
    assert_envelope(requests.get(f"{hub.base_url}/nothing/here", timeout=10), 404)


def test_revoked_token_stops_working(hub, creds):
    token = admin.issue_token(hub.store, creds.workspace_id, "temp")
    client = Api(hub, creds.workspace_id, token)
    state = hub.app.state.hub
    try:
        assert client.get("/events").status_code == 200
        assert admin.revoke_token(hub.store, token)
        ttl, state.token_ttl = state.token_ttl, 0.0  # skip the short positive cache
        try:
            assert_envelope(client.get("/events"), 401, UNAUTHORIZED)
        finally:
            state.token_ttl = ttl
    finally:
        client.close()
