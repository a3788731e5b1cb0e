"""Oversized requests end in RequestTooLarge, saying what was too large, however the server refuses them."""

from __future__ import annotations

import pytest

from contacthub_like import RequestTooLarge, Workspace


@pytest.mark.parametrize(
    "size, says",
    [
        (1_000_000, "the URL (path and query string) is"),  # over the hub's limit: its 414 envelope
        (5_000_000, "the URL with its query string"),  # over its parser's: a bare 400 or a cut connection
    ],
)
def test_an_oversized_query_string_is_a_typed_error(workspace: Workspace, size: int, says: str) -> None:
    path = f"/workspaces/{workspace.workspace_id}/customers"
    with pytest.raises(RequestTooLarge) as info:
        workspace.transport.request("GET", path, params={"nodeId": "n", "q": "a" * size})
    assert says in str(info.value) and "a" * 100 not in str(info.value)


@pytest.mark.parametrize("size", [1_000_000, 5_000_000])
def test_an_oversized_header_is_a_typed_error(workspace: Workspace, size: int) -> None:
    path = f"/workspaces/{workspace.workspace_id}/customers"
    with pytest.raises(RequestTooLarge, match="headers") as info:
        workspace.transport.request("GET", path, params={"nodeId": "n"}, headers={"X-Big": "a" * size})
    assert "a" * 100 not in str(info.value)
