"""The embedded local hub: a real HTTP server over SQLite that speaks the ContactHub API.

Importing this package needs the ``hub`` extra (starlette, uvicorn) only for the app and
server modules; ``store``, ``schema``, ``querysql`` and ``admin`` are standard library only.
"""

from __future__ import annotations

from typing import Any

__all__ = ["start_local_hub", "ensure_default_credentials", "LocalHub", "DefaultCredentials"]


def __getattr__(name: str) -> Any:  # lazy, so `import contacthub_like.sandbox.admin` never pulls in uvicorn
    if name in ("start_local_hub", "LocalHub"):
        from . import server

        return getattr(server, name)
    if name in ("ensure_default_credentials", "DefaultCredentials"):
        from . import admin

        return getattr(admin, name)
    raise AttributeError(name)
