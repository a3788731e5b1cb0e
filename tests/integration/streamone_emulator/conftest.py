"""One emulator per test module on a fresh database, seeded with the demo data and a config file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from contacthub_like.sandbox.server import LocalHub
from contacthub_like.sandbox.streamone import seed
from contacthub_like.sandbox.streamone.auth import issue_tokens

ACCOUNT = "123"


class Ion:
    """Plain HTTP against the emulator: v1 with Basic auth, v3 with a bearer token of its own."""

    def __init__(self, hub: LocalHub, config: dict[str, Any]) -> None:
        self.hub = hub
        self.base = config["base_url"]
        self.config = config
        self.v1 = requests.Session()
        self.v1.auth = (config["v1"]["api_key"], config["v1"]["api_secret"])
        self.v3 = requests.Session()
        self.v3.headers["Authorization"] = f"Bearer {config['v3']['access_token']}"
        self.anon = requests.Session()

    def v1_get(self, path: str, query: str = "", **kw: Any) -> requests.Response:
        """GET a v1 path with a query string sent exactly as written (the seed SDK never encodes)."""
        return self.v1.get(f"{self.base}/api/v1{path}{'?' + query if query else ''}", timeout=10, **kw)

    def v3_url(self, path: str) -> str:
        return f"{self.base}/api/v3/accounts/{ACCOUNT}{path}"

    def v3_get(self, path: str, **kw: Any) -> requests.Response:
        return self.v3.get(self.v3_url(path), timeout=10, **kw)

    def v3_post(self, path: str, **kw: Any) -> requests.Response:
        return self.v3.post(self.v3_url(path), timeout=10, **kw)

    def oauth(self, endpoint: str, **form: str) -> requests.Response:
        return self.anon.post(f"{self.base}/oauth/{endpoint}", data=form, timeout=10)

    def new_tokens(self) -> dict[str, Any]:
        """A fresh access/refresh pair (as if requested in the portal), so tests do not share one."""
        with self.hub.store.transaction() as conn:
            return issue_tokens(conn, ACCOUNT, 3600.0)

    def close(self) -> None:
        for session in (self.v1, self.v3, self.anon):
            session.close()


def assert_error(response: requests.Response, status: int, code: int | None = None) -> dict[str, Any]:
    """The emulator's error body: ``{code, message, details}`` with a message that says something."""
    assert response.status_code == status, response.text
    body = response.json()
    assert {"code", "message", "details"} <= set(body), body
    assert isinstance(body["details"], list) and body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body


@pytest.fixture(scope="module")
def config_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("streamone-config")


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, config_dir: Path) -> Iterator[LocalHub]:
    running = LocalHub(tmp_path_factory.mktemp("streamone") / "hub.sqlite3").start()
    seed(running.store, base_url=running.base_url, config_dir=config_dir)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def ion(hub: LocalHub, config_dir: Path) -> Iterator[Ion]:
    client = Ion(hub, json.loads((config_dir / "streamone.json").read_text()))
    yield client
    client.close()
