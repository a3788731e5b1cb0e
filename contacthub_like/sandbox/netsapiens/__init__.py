"""The NetSapiens PBX API v2 emulator, mounted at ``/netsapiens`` (``/netsapiens/ns-api/v2/...``).

Tokens (password and refresh grants), domains and users, messages and message sessions, and
event subscriptions that deliver webhooks; the contract is the official OpenAPI document's
subset shipped as ``openapi.json`` and served at ``/netsapiens/ns-api/v2/openapi.json``.
See docs/netsapiens.rst, "The emulator".
"""

from __future__ import annotations

from .app import build_app
from .schema import SCHEMA
from .seeding import PREFIX, DemoCredentials, ensure_demo, seed

__all__ = ["PREFIX", "SCHEMA", "DemoCredentials", "build_app", "ensure_demo", "seed"]
