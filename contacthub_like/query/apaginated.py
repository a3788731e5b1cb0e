"""Lazy lists for ``async for``: the same paging, totals and prefetch as :class:`PaginatedList`, awaited.

An :class:`AsyncPaginatedList` shares the sync list's :class:`~contacthub_like.query.paginated.Pager`
(strategy, decoding, client-side filter, totals learnt at the end), so a service's paging is
declared once.  Only fetching differs: pages are awaited, and ``prefetch=N`` keeps up to
``N`` following pages in flight as tasks of the running loop.  A walk that ends early
(``break``, an exception, a cancelled task) cancels what it started.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any, Generic, TypeVar

from .columns import RowMaker, entity_of
from .ownership import walk_owns_list_async
from .pager import DEFAULT_PAGING, Pager, make_pager
from .paging import PagingStrategy
from .tabular import require_pandas, to_dataframe

__all__ = ["AsyncPaginatedList"]

T = TypeVar("T")


class AsyncPaginatedList(Generic[T]):
    """``async for item in lst``; ``await lst.total_elements()``; ``await lst.to_list()``.

    ``fetch(number)`` (or ``fetch(number, cursor)`` for sequential strategies) is a coroutine
    function answering one page's document.
    """

    __slots__ = ("_pager", "_start")

    def __init__(
        self,
        fetch: Callable[..., Awaitable[Any]],
        wrap: Callable[[Any], T],
        *,
        start_page: int = 0,
        size: int | None = None,
        prefetch: int = 0,
        paging: PagingStrategy = DEFAULT_PAGING,
        keep: Callable[[Any], bool] | None = None,
    ) -> None:
        self._pager: Pager[T] = make_pager(fetch, wrap, start_page, size, prefetch, paging, keep)
        self._start = start_page

    async def _document(self, number: int) -> Any:
        pager = self._pager
        if pager.paging.random_access:
            return await pager.fetch(number)
        return await pager.fetch(number, pager.cursor(number))

    async def _load(self, number: int, keep: bool) -> tuple[T, ...]:
        cached = self._pager.pages.get(number)
        if cached is not None:
            return cached
        return self._pager.ingest(number, await self._document(number), keep=keep)

    async def _walk(self, keep: bool) -> AsyncIterator[tuple[T, ...]]:
        pager = self._pager
        number = self._start
        items = await self._load(number, keep)  # the first page fixes the totals prefetch relies on
        inflight: dict[int, asyncio.Task[Any]] = {}
        next_to_start = number + 1
        try:
            while True:
                if pager.prefetch:
                    pages = pager.last.total_pages if pager.last is not None else None
                    last = pages - 1 if pages is not None else number + pager.prefetch
                    while next_to_start <= last and len(inflight) < pager.prefetch:
                        if next_to_start not in pager.pages:
                            inflight[next_to_start] = asyncio.ensure_future(pager.fetch(next_to_start))
                        next_to_start += 1
                yield items
                if not pager.has_next(number):
                    return
                number += 1
                items = ()  # the page just read is freed before the next one arrives (see PaginatedList)
                task = inflight.pop(number, None)
                if task is not None:
                    items = pager.ingest(number, await task, keep=keep)
                else:
                    items = await self._load(number, keep)
        finally:
            for task in inflight.values():
                task.cancel()
            if inflight:
                await asyncio.gather(*inflight.values(), return_exceptions=True)

    async def _items(self, keep: bool) -> AsyncIterator[T]:
        async for items in self._walk(keep):
            for item in items:
                yield item
            del items  # the page dies before the next request (see PaginatedList.__iter__)

    async def __aiter__(self) -> AsyncIterator[T]:
        # a list that only this loop can reach (``async for c in query.all_async()``) is walked like stream()
        keep = not walk_owns_list_async(self)  # first, and alone: nothing else on the stack holds the list
        async for items in self._walk(keep=keep):
            for item in items:
                yield item
            del items  # the page dies before the next request (see PaginatedList.__iter__)

    def stream(self) -> AsyncIterator[T]:
        """Every item from the start page to the end without keeping the pages (bounded memory)."""
        return self._items(keep=False)

    async def pages(self) -> AsyncIterator[tuple[T, ...]]:
        """Each page's items, in order (cached)."""
        async for items in self._walk(keep=True):
            if items:
                yield items

    async def to_list(self) -> list[T]:
        """Every item, read page by page."""
        return [item async for item in self]

    async def first_page(self) -> tuple[T, ...]:
        """The items of the start page (one request at most)."""
        return await self._load(self._start, keep=True)

    async def total_elements(self) -> int:
        """The API's total for the whole result (LengthUnknown where the API reports none)."""
        await self.first_page()
        return self._pager.total(self._start, "total_elements")

    @property
    def prefetch(self) -> int:
        return self._pager.prefetch

    def __repr__(self) -> str:
        loaded = sorted(n for n in self._pager.pages if n >= self._start)
        return f"<AsyncPaginatedList page_number={self._start} loaded_pages={loaded}>"

    # -- tabular -----------------------------------------------------------------------------------
    async def to_records(self, fields: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Every item as a flat dict, as :meth:`PaginatedList.to_records
        <contacthub_like.PaginatedList.to_records>` makes them (pages read one at a time)."""
        maker = RowMaker(fields, entity_of(self._pager.wrap))
        return [maker.row(item) async for item in self.stream()]

    async def to_pandas(self, fields: Iterable[str] | None = None) -> Any:
        """:meth:`to_records` as a ``pandas.DataFrame``, typed as :meth:`PaginatedList.to_pandas
        <contacthub_like.PaginatedList.to_pandas>` types it (needs the ``pandas`` extra)."""
        maker = RowMaker(fields, entity_of(self._pager.wrap))
        require_pandas()
        return to_dataframe([maker.row(item) async for item in self.stream()], maker)
