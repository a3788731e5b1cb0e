"""Workspace and Node: construction, configuration sources, node caching, lifecycle, auth and timeouts."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import (  # noqa: F401
    BASE,
    NODE_ID,
    TOKEN,
    WS_ID,
    FakeHub,
    envelope,
    hub_fixture,
    node_fixture,
    workspace_fixture,
)

from contacthub_like import ConfigurationError, Workspace
from contacthub_like.services.contacthub.settings import DEFAULT_BASE_URL
from contacthub_like.services.contacthub.workspace import Node


def expect_customers_page(
    hub: FakeHub, *, root: str = f"{BASE}/workspaces/{WS_ID}", node_id: str = NODE_ID
) -> None:
    hub.expect("GET", f"{root}/customers", params={"nodeId": node_id}, reply=envelope([]))


# ------------------------------------------------------------------------------- constructor


def test_ids_are_strings() -> None:
    with Workspace(workspace_id=123, token="t") as ws:
        assert ws.workspace_id == "123"
        node = ws.get_node(node_id=456)
        assert isinstance(node, Node)
        assert node.node_id == "456"


def test_default_base_url_is_the_api_root() -> None:
    with Workspace(workspace_id="ws", token="t") as ws:
        assert ws.base_url == DEFAULT_BASE_URL == "https://api.contactlab.it/hub/v1"


@pytest.mark.parametrize(
    "given",
    [BASE, BASE + "/", BASE + "/workspaces", BASE + "/workspaces/", "  " + BASE + "/workspaces  "],
)
def test_base_url_is_normalised(given: str, hub: FakeHub) -> None:
    with Workspace(WS_ID, TOKEN, base_url=given) as ws:
        assert ws.base_url == BASE
        expect_customers_page(hub)
        assert ws.get_node(NODE_ID).get_customers().total_elements == 0


def test_missing_credentials_are_refused() -> None:
    with pytest.raises(ConfigurationError):
        Workspace(workspace_id="ws", token=None)
    with pytest.raises(ConfigurationError):
        Workspace(workspace_id="", token="t")


# ------------------------------------------------------------------------------- INI files


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hub.ini"
    path.write_text(text, encoding="utf-8")
    return path


def test_from_ini_file_without_section(tmp_path: Path, hub: FakeHub) -> None:
    path = write(tmp_path, f"workspace_id = {WS_ID}\ntoken = {TOKEN}\nbase_url = {BASE}/workspaces\n")
    with Workspace.from_ini_file(path) as ws:
        assert (ws.workspace_id, ws.base_url) == (WS_ID, BASE)
        expect_customers_page(hub)
        assert ws.get_node(NODE_ID).get_customers().total_elements == 0  # '%' token checked by the hub


def test_from_ini_file_with_contacthub_section(tmp_path: Path, hub: FakeHub) -> None:
    path = write(tmp_path, f"[contacthub]\nworkspace_id = 123\ntoken = {TOKEN}\nnode_id = n-9\n")
    with Workspace.from_ini_file(str(path)) as ws:
        assert ws.workspace_id == "123"
        assert ws.base_url == DEFAULT_BASE_URL
        node = ws.get_node()
        assert node.node_id == "n-9"
        expect_customers_page(hub, root=f"{DEFAULT_BASE_URL}/workspaces/123", node_id="n-9")
        assert node.get_customers().total_elements == 0  # '%' token checked by the hub


def test_from_INI_file_is_the_documented_spelling(tmp_path: Path) -> None:
    path = write(
        tmp_path, "workspace_id = workspace_id\ntoken = token\nbase_url = https://example.test/hub/v1\n"
    )
    with Workspace.from_INI_file(path) as ws:
        assert (ws.workspace_id, ws.base_url) == ("workspace_id", "https://example.test/hub/v1")


@pytest.mark.parametrize("missing", ["workspace_id", "token"])
def test_from_ini_file_names_the_missing_key(tmp_path: Path, missing: str) -> None:
    lines = {"workspace_id": "workspace_id = 123", "token": "token = 456"}
    del lines[missing]
    path = write(tmp_path, "\n".join(lines.values()) + "\n")
    with pytest.raises(ConfigurationError) as info:
        Workspace.from_ini_file(path)
    assert isinstance(info.value, KeyError)  # the original SDK raised KeyError
    assert missing in str(info.value)
    assert "456" not in str(info.value) or missing == "token"


def test_from_ini_file_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Workspace.from_ini_file(tmp_path / "nope.ini")


# ------------------------------------------------------------------------------- environment


def test_from_env(hub: FakeHub) -> None:
    environ = {
        "CONTACTHUB_WORKSPACE_ID": WS_ID,
        "CONTACTHUB_TOKEN": TOKEN,
        "CONTACTHUB_BASE_URL": BASE + "/workspaces",
        "CONTACTHUB_NODE_ID": NODE_ID,
        "CONTACTHUB_TIMEOUT": "7",
    }
    with Workspace.from_env(environ) as ws:
        assert (ws.workspace_id, ws.base_url) == (WS_ID, BASE)
        node = ws.get_node()
        assert node.node_id == NODE_ID
        expect_customers_page(hub)
        assert node.get_customers().total_elements == 0
    assert hub.request().req_kwargs["timeout"] == 7  # type: ignore[attr-defined]


def test_from_env_names_the_missing_variable() -> None:
    with pytest.raises(ConfigurationError) as info:
        Workspace.from_env({"CONTACTHUB_WORKSPACE_ID": "ws"}, local_fallback=False)
    assert "CONTACTHUB_TOKEN" in str(info.value)


# ------------------------------------------------------------------------------- nodes and lifecycle


def test_get_node_is_cached(workspace: Workspace) -> None:
    first = workspace.get_node(NODE_ID)
    assert workspace.get_node(NODE_ID) is first
    assert workspace.get_node(node_id=NODE_ID) is first
    assert workspace.get_node("other") is not first
    assert first.workspace is workspace


def test_get_node_without_id_or_default(workspace: Workspace) -> None:
    with pytest.raises(ConfigurationError):
        workspace.get_node()


def test_context_manager_closes_the_transport() -> None:
    with Workspace("ws", "t") as ws:
        assert not ws.transport.closed
    assert ws.transport.closed


def test_node_context_manager_closes_the_workspace() -> None:
    ws = Workspace("ws", "t")
    with ws.get_node("n") as node:
        assert node.workspace is ws
    assert ws.transport.closed


def test_close(workspace: Workspace) -> None:
    workspace.close()
    assert workspace.transport.closed


def test_repr_never_shows_the_token() -> None:
    with Workspace(WS_ID, TOKEN, base_url=BASE) as ws:
        texts = [repr(ws), str(ws), repr(ws.get_node(NODE_ID)), repr(ws.transport), repr(ws.transport.auth)]
    for text in texts:
        assert TOKEN not in text
    assert WS_ID in repr(ws)


# ------------------------------------------------------------------------------- every request


def test_requests_carry_bearer_token_and_default_timeout(node: Node, hub: FakeHub) -> None:
    expect_customers_page(hub)
    assert node.get_customers().total_elements == 0
    request = hub.request()
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Accept"] == "application/json"
    assert request.req_kwargs["timeout"] == (5.0, 30.0)  # type: ignore[attr-defined]


def test_timeout_is_configurable(hub: FakeHub) -> None:
    with Workspace(WS_ID, TOKEN, base_url=BASE, timeout=2.5) as ws:
        expect_customers_page(hub)
        assert ws.get_node(NODE_ID).get_customers().total_elements == 0
    assert hub.request().req_kwargs["timeout"] == 2.5  # type: ignore[attr-defined]
