"""Running the hub: in-process on a loopback port (the library's offline default), or standalone.

``start_local_hub`` binds ``127.0.0.1:0`` itself before uvicorn starts, so the port is
known without parsing logs or racing another process, and keeps one running hub per
database file for the whole process.
"""

from __future__ import annotations

import atexit
import os
import socket
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn

from .app import create_app
from .faults import FaultConfig
from .limits import PARSER_LIMIT
from .store import Store, resolve_db_path

if TYPE_CHECKING:  # pragma: no cover
    from starlette.applications import Starlette

_REGISTRY: dict[Path, LocalHub] = {}
_REGISTRY_LOCK = threading.Lock()


class LocalHub:
    """A hub served by uvicorn in a daemon thread; ``base_url`` is the API root (no ``/workspaces``)."""

    #: the address the server listens on (the port the system chose when 0 was asked)
    host: str
    port: int

    def __init__(
        self,
        db_path: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        resources: Iterable[Any] | None = None,
        faults: FaultConfig | None = None,
        admin_token: str | None = None,
    ) -> None:
        self.db_path = db_path
        self.store: Store = Store(db_path)
        self.app: Starlette = create_app(self.store, resources, faults=faults, admin_token=admin_token)
        # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose proto says
        # TCP, and without it Nagle + delayed ACKs add ~40 ms to every loopback request.
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self._sock.listen(1024)
        self.host, self.port = self._sock.getsockname()[:2]
        self.base_url: str = f"http://{self.host}:{self.port}"
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            lifespan="off",
            access_log=False,
            timeout_graceful_shutdown=2,
            h11_max_incomplete_event_size=PARSER_LIMIT,  # RequestSizeLimit answers oversized requests
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name=f"contacthub-hub-{self.port}", daemon=True)
        self._stopped = False
        self._error: BaseException | None = None

    def _run(self) -> None:
        try:
            self._server.run(sockets=[self._sock])
        except BaseException as exc:  # pragma: no cover - surfaced by start()
            self._error = exc

    def start(self, timeout: float = 10.0) -> LocalHub:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if self._error is not None or not self._thread.is_alive():
                self._cleanup()
                raise RuntimeError(f"the local hub failed to start: {self._error!r}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the local hub did not start in time")
            time.sleep(0.005)
        return self

    @property
    def faults(self) -> FaultConfig:
        """The faults the hub injects now."""
        return self.app.state.faults.config

    def set_faults(self, faults: FaultConfig) -> None:
        """Change the injected faults from now on (and restart their random stream and counts)."""
        self.app.state.faults.set(faults)

    @property
    def injected_faults(self) -> dict[str, int]:
        """Faults injected since the last :meth:`set_faults`, by kind (``"429"``, ``"drop"``, ...)."""
        return dict(self.app.state.faults.injected)

    @property
    def running(self) -> bool:
        return not self._stopped and self._thread.is_alive()

    def stop(self) -> None:
        """Stop serving, close the socket and every database connection; idempotent."""
        if self._stopped:
            return
        self._stopped = True
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self._cleanup()
        with _REGISTRY_LOCK:
            if _REGISTRY.get(self.db_path) is self:
                del _REGISTRY[self.db_path]

    def _cleanup(self) -> None:
        try:
            self._sock.close()
        except OSError:  # pragma: no cover
            pass
        self.store.close()

    def __enter__(self) -> LocalHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"LocalHub(base_url={self.base_url!r}, db_path={str(self.db_path)!r})"


def start_local_hub(db_path: str | os.PathLike[str] | None = None) -> LocalHub:
    """Start (or reuse) the in-process hub for ``db_path``.

    The default path is ``$CONTACTHUB_LIKE_HOME/hub.sqlite3`` (else ``~/.contacthub_like/hub.sqlite3``).
    """
    path = resolve_db_path(db_path)
    with _REGISTRY_LOCK:
        hub = _REGISTRY.get(path)
        if hub is not None and hub.running:
            return hub
        hub = LocalHub(path).start()
        _REGISTRY[path] = hub
        return hub


def stop_all_local_hubs() -> None:
    """Stop every hub this process started (used by tests and at interpreter exit)."""
    with _REGISTRY_LOCK:
        hubs = list(_REGISTRY.values())
    for hub in hubs:
        hub.stop()


atexit.register(stop_all_local_hubs)


def serve(
    db_path: str | os.PathLike[str] | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    faults: FaultConfig | None = None,
    admin_token: str | None = None,
    access_token_ttl: float = 3600.0,
) -> None:
    """Serve the hub in the foreground until interrupted (``contacthub-like hub serve``)."""
    with Store(resolve_db_path(db_path)) as store:
        app = create_app(store, faults=faults, admin_token=admin_token)
        app.state.hub.access_token_ttl = access_token_ttl
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level="info",
            lifespan="off",
            h11_max_incomplete_event_size=PARSER_LIMIT,
        )
