"""The retry policy: which failures are worth another attempt, how long to wait, when to give up.

A retry is only safe when repeating the request cannot apply it twice.  The transport
tells the policy whether a request is *idempotent*: GET, HEAD, OPTIONS, PUT and DELETE
always are; a POST is when its caller made it so (an event POST carries an
``Idempotency-Key`` the hub deduplicates on; a customer POST resolves the 409 of a retry
to the customer its own earlier attempt created).  For everything else only answers that
say "not processed" (429 Too Many Requests, 423 Locked, 503 Service Unavailable) are retried.

Waiting is exponential with jitter, unless the hub says how long with ``Retry-After``
(seconds or an HTTP date).  Two caps bound a call: ``max_attempts`` and
``max_total_wait`` (seconds of sleeping).  When either is reached the policy raises
:class:`~contacthub_like.errors.RetriesExhausted`, carrying the last answer, instead of
sleeping on or hiding the failure.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable, Iterable
from typing import Any

import attrs
import requests

from .._log import get_logger
from ..errors import InvalidType, InvalidValue, RetriesExhausted, TransportError, parse_retry_after

__all__ = ["Retry", "RETRYABLE_STATUSES", "REFUSED_STATUSES", "MAYBE_APPLIED_STATUSES", "IDEMPOTENT_METHODS"]

log: logging.Logger = get_logger("retry")

#: Statuses retried by default: locked, rate limited, and the gateway family.
RETRYABLE_STATUSES: frozenset[int] = frozenset({423, 429, 502, 503, 504})
#: Statuses meaning "refused, nothing done": retried even for requests that are not idempotent.
REFUSED_STATUSES: frozenset[int] = frozenset({423, 429, 503})
#: Statuses that may follow a commit: the server failed while or after applying (500), or a gateway
#: lost or timed out the upstream answer (502, 504).  A 429, 423 or 503 is a refusal before any work,
#: so only these (and no answer at all) make an earlier attempt "maybe applied".
MAYBE_APPLIED_STATUSES: frozenset[int] = frozenset({500, 502, 504})
#: Methods whose repetition has the effect of one request.
IDEMPOTENT_METHODS: frozenset[str] = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


def _non_negative(instance: Retry, attribute: attrs.Attribute[float], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidType(f"Retry.{attribute.name} must be a number of seconds, got {type(value).__name__}")
    if not math.isfinite(value) or value < 0:
        raise InvalidValue(f"Retry.{attribute.name} must be a finite number >= 0, got {value!r}")


def _attempts(instance: Retry, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValue(f"Retry.max_attempts must be an int >= 1 (1 = never retry), got {value!r}")


def _multiplier(instance: Retry, attribute: attrs.Attribute[float], value: object) -> None:
    _non_negative(instance, attribute, value)
    if value < 1:  # type: ignore[operator]
        raise InvalidValue(f"Retry.multiplier must be >= 1 (delays never shrink), got {value!r}")


def _jitter(instance: Retry, attribute: attrs.Attribute[float], value: object) -> None:
    _non_negative(instance, attribute, value)
    if value > 1:  # type: ignore[operator]
        raise InvalidValue(f"Retry.jitter is the random fraction taken off each delay (0..1), got {value!r}")


def _statuses(value: Iterable[int]) -> frozenset[int]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidType(f"Retry.statuses must be a set of HTTP status codes, got {type(value).__name__}")
    statuses = frozenset(value)
    bad = sorted(
        repr(s) for s in statuses if isinstance(s, bool) or not isinstance(s, int) or not 400 <= s <= 599
    )
    if bad:
        raise InvalidValue(f"Retry.statuses holds values that are not 4xx/5xx codes: {', '.join(bad)}")
    return statuses


@attrs.frozen
class Retry:
    """How a Workspace repeats failed requests.

    :param max_attempts: attempts per request, the first included.
    :param backoff: seconds before the second attempt; each later wait is ``multiplier`` times longer,
        capped at ``max_backoff``.
    :param max_total_wait: seconds of waiting one request may accumulate; a wait that would pass it
        (a long ``Retry-After`` included) ends the request with ``RetriesExhausted`` at once.
    :param jitter: up to this fraction of each computed wait is taken off at random, so many clients
        failing together do not retry together.  ``Retry-After`` waits are used as given.
    :param statuses: answers worth retrying.  Add 500 only for a service whose 500s are transient.
    :param sleep: the sleeping function (tests pass a fake to record waits).
    :param random: a ``() -> float in [0, 1)`` source for the jitter.
    """

    max_attempts: int = attrs.field(default=5, validator=_attempts)
    backoff: float = attrs.field(default=0.5, validator=_non_negative)
    multiplier: float = attrs.field(default=2.0, validator=_multiplier)
    max_backoff: float = attrs.field(default=30.0, validator=_non_negative)
    max_total_wait: float = attrs.field(default=60.0, validator=_non_negative)
    jitter: float = attrs.field(default=0.25, validator=_jitter)
    statuses: frozenset[int] = attrs.field(default=RETRYABLE_STATUSES, converter=_statuses)
    sleep: Callable[[float], None] = attrs.field(default=time.sleep, eq=False, repr=False)
    random: Callable[[], float] = attrs.field(default=random.random, eq=False, repr=False)

    # -- decisions (pure) ------------------------------------------------------------------------
    def should_retry(
        self,
        *,
        idempotent: bool,
        response: requests.Response | None = None,
        error: Exception | None = None,
        throttled: Callable[[requests.Response], bool] | None = None,
    ) -> bool:
        """Whether this outcome deserves another attempt (caps aside).

        No answer at all (``error``) may mean the request was applied, so only idempotent
        requests retry it; an answer retries when its status is in ``statuses`` and either the
        request is idempotent or the status says nothing was done (429, 423, 503).  ``throttled``
        is the service's own throttle signal (CI360's gateway answers 403 when throttling): such
        an answer refused the request, so it is retried like a 429.
        """
        if error is not None:
            return idempotent and isinstance(error, TransportError)
        if response is None:
            return False
        status = response.status_code
        if throttled is not None and status >= 400 and throttled(response):
            return True
        return status in self.statuses and (idempotent or status in REFUSED_STATUSES)

    def delay(self, attempt: int, response: requests.Response | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        if response is not None:
            hint = parse_retry_after(response.headers.get("Retry-After"))
            if hint is not None:
                return hint
        computed = min(self.max_backoff, self.backoff * self.multiplier ** (attempt - 1))
        return computed * (1.0 - self.jitter * self.random())

    # -- the loop ----------------------------------------------------------------------------------
    def begin(
        self,
        *,
        method: str,
        path: str,
        idempotent: bool = False,
        throttled: Callable[[requests.Response], bool] | None = None,
    ) -> RetryState:
        """The decisions for one request, without the I/O: the sync and async transports drive it."""
        return RetryState(self, method, path, idempotent, throttled)

    def run(
        self,
        send: Callable[[], requests.Response],
        *,
        method: str,
        path: str,
        idempotent: bool = False,
        throttled: Callable[[requests.Response], bool] | None = None,
    ) -> requests.Response:
        """Call ``send`` until the outcome is final; the transport maps a final non-2xx to an error."""
        state = self.begin(method=method, path=path, idempotent=idempotent, throttled=throttled)
        while True:
            response: requests.Response | None = None
            error: TransportError | None = None
            try:
                response = send()
            except TransportError as exc:
                error = exc
            wait = state.after(response, error)
            if wait is None:
                assert response is not None
                return response
            if wait > 0:
                self.sleep(wait)

    @staticmethod
    def _exhausted(
        method: str,
        path: str,
        attempts: int,
        waited: float,
        response: requests.Response | None,
        error: TransportError | None,
        reason: str,
    ) -> RetriesExhausted:
        last = (
            f"the last answer was {response.status_code}"
            if response is not None
            else f"the last error: {error}"
        )
        exc = RetriesExhausted(
            f"{method} {path}: gave up after {attempts} attempt(s) and {waited:.2f} s of waiting "
            f"({reason}); {last}. Raise Retry.max_attempts / max_total_wait, or slow down with a throttle",
            attempts=attempts,
            waited=waited,
            response=response,
            last_error=error,
        )
        exc.__cause__ = error
        return exc


class RetryState:
    """One request's way through a :class:`Retry` policy: attempts made, time waited, what next.

    :meth:`after` takes each attempt's outcome and answers the seconds to wait before the next
    attempt, or ``None`` when the answer is final; it raises the error that ends the request.
    No I/O and no sleeping happen here, so threads and event loops share the same decisions.
    """

    __slots__ = ("policy", "method", "path", "idempotent", "throttled", "attempt", "waited")

    def __init__(
        self,
        policy: Retry,
        method: str,
        path: str,
        idempotent: bool,
        throttled: Callable[[requests.Response], bool] | None,
    ) -> None:
        self.policy: Retry = policy
        self.method: str = method
        self.path: str = path
        self.idempotent: bool = idempotent
        self.throttled: Callable[[requests.Response], bool] | None = throttled
        self.attempt: int = 0
        self.waited: float = 0.0

    def after(self, response: Any, error: TransportError | None) -> float | None:
        """The wait before the next attempt, None when ``response`` is final; raises when giving up."""
        policy = self.policy
        self.attempt += 1
        if not policy.should_retry(
            idempotent=self.idempotent, response=response, error=error, throttled=self.throttled
        ):
            if error is not None:
                raise error
            return None
        outcome = f"{response.status_code} answer" if response is not None else type(error).__name__
        if self.attempt >= policy.max_attempts:
            raise policy._exhausted(
                self.method, self.path, self.attempt, self.waited, response, error, f"{self.attempt} attempts"
            )
        wait = policy.delay(self.attempt, response)
        if self.waited + wait > policy.max_total_wait:
            reason = f"the next wait ({wait:.2f} s) would pass max_total_wait={policy.max_total_wait:g} s"
            raise policy._exhausted(
                self.method, self.path, self.attempt, self.waited, response, error, reason
            )
        log.debug(
            "%s %s: %s, retrying in %.3f s (attempt %d of %d)",
            self.method,
            self.path,
            outcome,
            wait,
            self.attempt + 1,
            policy.max_attempts,
        )
        self.waited += wait
        return wait
