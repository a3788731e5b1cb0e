"""What an API is, declared: a :class:`Service` names its paging, query compiler, errors and writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from requests.auth import AuthBase

from ..http.transport import ThrottleSignal, Transport
from ..query.paging import PagingStrategy
from .queries import QueryCompiler, no_queries

__all__ = ["Service"]


@attrs.frozen
class Service:
    """An API, declared: how its collections page, how its queries compile, how it says no.

    :param name: shown in errors and ``repr`` (``"contacthub"``).
    :param paging: the paging strategy of its collections.
    :param compile_query: criteria → request parameters (:data:`no_queries` when it has no filters).
    :param decode_error: ``(response, secrets) -> APIError``; None keeps the transport's default.
    :param success_statuses: statuses that mean a write succeeded (some APIs answer 202 Accepted).
    :param scope_field: a field that names the scope an entity is created in (ContactHub's
        ``nodeId``), filled from the session by :meth:`Session.prepare_create`.
    :param throttled: the API's throttle signal when it is not only 429 (CI360's 403).
    """

    name: str
    paging: PagingStrategy
    compile_query: QueryCompiler = no_queries
    decode_error: Callable[..., Exception] | None = None
    success_statuses: frozenset[int] = frozenset({200, 201, 202, 204})
    scope_field: str | None = None
    throttled: ThrottleSignal | None = None

    def transport(self, base_url: str, auth: AuthBase | None, **options: Any) -> Transport:
        """A transport that reads this API's errors and throttle signal (``options``: timeout, retry...)."""
        return Transport(base_url, auth, decode_error=self.decode_error, throttled=self.throttled, **options)
