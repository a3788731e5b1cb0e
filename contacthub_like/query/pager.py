"""The state behind a paged result: its fetch and wrap functions, its paging strategy, its page cache.

The sync :class:`~contacthub_like.query.paginated.PaginatedList` and the asyncio
:class:`~contacthub_like.query.apaginated.AsyncPaginatedList` differ only in how they fetch;
what a page holds, what the totals say, which page comes next and how documents become
entities is kept here, once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

import attrs

from ..errors import InvalidValue, LengthUnknown, OperationNotPermitted
from .paging import NumberedPages, Page, PagingStrategy

__all__ = [
    "DEFAULT_PAGING",
    "EntityWrapper",
    "MAX_PREFETCH",
    "Pager",
    "check_page",
    "check_prefetch",
    "entity_wrapper",
    "make_pager",
]

T = TypeVar("T")

#: how a list pages when its maker names no strategy: numbered pages with totals
DEFAULT_PAGING: PagingStrategy = NumberedPages()


class Pager(Generic[T]):
    """The shared state behind one result set: fetch/wrap functions, the strategy and the page cache.

    Lists derived with next_page()/previous_page()/page(n) share it, so a page is
    fetched at most once however the caller walks.
    """

    __slots__ = (
        "fetch",
        "wrap",
        "accept",
        "paging",
        "requested_size",
        "prefetch",
        "pages",
        "info",
        "last",
        "ahead",
        "counts",
    )

    def __init__(
        self,
        fetch: Callable[..., Any],
        wrap: Callable[[Any], T],
        size: int | None,
        prefetch: int = 0,
        paging: PagingStrategy = DEFAULT_PAGING,
        keep: Callable[[Any], bool] | None = None,
    ) -> None:
        self.fetch: Callable[..., Any] = fetch
        self.wrap: Callable[[Any], T] = wrap
        #: a client-side filter on raw documents: totals then describe the server's list, not this one
        self.accept: Callable[[Any], bool] | None = keep
        self.paging: PagingStrategy = paging
        self.requested_size: int | None = size
        self.prefetch: int = prefetch
        self.pages: dict[int, tuple[T, ...]] = {}
        #: the first page fetched: len() and total_* stay stable while the caller walks
        self.info: Page | None = None
        #: the latest page fetched (its totals decide how far prefetch may run)
        self.last: Page | None = None
        #: per page number: (is there a page after it, the cursor that fetches that page)
        self.ahead: dict[int, tuple[bool, Any]] = {}
        #: per page number: how many elements it held
        self.counts: dict[int, int] = {}

    def request(self, number: int) -> Any:
        """Fetch page ``number``'s document; sequential strategies need the page before it fetched first."""
        if self.paging.random_access:
            return self.fetch(number)
        return self.fetch(number, self.cursor(number))

    def cursor(self, number: int) -> Any:
        """What fetches page ``number`` of a sequential strategy: the previous page's next cursor."""
        if number == 0:
            return None
        known = self.ahead.get(number - 1)
        if known is None:
            raise OperationNotPermitted(
                f"page {number} of a {type(self.paging).__name__} list can only be reached by walking from "
                "the first page: iterate over the list or use stream()"
            )
        return known[1]

    def load(self, number: int, *, keep: bool = True, fetched: Future[Any] | None = None) -> tuple[T, ...]:
        """The items of page ``number``: from the cache, from a prefetch in flight, or fetched now.

        Only the calling thread touches the cache and the totals; prefetch threads run ``fetch`` alone.
        """
        cached = self.pages.get(number)
        if cached is not None:
            return cached
        document = self.request(number) if fetched is None else fetched.result()
        return self.ingest(number, document, keep=keep)

    def ingest(self, number: int, document: Any, *, keep: bool = True) -> tuple[T, ...]:
        """Decode, filter and wrap page ``number``'s document; record its totals and the way on."""
        page = self.paging.decode(document, number, self.requested_size)
        self.ahead[number] = (page.has_next, page.next_cursor)
        raw = page.items
        if self.accept is not None:
            raw = [element for element in raw if self.accept(element)]
            page = attrs.evolve(page, total_elements=None, total_pages=None, total_unfiltered_elements=None)
        self.counts[number] = len(raw)
        # the totals outlive the page, its documents must not: a walk frees each page before it
        # fetches the next, so the collector never sees two pages' objects at once
        page = attrs.evolve(page, items=())
        if self.info is None:
            self.info = page
        if not page.has_next and self.info.total_elements is None:
            self._learn_totals(number)
        self.last = page
        items = tuple(map(self.wrap, raw))  # map: no generator frame per element
        if keep:
            self.pages[number] = items
        return items

    def _learn_totals(self, last: int) -> None:
        """An API without totals: once the last page is read after every page before it, they are known."""
        if all(n in self.counts for n in range(last + 1)) and self.info is not None:
            total = sum(self.counts[n] for n in range(last + 1))
            self.info = attrs.evolve(self.info, total_elements=total, total_pages=last + 1)

    def has_next(self, number: int) -> bool:
        known = self.ahead.get(number)
        return bool(known and known[0])

    def page_size(self, start: int) -> int:
        """Elements per page: the API's reported size once known, else the requested size."""
        if self.info is None and self.requested_size is None:
            self.load(start)
        if self.info is not None and self.info.size:
            return self.info.size
        if self.requested_size is not None:
            return self.requested_size
        return max(1, len(self.pages.get(start, ())))  # an API that reports no size: one page's length

    def known_info(self, start: int) -> Page:
        if self.info is None:
            self.load(start)
        assert self.info is not None
        return self.info

    def total(self, start: int, what: str) -> int:
        """``what`` of the first page (``total_elements``, ``total_pages``...), when the API reports it."""
        value = getattr(self.known_info(start), what)
        if value is None:
            raise LengthUnknown(
                f"this API does not report {what} with its pages, so the list cannot tell it without "
                "reading every page: iterate over the list or use stream()"
            )
        return int(value)

    def require_random_access(self, what: str) -> None:
        if self.accept is not None:
            raise OperationNotPermitted(
                f"{what} is not available on a list filtered client-side (its pages hold fewer items than "
                "the API sent): iterate over the list or use stream()"
            )
        if not self.paging.random_access:
            raise OperationNotPermitted(
                f"{what} needs pages that can be fetched out of order, which "
                f"{type(self.paging).__name__} paging cannot do: iterate over the list or use stream()"
            )


