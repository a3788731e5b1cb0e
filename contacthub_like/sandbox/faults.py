"""Fault injection for the embedded hub: latency, error answers and dropped connections.

A client's retry logic is only as good as the failures it has been run against.  Mocked
failures prove the happy shapes; this module makes a real hub misbehave on a real socket,
including the case mocks cannot express well: the write is committed, then the connection
is closed before the client sees the answer, so a naive retry would duplicate it.

Configure it per hub with a :class:`FaultConfig`:

* in-process: ``LocalHub(path, faults=FaultConfig(...))`` or ``hub.set_faults(...)``;
* out of process: ``contacthub-like hub serve --latency-ms 5 --fault-rate-503 0.1 ...``, or
  ``PUT /admin/faults`` with the same keys as JSON.  The admin route exists only when the hub
  was started with an admin token (``admin_token=`` or ``$CONTACTHUB_LIKE_HUB_ADMIN_TOKEN``) and
  answers only ``Authorization: Bearer <that token>``; workspace tokens never open it.

Paths under ``/admin/`` are never faulted, so a test can always turn the faults off again.
"""

from __future__ import annotations

import asyncio
import hmac
import math
import random
import threading
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

import attrs
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..errors import InvalidType, InvalidValue
from .context import dumps, json_response, loads_strict
from .errors import UNAUTHORIZED_MESSAGE, envelope, field_error

__all__ = ["FaultConfig", "FaultInjector", "FaultMiddleware", "admin_routes", "ADMIN_TOKEN_ENV", "KINDS"]

#: Environment variable ``contacthub-like hub serve`` reads the admin token from.
ADMIN_TOKEN_ENV = "CONTACTHUB_LIKE_HUB_ADMIN_TOKEN"

#: Fault kinds, in the order a request's random draw is matched against their rates.
KINDS = ("429", "500", "503", "drop", "drop_after_commit")

