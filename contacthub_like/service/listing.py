"""Reading collections through a session: paging, page requests and the lazy sync and async lists.

A list of entities is a chain of page requests, each a flow that either driver runs
(:class:`~contacthub_like.query.paginated.PaginatedList` blocking,
:class:`~contacthub_like.query.apaginated.AsyncPaginatedList` awaited); the paging strategy is
the service's, or the one an entity class declares for its collection.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ..errors import InvalidValue
from ..orm.entity import Entity
from ..orm.flows import Call, Flow, run, run_async, twins
from ..query.apaginated import AsyncPaginatedList
from ..query.paginated import PaginatedList
from ..query.paging import PagingStrategy

if TYPE_CHECKING:  # pragma: no cover
    from .api import Service

__all__ = ["ListingMixin"]

E = TypeVar("E", bound=Entity)


class ListingMixin:
    """The listing verbs of a :class:`~contacthub_like.service.Session`: its collections, page by page."""

    if TYPE_CHECKING:  # given by the session these verbs are mixed into
        service: Service

        def path(self, entity_cls: type[Entity], ident: Any = None, suffix: str | None = None) -> str: ...
        def scope_params(self, entity_cls: type[Entity]) -> dict[str, Any]: ...
        def wrapper(self, entity_cls: type[E]) -> Callable[[Any], E]: ...
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
        ) -> Flow[Any]: ...

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


def _check_size(size: Any) -> None:
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
        raise InvalidValue(f"size must be a positive integer (elements per page) or None, got {size!r}")
