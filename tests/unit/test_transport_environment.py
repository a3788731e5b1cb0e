"""The transport reads proxy and CA-bundle settings from the environment once, not on every request."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
import responses
from responses import matchers

from contacthub_like.http.auth import BearerToken
from contacthub_like.http.transport import Transport

BASE = "https://hub.example.test/hub/v1"
TOKEN = "s3cr3t-T0KEN%value"
URL = BASE + "/workspaces/ws/customers"


@pytest.fixture
def hub() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def test_proxy_and_ca_settings_are_read_once_from_the_environment(
    hub: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.test:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/example-bundle.pem")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with Transport(BASE, BearerToken(TOKEN)) as transport:
        session = transport.session
        assert session.proxies.get("https") == "http://proxy.example.test:3128"
        assert session.verify == "/etc/ssl/example-bundle.pem"
        assert session.trust_env is False

        def scanned(*args: object, **kwargs: object) -> object:
            raise AssertionError("the environment was read again on a request")

        monkeypatch.setattr(requests.utils, "get_environ_proxies", scanned)
        monkeypatch.setattr(requests.sessions, "get_environ_proxies", scanned)
        hub.get(URL, json={"ok": True}, match=[matchers.query_param_matcher({})])
        assert transport.request("GET", "/workspaces/ws/customers") == {"ok": True}
        assert hub.calls[0].request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_no_proxy_excludes_the_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.test:3128")
    monkeypatch.setenv("NO_PROXY", "hub.example.test")
    with Transport(BASE, BearerToken(TOKEN)) as transport:
        assert "https" not in transport.session.proxies


def test_a_session_given_by_the_caller_is_left_as_it_is() -> None:
    session = requests.Session()
    with Transport(BASE, BearerToken(TOKEN), session=session):
        assert session.trust_env is True and session.proxies == {}
