"""What the emulator's routes share, and the knobs tests and ``hub serve`` may turn while it runs.

Jobs, upload processing and the gateway throttle read their settings from here on every use,
so changing ``job_seconds`` or ``throttle_limit`` takes effect for the next request.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable

import attrs

from ..emulators import SandboxSettings
from ..store import Store
from .objects import Objects

log: logging.Logger = logging.getLogger("contacthub_like.sandbox.ci360")

SIGNING_KEY_META = "ci360_signing_key"


class Throttle:
    """Requests per client address over a trailing window, in one-second buckets.

    Only admitted requests count, so a client that keeps calling while throttled is let in
    again once its old requests leave the window (the gateway's documented behaviour).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: dict[str, deque[list[int]]] = {}
        self._totals: dict[str, int] = {}

    def admit(self, client: str, limit: int, window: float) -> bool:
        second = int(time.monotonic())
        with self._lock:
            buckets = self._hits.setdefault(client, deque())
            total = self._totals.get(client, 0)
            while buckets and buckets[0][0] <= second - window:
                total -= buckets.popleft()[1]
            if total >= limit:
                self._totals[client] = total
                return False
            if buckets and buckets[-1][0] == second:
                buckets[-1][1] += 1
            else:
                buckets.append([second, 1])
            self._totals[client] = total + 1
            return True

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
            self._totals.clear()


Step = Callable[[], "float | None"]


class Scheduler:
    """One background thread that runs job steps when they are due, off the request path.

    A step returns the delay before it should run again, or None when the work is done.  The
    thread starts with the first step and ends soon after the store is closed.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._heap: list[tuple[float, int, Step]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def call_later(self, delay: float, step: Step) -> None:
        with self._cond:
            heapq.heappush(self._heap, (time.monotonic() + max(0.0, delay), next(self._seq), step))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="contacthub-ci360-jobs", daemon=True)
                self._thread.start()
            self._cond.notify()

    def _next_due(self) -> Step | None:
        with self._cond:
            while not self.store.closed:
                if self._heap and self._heap[0][0] <= time.monotonic():
                    return heapq.heappop(self._heap)[2]
                wait = self._heap[0][0] - time.monotonic() if self._heap else 0.5
                self._cond.wait(timeout=min(0.5, max(0.0, wait)))
            return None

    def _run(self) -> None:
        while True:
            step = self._next_due()
            if step is None:
                return
            try:
                again = step()
            except Exception:
                if self.store.closed:
                    return
                log.exception("a CI360 emulator job step failed")
                continue
            if again is not None:
                self.call_later(again, step)


@attrs.define
class CI360State:
    """Shared by every route of one emulator app."""

    store: Store
    settings: SandboxSettings
    objects: Objects
    scheduler: Scheduler
    signing_key: bytes
    #: how long a job, an audience upload or an import runs before it reaches its final state
    job_seconds: float = 1.5
    #: how long a signed upload URL stays valid
    signed_url_ttl: float = 900.0
    #: the gateway throttle: at most ``throttle_limit`` requests per client per ``throttle_window`` s
    throttle_limit: int = 700_000
    throttle_window: float = 300.0
    throttle: Throttle = attrs.field(factory=Throttle)
    #: what to do once a file lands on a signed URL, by the purpose it was issued for
    on_upload: dict[str, Callable[[str, str], None]] = attrs.field(factory=dict)

    @classmethod
    def create(cls, store: Store, settings: SandboxSettings) -> CI360State:
        key = store.get_meta(SIGNING_KEY_META)
        if key is None:  # one key per database, so signed URLs survive a restart of the server
            key = secrets.token_hex(32)
            store.set_meta(SIGNING_KEY_META, key)
        return cls(store, settings, Objects(store), Scheduler(store), bytes.fromhex(key))
