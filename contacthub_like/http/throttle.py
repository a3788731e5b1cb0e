"""A client-side request rate limit: a token bucket shared by every thread of a Workspace.

Bouncing off a service's rate limit costs a round trip and a ``Retry-After`` sleep per
refused request; staying under it costs nothing.  The bucket holds up to ``burst`` tokens
and refills at ``rate`` per second; each attempt (retries included) takes one.  A thread
that finds the bucket empty *reserves* the next token and sleeps outside the lock, so
waiting threads are served in arrival order and never busy-wait.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Callable

from ..errors import InvalidType, InvalidValue

__all__ = ["TokenBucket"]


class TokenBucket:
    """At most ``rate`` requests per second on average, at most ``burst`` at once.

    Satisfies the transport's ``Throttle`` protocol (``acquire()``).
    """

    def __init__(
        self,
        rate: float,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if isinstance(rate, bool) or not isinstance(rate, (int, float)):
            raise InvalidType(f"rate must be a number of requests per second, got {type(rate).__name__}")
        if not math.isfinite(rate) or rate <= 0:
            raise InvalidValue(f"rate must be a positive number of requests per second, got {rate!r}")
        if isinstance(burst, bool) or not isinstance(burst, int) or burst < 1:
            raise InvalidValue(f"burst must be an int >= 1 (requests allowed at once), got {burst!r}")
        self.rate: float = float(rate)
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(burst)
        self._last = clock()

    def reserve(self) -> float:
        """Take one token now; the seconds until it is due (0: at once).

        Threads and event-loop tasks share one bucket: each reserves under the lock and waits
        outside it, in its own way (a thread sleeps, a task awaits).
        """
        with self._lock:
            now = self._clock()
            self._tokens = min(float(self.burst), self._tokens + (now - self._last) * self.rate)
            self._last = now
            self._tokens -= 1.0
            return -self._tokens / self.rate if self._tokens < 0 else 0.0

    def acquire(self) -> None:
        """Take one token, sleeping until it is due."""
        wait = self.reserve()
        if wait > 0:
            self._sleep(wait)

    async def acquire_async(self) -> None:
        """Take one token, awaiting (without blocking the event loop) until it is due."""
        wait = self.reserve()
        if wait > 0:
            await asyncio.sleep(wait)

    def __repr__(self) -> str:
        return f"TokenBucket(rate={self.rate:g}, burst={self.burst})"
