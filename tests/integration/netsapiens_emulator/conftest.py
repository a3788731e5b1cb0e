"""One sandbox server per test module with the NetSapiens emulator seeded; plain HTTP against it.

Every answer a test receives through :class:`Ns` is checked against the official document's
schema for that operation and status (``documented``), so the tests prove the wire shapes as
well as the behaviour.
"""

from __future__ import annotations

import copy
import json
import queue
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import requests

from contacthub_like.sandbox import netsapiens
from contacthub_like.sandbox.netsapiens import directory
from contacthub_like.sandbox.netsapiens.document import TIMESTAMP_SCHEMA, official_subset
from contacthub_like.sandbox.server import LocalHub

API = "/ns-api/v2"


def contract() -> dict[str, Any]:
    """The official subset with its one unusable schema replaced: ``Timestamp`` upstream is an enum
    whose only value is the placeholder ``"YYYY-MM-DDTHH:MM:SS.ssZ"``, which no real time matches."""
    document = copy.deepcopy(official_subset())
    document["components"]["schemas"]["Timestamp"] = TIMESTAMP_SCHEMA
    return document


CONTRACT = contract()
_VALIDATORS: dict[str, Any] = {}


def validator(schema: dict[str, Any]) -> Any:
    key = json.dumps(schema, sort_keys=True)
    if key not in _VALIDATORS:
        rooted = {**schema, "components": CONTRACT["components"]}  # so "#/components/..." resolves
        _VALIDATORS[key] = jsonschema_rs.validator_for(rooted, validate_formats=True)
    return _VALIDATORS[key]


def documented(template: str, method: str, status: int, body: Any) -> None:
    """Assert ``body`` matches the document's schema for this answer (undocumented errors: ErrorResponse)."""
    responses = CONTRACT["paths"][template][method.lower()]["responses"]
    entry = responses.get(str(status))
    if entry is None:
        assert status >= 400, f"{method} {template} answered {status}, which the document does not list"
        schema: dict[str, Any] = {"$ref": "#/components/schemas/ErrorResponse"}
    else:
        schema = entry["content"]["application/json"]["schema"]
    errors = [f"{e.instance_path}: {e.message}" for e in validator(schema).iter_errors(body)]
    assert not errors, f"{method} {template} {status}: {errors[:5]}"


class Ns:
    """Requests to the emulator as one user, each answer checked against the document."""

    def __init__(self, api_root: str, token: str | None = None) -> None:
        self.root = api_root
        self.session = requests.Session()
        self.token = token

    def call(
        self,
        method: str,
        template: str,
        expect: int | None = None,
        *,
        auth: bool = True,
        json: Any = None,
        params: dict[str, Any] | None = None,
        **path: str,
    ) -> requests.Response:
        """``method template`` filled with ``path``; asserts the document's shape and ``expect``."""
        headers = {"Authorization": f"Bearer {self.token}"} if auth and self.token else {}
        r = self.session.request(
            method, self.root + template.format(**path), headers=headers, json=json, params=params, timeout=10
        )
        assert r.headers["content-type"].startswith("application/json"), r.headers
        documented(template, method, r.status_code, r.json())
        if expect is not None:
            assert r.status_code == expect, r.text
        return r

    def json(self, method: str, template: str, expect: int = 200, **kwargs: Any) -> Any:
        return self.call(method, template, expect, **kwargs).json()

    def close(self) -> None:
        self.session.close()


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalHub]:
    running = LocalHub(tmp_path_factory.mktemp("ns") / "hub.sqlite3").start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def config(hub: LocalHub, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    paths = netsapiens.seed(hub.store, base_url=hub.base_url, config_dir=tmp_path_factory.mktemp("cfg"))
    return json.loads(Path(paths[0]).read_text())


@pytest.fixture(scope="module")
def api_root(hub: LocalHub, config: dict[str, str]) -> str:
    return config["base_url"] + API


def password_grant(config: dict[str, str], **overrides: str) -> dict[str, str]:
    body = {"grant_type": "password"}
    body.update({k: config[k] for k in ("client_id", "client_secret", "username", "password")})
    body.update(overrides)
    return body


@pytest.fixture(scope="module")
def token(api_root: str, config: dict[str, str]) -> str:
    client = Ns(api_root)
    try:
        return client.json("POST", "/tokens", json=password_grant(config))["access_token"]
    finally:
        client.close()


@pytest.fixture
def ns(api_root: str, token: str) -> Iterator[Ns]:
    client = Ns(api_root, token)
    yield client
    client.close()


class FreshUser:
    """A user alone in a new domain (so listings hold only what the test made), with a token."""

    def __init__(self, hub: LocalHub, api_root: str, config: dict[str, str], scope: str) -> None:
        self.domain = f"d{uuid.uuid4().hex[:10]}.test"
        self.user = "100"
        self.number = "15550001000"
        password = uuid.uuid4().hex
        directory.ensure_domain(hub.store, self.domain, reseller="OtherReseller", description="test")
        directory.set_user(
            hub.store,
            self.domain,
            self.user,
            password=password,
            first_name="Test",
            last_name="User",
            email="t@example.test",
            scope=scope,
            sms_numbers=[self.number],
        )
        grant = password_grant(config, username=f"{self.user}@{self.domain}", password=password)
        self.ns = Ns(api_root)
        self.ns.token = self.ns.json("POST", "/tokens", json=grant)["access_token"]


@pytest.fixture
def fresh(hub: LocalHub, api_root: str, config: dict[str, str]) -> Iterator[FreshUser]:
    user = FreshUser(hub, api_root, config, "Office Manager")
    yield user
    user.ns.close()


class Receiver:
    """A local webhook endpoint: records each POST's JSON body, answers ``status``."""

    def __init__(self) -> None:
        self.status = 200
        self.bodies: queue.Queue[Any] = queue.Queue()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0"))
                receiver.bodies.put(json.loads(self.rfile.read(length)))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def next(self, timeout: float = 5.0) -> Any:
        return self.bodies.get(timeout=timeout)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()
