"""One embedded server with the CI360 emulator seeded, and a connector on it (jobs take 0.2 s)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from contacthub_like.ci360 import CI360
from contacthub_like.sandbox.ci360 import CI360State, emulator_state, seeding
from contacthub_like.sandbox.server import LocalHub


class Emulated:
    def __init__(self, hub: LocalHub, ini: Path) -> None:
        self.hub = hub
        self.ini = ini

    @property
    def state(self) -> CI360State:
        return emulator_state(self.hub.app)


@pytest.fixture(scope="session")
def emulated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulated]:
    root = tmp_path_factory.mktemp("ci360-client")
    hub = LocalHub(root / "hub.sqlite3").start()
    (ini,) = seeding.seed(hub.store, base_url=hub.base_url, config_dir=root)
    emulated = Emulated(hub, ini)
    emulated.state.job_seconds = 0.2
    yield emulated
    hub.stop()


@pytest.fixture(scope="session")
def ci(emulated: Emulated) -> Iterator[CI360]:
    with CI360.from_ini_file(emulated.ini, timeout=10) as client:
        yield client
