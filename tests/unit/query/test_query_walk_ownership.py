"""A loop that alone can reach its list drops the pages it has walked; a list with a name keeps them."""

from __future__ import annotations

import asyncio
import gc
import weakref
from typing import Any

from query_fakes import envelope

from contacthub_like.query import PaginatedList
from contacthub_like.query.apaginated import AsyncPaginatedList


class Item:
    """A wrapped element that can be watched with a weak reference."""

    def __init__(self, ident: int, document: Any = None) -> None:
        self.ident = ident
        self.document = document  # as a record holds its document


class Document(dict):  # type: ignore[type-arg]
    """A page element that can be watched with a weak reference (a plain dict cannot)."""


class Watched:
    """Pages of ``size`` over ``total`` ids; remembers every item it wrapped, weakly."""

    def __init__(self, total: int = 30, size: int = 10) -> None:
        self.total, self.size = total, size
        self.asked: list[int] = []
        self.wrapped: list[weakref.ref[Item]] = []
        self.documents: list[weakref.ref[Document]] = []
        #: (items, documents) still alive when each page was requested, without a collection
        self.alive_at_fetch: list[tuple[int, int]] = []

    def fetch(self, number: int) -> dict[str, Any]:
        self.asked.append(number)
        self.alive_at_fetch.append(
            (
                sum(ref() is not None for ref in self.wrapped),
                sum(ref() is not None for ref in self.documents),
            )
        )
        ids = list(range(self.total))[number * self.size : (number + 1) * self.size]
        page = envelope(ids, number=number, size=self.size, total=self.total)
        page["elements"] = [Document(element) for element in page["elements"]]
        self.documents += [weakref.ref(element) for element in page["elements"]]
        return page

    async def fetch_async(self, number: int) -> dict[str, Any]:
        return self.fetch(number)

    def wrap(self, element: dict[str, Any]) -> Item:
        item = Item(element["id"], element)
        self.wrapped.append(weakref.ref(item))
        return item

    def alive(self) -> int:
        gc.collect()
        return sum(ref() is not None for ref in self.wrapped)


def test_a_loop_over_a_temporary_list_keeps_only_the_page_it_is_on() -> None:
    source = Watched()
    alive_per_page = []
    for item in PaginatedList(source.fetch, source.wrap, size=10):
        if item.ident % 10 == 0:
            alive_per_page.append(source.alive())
    assert source.asked == [0, 1, 2]
    assert alive_per_page == [10, 10, 10]  # pages already walked were freed: nothing could read them


def test_a_named_list_keeps_its_pages_for_the_next_read() -> None:
    source = Watched()
    lst = PaginatedList(source.fetch, source.wrap, size=10)
    for _ in lst:
        pass
    assert source.alive() == 30
    assert [item.ident for item in lst] == list(range(30))
    assert lst[3].ident == 3
    assert source.asked == [0, 1, 2]


def test_a_list_whose_pager_is_shared_by_a_view_keeps_its_pages() -> None:
    source = Watched()
    lst = PaginatedList(source.fetch, source.wrap, size=10)
    view = lst.page(1)
    del lst
    for _ in view:
        pass
    assert "loaded_pages=[1, 2]" in repr(view)
    assert [item.ident for item in view] == list(range(10, 30))
    assert source.asked == [1, 2]


def test_async_loop_over_a_temporary_list_drops_walked_pages() -> None:
    source = Watched()

    async def walk() -> list[int]:
        alive = []
        async for item in AsyncPaginatedList(source.fetch_async, source.wrap, size=10):
            if item.ident % 10 == 0:
                alive.append(source.alive())
        return alive

    assert asyncio.run(walk()) == [10, 10, 10]


def test_async_named_list_keeps_its_pages() -> None:
    source = Watched()

    async def walk() -> list[int]:
        lst = AsyncPaginatedList(source.fetch_async, source.wrap, size=10)
        async for _ in lst:
            pass
        return [item.ident async for item in lst]

    assert asyncio.run(walk()) == list(range(30))
    assert source.asked == [0, 1, 2]


def test_a_walk_frees_each_page_before_it_requests_the_next() -> None:
    # Reference counting alone must free a walked page (its items and its documents) before the
    # next request: a page held through the next one's decoding made the cyclic collector run
    # once per page and promote both pages' objects (the cost measured in docs/benchmarks.rst).
    for walk in (
        lambda source: PaginatedList(source.fetch, source.wrap, size=10),
        lambda source: PaginatedList(source.fetch, source.wrap, size=10).stream(),
    ):
        source = Watched()
        gc.disable()
        try:
            for _ in walk(source):
                pass
        finally:
            gc.enable()
        # only the loop variable, the last item of the page before, and its document
        assert source.alive_at_fetch == [(0, 0), (1, 1), (1, 1)]


def test_an_async_walk_frees_each_page_before_it_requests_the_next() -> None:
    source = Watched()

    async def walk() -> None:
        async for _ in AsyncPaginatedList(source.fetch_async, source.wrap, size=10):
            pass

    gc.disable()
    try:
        asyncio.run(walk())
    finally:
        gc.enable()
    assert source.alive_at_fetch == [(0, 0), (1, 1), (1, 1)]