_RATE_FIELDS = ("rate_429", "rate_500", "rate_503", "rate_drop", "rate_drop_after_commit")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidType(f"{name} must be a number, got {type(value).__name__}")
    if not math.isfinite(value) or value < 0:
        raise InvalidValue(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def _check_rate(instance: FaultConfig, attribute: attrs.Attribute[float], value: float) -> None:
    if _number(attribute.name, value) > 1:
        raise InvalidValue(f"{attribute.name} is a fraction of requests between 0 and 1, got {value!r}")


def _check_non_negative(instance: FaultConfig, attribute: attrs.Attribute[float], value: float) -> None:
    _number(attribute.name, value)


def _check_seed(instance: FaultConfig, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidType(f"seed must be an int or None, got {type(value).__name__}")


@attrs.frozen
class FaultConfig:
    """How a hub misbehaves.  Every rate is the fraction of requests (0..1) that get that fault.

    :param latency: seconds added to every request before it is handled.
    :param rate_429: answered ``429`` with ``Retry-After: retry_after`` (nothing is done).
    :param rate_500: answered ``500`` (nothing is done).
    :param rate_503: answered ``503`` with ``Retry-After`` (nothing is done).
    :param rate_drop: the connection is closed before the request is handled.
    :param rate_drop_after_commit: the request is handled (a write is committed), then the
        connection is closed without sending the response.
    :param retry_after: seconds sent in ``Retry-After``; fractions are sent as decimals
        (``0.05``) so tests can run fast.
    :param seed: seed of the random draw, for a reproducible sequence of faults.

    The rates together must not exceed 1: each request draws once and gets at most one fault.
    """

    latency: float = attrs.field(default=0.0, validator=_check_non_negative)
    rate_429: float = attrs.field(default=0.0, validator=_check_rate)
    rate_500: float = attrs.field(default=0.0, validator=_check_rate)
    rate_503: float = attrs.field(default=0.0, validator=_check_rate)
    rate_drop: float = attrs.field(default=0.0, validator=_check_rate)
    rate_drop_after_commit: float = attrs.field(default=0.0, validator=_check_rate)
    retry_after: float = attrs.field(default=1.0, validator=_check_non_negative)
    seed: int | None = attrs.field(default=None, validator=_check_seed)

    def __attrs_post_init__(self) -> None:
        total = sum(self.rates)
        if total > 1 + 1e-9:
            raise InvalidValue(
                f"the fault rates add up to {total:g}; each request gets at most one fault, "
                "so their sum must be at most 1"
            )

    @property
    def rates(self) -> tuple[float, ...]:
        """The rates in :data:`KINDS` order."""
        return tuple(getattr(self, name) for name in _RATE_FIELDS)

    @property
    def active(self) -> bool:
        return self.latency > 0 or any(self.rates)

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FaultConfig:
        """Build from JSON keys (the attribute names); unknown keys are an error, missing ones default."""
        if not isinstance(data, Mapping):
            raise InvalidType(f"fault settings must be a JSON object, got {type(data).__name__}")
        known = {a.name for a in attrs.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InvalidValue(
                f"unknown fault setting(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        return cls(**data)

    def retry_after_header(self) -> str:
        value = self.retry_after
        return str(int(value)) if value == int(value) else f"{value:.6f}".rstrip("0").rstrip(".")


class FaultInjector:
    """The current :class:`FaultConfig` of one hub, its random stream and what it has injected.

    ``injected`` counts faults by kind since the last :meth:`set`, so a test can prove the
    faults it asked for really happened.
    """

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self.set(config or FaultConfig())

    @property
    def config(self) -> FaultConfig:
        return self._config

    def set(self, config: FaultConfig) -> None:
        if not isinstance(config, FaultConfig):
            raise InvalidType(f"faults must be a FaultConfig, got {type(config).__name__}")
        with self._lock:
            self._config = config
            #: the rates in KINDS order, read once here rather than on every request
            self._rates = config.rates
            #: whether the middleware has anything to do (a hub without faults skips it outright)
            self.active: bool = config.active
            self._rng = random.Random(config.seed)
            self.injected: Counter[str] = Counter()

    def draw(self) -> str | None:
        """The fault for the next request (a :data:`KINDS` item), or ``None``."""
        rates = self._rates
        if not any(rates):
            return None
        with self._lock:
            point = self._rng.random()
            for kind, rate in zip(KINDS, rates, strict=True):
                if point < rate:
                    self.injected[kind] += 1
                    return kind
                point -= rate
        return None


class FaultMiddleware:
    """ASGI middleware applying a :class:`FaultInjector` to every request outside ``/admin/``."""

    def __init__(self, app: ASGIApp, injector: FaultInjector) -> None:
        self.app = app
        self.injector = injector

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.injector.active or scope["type"] != "http" or scope.get("path", "").startswith("/admin/"):
            await self.app(scope, receive, send)
            return
        config = self.injector.config
        if config.latency > 0:
            await asyncio.sleep(config.latency)
        kind = self.injector.draw()
        if kind is None:
            await self.app(scope, receive, send)
        elif kind == "drop":
            await _drop(receive)
        elif kind == "drop_after_commit":
            await self.app(scope, receive, _discard)
            await _drop(receive)
        else:
            status = int(kind)
            message = "Too Many Requests" if status == 429 else "injected fault"
            response = json_response(envelope(message), status)
            if status in (429, 503):
                response.headers["Retry-After"] = config.retry_after_header()
            await response(scope, receive, send)


async def _discard(message: Message) -> None:
    return None


async def _drop(receive: Receive) -> None:
    """Close the client connection without an answer.

    ASGI has no "abort" message, so this reaches the server's transport through the bound
    ``receive`` (uvicorn's request cycle keeps it as ``.transport``).  The two yields let the
    server notice the disconnect, so it does not try to send a 500 of its own.
    """
    transport = getattr(getattr(receive, "__self__", None), "transport", None)
    if transport is None:
        raise RuntimeError("dropping a connection needs the hub to be served by uvicorn")
    transport.close()
    await asyncio.sleep(0)
    await asyncio.sleep(0)


# ------------------------------------------------------------------------------ admin route


def admin_routes(injector: FaultInjector, admin_token: str) -> list[BaseRoute]:
    """``GET``/``PUT /admin/faults``, answering only ``Authorization: Bearer <admin_token>``."""
    if not isinstance(admin_token, str) or not admin_token.strip():
        raise InvalidValue("admin_token must be a non-empty str")
    expected = f"Bearer {admin_token.strip()}".encode()

    def authorized(request: Request) -> bool:
        given = request.headers.get("authorization", "").encode("utf-8", "replace")
        return hmac.compare_digest(given, expected)

    async def faults(request: Request) -> Response:
        if not authorized(request):
            return json_response(envelope(UNAUTHORIZED_MESSAGE), 401)
        if request.method == "PUT":
            try:
                data = loads_strict(await request.body())
                injector.set(FaultConfig.from_dict(data))
            except (ValueError, TypeError) as exc:
                return json_response(
                    envelope("fault settings are not valid", errors=[field_error("", str(exc), "INVALID")]),
                    400,
                )
        body = {**injector.config.to_dict(), "injected": dict(injector.injected)}
        return Response(dumps(body).encode("utf-8"), media_type="application/json")

    return [Route("/admin/faults", faults, methods=["GET", "PUT"])]
