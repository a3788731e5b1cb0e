"""Lazy, cached, read-only lists over the hub's paged responses.

A :class:`PaginatedList` is given a ``fetch(page_number) -> envelope`` function
(the envelope is ``{"elements": [...], "page": {"size", "totalElements",
"totalUnfilteredElements", "totalPages", "number"}}``) and a ``wrap(element)``
function. It fetches a page only when iteration, an index or a total needs it,
keeps the pages it fetched, and never mutates. Pages are 0-based, as on the wire.

Why a list and not a generator: users index, slice, ``len()`` and re-iterate
results, as the original SDK allowed; the cost of each of those is bounded and
documented on the method. :meth:`PaginatedList.stream` is the no-cache
generator for walking a whole workspace.

Prefetch (opt-in, ``prefetch=N``): a walk through the pages (iteration,
:meth:`PaginatedList.iter_pages`, :meth:`PaginatedList.stream`) keeps up to ``N``
of the following pages in flight on a small thread pool while the caller works
on the current one, so a high-latency hub costs one round trip per ``N + 1``
pages instead of one per page.  The pool lives only as long as the walk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar, overload

from ..errors import InvalidType, OperationNotPermitted
from .columns import RowMaker, entity_of
from .ownership import walk_owns_list
from .pager import DEFAULT_PAGING, Pager, check_page, make_pager
from .paging import Page, PagingStrategy
from .readonly import ReadOnlyList, RefusesMutation
from .tabular import require_pandas, to_dataframe

__all__ = ["PaginatedList", "ReadOnlyList", "PageInfo"]

T = TypeVar("T")

#: kept under its earlier name: the totals and position of one page
PageInfo = Page


class PaginatedList(RefusesMutation, Sequence[T]):
    """A lazy, cached, read-only view of a paged result, from ``start_page`` to the end.

    Costs, in requests:

    * construction and ``repr()``: none;
    * ``len()``, ``count()``, ``total_*``, ``size`` (when not given), negative
      indexes: the start page, once;
    * ``lst[i]``: the one page holding ``i`` (plus the start page when the page
      size was not given, to learn it);
    * slices: the pages holding the selected items;
    * iteration: each page from ``start_page`` on, once; follow-up pages are
      fetched with the same filters, sort and size (the ``fetch`` function owns them);
      a list that nothing but the loop can reach (``for c in query.all():``) does not
      keep them, as nothing could read them again;
    * :meth:`stream`: like iteration, but pages are not kept;
    * with ``prefetch=N``, iteration and :meth:`stream` send the same requests, but up
      to ``N`` of them run ahead of the caller on a pool that the walk owns (and shuts
      down when it ends or is abandoned).

    ``len()`` counts the elements from ``start_page`` to the end, from the totals
    the hub reported with the first page fetched.
    """

    __slots__ = ("_pager", "_start")

    def __init__(
        self,
        fetch: Callable[..., Any],
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

    @classmethod
    def _view(cls, pager: Pager[T], start: int) -> PaginatedList[T]:
        view = cls.__new__(cls)
        view._pager = pager
        view._start = start
        return view

    # -- totals ------------------------------------------------------------------------------------
    @property
    def page_number(self) -> int:
        """The page this list starts at (0-based). No I/O."""
        return self._start

    @property
    def size(self) -> int:
        """Elements per page (the requested size, or the hub's once a page is fetched)."""
        return self._pager.page_size(self._start)

    @property
    def total_elements(self) -> int:
        """Elements in the whole result (all pages), where the API reports it."""
        return self._pager.total(self._start, "total_elements")

    @property
    def total_unfiltered_elements(self) -> int:
        """The API's count of elements before the query filter (ContactHub's ``totalUnfilteredElements``)."""
        return self._pager.known_info(self._start).total_unfiltered_elements or 0

    @property
    def total_pages(self) -> int:
        return self._pager.total(self._start, "total_pages")

    @property
    def elements(self) -> tuple[T, ...]:
        """The items of the start page only."""
        return self._pager.load(self._start)

    def count(self, *value: Any) -> int:
        """``count()``: the hub's total (``total_elements``).

        ``count(x)``: occurrences of ``x``, as ``list.count`` (reads every page).
        """
        if not value:
            return self.total_elements
        if len(value) > 1:
            raise InvalidType("count() takes at most one value")
        return sum(1 for item in self if item == value[0])

    def __len__(self) -> int:
        total = self._pager.total(self._start, "total_elements")
        return max(0, total - self._start * self._pager.page_size(self._start))

    # -- navigation --------------------------------------------------------------------------------
    def next_page(self) -> PaginatedList[T]:
        """Move this list to the next page and return it.

        It moves in place, as in the original SDK, whose documented
        ``customers.next_page()`` is a statement; the pages stay cached, so walking
        back costs nothing. :meth:`page` gives a separate list instead.
        """
        pager = self._pager
        if pager.paging.random_access and pager.known_info(self._start).total_pages is not None:
            last = self._start + 1 >= self.total_pages
        else:
            pager.load(self._start)
            last = not pager.has_next(self._start)
        if last:
            raise OperationNotPermitted("Last page reached.")
        self._start += 1
        return self

    def previous_page(self) -> PaginatedList[T]:
        """Move this list to the previous page and return it (in place, like :meth:`next_page`)."""
        if self._start == 0:
            raise OperationNotPermitted("First page reached.")
        self._start -= 1
        return self

    def page(self, number: int) -> PaginatedList[T]:
        """The list starting at page ``number`` (0-based). No I/O until it is read."""
        check_page(number, "page")
        if number:
            self._pager.require_random_access("page(n)")
        return self._view(self._pager, number)

    # -- reading -----------------------------------------------------------------------------------
    def _has_page_after(self, number: int, items: tuple[T, ...]) -> bool:
        return self._pager.has_next(number)

    @property
    def prefetch(self) -> int:
        """How many pages ahead a walk fetches in the background (0: none, one request at a time)."""
        return self._pager.prefetch

    def _walk(self, keep: bool) -> Iterator[tuple[T, ...]]:
        """Every page from the start page on, in order, prefetching when asked to."""
        pager = self._pager
        number = self._start
        items = pager.load(number, keep=keep)  # the first page fixes the totals the prefetch relies on
        if pager.prefetch < 1 or not self._has_page_after(number, items):
            while True:
                yield items
                if not self._has_page_after(number, items):
                    return
                number += 1
                items = ()  # see __iter__: the page just read is freed before the next one arrives
                items = pager.load(number, keep=keep)
        yield from self._walk_prefetching(number, items, keep)

    def _walk_prefetching(self, number: int, items: tuple[T, ...], keep: bool) -> Iterator[tuple[T, ...]]:
        pager = self._pager
        inflight: dict[int, Future[Any]] = {}
        next_to_submit = number + 1
        pool = ThreadPoolExecutor(max_workers=pager.prefetch, thread_name_prefix="contacthub-prefetch")
        try:
            while True:
                # as far as the latest page's totals allow; without totals, up to N pages past the
                # current one (requests past the end come back empty and are dropped)
                pages = pager.last.total_pages if pager.last is not None else None
                last = pages - 1 if pages is not None else number + pager.prefetch
                while next_to_submit <= last and len(inflight) < pager.prefetch:
                    if next_to_submit not in pager.pages:
                        inflight[next_to_submit] = pool.submit(pager.fetch, next_to_submit)
                    next_to_submit += 1
                yield items
                if not self._has_page_after(number, items):
                    return
                number += 1
                items = ()
                items = pager.load(number, keep=keep, fetched=inflight.pop(number, None))
        finally:
            # an early exit (break, error) must leave no request running: drop the queued, await the rest
            pool.shutdown(wait=True, cancel_futures=True)

    def iter_pages(self) -> Iterator[ReadOnlyList[T]]:
        """Each page from ``start_page`` on, as a read-only list (cached)."""
        for items in self._walk(keep=True):
            if items:
                yield ReadOnlyList(items)

    def __iter__(self) -> Iterator[T]:
        # a list that only this loop can reach (``for c in query.all()``) is walked like stream()
        keep = not walk_owns_list(self)  # first, and alone: nothing else on the stack holds the list
        for items in self._walk(keep=keep):
            yield from items
            # A page nobody keeps dies here, before the next request, as in a plain loop over
            # json.loads: held on through the next page's decoding, its objects made the collector
            # run once per page and promoted them to older generations (full passes: see
            # docs/benchmarks.rst, "Garbage collection in a walk").
            del items

    def stream(self) -> Iterator[T]:
        """Every item from ``start_page`` to the end without keeping the pages (bounded memory).

        Pages this list already holds are reused; pages fetched here are dropped
        once their items have been yielded.  With ``prefetch=N`` at most ``N`` more
        pages are held while they wait for their turn.
        """
        for items in self._walk(keep=False):
            yield from items
            del items  # see __iter__

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> ReadOnlyList[T]: ...

    def __getitem__(self, index: int | slice) -> T | ReadOnlyList[T]:
        if isinstance(index, slice):
            return self._slice(index)
        if isinstance(index, bool) or not isinstance(index, int):
            try:
                index = index.__index__()
            except AttributeError:
                raise InvalidType(
                    f"list indices must be integers or slices, not {type(index).__name__}"
                ) from None
        self._pager.require_random_access("indexing")
        if index < 0:
            index += len(self)
            if index < 0:
                raise IndexError("PaginatedList index out of range")
        size = self._pager.page_size(self._start)
        number = self._start + index // size
        info = self._pager.info
        if (
            info is not None
            and info.total_pages is not None
            and info.total_elements is not None
            and (number >= info.total_pages or index >= len(self))
        ):
            raise IndexError("PaginatedList index out of range")  # known from the totals: no request
        items = self._pager.load(number)
        offset = index % size
        if offset >= len(items):
            raise IndexError("PaginatedList index out of range")
        return items[offset]

    def _slice(self, selection: slice) -> ReadOnlyList[T]:
        start, stop, step = selection.start, selection.stop, selection.step
        if step == 0:
            raise ValueError("slice step cannot be zero")
        step = 1 if step is None else step
        start = 0 if start is None and step > 0 else start
        if step > 0 and stop is not None and start >= 0 and stop >= 0:
            positions = range(start, stop, step)  # no need to know the length
        else:
            positions = range(*selection.indices(len(self)))
        items: list[T] = []
        for position in positions:
            try:
                items.append(self[position])
            except IndexError:
                if step > 0:
                    break
        return ReadOnlyList(items)

    def __repr__(self) -> str:
        pager = self._pager
        size = pager.info.size if pager.info is not None and pager.info.size else pager.requested_size
        total = pager.info.total_elements if pager.info is not None else None
        loaded = sorted(n for n in pager.pages if n >= self._start)
        return (
            f"<PaginatedList page_number={self._start} size={size if size is not None else '?'} "
            f"total_elements={total if total is not None else '?'} loaded_pages={loaded}>"
        )

    # -- tabular -----------------------------------------------------------------------------------
    def to_records(self, fields: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Every item from the start page on as a flat dict keyed by dotted path (``base.firstName``).

        The keys are those of ``export --fields``: ``fields`` picks them (checked against the
        entity before any request); without it, every leaf of the entity's schema, nested
        sections flattened, lists and free-form sections kept whole. Values are as a JSON Lines
        export writes them (dates as ISO strings, None where a section is missing). The pages
        are read as :meth:`stream` reads them, one at a time and not kept.
        """
        maker = RowMaker(fields, entity_of(self._pager.wrap))
        return [maker.row(item) for item in self.stream()]

    def to_pandas(self, fields: Iterable[str] | None = None) -> Any:
        """:meth:`to_records` as a ``pandas.DataFrame`` whose dtypes follow the entity's fields.

        Dates and instants become ``datetime64`` (instants in UTC), integers ``Int64``, booleans
        ``boolean``, text ``string``; lists and free-form sections stay Python objects. Needs the
        ``pandas`` extra (``pip install 'contacthub-like[pandas]'``); without it
        :class:`~contacthub_like.errors.MissingDependency` is raised before any request.
        """
        maker = RowMaker(fields, entity_of(self._pager.wrap))
        require_pandas()
        return to_dataframe((maker.row(item) for item in self.stream()), maker)
