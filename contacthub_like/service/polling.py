"""Waiting inside a flow: the pause a flow may yield, and :func:`poll_flow` built on it.

Background work (uploads, jobs) is awaited in a flow, so ``job.wait()`` and ``await
job.wait_async()`` share it: the timing is :class:`~contacthub_like.http.polling.PollSchedule`
(as in the blocking ``poll_until``), the pause a :class:`Call` on :data:`CLOCK`, answered with
:func:`time.sleep` or :func:`asyncio.sleep`, so an awaited wait never blocks its event loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, TypeVar

from ..http.polling import PollSchedule
from ..orm.flows import Call, Flow

__all__ = ["poll_flow", "Sleeper", "CLOCK"]

T = TypeVar("T")


class Sleeper:
    """``sleep`` / ``sleep_async``: the one pause a flow may yield."""

    @staticmethod
    def sleep(seconds: float) -> None:
        time.sleep(seconds)

    @staticmethod
    async def sleep_async(seconds: float) -> None:
        await asyncio.sleep(seconds)


CLOCK = Sleeper()


def poll_flow(
    check: Callable[[], Flow[T]],
    done: Callable[[T], bool],
    *,
    timeout: float,
    interval: float = 0.05,
    max_interval: float = 2.0,
    multiplier: float = 2.0,
    describe: Callable[[Any], str] = repr,
    first: T | None = None,
    sleeper: Any = CLOCK,
) -> Flow[T]:
    """Run the flow ``check()`` until ``done(result)``; that result (``WaitTimeout`` past ``timeout``)."""
    schedule = PollSchedule(
        timeout=timeout, interval=interval, max_interval=max_interval, multiplier=multiplier
    )
    state = first if first is not None and done(first) else (yield from check())
    while not done(state):
        yield Call(sleeper, "sleep", schedule.next_delay(state, describe))
        state = yield from check()
    return state