class EntityWrapper(functools.partial):
    """A list's ``wrap``: a C ``partial`` (no Python frame per element) that also names its entity.

    Knowing the entity before the first page lets ``to_records()`` check its columns without a
    request, and gives an empty result its columns.
    """

    entity: type


def entity_wrapper(entity: type, build: Callable[..., T], *args: Any) -> Callable[[Any], T]:
    """``build(*args, document)`` for each document of a list of ``entity``."""
    wrapper = EntityWrapper(build, *args)
    wrapper.entity = entity
    return wrapper


def make_pager(
    fetch: Callable[..., Any],
    wrap: Callable[[Any], T],
    start_page: int,
    size: int | None,
    prefetch: int,
    paging: PagingStrategy,
    keep: Callable[[Any], bool] | None,
) -> Pager[T]:
    """The shared state of a new list, its arguments checked (sync and async lists alike)."""
    check_page(start_page, "start_page")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
        raise InvalidValue(f"size must be a positive integer or None (the API's default), got {size!r}")
    prefetch = check_prefetch(prefetch)
    if not paging.random_access and (prefetch or start_page):
        raise InvalidValue(
            f"{type(paging).__name__} paging reaches each page from the one before it, so it cannot "
            "prefetch or start past the first page: drop prefetch= and page="
        )
    return Pager(fetch, wrap, size, prefetch, paging, keep)


#: more pages in flight than this only queue up behind the connection pool (10 connections by default)
MAX_PREFETCH = 16


def check_prefetch(prefetch: Any) -> int:
    """Validate a ``prefetch`` argument: an int from 0 (off) to :data:`MAX_PREFETCH`."""
    if isinstance(prefetch, bool) or not isinstance(prefetch, int) or not 0 <= prefetch <= MAX_PREFETCH:
        raise InvalidValue(
            f"prefetch must be an int from 0 (no prefetch) to {MAX_PREFETCH} (pages fetched ahead), "
            f"got {prefetch!r}"
        )
    return prefetch


def check_page(number: Any, name: str) -> None:
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise InvalidValue(f"{name} must be a 0-based page number (int >= 0), got {number!r}")
