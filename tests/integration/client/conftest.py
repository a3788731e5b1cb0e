"""The client against one embedded hub per test session, over loopback; each test gets a fresh node."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from contacthub_like import Node, Workspace
from contacthub_like.sandbox import admin
from contacthub_like.sandbox.server import LocalHub, start_local_hub


@pytest.fixture(scope="session")
def client_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalHub]:
    running = start_local_hub(tmp_path_factory.mktemp("client-hub") / "hub.sqlite3")
    yield running
    running.stop()


@pytest.fixture(scope="session")
def workspace(client_hub: LocalHub) -> Iterator[Workspace]:
    creds = admin.ensure_default_credentials(client_hub.db_path)
    with Workspace(creds.workspace_id, creds.token, client_hub.base_url, node_id=creds.node_id) as ws:
        yield ws


@pytest.fixture
def node(workspace: Workspace, client_hub: LocalHub) -> Node:
    """A node of its own, so every test starts from an empty customer list."""
    return workspace.get_node(admin.create_node(client_hub.store, workspace.workspace_id, "test"))
