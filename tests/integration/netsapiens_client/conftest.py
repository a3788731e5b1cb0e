"""The NetSapiens client against the emulator over loopback, and a webhook receiver served by uvicorn."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from contacthub_like.netsapiens import NetSapiens
from contacthub_like.sandbox import netsapiens
from contacthub_like.sandbox.server import LocalHub


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalHub]:
    running = LocalHub(tmp_path_factory.mktemp("nsc") / "hub.sqlite3").start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def auth_config(hub: LocalHub) -> dict[str, str]:
    return netsapiens.ensure_demo(hub.store).auth_config(hub.base_url + netsapiens.PREFIX)


@pytest.fixture
def pbx(auth_config: dict[str, str]) -> Iterator[NetSapiens]:
    client = NetSapiens.from_mapping(auth_config)
    yield client
    client.close()


class Served:
    """An ASGI app served by uvicorn on a free loopback port, in a daemon thread."""

    def __init__(self, app: Any) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.base_url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:  # the server's own readiness flag, polled
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the receiver did not start")
            time.sleep(0.005)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()


@pytest.fixture
def serve() -> Iterator[Any]:
    started: list[Served] = []

    def start(app: Any) -> Served:
        started.append(Served(app))
        return started[-1]

    yield start
    for served in started:
        served.stop()
