"""The hooks a :class:`~contacthub_like.http.transport.Transport` takes, as protocols and callable types.

A retry policy, a throttle, a service's error decoder and its throttle signal are given to
the transport from outside (:mod:`contacthub_like.http.retry`, :mod:`contacthub_like.http.throttle`,
each service's wire module); these are the shapes they must have.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeAlias

import requests

__all__ = ["Throttle", "RetryPolicy", "ErrorDecoder", "ThrottleSignal"]


class Throttle(Protocol):
    """Called before every attempt; may block to keep under a request rate."""

    def acquire(self) -> None: ...


class RetryPolicy(Protocol):
    """Decides whether and when to repeat a request.

    ``run`` receives ``send``, which performs one attempt and returns the raw response
    (any status) or raises :class:`~contacthub_like.errors.TransportError`.  The policy
    calls it as many times as it wants and returns the response to use; the transport
    then maps a non-2xx status to an exception as usual.  ``idempotent`` says whether
    repeating the request is harmless.  A policy that gives up raises
    :class:`~contacthub_like.errors.RetriesExhausted` (see :class:`contacthub_like.http.retry.Retry`).
    """

    def run(
        self, send: Callable[[], requests.Response], *, method: str, path: str, idempotent: bool
    ) -> requests.Response: ...


#: ``(response, secrets=...) -> Exception``: a service's reading of its error bodies
ErrorDecoder: TypeAlias = Callable[..., Exception]
#: ``(response) -> bool``: whether an answer is the service's throttle signal (beyond 429)
ThrottleSignal: TypeAlias = Callable[[requests.Response], bool]
