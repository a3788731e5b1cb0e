"""One embedded hub per test session, on loopback; each test gets its own node."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from contacthub_like.sandbox import admin
from contacthub_like.sandbox.server import LocalHub, start_local_hub


class Api:
    """Plain HTTP against the hub: every test sees the real wire, status codes and bodies."""

    def __init__(self, hub: LocalHub, workspace_id: str, token: str | None) -> None:
        self.hub = hub
        self.ws = workspace_id
        self.session = requests.Session()
        if token is not None:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def url(self, path: str) -> str:
        return f"{self.hub.base_url}/workspaces/{self.ws}{path}"

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 10)
        return self.session.request(method, self.url(path), **kwargs)

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> requests.Response:
        return self.request("POST", path, **kw)

    def put(self, path: str, **kw: Any) -> requests.Response:
        return self.request("PUT", path, **kw)

    def patch(self, path: str, **kw: Any) -> requests.Response:
        return self.request("PATCH", path, **kw)

    def delete(self, path: str, **kw: Any) -> requests.Response:
        return self.request("DELETE", path, **kw)

    def close(self) -> None:
        self.session.close()


class NodeApi:
    """Shortcuts bound to one node."""

    def __init__(self, api: Api, node_id: str) -> None:
        self.api = api
        self.node = node_id

    def create(self, expect: int = 201, **body: Any) -> dict[str, Any]:
        r = self.api.post("/customers", json={"nodeId": self.node, **body})
        assert r.status_code == expect, r.text
        return r.json()

    def query(
        self,
        condition: dict[str, Any] | None = None,
        *,
        query: dict[str, Any] | None = None,
        expect: int = 200,
        **params: Any,
    ) -> dict[str, Any]:
        if query is None and condition is not None:
            query = {"type": "simple", "name": "query", "are": {"condition": condition}}
        if query is not None:
            params["query"] = json.dumps({"name": "query", "query": query})
        r = self.api.get("/customers", params={"nodeId": self.node, "size": 50, **params})
        assert r.status_code == expect, r.text
        return r.json()

    def ids(self, condition: dict[str, Any] | None = None, **kw: Any) -> set[str]:
        return {c["id"] for c in self.query(condition, **kw)["elements"]}


def assert_envelope(r: requests.Response, status: int, message: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) >= {"message", "logref", "data", "errors"}, body
    assert isinstance(body["errors"], list)
    if message is not None:
        assert body["message"] == message, body
    return body


def atomic(attribute: str, operator: str, *value: Any) -> dict[str, Any]:
    cond: dict[str, Any] = {"type": "atomic", "attribute": attribute, "operator": operator}
    if value:
        cond["value"] = value[0]
    return cond


@pytest.fixture(scope="session")
def hub_db(tmp_path_factory: pytest.TempPathFactory):
    return tmp_path_factory.mktemp("hub") / "hub.sqlite3"


@pytest.fixture(scope="session")
def creds(hub_db) -> admin.DefaultCredentials:
    return admin.ensure_default_credentials(hub_db)


@pytest.fixture(scope="session")
def hub(hub_db, creds) -> Iterator[LocalHub]:
    running = start_local_hub(hub_db)
    yield running
    running.stop()


@pytest.fixture
def api(hub: LocalHub, creds) -> Iterator[Api]:
    client = Api(hub, creds.workspace_id, creds.token)
    yield client
    client.close()


@pytest.fixture
def node_id(hub: LocalHub, creds) -> str:
    return admin.create_node(hub.store, creds.workspace_id, "test")


@pytest.fixture
def node(api: Api, node_id: str) -> NodeApi:
    return NodeApi(api, node_id)
