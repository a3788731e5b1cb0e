"""The OpenAPI document the emulator serves: the official NetSapiens v2 document's subset.

``openapi.json`` here is the extract of the official document (tokens, version, domains,
users, messages, message sessions, subscriptions), shipped unchanged.  Serving it, two
things are adjusted: ``servers`` points at this emulator, and the ``Timestamp`` schema, which
upstream is an enum whose only value is the placeholder ``"YYYY-MM-DDTHH:MM:SS.ssZ"`` (no
real timestamp conforms to it), becomes a string in the format the emulator sends.
"""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any

TIMESTAMP_SCHEMA: dict[str, Any] = {
    "type": "string",
    "description": "UTC time as 'YYYY-MM-DD HH:MM:SS' (the upstream schema holds only a placeholder value).",
    "examples": ["2023-07-31 23:52:35"],
}


@functools.lru_cache(maxsize=1)
def official_subset() -> dict[str, Any]:
    """The shipped extract of the official document, as is (do not mutate: copy first)."""
    text = resources.files(__package__).joinpath("openapi.json").read_text("utf-8")
    return json.loads(text)


def served_document(api_root: str) -> dict[str, Any]:
    """The document as served, for an API rooted at ``api_root`` (``.../netsapiens/ns-api/v2``)."""
    document = copy.deepcopy(official_subset())
    document["servers"] = [{"url": api_root, "description": "contacthub_like sandbox emulator"}]
    document["components"]["schemas"]["Timestamp"] = copy.deepcopy(TIMESTAMP_SCHEMA)
    return document
