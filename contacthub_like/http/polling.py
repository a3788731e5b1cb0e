"""Waiting for work an API does in the background (uploads, jobs): one loop for every service.

Polls start close together and spread out (``interval`` growing by ``multiplier`` up to
``max_interval``), so a quick job is seen done almost at once and a long one costs few
requests; the loop never sleeps past its deadline.  :class:`PollSchedule` is that timing
alone, so the blocking :func:`poll_until` and the flow form
(:func:`contacthub_like.service.poll_flow`, sync or awaited) wait the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from ..errors import InvalidValue, WaitTimeout

__all__ = ["poll_until", "PollSchedule"]

T = TypeVar("T")


class PollSchedule:
    """The delays of one wait: growing from ``interval`` to ``max_interval``, ending at ``timeout``."""

    __slots__ = ("timeout", "_deadline", "_delay", "_max", "_multiplier", "_clock")

    def __init__(
        self,
        *,
        timeout: float,
        interval: float = 0.05,
        max_interval: float = 2.0,
        multiplier: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not (timeout >= 0 and interval > 0 and max_interval >= interval and multiplier >= 1):
            raise InvalidValue(
                "polling needs timeout >= 0, 0 < interval <= max_interval and multiplier >= 1, got "
                f"timeout={timeout!r}, interval={interval!r}, max_interval={max_interval!r}, "
                f"multiplier={multiplier!r}"
            )
        self.timeout: float = timeout
        self._deadline = clock() + timeout
        self._delay = interval
        self._max = max_interval
        self._multiplier = multiplier
        self._clock = clock

    def next_delay(self, state: object, describe: Callable[[object], str] = repr) -> float:
        """Seconds to sleep before the next check; :class:`WaitTimeout` once the deadline has passed."""
        remaining = self._deadline - self._clock()
        if remaining <= 0:
            raise WaitTimeout(
                f"{describe(state)} after {self.timeout} s; call wait() again to keep waiting", last=state
            )
        delay = min(self._delay, remaining)
        self._delay = min(self._delay * self._multiplier, self._max)
        return delay


def poll_until(
    check: Callable[[], T],
    done: Callable[[T], bool],
    *,
    timeout: float,
    interval: float = 0.05,
    max_interval: float = 2.0,
    multiplier: float = 2.0,
    describe: Callable[[T], str] = repr,
    first: T | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """Call ``check`` until ``done(result)``; return that result.

    ``first`` is a state already known (no request is made for it if it is done).  After
    ``timeout`` seconds :class:`~contacthub_like.errors.WaitTimeout` is raised with the last
    state in ``last`` and ``describe(last)`` in its message; the work itself goes on.
    """
    schedule = PollSchedule(
        timeout=timeout, interval=interval, max_interval=max_interval, multiplier=multiplier, clock=clock
    )
    state = check() if first is None or not done(first) else first
    while not done(state):
        sleep(schedule.next_delay(state, describe))  # type: ignore[arg-type]
        state = check()
    return state
