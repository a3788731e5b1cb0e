"""Page prefetch: the same pages in the same order, fetched ahead on a pool the walk owns."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from query_fakes import envelope

from contacthub_like.errors import InvalidValue, NotFound
from contacthub_like.query import PaginatedList


class SlowPages:
    """``total`` ids in pages of ``size``; each fetch sleeps ``delay`` and records who asked for what."""

    def __init__(self, total: int, size: int = 10, delay: float = 0.0, fail_on: int | None = None) -> None:
        self.total, self.size, self.delay, self.fail_on = total, size, delay, fail_on
        self.lock = threading.Lock()
        self.asked: list[int] = []
        self.threads: set[str] = set()
        self.running = 0
        self.max_running = 0

    def __call__(self, number: int) -> dict[str, Any]:
        with self.lock:
            self.asked.append(number)
            self.threads.add(threading.current_thread().name)
            self.running += 1
            self.max_running = max(self.max_running, self.running)
        try:
            time.sleep(self.delay)
            if number == self.fail_on:
                raise NotFound(f"page {number} is gone")
            ids = list(range(self.total))[number * self.size : (number + 1) * self.size]
            return envelope(ids, number=number, size=self.size, total=self.total)
        finally:
            with self.lock:
                self.running -= 1


def ident(element: dict[str, Any]) -> int:
    return element["id"]


def test_prefetch_yields_every_item_in_order_and_fetches_each_page_once() -> None:
    pages = SlowPages(95, delay=0.002)
    lst = PaginatedList(pages, ident, size=10, prefetch=3)
    assert lst.prefetch == 3
    assert list(lst) == list(range(95))
    assert sorted(pages.asked) == list(range(10)) and pages.asked[0] == 0
    assert any(name.startswith("contacthub-prefetch") for name in pages.threads)
    assert 1 < pages.max_running <= 3  # never more than N requests in flight
    assert list(lst) == list(range(95)) and len(pages.asked) == 10  # cached: no second fetch


def test_prefetch_overlaps_waiting_for_the_hub() -> None:
    delay = 0.05
    pages = SlowPages(80, delay=delay)
    start = time.perf_counter()
    assert len(list(PaginatedList(pages, ident, size=10, prefetch=7))) == 80
    elapsed = time.perf_counter() - start
    assert elapsed < 8 * delay * 0.6, elapsed  # one wait for page 0, then the other 7 pages together


def test_stream_with_prefetch_keeps_no_pages() -> None:
    pages = SlowPages(30)
    lst = PaginatedList(pages, ident, size=10, prefetch=2)
    assert list(lst.stream()) == list(range(30))
    assert "loaded_pages=[]" in repr(lst)


def test_breaking_out_stops_the_pool_and_sends_no_more_requests() -> None:
    pages = SlowPages(1000, delay=0.005)
    lst = PaginatedList(pages, ident, size=10, prefetch=2)
    walk = iter(lst)
    assert [next(walk) for _ in range(15)] == list(range(15))
    walk.close()
    sent = len(pages.asked)
    assert sent <= 2 + 2  # the two pages read, at most two ahead
    time.sleep(0.03)
    assert len(pages.asked) == sent
    assert not any(t.name.startswith("contacthub-prefetch") for t in threading.enumerate())


def test_a_failed_prefetch_raises_when_its_page_is_reached() -> None:
    pages = SlowPages(50, fail_on=2)
    seen: list[int] = []
    with pytest.raises(NotFound, match="page 2 is gone"):
        for item in PaginatedList(pages, ident, size=10, prefetch=4):
            seen.append(item)
    assert seen == list(range(20))  # the pages before the failure were all delivered


def test_single_page_and_empty_results_start_no_pool() -> None:
    for total in (0, 7):
        pages = SlowPages(total)
        assert list(PaginatedList(pages, ident, size=10, prefetch=4)) == list(range(total))
        assert pages.asked == [0] and pages.threads == {threading.current_thread().name}


def test_prefetch_starts_from_the_list_start_page_and_reuses_cached_pages() -> None:
    pages = SlowPages(50)
    lst = PaginatedList(pages, ident, size=10, prefetch=3)
    assert lst[25] == 25  # page 2 cached
    assert list(lst.page(1)) == list(range(10, 50))
    assert sorted(pages.asked) == [1, 2, 3, 4] and pages.asked.count(2) == 1


@pytest.mark.parametrize("bad", [-1, 17, 1.5, True, "2", None])
def test_prefetch_must_be_a_small_int(bad: Any) -> None:
    with pytest.raises(InvalidValue, match="prefetch must be an int from 0"):
        PaginatedList(SlowPages(1), ident, prefetch=bad)
