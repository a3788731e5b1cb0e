"""The immutable query builder: ``node.query(Customer).filter(...).order_by(...).all()``.

Every builder method returns a new :class:`Query`, so a base query can be
shared and refined without surprises. A query does no I/O until :meth:`all`'s
list is read, :meth:`first` or :meth:`count` is called. Pages come from the
node: ``node.fetch_page(entity_cls, params) -> {"elements": [...], "page": {...}}``,
where ``params`` hold only what is set among ``query``, ``sort``, ``size`` and
``page``; the node adds ``nodeId`` and knows the URL.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any, Generic, Protocol, TypeVar

from ..errors import InvalidType, InvalidValue, OperationNotPermitted
from .compiler import EXCEPT, INTERSECT, UNION, Combination, Where, build_params, compile_query
from .criteria import EMPTY, Criterion, Path, SortKey, all_of
from .paginated import PaginatedList, check_prefetch

__all__ = ["Query", "PageSource"]

E = TypeVar("E")


class PageSource(Protocol):
    """What a query needs from a node."""

    def fetch_page(self, entity_cls: Any, params: dict[str, Any]) -> Mapping[str, Any]: ...


def _entity_name(entity: Any) -> str:
    return getattr(entity, "__name__", None) or repr(entity)


class Query(Generic[E]):
    """A lazily evaluated, immutable query on one entity class of one node.

    * :meth:`filter` ANDs criteria (repeated calls keep ANDing);
    * ``q1 & q2`` → ``INTERSECT``, ``q1 | q2`` → ``UNION``, ``q1 - q2`` → ``EXCEPT``
      (a combined query cannot be filtered further, but can be ordered);
    * :meth:`order_by` replaces the ordering; :meth:`all`, :meth:`first`, :meth:`count` run it.
    """

    __slots__ = ("_node", "_entity", "_where", "_sort", "_size")

    def __init__(
        self,
        node: PageSource,
        entity: type[E],
        *,
        where: Where = EMPTY,
        sort: tuple[SortKey, ...] = (),
        size: int | None = None,
    ) -> None:
        if not isinstance(where, (Criterion, Combination)):
            raise InvalidType(f"a query selects with a criterion, got {where!r}")
        self._node = node
        self._entity = entity
        self._where: Where = where
        self._sort = tuple(sort)
        self._size = _check_size(size)

    def _replace(self, **changes: Any) -> Query[E]:
        values = {"where": self._where, "sort": self._sort, "size": self._size, **changes}
        return type(self)(self._node, self._entity, **values)

    # -- read-only state ---------------------------------------------------------------------------
    @property
    def node(self) -> PageSource:
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
    def to_dict(self) -> dict[str, Any] | None:
        """The ``query`` parameter as a dict (``{"name": "query", "query": ...}``), None when unfiltered."""
        return compile_query(self._where)

    def params(self, *, page: int = 0, size: int | None = None) -> dict[str, Any]:
        """The request parameters for one page of this query (without ``nodeId``)."""
        return build_params(self._where, self._sort, size=size if size is not None else self._size, page=page)

    # -- running -----------------------------------------------------------------------------------
    def _wrap(self, element: Any) -> E:
        return self._entity.from_dict(self._node, element)  # type: ignore[attr-defined, no-any-return]

    def all(self, *, page: int = 0, size: int | None = None, prefetch: int = 0) -> PaginatedList[E]:
        """A lazy list of the results from ``page`` on (no request until it is read).

        ``prefetch=N`` lets iteration fetch up to ``N`` following pages in the background
        while the current one is processed: worth it when the hub is far away.
        """
        size = _check_size(size) if size is not None else self._size
        prefetch = check_prefetch(prefetch)
        node, entity = self._node, self._entity
        # every page carries the same filter, sort and size: compiled once, only the page number moves
        first = build_params(self._where, self._sort, size=size)

        def fetch(number: int) -> Mapping[str, Any]:
            return node.fetch_page(entity, {**first, "page": number} if number else first)

        # partial (written in C) calls from_dict directly: no extra Python frame per element
        wrap = functools.partial(entity.from_dict, node)  # type: ignore[attr-defined]
        return PaginatedList(fetch, wrap, start_page=page, size=size, prefetch=prefetch)

    def first(self) -> E | None:
        """The first result (one request with ``size=1``), or None."""
        envelope = self._node.fetch_page(self._entity, build_params(self._where, self._sort, size=1))
        elements = envelope.get("elements") or []
        return self._wrap(elements[0]) if elements else None

    def count(self) -> int:
        """How many entities match (one request with ``size=1``, reading ``page.totalElements``)."""
        envelope = self._node.fetch_page(self._entity, build_params(self._where, (), size=1))
        page = envelope.get("page") or {}
        if "totalElements" in page:
            return int(page["totalElements"])
        return len(envelope.get("elements") or [])

    def __iter__(self) -> Iterator[E]:
        """Iterating a query iterates :meth:`all` (pages fetched as needed)."""
        return iter(self.all())

    def __repr__(self) -> str:
        parts = [f"Query({_entity_name(self._entity)}"]
        compiled = self.to_dict()
        if compiled is not None:
            parts.append(f", query={compiled['query']!r}")
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
