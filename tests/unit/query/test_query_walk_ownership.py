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

    def __init__(self, ident: int) -> None:
        self.ident = ident


class Watched:
    """Pages of ``size`` over ``total`` ids; remembers every item it wrapped, weakly."""

    def __init__(self, total: int = 30, size: int = 10) -> None:
        self.total, self.size = total, size
        self.asked: list[int] = []
        self.wrapped: list[weakref.ref[Item]] = []

    def fetch(self, number: int) -> dict[str, Any]:
        self.asked.append(number)
        ids = list(range(self.total))[number * self.size : (number + 1) * self.size]
        return envelope(ids, number=number, size=self.size, total=self.total)

    async def fetch_async(self, number: int) -> dict[str, Any]:
        return self.fetch(number)

    def wrap(self, element: dict[str, Any]) -> Item:
        item = Item(element["id"])
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
