"""PaginatedList and ReadOnlyList: laziness, caching, navigation, read-only behaviour."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest
from query_fakes import envelope

from contacthub_like.errors import InvalidValue, OperationNotPermitted
from contacthub_like.query import PaginatedList, ReadOnlyList


class Pages:
    """A fetch function over ``total`` ids in pages of ``size``; records the page numbers asked."""

    def __init__(self, total: int, size: int = 10, unfiltered: int = 0) -> None:
        self.total, self.size, self.unfiltered = total, size, unfiltered
        self.asked: list[int] = []

    def __call__(self, number: int) -> dict[str, Any]:
        self.asked.append(number)
        ids = list(range(self.total))[number * self.size : (number + 1) * self.size]
        return envelope(ids, number=number, size=self.size, total=self.total, unfiltered=self.unfiltered)


def ident(element: dict[str, Any]) -> int:
    return element["id"]


def make(
    total: int, size: int = 10, *, known_size: bool = True, start: int = 0
) -> tuple[PaginatedList[int], Pages]:
    pages = Pages(total, size)
    return PaginatedList(pages, ident, start_page=start, size=size if known_size else None), pages


def test_construction_and_repr_do_no_io() -> None:
    lst, pages = make(25)
    text = repr(lst)
    assert "page_number=0" in text and "size=10" in text and "total_elements=?" in text
    assert lst.page_number == 0
    assert pages.asked == []


def test_iteration_streams_every_page_once_and_caches() -> None:
    lst, pages = make(25)
    assert list(lst) == list(range(25))
    assert pages.asked == [0, 1, 2]
    assert list(lst) == list(range(25))
    assert pages.asked == [0, 1, 2]
    assert "loaded_pages=[0, 1, 2]" in repr(lst) and "total_elements=25" in repr(lst)


def test_len_and_totals_cost_the_first_page_only() -> None:
    lst, pages = make(25)
    assert len(lst) == 25
    assert (lst.total_elements, lst.count(), lst.total_pages, lst.size) == (25, 25, 3, 10)
    assert lst.total_unfiltered_elements == 0
    assert pages.asked == [0]
    assert bool(lst) is True


def test_len_counts_from_the_start_page() -> None:
    lst, pages = make(23, 5, start=2)
    assert len(lst) == 13
    assert pages.asked == [2]
    assert list(lst) == list(range(10, 23))
    assert pages.asked == [2, 3, 4]


def test_index_fetches_only_the_page_holding_it() -> None:
    lst, pages = make(25)
    assert lst[21] == 21
    assert pages.asked == [2]
    assert lst[0] == 0 and lst[9] == 0 + 9
    assert pages.asked == [2, 0]


def test_index_without_a_known_size_learns_it_from_the_start_page() -> None:
    lst, pages = make(25, known_size=False)
    assert lst[21] == 21
    assert pages.asked == [0, 2]


def test_index_past_the_end_raises_index_error() -> None:
    lst, pages = make(25)
    with pytest.raises(IndexError):
        lst[25]
    with pytest.raises(IndexError):
        lst[1000]
    assert 1000 // 10 not in pages.asked  # totals known after page 2: no request past the end
    empty, _ = make(0)
    with pytest.raises(IndexError):
        empty[0]
    assert len(empty) == 0 and list(empty) == [] and not empty


def test_negative_indexes_once_the_total_is_known() -> None:
    lst, pages = make(25)
    assert lst[-1] == 24
    assert lst[-25] == 0
    with pytest.raises(IndexError):
        lst[-26]
    assert sorted(set(pages.asked)) == [0, 2]


def test_slices_fetch_only_the_pages_needed() -> None:
    lst, pages = make(45)
    part = lst[21:24]
    assert part == [21, 22, 23] and isinstance(part, ReadOnlyList)
    assert pages.asked == [2]
    assert lst[38:60] == list(range(38, 45))
    assert pages.asked == [2, 3, 4]
    assert lst[5:25:10] == [5, 15]
    assert pages.asked == [2, 3, 4, 0, 1]


def test_open_and_negative_slices_use_the_total() -> None:
    lst, pages = make(25)
    assert lst[-3:] == [22, 23, 24]
    assert pages.asked == [0, 2]
    assert lst[::-10] == [24, 14, 4]
    assert lst[:3] == [0, 1, 2]
    with pytest.raises(ValueError):
        lst[::0]


def test_elements_is_the_start_page() -> None:
    lst, pages = make(25, start=1)
    assert lst.elements == tuple(range(10, 20))
    assert pages.asked == [1]


def test_next_and_previous_page_share_the_cache_and_stop_at_the_ends() -> None:
    lst, pages = make(25)
    second = lst.next_page()
    assert pages.asked == [0]  # the totals, to know a next page exists
    assert second.page_number == 1 and list(second.elements) == list(range(10, 20))
    third = second.next_page()
    with pytest.raises(OperationNotPermitted, match="Last page reached."):
        third.next_page()
    back = third.previous_page().previous_page()
    assert list(back.elements) == list(range(10))
    with pytest.raises(OperationNotPermitted, match="First page reached."):
        back.previous_page()
    assert pages.asked == [0, 1]  # page 0 from the cache; page 2 never read, totals were known


def test_next_and_previous_page_move_the_list_itself() -> None:
    # the original documentation writes ``customers.next_page()`` as a statement
    lst, pages = make(25)
    lst.next_page()
    assert lst.page_number == 1 and list(lst.elements) == list(range(10, 20))
    assert list(lst) == list(range(10, 25)) and len(lst) == 15
    assert lst.next_page() is lst and lst.page_number == 2
    lst.previous_page()
    lst.previous_page()
    assert lst.page_number == 0 and list(lst.elements) == list(range(10))
    separate = lst.page(1)
    assert separate is not lst and lst.page_number == 0
    assert pages.asked == [0, 1, 2]


def test_next_page_on_an_empty_result() -> None:
    lst, _ = make(0)
    with pytest.raises(OperationNotPermitted, match="Last page reached."):
        lst.next_page()


def test_page_n_is_lazy() -> None:
    lst, pages = make(25)
    third = lst.page(2)
    assert pages.asked == []
    assert list(third) == [20, 21, 22, 23, 24]
    with pytest.raises(InvalidValue):
        lst.page(-1)


def test_stream_does_not_keep_pages() -> None:
    lst, pages = make(25)
    assert list(lst.stream()) == list(range(25))
    assert list(lst.stream()) == list(range(25))
    assert pages.asked == [0, 1, 2, 0, 1, 2]
    assert "loaded_pages=[]" in repr(lst)


def test_stream_reuses_pages_already_held() -> None:
    lst, pages = make(25)
    len(lst)
    assert list(lst.stream()) == list(range(25))
    assert pages.asked == [0, 1, 2]


def test_iter_pages() -> None:
    lst, pages = make(25)
    assert [list(p) for p in lst.iter_pages()] == [list(range(10)), list(range(10, 20)), [20, 21, 22, 23, 24]]
    assert all(isinstance(p, ReadOnlyList) for p in lst.iter_pages())
    assert pages.asked == [0, 1, 2]


def test_iteration_stops_on_an_empty_page_even_if_totals_lie() -> None:
    def fetch(number: int) -> dict[str, Any]:
        return {
            "elements": [{"id": 1}] if number == 0 else [],
            "page": {"size": 1, "totalElements": 99, "totalPages": 99, "number": number},
        }

    assert list(PaginatedList(fetch, ident)) == [1]


def test_envelope_without_page_object_reads_on_to_the_first_short_page() -> None:
    asked: list[int] = []

    def fetch(number: int) -> dict[str, Any]:
        asked.append(number)
        return {"elements": [{"id": 7 + 2 * number}, {"id": 8 + 2 * number}] if number < 2 else []}

    lst = PaginatedList(fetch, ident)
    with pytest.raises(OperationNotPermitted, match="iterate over the list or use stream"):
        len(lst)  # no totals reported: unknown until the end is read
    assert list(lst) == [7, 8, 9, 10] and asked == [0, 1, 2]
    assert len(lst) == 4 and lst.total_pages == 3


def test_count_with_a_value_counts_occurrences_like_a_list() -> None:
    lst, _ = make(25)
    assert lst.count(3) == 1 and lst.count(99) == 0
    assert 3 in lst and lst.index(12) == 12


@pytest.mark.parametrize(
    "mutate",
    [
        lambda x: x.append(1),
        lambda x: x.extend([1]),
        lambda x: x.insert(0, 1),
        lambda x: x.pop(),
        lambda x: x.remove(1),
        lambda x: x.reverse(),
        lambda x: x.sort(),
        lambda x: x.clear(),
        lambda x: x.__setitem__(0, 1),
        lambda x: x.__delitem__(0),
        lambda x: x.__iadd__([1]),
        lambda x: x.__imul__(2),
    ],
)
def test_read_only(mutate) -> None:
    lst, pages = make(25)
    with pytest.raises(OperationNotPermitted, match="read-only"):
        mutate(lst)
    ro = ReadOnlyList([1, 2, 3])
    with pytest.raises(OperationNotPermitted, match="read-only"):
        mutate(ro)
    assert ro == [1, 2, 3]
    assert pages.asked == []


def test_augmented_assignment_is_refused() -> None:
    ro = ReadOnlyList([1])
    with pytest.raises(OperationNotPermitted):
        ro += [2]
    lst, _ = make(3)
    with pytest.raises(OperationNotPermitted):
        lst += [2]  # type: ignore[misc]


def test_read_only_list_behaves_like_a_list_otherwise() -> None:
    ro = ReadOnlyList([3, 1, 2])
    assert isinstance(ro, list) and ro[0] == 3 and ro[1:] == [1, 2] and len(ro) == 3
    assert sorted(ro) == [1, 2, 3] and ro + [4] == [3, 1, 2, 4]
    assert repr(ro) == "ReadOnlyList([3, 1, 2])"
    for clone in (copy.copy(ro), copy.deepcopy(ro), pickle.loads(pickle.dumps(ro))):
        assert clone == ro and type(clone) is ReadOnlyList


@pytest.mark.parametrize("kwargs", [{"start_page": -1}, {"start_page": 1.0}, {"size": 0}, {"size": True}])
def test_bad_arguments(kwargs) -> None:
    with pytest.raises(InvalidValue):
        PaginatedList(Pages(1), ident, **kwargs)
