"""One piece of business logic, two ways to run it: a verb is a generator of calls on a session.

A verb that needs the API (``post()``, an upsert that turns a 409 into a PATCH) is written
once as a generator that *yields* :class:`Call` objects and receives their results (or has
their exceptions thrown in, so ``try/except Conflict`` works as in straight code).
:func:`run` answers each call with the session's sync method, :func:`run_async` with its
``_async`` twin, so ``customer.post()`` and ``await customer.post_async()`` share every line
of logic and differ only in the socket.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import time
from collections.abc import Callable, Coroutine, Generator
from typing import Any, Concatenate, ParamSpec, TypeVar

__all__ = ["Call", "Flow", "run", "run_async", "twins", "Pause", "PAUSE"]

T = TypeVar("T")
S = TypeVar("S")
P = ParamSpec("P")


class Call:
    """``target.name(*args, **kwargs)``, to be made sync or awaited (``target.name_async``)."""

    __slots__ = ("target", "name", "args", "kwargs")

    def __init__(self, target: Any, name: str, *args: Any, **kwargs: Any) -> None:
        self.target: Any = target
        self.name: str = name
        self.args: tuple[Any, ...] = args
        self.kwargs: dict[str, Any] = kwargs

    def __repr__(self) -> str:
        return f"Call({type(self.target).__name__}.{self.name}, {self.args!r}, {self.kwargs!r})"


#: a verb's logic: yields calls, receives their results, returns the verb's result
Flow = Generator[Call, Any, T]


def run(flow: Flow[T]) -> T:
    """Drive ``flow`` with sync calls."""
    result: Any = None
    error: BaseException | None = None
    while True:
        try:
            call = flow.throw(error) if error is not None else flow.send(result)
        except StopIteration as stop:
            return stop.value
        try:
            result, error = getattr(call.target, call.name)(*call.args, **call.kwargs), None
        except Exception as exc:  # handed to the flow, which may handle it or let it rise
            result, error = None, exc


async def run_async(flow: Flow[T]) -> T:
    """Drive ``flow`` with awaited calls (each call's ``_async`` twin)."""
    result: Any = None
    error: BaseException | None = None
    while True:
        try:
            call = flow.throw(error) if error is not None else flow.send(result)
        except StopIteration as stop:
            return stop.value
        try:
            result, error = await getattr(call.target, call.name + "_async")(*call.args, **call.kwargs), None
        except Exception as exc:
            result, error = None, exc


def twins(
    flow: Callable[Concatenate[S, P], Flow[T]],
) -> tuple[Callable[Concatenate[S, P], T], Callable[Concatenate[S, P], Coroutine[Any, Any, T]]]:
    """A method and its ``_async`` twin from one flow method: ``get, get_async = twins(_get_flow)``."""

    @functools.wraps(flow)
    def sync(self: S, *args: P.args, **kwargs: P.kwargs) -> T:
        return run(flow(self, *args, **kwargs))

    @functools.wraps(flow)
    async def awaited(self: S, *args: P.args, **kwargs: P.kwargs) -> T:
        return await run_async(flow(self, *args, **kwargs))

    name = flow.__name__.lstrip("_").removesuffix("_flow")
    owner = flow.__qualname__.rpartition(".")[0]
    signature = inspect.signature(flow).replace(return_annotation=inspect.Signature.empty)
    for function, function_name in ((sync, name), (awaited, name + "_async")):
        function.__name__ = function_name
        function.__qualname__ = f"{owner}.{function_name}" if owner else function_name
        function.__signature__ = signature  # type: ignore[union-attr]
        function.__annotations__ = {k: v for k, v in function.__annotations__.items() if k != "return"}
        del function.__wrapped__
    if flow.__doc__:
        awaited.__doc__ = f":meth:`{name}`, awaited.\n\n" + inspect.cleandoc(flow.__doc__)
    return sync, awaited


class Pause:
    """A wait inside a flow: ``yield Call(PAUSE, "sleep", seconds)`` sleeps a thread or awaits on a loop.

    ``sleep`` may name the sleeping function to use on the sync path (tests pass a fake, which
    the async path then calls too, so a test sees the same waits either way).
    """

    def sleep(self, seconds: float, sleep: Callable[[float], None] | None = None) -> None:
        if seconds > 0:
            (sleep or time.sleep)(seconds)

    async def sleep_async(self, seconds: float, sleep: Callable[[float], None] | None = None) -> None:
        if seconds <= 0:
            return
        if sleep is None or sleep is time.sleep:
            await asyncio.sleep(seconds)
        else:
            sleep(seconds)


#: the one pause target flows yield to
PAUSE = Pause()
