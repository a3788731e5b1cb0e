"""Values the wire cannot carry, and settings of the wrong type, are refused before any request."""

from __future__ import annotations

import math

import pytest
from helpers import BASE, FakeHub, hub_fixture, node_fixture, workspace_fixture  # noqa: F401

from contacthub_like import ConfigurationError, InvalidValue, Workspace
from contacthub_like.services.contacthub.workspace import Node


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_refused_naming_the_field(hub: FakeHub, node: Node, number: float) -> None:
    with pytest.raises(InvalidValue, match=r"extended\.scores\.1 is .*JSON cannot carry"):
        node.add_customer(externalId="x", extended={"scores": [1.5, number]})
    assert hub.count == 0  # nothing was sent


@pytest.mark.parametrize("token", [123, b"bytes", 1.5])
def test_a_token_that_is_not_text_is_refused_like_the_settings_loaders_do(token: object) -> None:
    with pytest.raises(ConfigurationError, match=f"token must be a str, got {type(token).__name__}"):
        Workspace("ws", token, base_url=BASE)  # type: ignore[arg-type]
