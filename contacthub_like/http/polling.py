"""Waiting for work an API does in the background (uploads, jobs): one loop for every service.

Polls start close together and spread out (``interval`` growing by ``multiplier`` up to
``max_interval``), so a quick job is seen done almost at once and a long one costs few
requests; the loop never sleeps past its deadline.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from ..errors import InvalidValue, WaitTimeout

__all__ = ["poll_until"]

T = TypeVar("T")


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
    if not (timeout >= 0 and interval > 0 and max_interval >= interval and multiplier >= 1):
        raise InvalidValue(
            "polling needs timeout >= 0, 0 < interval <= max_interval and multiplier >= 1, got "
            f"timeout={timeout!r}, interval={interval!r}, max_interval={max_interval!r}, "
            f"multiplier={multiplier!r}"
        )
    deadline = clock() + timeout
    delay = interval
    state = check() if first is None or not done(first) else first
    while not done(state):
        remaining = deadline - clock()
        if remaining <= 0:
            raise WaitTimeout(
                f"{describe(state)} after {timeout} s; call wait() again to keep waiting", last=state
            )
        sleep(min(delay, remaining))
        delay = min(delay * multiplier, max_interval)
        state = check()
    return state
