"""One embedded server per test session with the CI360 emulator seeded; plain HTTP against it."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests

from contacthub_like.sandbox.ci360 import CI360State, emulator_state, seeding
from contacthub_like.sandbox.server import LocalHub


def static_jwt(tenant: str, secret: str, **extra: Any) -> str:
    return jwt.encode({"clientID": tenant, **extra}, base64.b64encode(secret.encode()), algorithm="HS256")


class CI:
    """The emulator's root URL and the two tokens of the seeded tenant."""

    def __init__(self, hub: LocalHub, secret: str, password: str) -> None:
        self.hub = hub
        self.base = hub.base_url + "/ci360"
        self.secret = secret
        self.password = password
        self.static = static_jwt(seeding.TENANT, secret)
        self.http = requests.Session()
        self._temporary: str | None = None

    @property
    def state(self) -> CI360State:
        return emulator_state(self.hub.app)

    def temporary(self) -> str:
        if self._temporary is None:
            r = self.http.post(
                self.base + "/token",
                data={"grant_type": "password", "username": seeding.API_USER, "password": self.password},
                headers={"Authorization": f"Bearer {self.static}"},
                timeout=10,
            )
            assert r.status_code == 200, r.text
            self._temporary = r.json()["access_token"]
        return self._temporary

    def request(
        self, method: str, path: str, *, token: str | None = "static", **kw: Any
    ) -> requests.Response:
        """``token``: ``"static"``, ``"temporary"``, None (no header) or a literal bearer token."""
        headers = dict(kw.pop("headers", {}) or {})
        if token == "static":
            headers["Authorization"] = f"Bearer {self.static}"
        elif token == "temporary":
            headers["Authorization"] = f"Bearer {self.temporary()}"
        elif token is not None:
            headers["Authorization"] = f"Bearer {token}"
        kw.setdefault("timeout", 10)
        url = path if path.startswith("http") else self.base + path
        return self.http.request(method, url, headers=headers, **kw)

    def upload(self, purpose_path: str, content: bytes, token: str = "static") -> str:
        """A signed URL from ``purpose_path`` with ``content`` PUT to it (no auth header)."""
        r = self.request("POST", purpose_path, token=token)
        assert r.status_code == 201, r.text
        url = r.json()["signedURL"]
        put = requests.put(url, data=content, headers={"Content-Type": "text/csv"}, timeout=10)
        assert put.status_code == 200, put.text
        return url


def wait_for(
    fetch: Callable[[], dict[str, Any]], field: str, running: set[str], timeout: float = 10.0
) -> dict[str, Any]:
    """Poll until ``field`` leaves the ``running`` states; the last document."""
    deadline = time.monotonic() + timeout
    while True:
        doc = fetch()
        if doc.get(field) not in running:
            return doc
        assert time.monotonic() < deadline, f"still {doc.get(field)} after {timeout} s: {doc}"
        time.sleep(0.05)


def sas_error(r: requests.Response, status: int, *, contains: str = "") -> dict[str, Any]:
    """Assert a SAS error answer and return its body."""
    assert r.status_code == status, r.text
    body = r.json()
    assert body["httpStatusCode"] == status
    assert isinstance(body["errorCode"], int)
    assert {"message", "details", "remediation"} <= set(body)
    assert contains.lower() in body["message"].lower(), body
    return body


@pytest.fixture(scope="session")
def ci(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CI]:
    db: Path = tmp_path_factory.mktemp("ci360") / "hub.sqlite3"
    hub = LocalHub(db).start()
    seeding.seed(hub.store, base_url=hub.base_url, config_dir=None)
    secret, password = seeding.ensure_tenant(hub.store)
    client = CI(hub, secret, password)
    client.state.job_seconds = 0.2
    yield client
    client.http.close()
    hub.stop()
