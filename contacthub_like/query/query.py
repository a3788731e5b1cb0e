"""The immutable query builder: ``node.query(Customer).filter(...).order_by(...).all()``.

Every builder method returns a new :class:`Query`, so a base query can be
shared and refined without surprises. A query does no I/O until :meth:`all`'s
list is read, :meth:`first` or :meth:`count` is called.  What the criteria become on
the wire is the session's service's business (its compiler, its paging strategy): the
query only hands them over, which is what lets one criteria language serve every API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar

from ..errors import InvalidType, InvalidValue, OperationNotPermitted
from .apaginated import AsyncPaginatedList
from .combination import EXCEPT, INTERSECT, UNION, Combination, Where
from .criteria import EMPTY, Criterion, Path, SortKey, all_of
from .pager import check_prefetch, entity_wrapper
from .paginated import PaginatedList

__all__ = ["Query", "QuerySource", "PageSource"]

E = TypeVar("E")


class Compiled(Protocol):
    params: Mapping[str, Any]
    client_filter: Callable[[Any], bool] | None


class QuerySource(Protocol):
    """What a query needs from its session (:class:`contacthub_like.service.Session` provides it)."""

    def compile(
        self,
        entity_cls: Any,
        where: Where,
        sort: Sequence[SortKey],
        *,
        client_side: bool = ...,
        options: Mapping[str, Any] | None = ...,
    ) -> Any: ...

    def list(
        self,
        entity_cls: Any,
        params: Mapping[str, Any] | None = ...,
        *,
        page: int = ...,
        size: int | None = ...,
        prefetch: int = ...,
        wrap: Callable[[Any], Any] | None = ...,
        keep: Callable[[Any], bool] | None = ...,
    ) -> PaginatedList[Any]: ...

    def explain(self, entity_cls: Any, compiled: Any, *, size: int | None) -> dict[str, Any]: ...


#: the earlier name of :class:`QuerySource`
PageSource = QuerySource


def _entity_name(entity: Any) -> str:
    return getattr(entity, "__name__", None) or repr(entity)


class Query(Generic[E]):
    """A lazily evaluated, immutable query on one entity class of one node.

    * :meth:`filter` ANDs criteria (repeated calls keep ANDing);
    * ``q1 & q2`` → ``INTERSECT``, ``q1 | q2`` → ``UNION``, ``q1 - q2`` → ``EXCEPT``
      (a combined query cannot be filtered further, but can be ordered);
    * :meth:`order_by` replaces the ordering; :meth:`all`, :meth:`first`, :meth:`count` run it.
    """

    __slots__ = ("_node", "_entity", "_where", "_sort", "_size", "_client_side", "_options")

    def __init__(
        self,
        node: QuerySource,
        entity: type[E],
        *,
        where: Where = EMPTY,
        sort: tuple[SortKey, ...] = (),
        size: int | None = None,
        client_side: bool = False,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        if not isinstance(where, (Criterion, Combination)):
            raise InvalidType(f"a query selects with a criterion, got {where!r}")
        self._node = node
        self._entity = entity
        self._where: Where = where
        self._sort = tuple(sort)
        self._size = _check_size(size)
        self._client_side = bool(client_side)
        #: service-specific request options (StreamOne's ``relations``...), read by the service's compiler
        self._options: dict[str, Any] = dict(options or {})

    def _replace(self, **changes: Any) -> Query[E]:
        values = {
            "where": self._where,
            "sort": self._sort,
            "size": self._size,
            "client_side": self._client_side,
            "options": self._options,
            **changes,
        }
        return type(self)(self._node, self._entity, **values)

    # -- read-only state ---------------------------------------------------------------------------
    @property
    def node(self) -> QuerySource:
        """The session the query runs on (a ContactHub :class:`~contacthub_like.Node`, or another service's)."""
        return self._node

    @property
    def entity(self) -> type[E]:
        return self._entity

    @property
    def where(self) -> Where:
        """The criterion (a simple query, :data:`EMPTY` when unfiltered) or the combination."""
        return self._where

    @property
    def is_combined(self) -> bool:
        return isinstance(self._where, Combination)

    # -- building ----------------------------------------------------------------------------------
    def filter(self, *criteria: Criterion) -> Query[E]:
        """A query that also requires every given criterion (AND)."""
        if self.is_combined:
            raise OperationNotPermitted("Cannot apply a filter on a combined query.")
        for crit in criteria:
            if not isinstance(crit, Criterion):
                raise InvalidType(
                    f"filter() takes criteria such as (Customer.base.firstName == 'Bruce'), got "
                    f"{type(crit).__name__} {crit!r}"
                    + (
                        "; a bool means Python's 'and'/'or' ran on criteria (use & and |) or two "
                        "attribute paths were compared (the hub compares attributes with values only)"
                        if isinstance(crit, bool)
                        else ""
                    )
                )
            self._check_entities(crit)
        assert isinstance(self._where, Criterion)
        return self._replace(where=all_of(self._where, *criteria))

    def _check_entities(self, crit: Criterion) -> None:
        for entity in crit.entities():
            if entity is not None and entity is not self._entity:
                raise InvalidValue(
                    f"this query is on {_entity_name(self._entity)}, but the criterion {crit!r} uses a path "
                    f"of {_entity_name(entity)}; start paths from {_entity_name(self._entity)} "
                    f"(e.g. {_entity_name(self._entity)}.base.firstName)"
                )

    def order_by(self, *keys: Path | SortKey | str) -> Query[E]:
        """A query sorted by ``keys`` (replacing any ordering; no keys clears it).

        Accepts ``Customer.base.lastName``, ``-Customer.base.lastName``,
        ``Customer.base.lastName.desc()``, ``"base.lastName"`` or ``"-base.lastName"``.
        """
        parsed = tuple(SortKey.parse(key) for key in keys)
        for key in parsed:
            if key.entity is not None and key.entity is not self._entity:
                raise InvalidValue(
                    f"this query is on {_entity_name(self._entity)}; sort by a path of it, "
                    f"not of {_entity_name(key.entity)}"
                )
        return self._replace(sort=parsed)

    def client_side(self, allowed: bool = True) -> Query[E]:
        """A query that may filter in Python what its service cannot express.

        The server then gets the largest part it can run (say the AND of what its filter
        language knows) and every returned entity is checked against the rest, lazily.
        :meth:`explain` shows the split.  Off by default: such a query reads more than it
        returns, so it must be asked for.
        """
        return self._replace(client_side=allowed)

    def with_options(self, **options: Any) -> Query[E]:
        """A query carrying service-specific options for its compiler (services wrap this in named methods)."""
        return self._replace(options={**self._options, **options})

    @property
    def options(self) -> Mapping[str, Any]:
        return dict(self._options)

    def limit_page_size(self, size: int | None) -> Query[E]:
        """A query whose pages hold ``size`` elements (``None``: the hub's default, 10)."""
        return self._replace(size=size)

    # -- combining ---------------------------------------------------------------------------------
    def _combine(self, conjunction: str, other: Any, symbol: str) -> Query[E]:
        if not isinstance(other, Query):
            raise InvalidType(
                f"'{symbol}' combines two queries (node.query(Customer).filter(...)), "
                f"not {type(other).__name__}; to combine criteria, use & and | on the criteria "
                "before filter()"
            )
        if other._entity is not self._entity:
            raise InvalidValue(
                f"only queries on the same entity can be combined, got {_entity_name(self._entity)} "
                f"and {_entity_name(other._entity)}"
            )
        if other._node is not self._node:
            raise InvalidValue(
                "only queries on the same node can be combined (build both with node.query(...))"
            )
        return type(self)(
            self._node, self._entity, where=Combination.join(conjunction, self._where, other._where)
        )

    def __and__(self, other: Query[E]) -> Query[E]:
        return self._combine(INTERSECT, other, "&")

    def __or__(self, other: Query[E]) -> Query[E]:
        return self._combine(UNION, other, "|")

    def __sub__(self, other: Query[E]) -> Query[E]:
        return self._combine(EXCEPT, other, "-")

    def __bool__(self) -> bool:
        raise InvalidType("a query has no truth value: call .count() or .first() to ask the hub")

    # -- compiling ---------------------------------------------------------------------------------
    def _compiled(self, sort: Sequence[SortKey] | None = None) -> Any:
        return self._node.compile(
            self._entity,
            self._where,
            self._sort if sort is None else sort,
            client_side=self._client_side,
            options=self._options,
        )

    def to_dict(self) -> dict[str, Any] | None:
        """The service's query document (ContactHub: ``{"name": "query", "query": ...}``), None when unfiltered."""
        document = getattr(self._node, "query_document", None)
        if document is None:
            raise OperationNotPermitted(
                "this service has no query document; explain() shows what the query sends instead"
            )
        return document(self._where)

    def params(self, *, page: int = 0, size: int | None = None) -> dict[str, Any]:
        """The request parameters for one page of this query (without the session's scope parameters)."""
        paging_for = getattr(self._node, "paging_for", None)
        paging = paging_for(self._entity) if paging_for else self._node.service.paging  # type: ignore[attr-defined]
        wanted = size if size is not None else self._size
        return {**self._compiled().params, **paging.params(page, wanted, None)}

    def explain(self) -> dict[str, Any]:
        """What the first page's request is: method, path, parameters, and any part run client-side."""
        return self._node.explain(self._entity, self._compiled(), size=self._size)

    # -- running -----------------------------------------------------------------------------------
    def _wrapper(self) -> Callable[[Any], E]:
        """What turns each document of a page into an entity: the session's reading where it has one."""
        wrapper = getattr(self._node, "wrapper", None)  # a Session: plain, or ids from names...
        if wrapper is not None:
            return wrapper(self._entity)
        return entity_wrapper(self._entity, self._entity.from_dict, self._node)  # type: ignore[attr-defined]

    def _list_arguments(self, page: int, size: int | None, prefetch: int) -> dict[str, Any]:
        compiled = self._compiled()
        return {
            "params": compiled.params,
            "page": page,
            "size": _check_size(size) if size is not None else self._size,
            "prefetch": check_prefetch(prefetch),
            "wrap": self._wrapper(),
            "keep": compiled.client_filter,
        }

    def all(self, *, page: int = 0, size: int | None = None, prefetch: int = 0) -> PaginatedList[E]:
        """A lazy list of the results from ``page`` on (no request until it is read).

        ``prefetch=N`` lets iteration fetch up to ``N`` following pages in the background
        while the current one is processed: worth it when the API is far away.
        """
        return self._node.list(self._entity, **self._list_arguments(page, size, prefetch))

    def all_async(
        self, *, page: int = 0, size: int | None = None, prefetch: int = 0
    ) -> AsyncPaginatedList[E]:
        """:meth:`all` for ``async for``: the same requests, awaited; ``prefetch`` pages run ahead as tasks."""
        return self._node.list_async(  # type: ignore[attr-defined]
            self._entity, **self._list_arguments(page, size, prefetch)
        )

    async def first_async(self) -> E | None:
        """:meth:`first`, awaited."""
        async for item in self.all_async(size=1):
            return item
        return None

    async def count_async(self) -> int:
        """:meth:`count`, awaited."""
        return await self._replace(sort=()).all_async(size=1).total_elements()

    def first(self) -> E | None:
        """The first result (one request with a page of one, where nothing is filtered client-side), or None."""
        return next(iter(self.all(size=1)), None)

    def count(self) -> int:
        """How many entities match, from the total the API reports with a page of one."""
        return self._replace(sort=()).all(size=1).total_elements

    def __iter__(self) -> Iterator[E]:
        """Iterating a query iterates :meth:`all` (pages fetched as needed)."""
        return iter(self.all())

    def __repr__(self) -> str:
        parts = [f"Query({_entity_name(self._entity)}"]
        document = getattr(self._node, "query_document", None)
        compiled = document(self._where) if document is not None else None
        if compiled is not None:
            parts.append(f", query={compiled['query']!r}")
        elif self._where is not EMPTY:
            parts.append(f", where={self._where!r}")
        if self._sort:
            parts.append(f", sort={[k.to_param() for k in self._sort]!r}")
        if self._size is not None:
            parts.append(f", size={self._size}")
        return "".join(parts) + ")"


def _check_size(size: Any) -> int | None:
    if size is None:
        return None
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise InvalidValue(f"size must be a positive integer (elements per page) or None, got {size!r}")
    return size
