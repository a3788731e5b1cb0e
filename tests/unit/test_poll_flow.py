"""Waiting inside a flow: the same schedule as poll_until, sleeping with time.sleep or asyncio.sleep."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from contacthub_like.errors import OperationNotPermitted, WaitTimeout
from contacthub_like.http.polling import PollSchedule
from contacthub_like.orm import Entity, String
from contacthub_like.orm.flows import Call, Flow, run, run_async
from contacthub_like.service import poll_flow


class Recorder:
    """A sleeper and a state source that record what the flow asked for."""

    def __init__(self, states: list[str]) -> None:
        self.states = states
        self.slept: list[float] = []
        self.checks = 0

    def state(self) -> str:
        self.checks += 1
        return self.states.pop(0)

    async def state_async(self) -> str:
        return self.state()

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)

    async def sleep_async(self, seconds: float) -> None:
        self.slept.append(seconds)


def waiting(recorder: Recorder, **options: Any) -> Flow[str]:
    def check() -> Flow[str]:
        return (yield Call(recorder, "state"))

    return poll_flow(check, lambda s: s == "done", sleeper=recorder, **options)


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_polls_with_growing_intervals_until_done(driver: str) -> None:
    recorder = Recorder(["run", "run", "run", "done"])
    flow = waiting(recorder, timeout=60, interval=0.1, max_interval=0.3)
    result = run(flow) if driver == "sync" else asyncio.run(run_async(flow))
    assert result == "done" and recorder.checks == 4
    assert recorder.slept == pytest.approx([0.1, 0.2, 0.3])


def test_a_known_final_state_costs_no_request() -> None:
    recorder = Recorder([])
    assert run(waiting(recorder, timeout=1, first="done")) == "done" and recorder.checks == 0


def test_past_the_deadline_the_last_state_is_reported() -> None:
    recorder = Recorder(["run"] * 3)
    clock = iter([0.0, 0.0, 5.0, 5.0, 5.0])
    schedule = PollSchedule(timeout=1, interval=0.5, clock=lambda: next(clock))
    assert schedule.next_delay("run") == 0.5
    with pytest.raises(WaitTimeout, match="'run' after 1 s") as timed_out:
        schedule.next_delay("run")
    assert timed_out.value.last == "run"
    with pytest.raises(WaitTimeout):
        run(waiting(recorder, timeout=0))


class Keyed(Entity):
    __id_key__ = "thingId"
    thingId = String(read_only=True)


def test_an_entity_may_name_its_id_key() -> None:
    assert Keyed.from_dict(None, {"thingId": "t-1"})._require_id("read") == "t-1"
    with pytest.raises(OperationNotPermitted, match="no id yet"):
        Keyed.from_dict(None, {"id": "x"})._require_id("read")
