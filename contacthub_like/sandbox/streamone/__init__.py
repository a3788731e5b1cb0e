"""Emulated TD SYNNEX StreamOne Ion, mounted at ``/streamone`` in the sandbox server.

v1 (HTTP Basic) at ``/streamone/api/v1/...``, v3 (OAuth2 bearer) at
``/streamone/api/v3/accounts/{accountId}/...``, the token endpoints at ``/streamone/oauth/...``,
pre-signed invoice files at ``/streamone/files/...`` and the OpenAPI document at
``/streamone/openapi.json``.  See docs/streamone.rst, "The emulator".
"""

from __future__ import annotations

from .app import build_app
from .schema import SCHEMA
from .seed import PREFIX, seed

__all__ = ["PREFIX", "SCHEMA", "build_app", "seed"]
