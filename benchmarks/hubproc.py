"""The embedded hub in a process of its own, for measuring clients against it over loopback.

In the benchmark's own process the hub's event loop would compete with the client for
the interpreter lock, and every client-side microsecond would count twice. Here the
hub runs as ``python -m benchmarks.hubproc DB_PATH``: it prints one JSON line with its
base URL once it listens (and the base URL of a hello-world app served the same way,
the server's own limit), then obeys one-line commands on stdin (``latency 0.02``,
``counts cold``/``counts warm``, ``cpu``, ``quit``) and answers each with one line.
Injected latency uses the hub's fault injection (:mod:`contacthub_like.sandbox.faults`);
where the installed version has none, ``latency`` answers ``unsupported``.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

REPO_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0


def latency_supported() -> str | None:
    """None when the hub can inject latency, else why not (shown to the reader)."""
    try:
        from contacthub_like.sandbox import faults  # noqa: F401
    except ImportError as exc:
        return f"this version of the hub has no fault injection ({exc})"
    return None


class HubProcess:
    """A hub on loopback in a child process; a context manager that always stops it."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.hubproc", str(db_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=str(REPO_ROOT),
        )
        hello = self._read_line(START_TIMEOUT)
        info = json.loads(hello)
        self.base_url: str = info["base_url"]
        #: a hello-world app on the same server stack (any path, a fixed 1 KB JSON answer): what no
        #: handler can beat, for requests and answers of the same size as the hub's
        self.hello_url: str = info["hello_url"]

    def _read_line(self, timeout: float) -> str:
        """One answer line from the child, waiting at most ``timeout`` seconds (the child may hang)."""
        assert self._proc.stdout is not None
        if hasattr(select, "poll"):  # pipes cannot be polled on Windows: there, trust the child
            poller = select.poll()
            poller.register(self._proc.stdout, select.POLLIN)
            if not poller.poll(timeout * 1000):
                self._proc.kill()
                self.close()
                raise RuntimeError(f"the benchmark hub did not answer within {timeout:.0f} s")
        line = self._proc.stdout.readline()
        if not line:
            self.close()
            raise RuntimeError(f"the benchmark hub exited (status {self._proc.poll()}) before answering")
        return line.strip()

    def command(self, line: str) -> str:
        assert self._proc.stdin is not None
        self._proc.stdin.write(line + "\n")
        self._proc.stdin.flush()
        return self._read_line(30.0)

    def set_latency(self, seconds: float) -> None:
        answer = self.command(f"latency {seconds}")
        if answer != "ok":
            raise RuntimeError(f"the hub cannot inject latency: {answer}")

    def cpu_seconds(self) -> float:
        """CPU time the hub process has used so far (differences give its cost per request)."""
        return float(self.command("cpu"))

    def set_cold_counts(self, cold: bool) -> None:
        """Make the hub forget every ``COUNT(*)`` it computes (cold) or cache them again (warm)."""
        answer = self.command("counts cold" if cold else "counts warm")
        if answer != "ok":
            raise RuntimeError(f"the hub cannot switch its count cache: {answer}")

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                self.command("quit")
            except (OSError, RuntimeError, ValueError):
                pass
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=5)
        for pipe in (self._proc.stdin, self._proc.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()

    def __enter__(self) -> HubProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Forgetful(dict):  # type: ignore[type-arg]
    """A count cache that keeps nothing: every page pays its ``COUNT(*)``, as a first visit does."""

    def __setitem__(self, key: Any, value: Any) -> None:
        return None


def _hello_server() -> tuple[Any, str]:
    """A hello-world Starlette app on uvicorn, configured as the hub's server is; (server, base url).

    It answers any path with the same 1 KB of JSON, so a client can send it the very URL it sends
    the hub (the client's own cost grows with the URL's length) and read an answer the size of a
    customer document: the difference is the hub's handler, nothing else.
    """
    import socket
    import threading

    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    body = json.dumps({"hello": "world", "padding": "x" * 1000}).encode("utf-8")

    async def hello(request: Any) -> Response:
        return Response(body, media_type="application/json")

    app = Starlette(routes=[Route("/{path:path}", hello)])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.005)
    host, port = sock.getsockname()[:2]
    return server, f"http://{host}:{port}"


def _serve(db_path: str, stdin: IO[str], stdout: IO[str]) -> int:
    from contacthub_like.sandbox.server import LocalHub

    hub = LocalHub(Path(db_path)).start()
    hello, hello_url = _hello_server()
    print(json.dumps({"base_url": hub.base_url, "hello_url": hello_url}), file=stdout, flush=True)
    try:
        for raw in stdin:
            parts = raw.split()
            if not parts:
                continue
            if parts[0] == "quit":
                print("ok", file=stdout, flush=True)
                break
            if parts[0] == "latency" and len(parts) == 2:
                print(_set_latency(hub, float(parts[1])), file=stdout, flush=True)
            elif parts[0] == "cpu":  # CPU seconds the hub process has used: server cost per request
                print(repr(time.process_time()), file=stdout, flush=True)
            elif parts[0] == "counts" and len(parts) == 2 and parts[1] in ("cold", "warm"):
                state = hub.app.state.hub
                state._counts = _Forgetful() if parts[1] == "cold" else {}
                print("ok", file=stdout, flush=True)
            else:
                print(f"unknown command {raw.strip()!r}", file=stdout, flush=True)
    finally:
        hello.should_exit = True
        hub.stop()
    return 0


def _set_latency(hub: Any, seconds: float) -> str:
    reason = latency_supported()
    if reason is not None:
        return f"unsupported: {reason}"
    from contacthub_like.sandbox.faults import FaultConfig

    hub.set_faults(FaultConfig(latency=seconds) if seconds > 0 else FaultConfig())
    return "ok"


if __name__ == "__main__":
    sys.exit(_serve(sys.argv[1], sys.stdin, sys.stdout))
