"""The seam between entities and HTTP: a :class:`Service` says what an API is, a :class:`Session` talks to it.

A connector for a new API is declarations on these two classes: its paths (each entity
class's ``__collection__`` under the session's scope root), its paging strategy, its query
compiler, its error decoder and its write semantics.  Entities reach the API only through
:meth:`Session.request` and :meth:`Session.list`; the session reaches it only through its
:class:`~contacthub_like.http.transport.Transport`.  See ``docs/architecture.rst``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import attrs
from requests.auth import AuthBase

from .errors import InvalidType, InvalidValue, NotFound, UnsupportedQuery
from .http.polling import PollSchedule
from .http.transport import ThrottleSignal, Transport
from .orm.entity import Entity
from .orm.flows import Call, Flow, run, run_async, twins
from .query.apaginated import AsyncPaginatedList
from .query.combination import Where
from .query.criteria import EMPTY, SortKey
from .query.pager import entity_wrapper
from .query.paginated import PaginatedList
from .query.paging import PagingStrategy
from .query.query import Query

__all__ = [
    "Service",
    "Session",
    "QueryCompiler",
    "CompiledQuery",
    "no_queries",
    "poll_flow",
    "Sleeper",
    "CLOCK",
]

E = TypeVar("E", bound=Entity)
S = TypeVar("S", bound="Session")
T = TypeVar("T")


@attrs.frozen
class CompiledQuery:
    """What a service's compiler makes of a criteria tree and a sort order.

    ``params`` go on every page's request; ``client_filter``, when set, is the part of the
    criteria the API cannot express, applied to each returned entity (only when the query
    opted in to client-side filtering).
    """

    params: Mapping[str, Any]
    client_filter: Callable[[Any], bool] | None = None
    #: a readable form of the client-side part, for :meth:`Query.explain`
    client_side: str | None = None


class QueryCompiler(Protocol):
    """Criteria, sort and options to request parameters; ``client_side``: may leave a part to Python."""

    def __call__(
        self,
        entity_cls: type[Entity],
        where: Where,
        sort: Sequence[SortKey],
        *,
        client_side: bool,
        options: Mapping[str, Any],
    ) -> CompiledQuery: ...


def no_queries(
    entity_cls: type[Entity],
    where: Where,
    sort: Sequence[SortKey],
    *,
    client_side: bool,
    options: Mapping[str, Any] | None = None,
) -> CompiledQuery:
    """The compiler of an API without filters: only the unfiltered, unsorted list can be asked for."""
    if where is not EMPTY or sort:
        if not client_side:
            raise UnsupportedQuery(
                f"this API cannot filter or sort {entity_cls.__name__} lists: call "
                ".client_side() on the query to filter the full list in Python, or drop filter()/order_by()"
            )
        from .query.evaluate import matcher  # the criteria evaluator: pure, no I/O

        return CompiledQuery({}, matcher(where), client_side=repr(where))
    return CompiledQuery({})


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


class Session:
    """One API connection as entities see it: a :class:`Service` over a :class:`Transport`.

    Subclasses give :attr:`root` (the scope's path prefix, e.g. ``/workspaces/{ws}``) and may
    add the scope's parameters to every list (:meth:`scope_params`).
    """

    service: Service
    transport: Transport
    #: path prefix of every collection of this session's scope ("" for none)
    root: str = ""

    def __init__(self, service: Service, transport: Transport, *, root: str = "") -> None:
        self.service = service
        self.transport = transport
        self.root = root

    # -- paths ---------------------------------------------------------------------------------
    def path(self, entity_cls: type[Entity], ident: Any = None, suffix: str | None = None) -> str:
        """``{root}/{collection}[/{ident}][/{suffix}]`` with the id quoted as one path segment."""
        collection = entity_cls._meta.collection
        if not collection:
            raise InvalidType(
                f"{entity_cls.__name__} is not a collection of the {self.service.name} API "
                "(it declares no __collection__)"
            )
        path = f"{self.root}/{collection}"
        if ident is not None:
            path += "/" + segment(f"{entity_cls.__name__.lower()} id", ident)
        if suffix:
            path += "/" + suffix
        return path

    def scope_params(self, entity_cls: type[Entity]) -> dict[str, Any]:
        """Parameters every list request of this scope carries (none by default)."""
        return {}

    # -- the one entry entities write through ----------------------------------------------------
    def _request_flow(
        self,
        entity_cls: type[Entity],
        method: str,
        ident: Any = None,
        *,
        suffix: str | None = None,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> Flow[Any]:
        """One request on an entity's collection or one of its members; the parsed answer."""
        path = self.path(entity_cls, ident, suffix)
        return (
            yield from self._call_flow(
                method, path, params=params, body=body, headers=headers, idempotent=idempotent
            )
        )

    if TYPE_CHECKING:  # declared for type checkers as twins() makes them (the session's core verbs)

        def request(
            self,
            entity_cls: type[Entity],
            method: str,
            ident: Any = None,
            *,
            suffix: str | None = None,
            params: Mapping[str, Any] | None = None,
            body: Any = None,
            headers: Mapping[str, str] | None = None,
            idempotent: bool | None = None,
        ) -> Any: ...
        async def request_async(
            self,
            entity_cls: type[Entity],
            method: str,
            ident: Any = None,
            *,
            suffix: str | None = None,
            params: Mapping[str, Any] | None = None,
            body: Any = None,
            headers: Mapping[str, str] | None = None,
            idempotent: bool | None = None,
        ) -> Any: ...
    else:
        request, request_async = twins(_request_flow)

    def _call_flow(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        form: Mapping[str, Any] | None = None,
    ) -> Flow[Any]:
        """One request on a path of this session's API, with the library's write semantics.

        ``body`` is sent as JSON, ``form`` as ``application/x-www-form-urlencoded`` (never both).

        A PATCH is safe to repeat (every PATCH body the library builds holds absolute values:
        whole lists, new values, nulls), and a DELETE that finds nothing after an earlier
        attempt lost its answer was done by that attempt.
        """
        extra: dict[str, Any] = {}
        if body is not None:
            extra["json"] = body
        if form is not None:
            extra["form"] = form
        if headers is not None:
            extra["headers"] = headers
        if idempotent is None and method == "PATCH":
            idempotent = True
        if idempotent is not None:
            extra["idempotent"] = idempotent
        try:
            return (yield Call(self.transport, "request", method, path, params=params, **extra))
        except NotFound as missing:
            if method == "DELETE" and missing.maybe_applied_before:
                return None
            raise

    if TYPE_CHECKING:

        def call(
            self,
            method: str,
            path: str,
            *,
            params: Mapping[str, Any] | None = None,
            body: Any = None,
            headers: Mapping[str, str] | None = None,
            idempotent: bool | None = None,
            form: Mapping[str, Any] | None = None,
        ) -> Any: ...
        async def call_async(
            self,
            method: str,
            path: str,
            *,
            params: Mapping[str, Any] | None = None,
            body: Any = None,
            headers: Mapping[str, str] | None = None,
            idempotent: bool | None = None,
            form: Mapping[str, Any] | None = None,
        ) -> Any: ...
    else:
        call, call_async = twins(_call_flow)

    def prepare_create(self, entity_cls: type[Entity], body: dict[str, Any]) -> dict[str, Any]:
        """The body of a create: the service's scope field filled in when the entity has it."""
        field = self.service.scope_field
        if field and field in entity_cls._meta.fields and not body.get(field):
            body[field] = self.scope_value()
        return body

    def scope_value(self) -> Any:
        """The value of the service's scope field for this session."""
        raise InvalidType(f"{type(self).__name__} has no scope value for {self.service.scope_field!r}")

    def wrap(self, entity_cls: type[E], document: Any) -> E:
        """An entity over a document as the API sent it (it becomes the change-tracking baseline)."""
        return entity_cls.from_dict(self, document)

    def wrapper(self, entity_cls: type[E]) -> Callable[[Any], E]:
        """:meth:`wrap` for every document of a list, as one callable made once per list.

        A session that reads documents plainly hands out ``from_dict`` itself, bound in a
        C ``partial``: a page of 50 then costs no extra Python frame per element.
        """
        if type(self).wrap is Session.wrap:
            return entity_wrapper(entity_cls, entity_cls.from_dict, self)
        return entity_wrapper(entity_cls, self.wrap, entity_cls)

    # -- envelopes and paging an entity class declares -------------------------------------------
    def unwrap(self, entity_cls: type[Entity], document: Any) -> Any:
        """The entity's document inside an answer: at the dotted ``__document_key__`` the class
        declares (StreamOne v1's ``data.invoice``), else the answer itself."""
        key = getattr(entity_cls, "__document_key__", None)
        if not key:
            return document
        found = document
        for part in key.split("."):
            if not isinstance(found, Mapping) or part not in found:
                raise InvalidType(
                    f"the {self.service.name} API answered a {entity_cls.__name__} without {key!r}; "
                    "is the base URL pointing at the right service?"
                )
            found = found[part]
        return found

    def paging_for(self, entity_cls: type[Entity]) -> PagingStrategy:
        """The paging of ``entity_cls``'s collection: the class's ``__paging__`` or the service's,
        with the class's ``__items_key__`` (a dotted key) when it names where its list is."""
        paging: Any = getattr(entity_cls, "__paging__", None) or self.service.paging
        key = getattr(entity_cls, "__items_key__", None)
        if key and attrs.has(type(paging)) and "items_key" in attrs.fields_dict(type(paging)):
            paging = attrs.evolve(paging, items_key=key)
        return paging

    def list_path(self, entity_cls: type[Entity], params: Mapping[str, Any]) -> str:
        """Where a list of ``entity_cls`` with ``params`` is read (its collection, by default)."""
        return self.path(entity_cls)

    # -- reading ---------------------------------------------------------------------------------
    def _get_flow(
        self, entity_cls: type[E], ident: Any, *, params: Mapping[str, Any] | None = None
    ) -> Flow[E]:
        """One entity by id (``params``: the API's own options for reading it)."""
        document = yield from self._request_flow(entity_cls, "GET", ident, params=params)
        return self.wrap(entity_cls, self.unwrap(entity_cls, document))

    if TYPE_CHECKING:

        def get(self, entity_cls: type[E], ident: Any, *, params: Mapping[str, Any] | None = None) -> E: ...
        async def get_async(
            self, entity_cls: type[E], ident: Any, *, params: Mapping[str, Any] | None = None
        ) -> E: ...
    else:
        get, get_async = twins(_get_flow)

    def _fetch_page_flow(
        self, entity_cls: type[Entity], params: Mapping[str, Any], link: str | None = None
    ) -> Flow[Any]:
        """GET one page of a collection (or the next-page link the API gave)."""
        if link is not None:
            return (yield from self._call_flow("GET", link))
        full = {**self.scope_params(entity_cls), **params}
        return (yield from self._call_flow("GET", self.list_path(entity_cls, full), params=full))

    if TYPE_CHECKING:

        def fetch_page(
            self, entity_cls: type[Entity], params: Mapping[str, Any], link: str | None = None
        ) -> Any: ...
        async def fetch_page_async(
            self, entity_cls: type[Entity], params: Mapping[str, Any], link: str | None = None
        ) -> Any: ...
    else:
        fetch_page, fetch_page_async = twins(_fetch_page_flow)

    def _pages(
        self,
        entity_cls: type[Entity],
        params: Mapping[str, Any] | None,
        size: int | None,
        path: str | None,
        paging: PagingStrategy,
    ) -> Callable[[int, Any], Flow[Any]]:
        """How page ``number`` of a collection (or of ``path``) is fetched, as a flow for either driver."""
        base = dict(params or {})

        def page(number: int, cursor: Any = None) -> Flow[Any]:
            link = paging.follow(cursor)
            if link is not None:
                return (yield Call(self, "fetch_page", entity_cls, {}, link))
            page_params = {**base, **paging.params(number, size, cursor)}
            if path is not None:
                return (yield Call(self, "call", "GET", path, params=page_params))
            return (yield Call(self, "fetch_page", entity_cls, page_params))

        return page

    def _list_parts(
        self,
        entity_cls: type[E],
        params: Mapping[str, Any] | None,
        size: int | None,
        wrap: Callable[[Any], E] | None,
        path: str | None,
        paging: PagingStrategy | None,
    ) -> tuple[Callable[[int, Any], Flow[Any]], Callable[[Any], E], PagingStrategy]:
        """What a sync or async list of ``entity_cls`` needs: its page flow, its wrapper, its paging."""
        _check_size(size)
        paging = paging or self.paging_for(entity_cls)
        flow = self._pages(entity_cls, params, size, path, paging)
        return flow, wrap or self.wrapper(entity_cls), paging

    def list(
        self,
        entity_cls: type[E],
        params: Mapping[str, Any] | None = None,
        *,
        page: int = 0,
        size: int | None = None,
        prefetch: int = 0,
        wrap: Callable[[Any], E] | None = None,
        path: str | None = None,
        keep: Callable[[Any], bool] | None = None,
        paging: PagingStrategy | None = None,
    ) -> PaginatedList[E]:
        """A lazy list over a collection (or over ``path``, a sub-collection), paged by the service
        (or by ``paging``, where one collection pages two ways)."""
        flow, make, paging = self._list_parts(entity_cls, params, size, wrap, path, paging)
        return PaginatedList(
            lambda number, cursor=None: run(flow(number, cursor)),
            make,
            start_page=page,
            size=size,
            prefetch=prefetch,
            paging=paging,
            keep=keep,
        )

    def list_async(
        self,
        entity_cls: type[E],
        params: Mapping[str, Any] | None = None,
        *,
        page: int = 0,
        size: int | None = None,
        prefetch: int = 0,
        wrap: Callable[[Any], E] | None = None,
        path: str | None = None,
        keep: Callable[[Any], bool] | None = None,
        paging: PagingStrategy | None = None,
    ) -> AsyncPaginatedList[E]:
        """:meth:`list` for ``async for``: the same requests, awaited (prefetch as tasks of the loop)."""
        flow, make, paging = self._list_parts(entity_cls, params, size, wrap, path, paging)
        return AsyncPaginatedList(
            lambda number, cursor=None: run_async(flow(number, cursor)),
            make,
            start_page=page,
            size=size,
            prefetch=prefetch,
            paging=paging,
            keep=keep,
        )

    #: the query builder class of this session's service (a subclass may add named options)
    query_class: type[Query[Any]] = Query

    def query(self, entity_cls: type[E]) -> Query[E]:
        """A query builder over ``entity_cls`` (``session.query(Thing).filter(...)``)."""
        return self.query_class(self, entity_cls)

    def compile(
        self,
        entity_cls: type[Entity],
        where: Where,
        sort: Sequence[SortKey],
        *,
        client_side: bool = False,
        options: Mapping[str, Any] | None = None,
    ) -> CompiledQuery:
        """What a query becomes for this service (see :meth:`Query.explain`)."""
        return self.service.compile_query(
            entity_cls, where, sort, client_side=client_side, options=options or {}
        )

    def explain(
        self, entity_cls: type[Entity], compiled: CompiledQuery, *, size: int | None
    ) -> dict[str, Any]:
        """The first page's request for a compiled query, as data: method, path, parameters, client part."""
        params = {
            **self.scope_params(entity_cls),
            **compiled.params,
            **self.paging_for(entity_cls).params(0, size, None),
        }
        return {
            "method": "GET",
            "path": self.list_path(entity_cls, params),
            "params": params,
            "client_side": compiled.client_side,
        }

    # -- lifecycle -----------------------------------------------------------------------------
    def close(self) -> None:
        """Release the connection pools (and whatever the auth strategy holds)."""
        self.transport.close()
        close_auth = getattr(self.transport.auth, "close", None)
        if callable(close_auth):  # e.g. the token endpoint's pool of an OAuth2 strategy
            close_auth()

    async def aclose(self) -> None:
        """``close()``, also closing the asyncio pool of the running loop."""
        await self.transport.aclose()
        self.close()

    def __enter__(self: S) -> S:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self: S) -> S:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.service.name} at {self.transport.base_url}{self.root}>"


def _check_size(size: Any) -> None:
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
        raise InvalidValue(f"size must be a positive integer (elements per page) or None, got {size!r}")


def segment(what: str, value: Any) -> str:
    """A path segment from an id, refusing values that would change the URL's meaning."""
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    if not text or "/" in text or text in (".", "..") or "?" in text or "#" in text:
        raise InvalidValue(f"{what} must be a non-empty string without '/', '?' or '#', got {value!r}")
    return text


# ------------------------------------------------------------------ waiting inside a flow
# Background work (uploads, jobs) is awaited in a flow, so ``job.wait()`` and ``await
# job.wait_async()`` share it: the timing is :class:`~contacthub_like.http.polling.PollSchedule`
# (as in the blocking ``poll_until``), the pause a :class:`Call` on :data:`CLOCK`, answered with
# :func:`time.sleep` or :func:`asyncio.sleep`, so an awaited wait never blocks its event loop.


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
