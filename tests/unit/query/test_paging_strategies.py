"""Each paging strategy walked by the same PaginatedList: what it asks for, where it stops, what it refuses."""

from __future__ import annotations

from typing import Any

import pytest

from contacthub_like.errors import InvalidValue, LengthUnknown, OperationNotPermitted
from contacthub_like.query import PaginatedList
from contacthub_like.query.paging import NextLinks, NumberedPages, OffsetLimit, PageTokens

DATA = list(range(23))


def ident(x: Any) -> Any:
    return x


class Recorder:
    """Serves DATA through one strategy's parameters, recording every request's parameters."""

    def __init__(self, strategy: Any, serve: Any) -> None:
        self.strategy, self.serve, self.asked = strategy, serve, []

    def __call__(self, number: int, cursor: Any = None) -> Any:
        params = self.strategy.params(number, 5, cursor)
        self.asked.append(params)
        return self.serve(params, cursor)


def test_offset_limit_over_bare_arrays_zero_based_ends_at_the_short_page() -> None:
    paging = OffsetLimit(offset_param="start", limit_param="limit")
    fetch = Recorder(paging, lambda p, c: DATA[p["start"] : p["start"] + p["limit"]])
    lst = PaginatedList(fetch, ident, size=5, paging=paging)
    assert list(lst) == DATA
    assert fetch.asked == [{"start": s, "limit": 5} for s in (0, 5, 10, 15, 20)]
    assert len(lst) == 23 and lst.total_pages == 5  # learnt at the end


def test_offset_limit_one_based_with_an_exact_multiple_reads_one_empty_page() -> None:
    paging = OffsetLimit(offset_param="offset", first_offset=1)
    fetch = Recorder(paging, lambda p, c: DATA[:20][p["offset"] - 1 : p["offset"] - 1 + p["limit"]])
    lst = PaginatedList(fetch, ident, size=5, paging=paging)
    assert list(lst)[-1] == 19
    assert [p["offset"] for p in fetch.asked] == [1, 6, 11, 16, 21]


def test_offset_limit_with_totals_knows_len_and_indexes_without_walking() -> None:
    paging = OffsetLimit(items_key="items", total_key="count")
    fetch = Recorder(paging, lambda p, c: {"items": DATA[p["offset"] : p["offset"] + 5], "count": 23})
    lst = PaginatedList(fetch, ident, size=5, paging=paging)
    assert len(lst) == 23 and lst[17] == 17
    assert [p["offset"] for p in fetch.asked] == [0, 15]


def test_offset_limit_caps_the_page_size() -> None:
    assert OffsetLimit(max_limit=3).params(2, 10, None) == {"offset": 6, "limit": 3}


def test_offset_limit_without_totals_refuses_len_before_the_end() -> None:
    paging = OffsetLimit()
    lst = PaginatedList(
        Recorder(paging, lambda p, c: DATA[p["offset"] : p["offset"] + 5]), ident, size=5, paging=paging
    )
    with pytest.raises(LengthUnknown, match="iterate over the list or use stream"):
        len(lst)


def test_offset_limit_prefetches_without_totals_and_drops_what_lies_past_the_end() -> None:
    paging = OffsetLimit()
    fetch = Recorder(paging, lambda p, c: DATA[p["offset"] : p["offset"] + 5])
    assert list(PaginatedList(fetch, ident, size=5, paging=paging, prefetch=3)) == DATA


def test_page_tokens_follow_the_token_and_refuse_random_access() -> None:
    paging = PageTokens()

    def serve(params: dict[str, Any], cursor: Any) -> dict[str, Any]:
        start = int(params.get("pageToken", "0"))
        following = start + 5 if start + 5 < len(DATA) else None
        return {"items": DATA[start : start + 5], "nextPageToken": str(following) if following else ""}

    fetch = Recorder(paging, serve)
    lst = PaginatedList(fetch, ident, size=5, paging=paging)
    with pytest.raises(OperationNotPermitted, match="stream"):
        lst[7]
    with pytest.raises(OperationNotPermitted, match="stream"):
        lst.page(2)
    assert list(lst.stream()) == DATA
    assert fetch.asked == [{"pageSize": 5}] + [{"pageSize": 5, "pageToken": str(s)} for s in (5, 10, 15, 20)]
    with pytest.raises(InvalidValue, match="cannot prefetch"):
        PaginatedList(fetch, ident, paging=paging, prefetch=2)


def test_next_links_request_the_link_the_api_wrote() -> None:
    paging = NextLinks()
    links: list[str | None] = []

    def serve(params: dict[str, Any], cursor: Any) -> dict[str, Any]:
        links.append(paging.follow(cursor))
        start = int(cursor.split("start=")[1].split("&")[0]) if cursor else 0
        following = [{"rel": "next", "href": f"/items?start={start + 5}&limit=5"}] if start + 5 < 23 else []
        return {"items": DATA[start : start + 5], "count": 23, "links": [{"rel": "self"}, *following]}

    fetch = Recorder(paging, serve)
    lst = PaginatedList(fetch, ident, size=5, paging=paging)
    assert list(lst) == DATA and len(lst) == 23
    assert fetch.asked[0] == {"limit": 5} and all(p == {} for p in fetch.asked[1:])
    assert links == [None] + [f"/items?start={s}&limit=5" for s in (5, 10, 15, 20)]


def test_numbered_pages_leave_page_zero_to_the_default_and_send_the_size() -> None:
    assert NumberedPages().params(0, 20, None) == {"size": 20}
    assert NumberedPages().params(3, None, None) == {"page": 3}
