"""Other APIs emulated beside the ContactHub hub, each under its own path prefix in the one server.

An emulator is a sub-package of :mod:`contacthub_like.sandbox` (``streamone``, ``netsapiens``,
``ci360``) exposing:

``PREFIX``
    where it is mounted, e.g. ``"/streamone"``; its own routes never collide with the hub's.
``SCHEMA``
    ``CREATE ... IF NOT EXISTS`` statements for its own tables in the shared SQLite file
    (table names start with the emulator's name, e.g. ``streamone_customers``).
``build_app(context: EmulatorContext) -> ASGI app``
    its Starlette application, with its own error shapes and its own ``/openapi.json``.
``seed(store, *, base_url: str, config_dir: Path | None) -> list[Path]``
    demo data for ``hub init`` (idempotent), and, with ``config_dir``, the configuration
    files its seed SDK reads, pointing at ``base_url + PREFIX``; returns the files written.

The hub's fault injection wraps the whole server, so it applies to every emulator too.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, cast

import attrs

from .store import Store

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]

#: Emulator sub-packages, in mount order.
EMULATOR_NAMES: tuple[str, ...] = ("streamone", "netsapiens", "ci360")


@attrs.define
class SandboxSettings:
    """Settings shared by the hub and every emulator; mutable while the server runs."""

    #: lifetime in seconds of the access tokens every token endpoint issues
    access_token_ttl: float = 3600.0


@attrs.define
class EmulatorContext:
    """What an emulator is built with: the shared store and the server-wide settings."""

    store: Store
    settings: SandboxSettings


class Emulator(Protocol):
    PREFIX: str
    SCHEMA: Iterable[str]

    def build_app(self, context: EmulatorContext) -> ASGIApp: ...

    def seed(self, store: Store, *, base_url: str, config_dir: Path | None) -> list[Path]: ...


def load_emulators(names: Iterable[str] = EMULATOR_NAMES) -> list[Emulator]:
    """Import the emulator sub-packages by name."""
    modules: list[ModuleType] = [importlib.import_module(f"{__package__}.{name}") for name in names]
    return [cast(Emulator, module) for module in modules]


def seed_all(store: Store, *, base_url: str, config_dir: Path | None) -> list[Path]:
    """Seed every emulator's demo data (``hub init``); returns the configuration files written."""
    written: list[Path] = []
    for emulator in load_emulators():
        store.ensure_schema(emulator.SCHEMA)
        written.extend(emulator.seed(store, base_url=base_url, config_dir=config_dir))
    return written
