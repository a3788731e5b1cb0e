"""The SAS Customer Intelligence 360 emulator, mounted at ``/ci360`` (see ``docs/ci360.rst``).

The four REST APIs VeloxPy wraps (marketingGateway, marketingAudience, marketingExecution,
marketingData), ``/token``, local signed upload URLs and ``/openapi.json``; its state
(``job_seconds``, ``throttle_limit`` ...) is ``emulator_state(app)`` of the server's app.
"""

from __future__ import annotations

from typing import Any

from .app import build_app
from .schema import SCHEMA
from .seeding import seed
from .state import CI360State

PREFIX = "/ci360"

__all__ = ["PREFIX", "SCHEMA", "CI360State", "build_app", "emulator_state", "seed"]


def emulator_state(app: Any) -> CI360State:
    """The running emulator's state inside a server app (``LocalHub(...).app``)."""
    for route in getattr(app, "routes", ()):
        if getattr(route, "path", None) == PREFIX:
            return route.app.state.ci360
    raise LookupError(f"no CI360 emulator is mounted at {PREFIX}")
