"""What a query becomes for a service: the compiler's contract, its result, and the session's query verbs.

A service declares how criteria and sort orders turn into request parameters
(:class:`QueryCompiler`, :func:`no_queries` for an API without filters); a session builds
queries over its entities and shows what the first page's request of one would be
(:meth:`QueryingMixin.explain`, behind :meth:`Query.explain`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import attrs

from ..errors import UnsupportedQuery
from ..orm.entity import Entity
from ..query.combination import Where
from ..query.criteria import EMPTY, SortKey
from ..query.paging import PagingStrategy

if TYPE_CHECKING:  # pragma: no cover
    from .api import Service

__all__ = ["CompiledQuery", "QueryCompiler", "no_queries", "QueryingMixin"]

E = TypeVar("E", bound=Entity)


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
        from ..query.evaluate import matcher  # the criteria evaluator: pure, no I/O

        return CompiledQuery({}, matcher(where), client_side=repr(where))
    return CompiledQuery({})


class QueryingMixin:
    """The query verbs of a :class:`~contacthub_like.service.Session`: compile and explain (it builds them)."""

    if TYPE_CHECKING:  # given by the session these verbs are mixed into
        service: Service

        def scope_params(self, entity_cls: type[Entity]) -> dict[str, Any]: ...
        def paging_for(self, entity_cls: type[Entity]) -> PagingStrategy: ...
        def list_path(self, entity_cls: type[Entity], params: Mapping[str, Any]) -> str: ...

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
